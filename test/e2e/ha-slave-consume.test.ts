import { strict as assert } from 'node:assert';

import { LocalCluster } from '../../src/broker/local-cluster.js';
import { DefaultMQPushConsumer } from '../../src/client/consumer/default-mq-push-consumer.js';
import { ConsumeConcurrentlyStatus } from '../../src/client/consumer/listener.js';
import { DefaultMQProducer } from '../../src/client/producer/default-mq-producer.js';
import { Message } from '../../src/common/message/message.js';
import type { MessageExt } from '../../src/common/message/message-ext.js';
import { quietLogger, uniqueName, waitFor } from '../integration/consumer/support/harness.js';

const SMALL = { mappedFileSizeCommitLog: 1024 * 1024, mappedFileSizeConsumeQueue: 20 * 1000, writeBufferSize: 1024 * 1024 };
const TOTAL = 400;
/** Consumed before the master goes down: part of the topic, not all of it. */
const BEFORE_STOP = 100;
const PULL_BATCH = 8;

describe('HA e2e: a push consumer keeps consuming from the slave while the master is down', function () {
  this.timeout(60_000);
  let cluster: LocalCluster | undefined;
  let producer: DefaultMQProducer | undefined;
  let consumer: DefaultMQPushConsumer | undefined;

  after(async () => {
    await consumer?.shutdown(1000);
    await producer?.shutdown();
    await cluster?.stop();
  });

  it('consumes the rest of the topic from the slave without resetting offsets (duplicates bounded)', async () => {
    cluster = await LocalCluster.start({ slave: true, messageStoreConfig: { ...SMALL, brokerRole: 'SYNC_MASTER' } });
    const { broker: master, slave } = cluster;
    const topic = uniqueName('HA_T');
    const group = uniqueName('HA_CG');
    // A short route poll: the consumer learns the master left within ~1 s rather than Java's 30 s default.
    const clientTuning = { namesrvAddr: cluster.namesrvAddr, pollNameServerInterval: 500, logger: quietLogger };
    producer = new DefaultMQProducer({ producerGroup: uniqueName('HA_PG'), ...clientTuning });
    await producer.start();
    // SYNC_MASTER: every acked send is already in the slave's CommitLog.
    for (let i = 0; i < TOTAL; i++) await producer.send(new Message(topic, undefined, `k${i}`, `body-${i}`));
    await waitFor(() => slave!.messageStore.dispatchBehindBytes() === 0, 10_000, 'slave ConsumeQueue built');
    // The slave needs the topic's config to serve pulls (SlaveSynchronize runs every 10 s; do not wait for it).
    await slave!.replication.slaveSynchronize!.syncAll();

    const deliveries = new Map<string, number>();
    let afterStop = false;
    let deliveredAfterStop = 0;
    // Slow enough that the master is stopped with most of the topic still unconsumed.
    consumer = new DefaultMQPushConsumer({
      consumerGroup: group,
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
      pullBatchSize: PULL_BATCH,
      consumeThreadMin: 1,
      consumeThreadMax: 1,
      ...clientTuning,
    });
    consumer.subscribe(topic, '*', {
      consumeMessage: async (msgs: readonly MessageExt[]) => {
        for (const m of msgs) {
          deliveries.set(m.keys ?? '', (deliveries.get(m.keys ?? '') ?? 0) + 1);
          if (afterStop) deliveredAfterStop++;
        }
        await new Promise((r) => setTimeout(r, 5));
        return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
      },
    });
    await consumer.start();
    await waitFor(() => deliveries.size >= BEFORE_STOP, 20_000, `${BEFORE_STOP} messages from the master`);
    assert.ok(deliveries.size < TOTAL, 'the master is stopped before the topic is fully consumed');

    // Stop only the master: its clean shutdown unregisters it, the route keeps the slave (same brokerName).
    const consumedAtStop = deliveries.size;
    afterStop = true;
    await master.shutdown();

    await waitFor(() => deliveries.size === TOTAL, 30_000, 'the rest of the topic from the slave');
    const dups = [...deliveries.values()].filter((n) => n > 1).length;
    // Offsets were not reset: no re-delivery of the part consumed from the master beyond what was in
    // flight at the switch (at most one pull batch per queue), and the first message was seen once.
    const queues = 4;
    assert.ok(dups <= queues * PULL_BATCH, `${dups} messages re-delivered (> ${queues * PULL_BATCH})`);
    assert.equal(deliveries.get('k0'), 1, 'k0 re-delivered: offsets reset to 0');
    // The master is gone: everything after the stop came from the slave.
    assert.ok(deliveredAfterStop >= TOTAL - consumedAtStop, `${deliveredAfterStop} deliveries after the stop`);
    assert.ok(deliveredAfterStop <= TOTAL - consumedAtStop + queues * PULL_BATCH, `${deliveredAfterStop} deliveries after the stop`);
  });
});
