import { existsSync } from 'node:fs';
import { copyFile, mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { expect } from 'chai';

import { decodeRecord, decodes } from '../../../src/common/message/index.js';
import type { DefaultMessageStore } from '../../../src/broker/store/message-store.js';
import { createMessageStoreConfig, type MessageStoreConfig } from '../../../src/broker/store/store-config.js';
import { isPutOk } from '../../../src/broker/store/put-message-result.js';
import { inner, openStore, tempStoreDir } from './store-fixtures.js';

/*
 * Opens a store a real RocketMQ 4.9.8 broker wrote (its default file sizes), rebuilt from the captured
 * heads: the CommitLog head in a sparse 64 MiB file, the ConsumeQueue heads in sparse 6,000,000-byte
 * files, the index header/slots/entries in a sparse 420,000,040-byte file, and the checkpoint.
 */

const SHARED = '/work/shared/fixtures/real-4.9.8/store';
const REPO = join(import.meta.dirname, '..', '..', 'fixtures', 'store');
const COMMITLOG_SIZE = 64 * 1024 * 1024;
const CQ_SIZE = 6_000_000;
const INDEX_FILE = '20261125162124632';
const INDEX_HEADER_SIZE = 40;
const HASH_SLOT_NUM = 5_000_000;
const INDEX_ENTRY_SIZE = 20;
const INDEX_FILE_SIZE = INDEX_HEADER_SIZE + HASH_SLOT_NUM * 4 + 20_000_000 * INDEX_ENTRY_SIZE;

interface RecordJson {
  topic: string;
  queueId: number;
  queueOffset: number;
  physicalOffset: number;
  body: { utf8?: string; length: number };
  properties: Record<string, string>;
}
interface IndexEntryJson {
  n: number;
  slot: number;
  slotValue: number;
  key: string;
}

async function writeSparse(path: string, size: number, parts: readonly { at: number; bytes: Buffer }[]): Promise<void> {
  const h = await open(path, 'w');
  try {
    await h.truncate(size);
    for (const p of parts) await h.write(p.bytes, 0, p.bytes.length, p.at);
  } finally {
    await h.close();
  }
}

/** Directory names Java uses for a topic (the capture tooling replaced '%' with '_'). */
function cqFixtures(): { topic: string; queueId: number; file: string }[] {
  const names = ['FixB-0', 'FixB-3', 'FixBin-0', 'FixT-0', 'FixT-1', 'FixT-2', 'FixT-3', 'SCHEDULE_TOPIC_XXXX-1', 'SCHEDULE_TOPIC_XXXX-2', '_RETRY_FixG-0'];
  return names.map((n) => {
    const dash = n.lastIndexOf('-');
    const captured = n.slice(0, dash);
    const topic = captured === '_RETRY_FixG' ? '%RETRY%FixG' : captured;
    const heads = ['head20', 'head40', 'head60'].map((h) => join(SHARED, `consumequeue-${n}-00000000000000000000.${h}`));
    return { topic, queueId: Number(n.slice(dash + 1)), file: heads.find((p) => existsSync(p))! };
  });
}

describe('store/a real RocketMQ 4.9.8 store', function () {
  this.timeout(30_000);
  let root: string;
  let store: DefaultMessageStore | undefined;
  let records: RecordJson[];

  before(function () {
    if (!existsSync(SHARED)) this.skip();
  });

  beforeEach(async () => {
    root = await tempStoreDir();
    const commitLog = await readFile(join(REPO, 'commitlog-00000000000000000000.head5284'));
    records = (JSON.parse(await readFile(join(SHARED, 'commitlog-00000000000000000000.head65536.json'), 'utf8')) as { records: RecordJson[] }).records;
    await mkdir(join(root, 'commitlog'), { recursive: true });
    await writeSparse(join(root, 'commitlog', '00000000000000000000'), COMMITLOG_SIZE, [{ at: 0, bytes: commitLog }]);
    for (const cq of cqFixtures()) {
      const dir = join(root, 'consumequeue', cq.topic, String(cq.queueId));
      await mkdir(dir, { recursive: true });
      await writeSparse(join(dir, '00000000000000000000'), CQ_SIZE, [{ at: 0, bytes: await readFile(cq.file) }]);
    }
    const index = JSON.parse(await readFile(join(SHARED, `index-${INDEX_FILE}.json`), 'utf8')) as { entries: IndexEntryJson[] };
    const slotParts = index.entries.map((e) => {
      const b = Buffer.alloc(4);
      b.writeInt32BE(e.slotValue);
      return { at: INDEX_HEADER_SIZE + e.slot * 4, bytes: b };
    });
    await mkdir(join(root, 'index'), { recursive: true });
    await writeSparse(join(root, 'index', INDEX_FILE), INDEX_FILE_SIZE, [
      { at: 0, bytes: await readFile(join(SHARED, `index-${INDEX_FILE}.header40`)) },
      ...slotParts,
      { at: INDEX_HEADER_SIZE + HASH_SLOT_NUM * 4 + INDEX_ENTRY_SIZE, bytes: await readFile(join(SHARED, `index-${INDEX_FILE}.entries20`)) },
    ]);
    await copyFile(join(SHARED, 'checkpoint'), join(root, 'checkpoint'));
  });
  afterEach(async () => {
    await store?.shutdown();
    store = undefined;
    await rm(root, { recursive: true, force: true });
  });

  /** Java 4.9.8 defaults for the file sizes, small write buffers. */
  function javaConfig(): MessageStoreConfig {
    return createMessageStoreConfig({ storePathRootDir: root, mappedFileSizeCommitLog: COMMITLOG_SIZE, mappedFileSizeConsumeQueue: CQ_SIZE });
  }

  async function readEveryQueue(s: DefaultMessageStore): Promise<void> {
    let read = 0;
    for (const cq of cqFixtures()) {
      const expected = records.filter((r) => r.topic === cq.topic && r.queueId === cq.queueId).sort((a, b) => a.queueOffset - b.queueOffset);
      expect(s.getMaxOffsetInQueue(cq.topic, cq.queueId), `${cq.topic}/${cq.queueId}`).to.equal(expected.length);
      const r = await s.getMessage('G', cq.topic, cq.queueId, 0, 32);
      if (r.status !== 'FOUND') throw new Error(`${cq.topic}/${cq.queueId}: ${r.status}`);
      const msgs = decodes(Buffer.concat(r.messageBufferList), { checkCRC: true });
      expect(msgs.map((m) => m.commitLogOffset)).to.deep.equal(expected.map((e) => e.physicalOffset));
      expect(msgs.map((m) => m.queueOffset)).to.deep.equal(expected.map((e) => e.queueOffset));
      expect(msgs.map((m) => m.body.length)).to.deep.equal(expected.map((e) => e.body.length));
      read += msgs.length;
    }
    expect(read).to.equal(records.length);
  }

  it('opens after the clean shutdown and reads every message back by topic/queue, and by key through the Java index', async () => {
    store = await openStore(javaConfig());
    expect(store.lastRecovery!.abnormal).to.equal(false);
    expect(store.getMaxPhyOffset()).to.equal(5284);
    await readEveryQueue(store);
    const key0 = records[0]!.properties['KEYS']!;
    const q = await store.queryMessage('FixT', key0, 32, 0, Date.now() + 3_600_000);
    expect(q.messageBufferList.map((b) => decodeRecord(b, 0).commitLogOffset)).to.deep.equal([0]);
    expect(q.indexLastUpdatePhyoffset).to.equal(5040);
    const byUniq = await store.queryMessage('FixT', records[0]!.properties['UNIQ_KEY']!, 32, 0, Date.now() + 3_600_000);
    expect(byUniq.messageBufferList.length).to.equal(1);
  });

  it('recovers it abnormally from the Java checkpoint (abort file present) to the same state, and appends after it', async () => {
    await writeFile(join(root, 'abort'), '');
    // Lose the ConsumeQueue of FixT/1 entirely: recovery must rebuild it from the CommitLog.
    await rm(join(root, 'consumequeue', 'FixT', '1'), { recursive: true });
    store = await openStore(javaConfig());
    expect(store.lastRecovery!.abnormal).to.equal(true);
    expect(store.lastRecovery!.processOffset).to.equal(5284);
    expect(store.lastRecovery!.scanFromOffset).to.equal(0);
    await readEveryQueue(store);
    const r = await store.putMessage(inner('FixT', 1, 'after the Java records'));
    if (!isPutOk(r)) throw new Error(r.status);
    expect(r.appendMessageResult.wroteOffset).to.equal(5284);
    expect(r.appendMessageResult.logicsOffset).to.equal(3);
  });
});
