import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { expect } from 'chai';

import { decodeRecord, getUniqID, readInt64BE, setUniqID } from '../../../src/common/message/index.js';
import type { DefaultMessageStore } from '../../../src/broker/store/message-store.js';
import { isPutOk } from '../../../src/broker/store/put-message-result.js';
import type { MessageStoreConfig } from '../../../src/broker/store/store-config.js';
import { IndexService } from '../../../src/broker/store/index/index-service.js';
import { IndexServiceWorker } from '../../../src/broker/store/index/index-service-worker.js';
import { inner, openStore, smallConfig as fixtureConfig, tempStoreDir } from './store-fixtures.js';

for (const messageIndexWorkerEnable of [true, false]) {
  describe(`store/DefaultMessageStore index queries and checkpoint (index ${messageIndexWorkerEnable ? 'on its worker thread' : 'inline'})`, function () {
    this.timeout(20_000);
    const smallConfig = (r: string, overrides: Partial<MessageStoreConfig> = {}): MessageStoreConfig =>
      fixtureConfig(r, { messageIndexWorkerEnable, ...overrides });
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

    async function put(s: DefaultMessageStore, topic: string, keys: string | undefined, body = 'x'): Promise<{ offset: number; uniqKey: string; storeTimestamp: number }> {
      const m = inner(topic, 0, body);
      if (keys !== undefined) m.keys = keys;
      setUniqID(m);
      const r = await s.putMessage(m);
      if (!isPutOk(r)) throw new Error(r.status);
      return { offset: r.appendMessageResult.wroteOffset, uniqKey: getUniqID(m)!, storeTimestamp: r.appendMessageResult.storeTimestamp };
    }

    const FAR_FUTURE = Date.now() + 3_600_000;

    it('finds messages by each KEYS token and by UNIQ_KEY, reporting the index freshness', async () => {
      store = await openStore(smallConfig(root));
      const a = await put(store, 'T', 'order-1 customer-7', 'first');
      const b = await put(store, 'T', 'order-2', 'second');
      const other = await put(store, 'Other', 'order-1', 'other topic');
      await store.reputMessageService.waitCaughtUp();

      const byKey = await store.queryMessage('T', 'customer-7', 32, 0, FAR_FUTURE);
      expect(byKey.messageBufferList.map((r) => decodeRecord(r, 0).body.toString())).to.deep.equal(['first']);
      const order1 = await store.queryMessage('T', 'order-1', 32, 0, FAR_FUTURE);
      expect(order1.messageBufferList.map((r) => decodeRecord(r, 0).commitLogOffset)).to.deep.equal([a.offset]);
      const byUniq = await store.queryMessage('T', b.uniqKey, 32, 0, FAR_FUTURE);
      expect(byUniq.messageBufferList.length).to.equal(1);
      expect(decodeRecord(byUniq.messageBufferList[0]!, 0).body.toString()).to.equal('second');
      expect(byUniq.bufferTotalSize).to.equal(byUniq.messageBufferList[0]!.length);
      // The index's freshness is its last record's (the put to 'Other').
      expect(byUniq.indexLastUpdatePhyoffset).to.equal(other.offset);
      expect(byUniq.indexLastUpdateTimestamp).to.equal(other.storeTimestamp);
      expect(store.indexService).to.be.instanceOf(messageIndexWorkerEnable ? IndexServiceWorker : IndexService);
      if (store.indexService instanceof IndexService) {
        const last = store.indexService.indexFiles.at(-1)!;
        expect(byUniq.indexLastUpdatePhyoffset).to.equal(last.endPhyOffset);
        expect(byUniq.indexLastUpdateTimestamp).to.equal(last.endTimestamp);
      }
      expect((await store.queryMessage('T', 'nope', 32, 0, FAR_FUTURE)).messageBufferList).to.deep.equal([]);
    });

    it('applies maxNum (answering oldest offset first) and the time range', async () => {
      store = await openStore(smallConfig(root));
      const puts: { offset: number; storeTimestamp: number }[] = [];
      for (let i = 0; i < 10; i++) puts.push(await put(store, 'T', 'same', `m${i}`));
      await store.reputMessageService.waitCaughtUp();
      const three = await store.queryMessage('T', 'same', 3, 0, FAR_FUTURE);
      const offsets = three.messageBufferList.map((r) => decodeRecord(r, 0).commitLogOffset);
      // The index walks newest first; the store sorts the hits by offset, as Java does.
      expect(offsets).to.deep.equal(puts.slice(7).map((p) => p.offset));
      const all = await store.queryMessage('T', 'same', 64, 0, FAR_FUTURE);
      expect(all.messageBufferList.length).to.equal(10);
      const before = await store.queryMessage('T', 'same', 64, 0, puts[0]!.storeTimestamp - 60_000);
      expect(before.messageBufferList).to.deep.equal([]);
    });

    it('finds keys again after a restart and rebuilds the index from the CommitLog after a crash', async () => {
      const cfg = smallConfig(root);
      store = await openStore(cfg);
      const a = await put(store, 'T', 'k-a');
      await store.shutdown();
      store = await openStore(cfg);
      expect((await store.queryMessage('T', 'k-a', 32, 0, FAR_FUTURE)).messageBufferList.length).to.equal(1);
      await put(store, 'T', 'k-b');
      await store.reputMessageService.waitCaughtUp();
      // Crash: the index file being written is newer than the checkpoint and is dropped at load.
      await store.shutdown();
      store = undefined;
      await writeFile(join(root, 'abort'), '');
      store = await openStore(cfg);
      expect(store.lastRecovery!.abnormal).to.equal(true);
      for (const k of ['k-a', 'k-b']) {
        const q = await store.queryMessage('T', k, 32, 0, FAR_FUTURE);
        expect(q.messageBufferList.length, k).to.equal(1);
      }
      expect(decodeRecord((await store.queryMessage('T', 'k-a', 32, 0, FAR_FUTURE)).messageBufferList[0]!, 0).commitLogOffset).to.equal(a.offset);
    });

    it('writes physic and logics timestamps of flushed data into the 4 KiB checkpoint (bytes)', async () => {
      store = await openStore(smallConfig(root, { flushDiskType: 'SYNC_FLUSH', flushConsumeQueueThoroughInterval: 3_600_000 }));
      const path = join(root, 'checkpoint');
      expect((await stat(path)).size).to.equal(4096);
      await put(store, 'T', undefined);
      const last = await put(store, 'T', undefined);
      await store.reputMessageService.waitCaughtUp();
      await store.flushConsumeQueuesAndCheckpoint();
      let bytes = await readFile(path);
      expect(bytes.length).to.equal(4096);
      // SYNC_FLUSH: the last put is durable in the CommitLog, and dispatched before the CQ flush.
      expect(readInt64BE(bytes, 0)).to.equal(last.storeTimestamp);
      expect(readInt64BE(bytes, 8)).to.equal(last.storeTimestamp);
      expect(readInt64BE(bytes, 16)).to.equal(0); // no index file is full yet
      expect(bytes.subarray(24).equals(Buffer.alloc(4096 - 24))).to.equal(true);
      expect(store.storeCheckpoint!.getMinTimestamp()).to.equal(last.storeTimestamp - 3000);

      const later = await put(store, 'T', undefined);
      await store.shutdown();
      store = undefined;
      bytes = await readFile(path);
      expect(readInt64BE(bytes, 0)).to.equal(later.storeTimestamp);
      expect(readInt64BE(bytes, 8)).to.equal(later.storeTimestamp);
    });

    it('moves the index timestamp when a full index file is flushed', async () => {
      store = await openStore(smallConfig(root, { maxHashSlotNum: 16, maxIndexNum: 10 }));
      for (let i = 0; i < 8; i++) await put(store, 'T', `k${i}`);
      await store.reputMessageService.waitCaughtUp();
      await store.shutdown();
      store = undefined;
      const bytes = await readFile(join(root, 'checkpoint'));
      expect(readInt64BE(bytes, 16)).to.be.greaterThan(0);
    });
  });
}
