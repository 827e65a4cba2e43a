import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { expect } from 'chai';

import { CommitLog } from '../../../src/broker/store/commit-log.js';
import { EAGER_COMMIT_MAX_DELAY_MILLIS } from '../../../src/broker/store/flush/commit-real-time-service.js';
import { isPutOk, type PutMessageResult } from '../../../src/broker/store/put-message-result.js';
import { createMessageStoreConfig, type MessageStoreConfig } from '../../../src/broker/store/store-config.js';
import { createLogger } from '../../../src/common/logging/logger.js';
import { MessageExtBrokerInner, createMessageId, decodeRecord } from '../../../src/common/message/index.js';

describe('store/CommitLog put path', () => {
  let dir: string;
  let log: CommitLog | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rmq-cl-'));
  });
  afterEach(async () => {
    await log?.shutdown();
    log = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  async function open(overrides: Partial<MessageStoreConfig> = {}): Promise<CommitLog> {
    const config = createMessageStoreConfig({
      storePathRootDir: dir,
      mappedFileSizeCommitLog: 64 * 1024,
      maxMessageSize: 4 * 1024,
      writeBufferSize: 64 * 1024,
      ...overrides,
    });
    const c = new CommitLog(config, createLogger('test'));
    await c.load();
    c.start();
    log = c;
    return c;
  }

  function msg(queueId: number, body: string, wait = true): MessageExtBrokerInner {
    const m = new MessageExtBrokerInner('T', Buffer.from(body));
    m.queueId = queueId;
    m.bornTimestamp = 1_700_000_000_000;
    m.bornHost = { host: '127.0.0.1', port: 50000 };
    m.storeHost = { host: '10.0.0.1', port: 10911 };
    if (!wait) m.waitStoreMsgOK = false;
    return m;
  }

  function stored(r: PutMessageResult): Extract<PutMessageResult, { appendMessageResult: unknown }> {
    if (!isPutOk(r)) throw new Error(`not stored: ${JSON.stringify(r)}`);
    return r;
  }

  it('appends the puts of one tick in order as one group, records readable at once', async () => {
    const c = await open();
    let groups = 0;
    c.onAppended = () => groups++;
    const results = (await Promise.all(Array.from({ length: 50 }, (_, i) => c.putMessage(msg(i % 3, `m${i}`))))).map(stored);
    expect(groups).to.equal(1);
    let next = 0;
    const queueNext = [0, 0, 0];
    for (const [i, r] of results.entries()) {
      const a = r.appendMessageResult;
      expect(a.wroteOffset).to.equal(next);
      expect(a.logicsOffset).to.equal(queueNext[i % 3]!++);
      next += a.wroteBytes;
      const m = decodeRecord((await c.getMessage(a.wroteOffset, a.wroteBytes))!, 0);
      expect(m.body.toString()).to.equal(`m${i}`);
      expect(m.commitLogOffset).to.equal(a.wroteOffset);
      expect(m.queueOffset).to.equal(a.logicsOffset);
      expect(m.storeTimestamp).to.equal(a.storeTimestamp);
    }
    expect(c.getMaxOffset()).to.equal(next);
  });

  it('computes the offset msgId on first read, as Java 4.9 does, and shows it in JSON', async () => {
    const c = await open();
    const a = stored(await c.putMessage(msg(0, 'x'))).appendMessageResult;
    const expected = createMessageId({ host: '10.0.0.1', port: 10911 }, a.wroteOffset);
    expect(a.msgId).to.equal(expected);
    expect(a.msgIds).to.deep.equal([expected]);
    expect(JSON.parse(JSON.stringify(a))).to.include({ msgId: expected, wroteOffset: a.wroteOffset, msgNum: 1 });
  });

  it('SYNC_FLUSH: a group of puts is answered after one fdatasync that covers all of them; WAIT=false is not held', async () => {
    const c = await open({ flushDiskType: 'SYNC_FLUSH' });
    const q = c.mappedFileQueue;
    const before = q.fsyncCount;
    const results = (await Promise.all(Array.from({ length: 40 }, (_, i) => c.putMessage(msg(0, `s${i}`))))).map(stored);
    const end = Math.max(...results.map((r) => r.appendMessageResult.wroteOffset + r.appendMessageResult.wroteBytes));
    expect(results.every((r) => r.status === 'PUT_OK')).to.equal(true);
    expect(q.flushedWhere).to.be.at.least(end);
    expect(q.fsyncCount - before).to.be.within(1, 2);

    const noWait = stored(await c.putMessage(msg(0, 'fire and forget', false)));
    expect(noWait.status).to.equal('PUT_OK');
    expect(q.flushedWhere).to.be.below(noWait.appendMessageResult.wroteOffset + noWait.appendMessageResult.wroteBytes);
  });

  it('ASYNC_FLUSH without the pool commits a trickle within the max delay, without waiting for a large write', async () => {
    const c = await open();
    const a = stored(await c.putMessage(msg(0, 'small'))).appendMessageResult;
    expect(c.mappedFileQueue.committedWhere).to.be.below(a.wroteOffset + a.wroteBytes);
    const deadline = Date.now() + 50 * EAGER_COMMIT_MAX_DELAY_MILLIS;
    while (c.mappedFileQueue.committedWhere < a.wroteOffset + a.wroteBytes && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(c.mappedFileQueue.committedWhere).to.equal(a.wroteOffset + a.wroteBytes);
  });

  it('rolls with a BLANK when a record does not fit, waiting for buffers and files, and keeps order', async () => {
    // Two 8 KiB write buffers, 16 KiB files: puts wait for commits and new files inside one group.
    const c = await open({ mappedFileSizeCommitLog: 16 * 1024, writeBufferSize: 8 * 1024, maxMessageSize: 1024, transientStorePoolEnable: true, transientStorePoolSize: 2 });
    const body = 'b'.repeat(900);
    const results = (await Promise.all(Array.from({ length: 60 }, (_, i) => c.putMessage(msg(0, `${i}:${body}`))))).map(stored);
    for (const [i, r] of results.entries()) {
      const a = r.appendMessageResult;
      expect(a.logicsOffset).to.equal(i);
      expect(Math.floor(a.wroteOffset / (16 * 1024))).to.equal(Math.floor((a.wroteOffset + a.wroteBytes - 1) / (16 * 1024)));
      const m = decodeRecord((await c.getMessage(a.wroteOffset, a.wroteBytes))!, 0);
      expect(m.body.toString().startsWith(`${i}:`)).to.equal(true);
    }
    expect(c.mappedFileQueue.mappedFiles.length).to.be.above(3);
  });

  it('refuses a record larger than the write buffer without touching the log', async () => {
    const c = await open({ maxMessageSize: 64 * 1024 * 1024 });
    const r = await c.putMessage(msg(0, 'x'.repeat(200 * 1024)));
    expect(r.status).to.equal('MESSAGE_ILLEGAL');
    expect(c.getMaxOffset()).to.equal(0);
    expect(stored(await c.putMessage(msg(0, 'ok'))).appendMessageResult.wroteOffset).to.equal(0);
  });
});
