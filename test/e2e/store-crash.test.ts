import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { expect } from 'chai';

import { checkMessageAndReturnSize } from '../../src/common/message/index.js';
import { createLogger } from '../../src/common/logging/logger.js';
import { DefaultMessageStore } from '../../src/broker/store/message-store.js';
import type { FlushDiskType } from '../../src/broker/store/store-config.js';
import { CRASH_TOPIC, crashStoreConfig } from './helpers/store-crash-config.js';

/*
 * Crash tests (issue 5): a real child process puts messages and is killed with SIGKILL after a
 * random short delay; the store is then reopened in this process and checked. Every other kill the
 * next child recovers straight from the crash (crash after crash), the others are verified here.
 */

const KILLS_PER_MODE = 10;
const MIN_KILL_DELAY_MS = 30;
const MAX_KILL_DELAY_MS = 250;
const CHILD = join(import.meta.dirname, 'helpers', 'store-crash-child.ts');
const READY_TIMEOUT_MS = 15_000;

interface Ack {
  readonly offset: number;
  readonly queueId: number;
  readonly queueOffset: number;
  readonly key: string;
}

interface ScannedRecord {
  readonly offset: number;
  readonly size: number;
  readonly queueId: number;
  readonly queueOffset: number;
  readonly keys: string;
}

/** Runs the child until it has been up for a random delay, kills it with SIGKILL, returns its acks. */
async function runAndKill(root: string, mode: FlushDiskType): Promise<{ acks: Ack[]; abnormalStart: boolean }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, root, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  const acks: Ack[] = [];
  let buffered = '';
  let stderr = '';
  let abnormalStart = false;
  let onReady: (() => void) | undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    buffered += d.toString();
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      const f = line.split(' ');
      if (f[0] === 'READY') {
        abnormalStart = f[1] === 'abnormal';
        onReady?.();
      } else if (f[0] === 'ACK') {
        acks.push({ offset: Number(f[1]), queueId: Number(f[2]), queueOffset: Number(f[3]), key: f[4]! });
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), READY_TIMEOUT_MS)));
  const first = await Promise.race([ready.then(() => 'ready' as const), exited.then(() => 'exited' as const), timeout]);
  clearTimeout(timer);
  if (first !== 'ready') {
    child.kill('SIGKILL');
    await exited;
    throw new Error(`crash child did not start (${first}): ${stderr}`);
  }
  await new Promise((r) => setTimeout(r, MIN_KILL_DELAY_MS + Math.random() * (MAX_KILL_DELAY_MS - MIN_KILL_DELAY_MS)));
  child.kill('SIGKILL');
  await exited;
  return { acks, abnormalStart };
}

/** Every record from the CommitLog's min to its max offset, CRC-checked; fails on anything else. */
async function scanCommitLog(store: DefaultMessageStore): Promise<ScannedRecord[]> {
  const out: ScannedRecord[] = [];
  let offset = store.getMinPhyOffset();
  const max = store.getMaxPhyOffset();
  while (offset < max) {
    // Files are 64 KiB, less than getCommitLogData's cap: one read is the rest of the file's data.
    const data = await store.getCommitLogData(offset);
    if (data === undefined) {
      offset = store.commitLog.rollNextFile(offset);
      continue;
    }
    let pos = 0;
    let blank = false;
    while (pos < data.length && !blank) {
      const r = checkMessageAndReturnSize(data, pos, { checkCRC: true });
      if (r.status === 'BLANK') {
        blank = true;
      } else if (r.status === 'MESSAGE') {
        const d = r.dispatch;
        out.push({ offset: d.commitLogOffset, size: d.msgSize, queueId: d.queueId, queueOffset: d.queueOffset, keys: d.keys });
        pos += r.size;
      } else {
        throw new Error(`invalid record served at ${offset + pos}: ${JSON.stringify(r)}`);
      }
    }
    offset = blank ? store.commitLog.rollNextFile(offset) : offset + pos;
  }
  return out;
}

