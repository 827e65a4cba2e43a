import { open, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { expect } from 'chai';

import { SYSFLAG_POSITION, readInt64BE, storeTimestampPosition, writeInt64BE } from '../../../src/common/message/index.js';
import type { DefaultMessageStore } from '../../../src/broker/store/message-store.js';
import { isPutOk } from '../../../src/broker/store/put-message-result.js';
import type { MessageStoreConfig } from '../../../src/broker/store/store-config.js';
import { inner, openStore, smallConfig, tempStoreDir } from './store-fixtures.js';

/** Records per 64 KiB CommitLog file with 500-byte bodies (and a gap between files). */
const PER_FILE = 100;
const FILES = 5;
const GAP_MS = 15;

describe('store/abnormal recovery from the checkpoint', function () {
  this.timeout(20_000);
  let root: string;
  let store: DefaultMessageStore | undefined;

  beforeEach(async () => {
    root = await tempStoreDir();
  });
  afterEach(async () => {
    await store?.shutdown();
    store = undefined;
    await rm(root, { recursive: true, force: true });
  });

  /** Puts FILES × PER_FILE records, pausing between batches so files start at distinct store times. */
  async function fill(cfg: MessageStoreConfig): Promise<{ fileStarts: number[]; firstTimestamps: number[] }> {
    store = await openStore(cfg);
    for (let i = 0; i < FILES * PER_FILE; i++) {
      const m = inner('T', 0, Buffer.alloc(500, i % 256));
      m.keys = `key-${i}`;
      const r = await store.putMessage(m);
      if (!isPutOk(r)) throw new Error(r.status);
      if (i % PER_FILE === PER_FILE - 1) await sleep(GAP_MS);
    }
    await store.shutdown();
    store = undefined;
    const names = (await readdir(join(root, 'commitlog'))).sort();
    const firstTimestamps: number[] = [];
    for (const n of names) {
      const h = await open(join(root, 'commitlog', n), 'r');
      const head = Buffer.alloc(128);
      await h.read(head, 0, 128, 0);
      await h.close();
      firstTimestamps.push(readInt64BE(head, storeTimestampPosition(head.readInt32BE(SYSFLAG_POSITION))));
    }
    return { fileStarts: names.map(Number), firstTimestamps };
  }

  /** Simulates a crash after a checkpoint with these timestamps; `cqUnitsLost` units cut from the CQ tail. */
  async function crash(physic: number, logics: number, index: number, cqUnitsLost: number): Promise<void> {
    const cp = Buffer.alloc(24);
    writeInt64BE(cp, physic, 0);
    writeInt64BE(cp, logics, 8);
    writeInt64BE(cp, index, 16);
    const h = await open(join(root, 'checkpoint'), 'r+');
    await h.write(cp, 0, 24, 0);
    await h.close();
    await writeFile(join(root, 'abort'), '');
    const cqDir = join(root, 'consumequeue', 'T', '0');
    const cqs = (await readdir(cqDir)).sort();
    const last = join(cqDir, cqs.at(-1)!);
    const units = FILES * PER_FILE - Number(cqs.at(-1)) / 20;
    const ch = await open(last, 'r+');
    await ch.write(Buffer.alloc(cqUnitsLost * 20), 0, cqUnitsLost * 20, (units - cqUnitsLost) * 20);
    await ch.close();
  }

  it('scans from the newest file whose first record the checkpoint covers (min − 3 s) and rebuilds what the CQ lost', async () => {
    const cfg = smallConfig(root, { mappedFileSizeConsumeQueue: 20 * 1000 });
    const { fileStarts, firstTimestamps } = await fill(cfg);
    expect(fileStarts.length).to.be.greaterThanOrEqual(FILES);
    // Durable up to a bit after file 2 began: getMinTimestamp = that − 3 s covers files 0..2 only.
    const t = firstTimestamps[2]! + 3000;
    await crash(t + 1, t, 0, 30);
    store = await openStore(cfg);
    expect(store.lastRecovery!.abnormal).to.equal(true);
    expect(store.lastRecovery!.scanFromOffset).to.equal(fileStarts[2]);
    expect(store.lastRecovery!.reputFromOffset).to.equal(fileStarts[2]);
    expect(store.getMaxOffsetInQueue('T', 0)).to.equal(FILES * PER_FILE);
    const r = await store.getMessage('G', 'T', 0, FILES * PER_FILE - 30, 32);
    expect(r.status).to.equal('FOUND');
    expect(r.status === 'FOUND' && r.messageBufferList.length).to.equal(30);
    // The index file being written was newer than the checkpoint: dropped, then rebuilt from file 2 on.
    expect((await store.queryMessage('T', `key-${FILES * PER_FILE - 1}`, 32, 0, Date.now() + 1000)).messageBufferList.length).to.equal(1);
    expect((await store.queryMessage('T', 'key-0', 32, 0, Date.now() + 1000)).messageBufferList.length).to.equal(0);
  });

  it('with messageIndexSafe, also goes back to the index timestamp (the whole index is rebuilt)', async () => {
    const cfg = smallConfig(root, { mappedFileSizeConsumeQueue: 20 * 1000, messageIndexSafe: true });
    const { firstTimestamps } = await fill(cfg);
    const t = firstTimestamps[3]! + 3000;
    await crash(t, t, 0, 0);
    store = await openStore(cfg);
    expect(store.lastRecovery!.scanFromOffset).to.equal(0);
    expect((await store.queryMessage('T', 'key-0', 32, 0, Date.now() + 1000)).messageBufferList.length).to.equal(1);
  });

  it('scans from the first file when no file is covered (a zero checkpoint)', async () => {
    const cfg = smallConfig(root);
    await fill(cfg);
    await crash(0, 0, 0, 0);
    store = await openStore(cfg);
    expect(store.lastRecovery!.scanFromOffset).to.equal(0);
    expect(store.getMaxOffsetInQueue('T', 0)).to.equal(FILES * PER_FILE);
  });
});
