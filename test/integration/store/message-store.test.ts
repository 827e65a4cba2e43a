import { open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { expect } from 'chai';

import {
  BLANK_MAGIC_CODE,
  MESSAGE_MAGIC_CODE,
  decodeRecord,
  decodes,
  readInt64BE,
  tagsString2tagsCode,
} from '../../../src/common/message/index.js';
import type { DefaultMessageStore } from '../../../src/broker/store/message-store.js';
import { isPutOk } from '../../../src/broker/store/put-message-result.js';
import { batch, inner, openStore, smallConfig, tempStoreDir } from './store-fixtures.js';

describe('store/DefaultMessageStore', function () {
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

  async function putN(s: DefaultMessageStore, n: number, topic = 'T', queueId = 0, size = 500): Promise<number[]> {
    const offsets: number[] = [];
    for (let i = 0; i < n; i++) {
      const r = await s.putMessage(inner(topic, queueId, Buffer.alloc(size, i % 256), i % 2 === 0 ? 'A' : 'B'));
      if (!isPutOk(r)) throw new Error(r.status);
      offsets.push(r.appendMessageResult.wroteOffset);
    }
    return offsets;
  }

  it('rolls CommitLog files with a BLANK record when a record does not fit, and reads every message back', async () => {
    store = await openStore(smallConfig(root));
    const offsets = await putN(store, 300);
    await store.reputMessageService.waitCaughtUp();
    const files = (await readdir(join(root, 'commitlog'))).sort();
    expect(files.length).to.be.greaterThan(2);
    expect(files[1]).to.equal('00000000000000065536');
    // The record that did not fit starts the next file; the previous file ends with a BLANK.
    const firstInSecond = offsets.find((o) => o >= 65536)!;
    expect(firstInSecond).to.equal(65536);
    const prev = offsets[offsets.indexOf(firstInSecond) - 1]!;
    await store.shutdown();
    const file0 = await readFile(join(root, 'commitlog', files[0]!));
    const size = file0.readInt32BE(prev);
    expect(file0.readInt32BE(prev + size + 4)).to.equal(BLANK_MAGIC_CODE);
    expect(file0.readInt32BE(prev + size)).to.equal(65536 - prev - size);
    store = await openStore(smallConfig(root));
    const r = await store.getMessage('G', 'T', 0, 0, 32);
    expect(r.status).to.equal('FOUND');
    if (r.status !== 'FOUND') return;
    expect(r.messageBufferList.length).to.equal(32);
    expect(r.nextBeginOffset).to.equal(32);
    expect(r.maxOffset).to.equal(300);
    const msgs = decodes(Buffer.concat([...r.messageBufferList]));
    expect(msgs.map((m) => m.queueOffset)).to.deep.equal([...Array(32).keys()]);
    expect(msgs[5]!.commitLogOffset).to.equal(offsets[5]);
    expect(msgs[5]!.body[0]).to.equal(5);
  });

  it('stores batches with consecutive queue offsets', async () => {
    store = await openStore(smallConfig(root));
    await putN(store, 3);
    const r = await store.putMessages(batch('T', 0, ['a', 'bb', 'ccc']));
    expect(r.status).to.equal('PUT_OK');
    if (!isPutOk(r)) return;
    expect(r.appendMessageResult.msgNum).to.equal(3);
    expect(r.appendMessageResult.logicsOffset).to.equal(3);
    await store.reputMessageService.waitCaughtUp();
    const g = await store.getMessage('G', 'T', 3, 0, 32);
    expect(g.status).to.equal('NO_MATCHED_LOGIC_QUEUE');
    const got = await store.getMessage('G', 'T', 0, 3, 32);
    if (got.status !== 'FOUND') throw new Error(got.status);
    const msgs = decodes(Buffer.concat([...got.messageBufferList]));
    expect(msgs.map((m) => [m.queueOffset, m.body.toString()])).to.deep.equal([
      [3, 'a'],
      [4, 'bb'],
      [5, 'ccc'],
    ]);
    expect(store.getMaxOffsetInQueue('T', 0)).to.equal(6);
  });

  it('answers every getMessage status with Java nextBeginOffset rules, and filters by tag', async () => {
    store = await openStore(smallConfig(root));
    expect((await store.getMessage('G', 'T', 0, 0, 32)).status).to.equal('NO_MATCHED_LOGIC_QUEUE');
    await putN(store, 10);
    await store.reputMessageService.waitCaughtUp();
    const s = store;
    const get = (offset: number, filterTag?: string) =>
      s.getMessage('G', 'T', 0, offset, 32, undefined, filterTag === undefined ? undefined : { isMatchedByConsumeQueue: (c) => c === tagsString2tagsCode(filterTag) });
    expect(await get(10)).to.include({ status: 'OFFSET_OVERFLOW_ONE', nextBeginOffset: 10, minOffset: 0, maxOffset: 10 });
    expect(await get(15)).to.include({ status: 'OFFSET_OVERFLOW_BADLY', nextBeginOffset: 0 });
    const tagged = await get(0, 'B');
    if (tagged.status !== 'FOUND') throw new Error(tagged.status);
    expect(tagged.messageQueueOffsets).to.deep.equal([1, 3, 5, 7, 9]);
    expect(tagged.nextBeginOffset).to.equal(10);
    expect(await get(9, 'A')).to.include({ status: 'NO_MATCHED_MESSAGE', nextBeginOffset: 10 });
    // An empty queue that exists: a batch that only has prepared messages never enters a CQ, so make
    // one by creating the queue through the dispatcher table directly.
    s.consumeQueueTable.findOrCreate('Empty', 0);
    expect(await s.getMessage('G', 'Empty', 0, 3, 32)).to.include({ status: 'NO_MESSAGE_IN_QUEUE', nextBeginOffset: 0 });
    // OFFSET_TOO_SMALL once the queue starts later.
    const cq = s.consumeQueueTable.find('T', 0)!;
    cq.minLogicOffset = 4 * 20;
    expect(await get(1)).to.include({ status: 'OFFSET_TOO_SMALL', nextBeginOffset: 4, minOffset: 4 });
  });

  it('answers MESSAGE_WAS_REMOVING when the CommitLog file of a unit is gone and OFFSET_FOUND_NULL when the CQ file is', async () => {
    store = await openStore(smallConfig(root));
    await putN(store, 300);
    await store.reputMessageService.waitCaughtUp();
    const q = store.commitLog.mappedFileQueue;
    await q.deleteFilesBefore((f) => f.fileFromOffset === 0);
    const r = await store.getMessage('G', 'T', 0, 0, 4);
    expect(r.status).to.equal('MESSAGE_WAS_REMOVING');
    const cq = store.consumeQueueTable.find('T', 0)!;
    await cq.mappedFileQueue.deleteFilesBefore((f) => f.fileFromOffset === 0);
    const n = await store.getMessage('G', 'T', 0, 5, 4);
    expect(n).to.include({ status: 'OFFSET_FOUND_NULL', nextBeginOffset: 100 });
  });

  it('refuses illegal messages and leaves the store untouched', async () => {
    store = await openStore(smallConfig(root));
    const big = await store.putMessage(inner('T', 0, Buffer.alloc(9000)));
    expect(big.status).to.equal('MESSAGE_ILLEGAL');
    const m = inner('T', 0, 'x');
    m.putUserProperty('p', 'x'.repeat(33_000));
    expect((await store.putMessage(m)).status).to.equal('PROPERTIES_SIZE_EXCEEDED');
    expect((await store.putMessage(inner('x'.repeat(128), 0, 'x'))).status).to.equal('MESSAGE_ILLEGAL');
    expect(store.getMaxPhyOffset()).to.equal(0);
    await store.shutdown();
    expect((await store.putMessage(inner('T', 0, 'x'))).status).to.equal('SERVICE_NOT_AVAILABLE');
  });

  it('writes a commitlog and a consumequeue that decode field by field (PROTOCOL.md §5, §6.3)', async () => {
    store = await openStore(smallConfig(root));
    await putN(store, 3, 'Bytes', 2, 10);
    await store.shutdown();
    store = undefined;
    const cl = await readFile(join(root, 'commitlog', '00000000000000000000'));
    expect(cl.length).to.equal(64 * 1024);
    expect(cl.readInt32BE(4)).to.equal(MESSAGE_MAGIC_CODE);
    const m0 = decodeRecord(cl, 0, { checkCRC: true });
    expect([m0.topic, m0.queueId, m0.queueOffset, m0.commitLogOffset, m0.tags]).to.deep.equal(['Bytes', 2, 0, 0, 'A']);
    const cqPath = join(root, 'consumequeue', 'Bytes', '2', '00000000000000000000');
    const cq = await readFile(cqPath);
    expect((await stat(cqPath)).size).to.equal(2000);
    let phy = 0;
    for (let i = 0; i < 3; i++) {
      const size = cl.readInt32BE(phy);
      expect(readInt64BE(cq, i * 20)).to.equal(phy);
      expect(cq.readInt32BE(i * 20 + 8)).to.equal(size);
      expect(readInt64BE(cq, i * 20 + 12)).to.equal(tagsString2tagsCode(i % 2 === 0 ? 'A' : 'B'));
      phy += size;
    }
    expect(cq.subarray(60, 80).every((b) => b === 0)).to.equal(true);
    expect(await readdir(root)).to.not.include('abort');
  });

  it('SYNC_FLUSH: concurrent puts resolve after fdatasync and share syncs', async () => {
    store = await openStore(smallConfig(root, { flushDiskType: 'SYNC_FLUSH' }));
    const q = store.commitLog.mappedFileQueue;
    const before = q.fsyncCount;
    const s = store;
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => s.putMessage(inner('S', i % 4, Buffer.alloc(200, 1)))));
    expect(results.every((r) => r.status === 'PUT_OK')).to.equal(true);
    const last = results.map((r) => (isPutOk(r) ? r.appendMessageResult.wroteOffset + r.appendMessageResult.wroteBytes : 0));
    expect(q.flushedWhere).to.be.at.least(Math.max(...last));
    const syncs = q.fsyncCount - before;
    expect(syncs).to.be.greaterThan(0);
    expect(syncs).to.be.lessThan(50);
  });

  it('refuses a second store on the same directory (lock file)', async () => {
    store = await openStore(smallConfig(root));
    let error: unknown;
    try {
      await openStore(smallConfig(root));
    } catch (e: unknown) {
      error = e;
    }
    expect(String(error)).to.match(/locked/);
  });

  it('recovers after a crash: garbage tail cut, torn record cut, ConsumeQueue rebuilt, offsets continue', async () => {
    const cfg = smallConfig(root);
    store = await openStore(cfg);
    const offsets = await putN(store, 200);
    await store.reputMessageService.waitCaughtUp();
    await store.shutdown();
    store = undefined;
    // Simulate a crash: the abort marker is back, the last record torn, garbage after it, and the CQ
    // lost its last 30 units.
    await writeFile(join(root, 'abort'), '');
    await rm(join(root, 'lock'), { force: true });
    const files = (await readdir(join(root, 'commitlog'))).sort();
    const lastFile = join(root, 'commitlog', files[files.length - 1]!);
    const lastStart = Number(files[files.length - 1]);
    const tornAt = offsets[199]! - lastStart;
    const h = await open(lastFile, 'r+');
    await h.write(Buffer.alloc(100, 0xee), 0, 100, tornAt + 50);
    await h.close();
    const cqFile = join(root, 'consumequeue', 'T', '0', '00000000000000002000');
    const cqh = await open(cqFile, 'r+');
    await cqh.write(Buffer.alloc(30 * 20), 0, 30 * 20, (199 - 100 - 29) * 20);
    await cqh.close();
    store = await openStore(cfg);
    expect(store.lastRecovery!.abnormal).to.equal(true);
    expect(store.lastRecovery!.processOffset).to.equal(offsets[199]);
    expect(store.getMaxOffsetInQueue('T', 0)).to.equal(199);
    const r = await store.getMessage('G', 'T', 0, 150, 100, undefined);
    if (r.status !== 'FOUND') throw new Error(r.status);
    expect(decodes(Buffer.concat([...r.messageBufferList]), { checkCRC: true }).map((m) => m.queueOffset)).to.deep.equal(
      [...Array(32).keys()].map((i) => 150 + i),
    );
    const again = await store.putMessage(inner('T', 0, 'after'));
    if (!isPutOk(again)) throw new Error(again.status);
    expect(again.appendMessageResult.logicsOffset).to.equal(199);
    expect(again.appendMessageResult.wroteOffset).to.equal(offsets[199]);
  });

  it('normal restart keeps everything and continues queue offsets', async () => {
    const cfg = smallConfig(root, { transientStorePoolEnable: true, commitIntervalCommitLog: 5 });
    store = await openStore(cfg);
    await putN(store, 120, 'T', 1);
    await store.shutdown();
    store = await openStore(cfg);
    expect(store.lastRecovery!.abnormal).to.equal(false);
    expect(store.getMaxOffsetInQueue('T', 1)).to.equal(120);
    const r = await store.putMessage(inner('T', 1, 'next'));
    expect(isPutOk(r) && r.appendMessageResult.logicsOffset).to.equal(120);
    const m = await store.lookMessageByOffset(isPutOk(r) ? r.appendMessageResult.wroteOffset : -1);
    expect(m!.body.toString()).to.equal('next');
    expect(await store.getOffsetInQueueByTime('T', 1, 0)).to.equal(0);
    expect(await store.getOffsetInQueueByTime('T', 1, Date.now() + 60_000)).to.equal(121);
  });

  it('cleanUnusedTopic destroys the queues of topics not kept (never SCHEDULE_TOPIC_XXXX), their offsets restart at 0, and a restart keeps them gone', async () => {
    const cfg = smallConfig(root);
    store = await openStore(cfg);
    await putN(store, 5, 'Gone', 0);
    await putN(store, 3, 'Gone', 2);
    await putN(store, 2, 'SCHEDULE_TOPIC_XXXX', 1);
    // The kept topic's records come last: reput resumes after the highest queue's CommitLog offset,
    // so (as in Java) records of a deleted topic beyond it would be re-dispatched on restart.
    await putN(store, 4, 'Keep', 0);
    await store.flushConsumeQueuesAndCheckpoint();
    const s = store;
    const waitDispatched = async (): Promise<void> => {
      while (s.dispatchBehindBytes() > 0) await new Promise((r) => setTimeout(r, 5));
    };
    await waitDispatched();
    expect(await store.cleanUnusedTopic(new Set(['Keep']))).to.deep.equal(['Gone']);
    const cqRoot = store.consumeQueueTable.rootDir;
    expect((await readdir(cqRoot)).sort()).to.deep.equal(['Keep', 'SCHEDULE_TOPIC_XXXX']);
    expect(store.getMaxOffsetInQueue('Gone', 0)).to.equal(0);
    expect((await store.getMessage('G', 'Gone', 0, 0, 32)).status).to.equal('NO_MATCHED_LOGIC_QUEUE');
    const r = await store.putMessage(inner('Gone', 2, 'again'));
    expect(isPutOk(r) && r.appendMessageResult.logicsOffset).to.equal(0);
    await putN(store, 1, 'Keep', 0);
    await store.shutdown();
    store = await openStore(cfg);
    expect([store.getMaxOffsetInQueue('Gone', 0), store.getMaxOffsetInQueue('Gone', 2), store.getMaxOffsetInQueue('Keep', 0)]).to.deep.equal([0, 1, 5]);
  });
});