/** ConsumeQueues match the CommitLog exactly: contiguous offsets, no duplicates, nothing missing. */
async function verifyConsistent(store: DefaultMessageStore, records: readonly ScannedRecord[]): Promise<void> {
  const byQueue = new Map<number, ScannedRecord[]>();
  for (const r of records) {
    let list = byQueue.get(r.queueId);
    if (list === undefined) byQueue.set(r.queueId, (list = []));
    list.push(r);
  }
  for (const [queueId, list] of byQueue) {
    expect(list.map((r) => r.queueOffset), `queue offsets of queue ${queueId} in the CommitLog`).to.deep.equal(list.map((_, i) => i));
    expect(store.getMinOffsetInQueue(CRASH_TOPIC, queueId)).to.equal(0);
    expect(store.getMaxOffsetInQueue(CRASH_TOPIC, queueId), `CQ max of queue ${queueId}`).to.equal(list.length);
    const cq = store.consumeQueueTable.find(CRASH_TOPIC, queueId)!;
    for (let i = 0; i < list.length; i++) {
      const u = await cq.getUnit(i);
      expect(u, `CQ unit ${i} of queue ${queueId}`).to.not.equal(undefined);
      expect(u!.commitLogOffset).to.equal(list[i]!.offset);
      expect(u!.size).to.equal(list[i]!.size);
    }
  }
  for (const cq of store.consumeQueueTable.all()) expect(byQueue.has(cq.queueId) || cq.getMaxOffsetInQueue() === 0).to.equal(true);
}

async function crashRounds(mode: FlushDiskType): Promise<{ kills: number; acked: number; verified: number }> {
  const root = await mkdtemp(join(tmpdir(), 'rmq-crash-'));
  const acked: Ack[] = [];
  let verified = 0;
  try {
    for (let kill = 0; kill < KILLS_PER_MODE; kill++) {
      const { acks, abnormalStart } = await runAndKill(root, mode);
      // Odd rounds leave the crash for the next child: recovery after recovery.
      if (kill > 0) expect(abnormalStart).to.equal(kill % 2 === 0 ? false : true);
      acked.push(...acks);
      if (kill % 2 === 1 || kill === KILLS_PER_MODE - 1) {
        const store = new DefaultMessageStore(crashStoreConfig(root, mode), { logger: createLogger('crash-verify') });
        await store.start();
        try {
          expect(store.lastRecovery!.abnormal).to.equal(true);
          const records = await scanCommitLog(store);
          await verifyConsistent(store, records);
          const at = new Map(records.map((r) => [r.offset, r]));
          if (mode === 'SYNC_FLUSH') {
            for (const a of acked) {
              const r = at.get(a.offset);
              expect(r, `acked put ${a.key} at ${a.offset}`).to.not.equal(undefined);
              expect(r!.keys).to.equal(a.key);
              expect([r!.queueId, r!.queueOffset]).to.deep.equal([a.queueId, a.queueOffset]);
            }
            // The index was rebuilt past what the crash lost: the last acked keys are queryable.
            for (const a of acked.slice(-3)) {
              const q = await store.queryMessage(CRASH_TOPIC, a.key, 32, 0, Date.now() + 1000);
              expect(q.messageBufferList.length, `index query of ${a.key}`).to.be.greaterThan(0);
            }
          } else {
            // ASYNC_FLUSH may lose an acked tail (a later child then reuses its offsets), never duplicate.
            const keys = records.map((r) => r.keys);
            expect(new Set(keys).size, 'duplicate records').to.equal(keys.length);
          }
          verified++;
        } finally {
          await store.shutdown();
        }
      }
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  return { kills: KILLS_PER_MODE, acked: acked.length, verified };
}

describe('store crash tests (SIGKILL while putting)', function () {
  this.timeout(60_000);

  for (const mode of ['SYNC_FLUSH', 'ASYNC_FLUSH'] as const) {
    it(`${mode}: ${KILLS_PER_MODE} kills; the store reopens consistent${mode === 'SYNC_FLUSH' ? ' with every acknowledged put' : ''}`, async () => {
      const r = await crashRounds(mode);
      expect(r.kills).to.equal(KILLS_PER_MODE);
      expect(r.acked).to.be.greaterThan(0);
    });
  }
});
