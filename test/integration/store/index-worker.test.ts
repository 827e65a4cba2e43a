import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { expect } from 'chai';

import { IndexServiceWorker, IndexWorkerError } from '../../../src/broker/store/index/index-service-worker.js';
import type { DefaultMessageStore } from '../../../src/broker/store/message-store.js';
import { isPutOk } from '../../../src/broker/store/put-message-result.js';
import { createLogger, type LogRecord } from '../../../src/common/logging/logger.js';
import { decodeRecord } from '../../../src/common/message/index.js';
import { inner, openStore, smallConfig, tempStoreDir } from './store-fixtures.js';

const FAR_FUTURE = Date.now() + 3_600_000;
/** The worker is opt-in (the default builds the index inline). */
const WORKER = { messageIndexWorkerEnable: true } as const;

describe('store/IndexServiceWorker (messageIndexWorkerEnable: true)', function () {
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

  async function put(s: DefaultMessageStore, keys: string): Promise<number> {
    const m = inner('T', 0, `body of ${keys}`);
    m.keys = keys;
    const r = await s.putMessage(m);
    if (!isPutOk(r)) throw new Error(r.status);
    return r.appendMessageResult.wroteOffset;
  }

  function worker(s: DefaultMessageStore): IndexServiceWorker {
    const w = s.indexService;
    if (!(w instanceof IndexServiceWorker)) throw new Error('the store does not run its index on a worker');
    return w;
  }

  it('answers a query after every record dispatched before it, without waiting for the worker to poll', async () => {
    store = await openStore(smallConfig(root, WORKER));
    worker(store);
    for (let round = 0; round < 20; round++) {
      const offset = await put(store, `k-${round} shared`);
      await store.reputMessageService.waitCaughtUp();
      const q = await store.queryMessage('T', `k-${round}`, 32, 0, FAR_FUTURE);
      expect(q.messageBufferList.map((b) => decodeRecord(b, 0).commitLogOffset), `round ${round}`).to.deep.equal([offset]);
    }
    expect((await store.queryMessage('T', 'shared', 64, 0, FAR_FUTURE)).messageBufferList.length).to.equal(20);
  });

  it('indexes and flushes every dispatched record at shutdown, and its logs reach the store logger', async () => {
    const cfg = smallConfig(root, WORKER);
    store = await openStore(cfg);
    const offsets: number[] = [];
    for (let i = 0; i < 300; i++) offsets.push(await put(store, `key-${i}`));
    // No wait for the reput or the worker: shutdown drains both.
    await store.shutdown();
    store = undefined;
    expect(existsSync(join(root, 'abort'))).to.equal(false);
    expect((await readdir(join(root, 'index'))).length).to.equal(1);

    const records: LogRecord[] = [];
    store = await openStore(cfg, { logger: createLogger('store', { level: 'info', sink: (r) => records.push(r) }) });
    expect(store.lastRecovery!.abnormal).to.equal(false);
    for (const i of [0, 150, 299]) {
      const q = await store.queryMessage('T', `key-${i}`, 32, 0, FAR_FUTURE);
      expect(q.messageBufferList.map((b) => decodeRecord(b, 0).commitLogOffset), `key-${i}`).to.deep.equal([offsets[i]]);
    }
    expect(records.some((r) => r.namespace === 'store:index' && r.message === 'load index file OK')).to.equal(true);
  });

  it('a crashed worker fails queries with IndexWorkerError, not a hang; puts go on; the next start recovers the index', async () => {
    const cfg = smallConfig(root, WORKER);
    store = await openStore(cfg);
    const before = await put(store, 'before');
    await store.reputMessageService.waitCaughtUp();
    expect((await store.queryMessage('T', 'before', 32, 0, FAR_FUTURE)).messageBufferList.length).to.equal(1);

    const w = worker(store);
    await w.kill();
    let error: unknown;
    try {
      await store.queryMessage('T', 'before', 32, 0, FAR_FUTURE);
    } catch (e: unknown) {
      error = e;
    }
    expect(error).to.be.instanceOf(IndexWorkerError);
    expect((error as Error).message).to.match(/index worker exited unexpectedly/);
    expect(w.error).to.equal(error);
    // The store keeps taking messages (the index is derived: the CommitLog is the truth).
    const after = await put(store, 'after');
    await store.reputMessageService.waitCaughtUp();
    await store.shutdown();
    store = undefined;
    // Records went unindexed: the abort marker stays, so the next start recovers as after a crash.
    expect(existsSync(join(root, 'abort'))).to.equal(true);

    store = await openStore(cfg);
    expect(store.lastRecovery!.abnormal).to.equal(true);
    for (const [key, offset] of [['before', before], ['after', after]] as const) {
      const q = await store.queryMessage('T', key, 32, 0, FAR_FUTURE);
      expect(q.messageBufferList.map((b) => decodeRecord(b, 0).commitLogOffset), key).to.deep.equal([offset]);
    }
  });
});
