import { expect } from 'chai';

import { ClientConfig } from '../../../../src/client/client-config.js';
import { MQClientManager } from '../../../../src/client/impl/mq-client-manager.js';
import type { FindBrokerResult } from '../../../../src/client/impl/mq-client-instance.js';
import { OFFSET_NOT_FOUND, OFFSET_READ_ERROR, ReadOffsetType } from '../../../../src/client/consumer/offset-store/offset-store.js';
import { RemoteBrokerOffsetStore, type OffsetStoreClientInstance } from '../../../../src/client/consumer/offset-store/remote-broker-offset-store.js';
import { LocalCluster, LOCAL_BROKER_NAME } from '../../../../src/broker/local-cluster.js';
import { MQBrokerException, RemotingTimeoutException } from '../../../../src/common/errors.js';
import { createLogger } from '../../../../src/common/logging/logger.js';
import { createMessageQueue } from '../../../../src/common/protocol/body/message-queue.js';
import type { QueryConsumerOffsetRequestHeader, UpdateConsumerOffsetRequestHeader } from '../../../../src/common/protocol/headers/consumer-offset.js';
import { ResponseCode } from '../../../../src/common/protocol/response-code.js';

const log = createLogger('test', { level: 'silent' });
const GROUP = 'CG_OFFSETS';
const mqA0 = createMessageQueue('T', 'broker-a', 0);
const mqA1 = createMessageQueue('T', 'broker-a', 1);
const mqB0 = createMessageQueue('T', 'broker-b', 0);

interface SentUpdate {
  addr: string;
  header: UpdateConsumerOffsetRequestHeader;
  oneway: boolean;
}

/** An MQClientInstance stand-in: a broker address table, a route refresh hook and a recording API. */
class FakeInstance implements OffsetStoreClientInstance {
  readonly clientId = '10.0.0.1@fake';
  /** brokerName → brokerId → address. */
  readonly brokers = new Map<string, Map<number, string>>([['broker-a', new Map([[0, 'master-a:10911'], [1, 'slave-a:10911']])]]);
  /** What the next route refresh adds to `brokers`. */
  routeOnRefresh = new Map<string, Map<number, string>>();
  readonly routeRefreshes: string[] = [];
  /** queueId → stored offset; absent ⇒ QUERY_NOT_FOUND. */
  readonly stored = new Map<number, number>();
  queryFailure: Error | undefined;
  readonly queries: Array<{ addr: string; header: QueryConsumerOffsetRequestHeader }> = [];
  readonly updates: SentUpdate[] = [];
  failUpdatesTo: string | undefined;

  readonly mQClientAPIImpl = {
    queryConsumerOffset: async (addr: string, header: QueryConsumerOffsetRequestHeader): Promise<number> => {
      this.queries.push({ addr, header });
      if (this.queryFailure !== undefined) throw this.queryFailure;
      const offset = this.stored.get(header.queueId);
      if (offset === undefined) throw new MQBrokerException(ResponseCode.QUERY_NOT_FOUND, 'Not found, V3_0_6_SNAPSHOT maybe this group consumer boot first', addr);
      return offset;
    },
    updateConsumerOffset: async (addr: string, header: UpdateConsumerOffsetRequestHeader): Promise<void> => this.recordUpdate(addr, header, false),
    updateConsumerOffsetOneway: async (addr: string, header: UpdateConsumerOffsetRequestHeader): Promise<void> => this.recordUpdate(addr, header, true),
  };

  findBrokerAddressInSubscribe(brokerName: string, brokerId: number, onlyThisBroker: boolean): FindBrokerResult | undefined {
    const ids = this.brokers.get(brokerName);
    if (ids === undefined || ids.size === 0) return undefined;
    const exact = ids.get(brokerId);
    if (exact !== undefined) return { brokerAddr: exact, slave: brokerId !== 0, brokerVersion: 0 };
    if (onlyThisBroker) return undefined;
    const [id, addr] = [...ids][0]!;
    return { brokerAddr: addr, slave: id !== 0, brokerVersion: 0 };
  }

  async updateTopicRouteInfoFromNameServer(topic: string): Promise<boolean> {
    this.routeRefreshes.push(topic);
    for (const [name, ids] of this.routeOnRefresh) this.brokers.set(name, ids);
    return this.routeOnRefresh.size > 0;
  }

  private async recordUpdate(addr: string, header: UpdateConsumerOffsetRequestHeader, oneway: boolean): Promise<void> {
    if (addr === this.failUpdatesTo) throw new RemotingTimeoutException(`wait response on the channel <${addr}> timeout`);
    this.updates.push({ addr, header, oneway });
  }
}

describe('RemoteBrokerOffsetStore', () => {
  let fake: FakeInstance;
  let store: RemoteBrokerOffsetStore;

  beforeEach(() => {
    fake = new FakeInstance();
    store = new RemoteBrokerOffsetStore(fake, GROUP, log);
  });

  it('updateOffset: increaseOnly never moves an offset back; otherwise it is replaced', async () => {
    const steps: ReadonlyArray<readonly [number, boolean, number]> = [
      [10, true, 10], // first value is taken as is
      [5, true, 10],
      [12, true, 12],
      [3, false, 3],
      [3, true, 3],
    ];
    for (const [offset, increaseOnly, expected] of steps) {
      store.updateOffset(mqA0, offset, increaseOnly);
      expect(await store.readOffset(mqA0, ReadOffsetType.READ_FROM_MEMORY), `${offset} ${increaseOnly}`).to.equal(expected);
    }
  });

  it('readOffset by type: memory only, store only (answer cached), memory first', async () => {
    fake.stored.set(0, 42);
    const table: ReadonlyArray<readonly [string, () => Promise<number>, number, number]> = [
      // [what, call, expected, broker queries so far]
      ['memory, nothing known', () => store.readOffset(mqA0, ReadOffsetType.READ_FROM_MEMORY), OFFSET_NOT_FOUND, 0],
      ['memory first, nothing known ⇒ broker', () => store.readOffset(mqA0, ReadOffsetType.MEMORY_FIRST_THEN_STORE), 42, 1],
      ['memory now has the broker answer', () => store.readOffset(mqA0, ReadOffsetType.READ_FROM_MEMORY), 42, 1],
      ['memory first, known ⇒ no query', () => store.readOffset(mqA0, ReadOffsetType.MEMORY_FIRST_THEN_STORE), 42, 1],
      ['store always asks', () => store.readOffset(mqA0, ReadOffsetType.READ_FROM_STORE), 42, 2],
      ['QUERY_NOT_FOUND ⇒ -1', () => store.readOffset(mqA1, ReadOffsetType.READ_FROM_STORE), OFFSET_NOT_FOUND, 3],
    ];
    for (const [what, call, expected, queries] of table) {
      expect(await call(), what).to.equal(expected);
      expect(fake.queries, what).to.have.length(queries);
    }
    expect(fake.queries[0]).to.deep.equal({ addr: 'master-a:10911', header: { consumerGroup: GROUP, topic: 'T', queueId: 0, bname: 'broker-a' } });
  });

  it('readOffset from store: a broker error code ⇒ -1, anything else (timeout, no broker) ⇒ -2', async () => {
    fake.queryFailure = new MQBrokerException(ResponseCode.SYSTEM_ERROR, 'boom', 'master-a:10911');
    expect(await store.readOffset(mqA0, ReadOffsetType.READ_FROM_STORE)).to.equal(OFFSET_NOT_FOUND);
    fake.queryFailure = new RemotingTimeoutException('timeout');
    expect(await store.readOffset(mqA0, ReadOffsetType.READ_FROM_STORE)).to.equal(OFFSET_READ_ERROR);
    expect(await store.readOffset(mqB0, ReadOffsetType.READ_FROM_STORE)).to.equal(OFFSET_READ_ERROR);
    expect(fake.routeRefreshes).to.deep.equal(['T']);
    expect(await store.readOffset(mqA0, ReadOffsetType.READ_FROM_MEMORY)).to.equal(OFFSET_NOT_FOUND);
  });

  it('persistAll: oneway UPDATE_CONSUMER_OFFSET per owned queue; queues no longer owned are forgotten', async () => {
    store.updateOffset(mqA0, 7, true);
    store.updateOffset(mqA1, 9, true);
    await store.persistAll([mqA0]);
    expect(fake.updates).to.deep.equal([
      { addr: 'master-a:10911', header: { consumerGroup: GROUP, topic: 'T', queueId: 0, commitOffset: 7, bname: 'broker-a' }, oneway: true },
    ]);
    expect(await store.readOffset(mqA1, ReadOffsetType.READ_FROM_MEMORY)).to.equal(OFFSET_NOT_FOUND);
    await store.persistAll([]); // nothing asked: nothing sent, nothing forgotten
    expect(fake.updates).to.have.length(1);
    expect([...store.cloneOffsetTable()]).to.deep.equal([[mqA0, 7]]);
  });

  it('broker lookup: master, else a route refresh then any address (slave); failures are logged, not thrown', async () => {
    fake.brokers.set('broker-b', new Map([[1, 'slave-b:10911']]));
    store.updateOffset(mqB0, 3, true);
    await store.persist(mqB0);
    expect(fake.routeRefreshes).to.deep.equal(['T']);
    expect(fake.updates.map((u) => u.addr)).to.deep.equal(['slave-b:10911']);

    fake.brokers.delete('broker-b');
    fake.routeOnRefresh.set('broker-b', new Map([[0, 'master-b:10911']]));
    await store.persist(mqB0);
    expect(fake.updates.map((u) => u.addr)).to.deep.equal(['slave-b:10911', 'master-b:10911']);

    fake.failUpdatesTo = 'master-b:10911';
    store.updateOffset(mqA0, 1, true);
    await store.persistAll([mqA0, mqB0]); // broker-b fails, broker-a still gets its offset
    expect(fake.updates.map((u) => u.addr)).to.deep.equal(['slave-b:10911', 'master-b:10911', 'master-a:10911']);
    await store.persist(createMessageQueue('T', 'broker-z', 0)); // no offset in memory: nothing to do
  });

  it('updateConsumeOffsetToBroker: sync or oneway, and throws when the broker does not exist', async () => {
    await store.updateConsumeOffsetToBroker(mqA0, 11, false);
    expect(fake.updates[0]).to.deep.include({ oneway: false });
    const err = await store.updateConsumeOffsetToBroker(createMessageQueue('T', 'broker-z', 0), 1, true).catch((e: unknown) => e);
    expect((err as Error).message).to.equal('The broker[broker-z] not exist');
  });

  it('cloneOffsetTable filters by topic (blank = all); removeOffset forgets', () => {
    const other = createMessageQueue('U', 'broker-a', 0);
    store.updateOffset(mqA0, 1, true);
    store.updateOffset(other, 2, true);
    expect([...store.cloneOffsetTable('U')]).to.deep.equal([[other, 2]]);
    expect(store.cloneOffsetTable(' ').size).to.equal(2);
    store.removeOffset(other);
    expect([...store.cloneOffsetTable()]).to.deep.equal([[mqA0, 1]]);
  });

  describe('against LocalCluster (real wire, real ConsumerOffsetManager)', () => {
    let cluster: LocalCluster;

    before(async () => {
      cluster = await LocalCluster.start();
    });
    after(async () => {
      await cluster.stop();
    });

    it('persists with oneway UPDATE_CONSUMER_OFFSET and reads back with QUERY_CONSUMER_OFFSET', async () => {
      const config = new ClientConfig({ namesrvAddr: cluster.namesrvAddr, instanceName: 'offset-store-test' });
      const instance = MQClientManager.getInstance().getOrCreateMQClientInstance(config, log);
      try {
        const mq = createMessageQueue('TopicOffsetStore', LOCAL_BROKER_NAME, 2);
        // The broker address as a route would provide it (the topic needs no route for offsets).
        instance.brokerAddrTable.set(LOCAL_BROKER_NAME, new Map([[0, cluster.brokerAddr]]));
        const writer = new RemoteBrokerOffsetStore(instance, GROUP, log);
        writer.updateOffset(mq, 1234, true);
        await writer.persistAll([mq]);
        const offsets = cluster.broker.consumerOffsetManager;
        await waitFor(() => offsets.queryOffset(GROUP, mq.topic, mq.queueId) === 1234);

        const reader = new RemoteBrokerOffsetStore(instance, GROUP, log);
        expect(await reader.readOffset(mq, ReadOffsetType.MEMORY_FIRST_THEN_STORE)).to.equal(1234);
        await reader.updateConsumeOffsetToBroker(mq, 1300, false);
        expect(offsets.queryOffset(GROUP, mq.topic, mq.queueId)).to.equal(1300);
        expect(await reader.readOffset(mq, ReadOffsetType.READ_FROM_STORE)).to.equal(1300);
      } finally {
        await instance.shutdown();
      }
    });
  });
});

async function waitFor(cond: () => boolean, timeoutMillis = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
