import { strict as assert } from 'node:assert';

import { DefaultMQPushConsumer } from '../../src/client/consumer/default-mq-push-consumer.js';
import { ConsumeConcurrentlyStatus } from '../../src/client/consumer/listener.js';
import { DefaultMQProducer } from '../../src/client/producer/default-mq-producer.js';
import type { MessageExt } from '../../src/common/message/message-ext.js';
import { Message } from '../../src/common/message/message.js';
import { ConsumerFixture, quietLogger, uniqueName, waitFor } from '../integration/consumer/support/harness.js';

/** Sends `n` messages to an 8-queue topic, `parallel` at a time. */
async function sendMany(producer: DefaultMQProducer, topic: string, n: number, parallel = 64): Promise<void> {
  for (let i = 0; i < n; i += parallel) {
    await Promise.all(Array.from({ length: Math.min(parallel, n - i) }, (_, j) => producer.send(new Message(topic, undefined, `k${i + j}`, `body-${i + j}`))));
  }
}

describe('DefaultMQPushConsumer under load against LocalCluster', function () {
  this.timeout(40_000);
  let fx: ConsumerFixture;
  let producer: DefaultMQProducer;

  beforeEach(async () => {
    fx = new ConsumerFixture();
    await fx.start();
    producer = new DefaultMQProducer({ producerGroup: uniqueName('PG8'), namesrvAddr: fx.namesrvAddr, defaultTopicQueueNums: 8, logger: quietLogger });
    await producer.start();
    fx.onClose(() => producer.shutdown());
  });
  afterEach(async () => {
    await fx.close();
  });

  function consumer(group: string, listener: (msgs: readonly MessageExt[]) => Promise<ConsumeConcurrentlyStatus> | ConsumeConcurrentlyStatus, extra = {}): DefaultMQPushConsumer {
    const c = new DefaultMQPushConsumer({ consumerGroup: group, namesrvAddr: fx.namesrvAddr, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', logger: quietLogger, ...extra });
    c.subscribe(uniqueTopic, listener);
    fx.onClose(() => c.shutdown(1000));
    return c;
  }
  let uniqueTopic = '';

  it('3 consumers of one group: 5,000 messages over 8 queues all consumed, duplicates (possible only while the group forms) counted and bounded, each queue owned by one consumer', async () => {
    uniqueTopic = uniqueName('T8');
    await sendMany(producer, uniqueTopic, 5000);
    const group = uniqueName('CG');
    const seen = new Map<string, number>();
    const byConsumer = [0, 0, 0];
    const cs = [0, 1, 2].map((i) =>
      consumer(group, (msgs) => {
        byConsumer[i] = (byConsumer[i] ?? 0) + msgs.length;
        for (const m of msgs) seen.set(m.keys ?? '', (seen.get(m.keys ?? '') ?? 0) + 1);
        return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
      }),
    );
    // Start all before any pulls much, so the split settles first (a queue moving = duplicates allowed).
    await Promise.all(cs.map((c) => c.start()));
    await waitFor(() => seen.size === 5000, 30_000, 'all 5000 messages');
    const owners = new Map<number, number>();
    cs.forEach((c, i) => {
      for (const mq of c.defaultMQPushConsumerImpl.rebalanceImpl?.processQueueTable.keys() ?? []) {
        if (mq.topic !== uniqueTopic) continue;
        assert.equal(owners.has(mq.queueId), false, `queue ${mq.queueId} owned twice`);
        owners.set(mq.queueId, i);
      }
    });
    assert.equal(owners.size, 8);
    const dups = [...seen.values()].filter((n) => n > 1).length;
    // Duplicates may only come from queues moving while the group formed (counted, bounded).
    assert.ok(dups <= 5000 * 0.2, `duplicates: ${dups}`);
    if (process.env["RMQ_TEST_LOG"] !== undefined) console.log(`duplicates: ${dups}`);
    assert.ok(byConsumer.every((n) => n > 0), `every consumer consumed: ${byConsumer.join(',')}`);
  });

  it('a slow listener: flow control keeps the cache bounded by pullThresholdForQueue (+ one batch) per queue', async () => {
    uniqueTopic = uniqueName('T8');
    await sendMany(producer, uniqueTopic, 1200);
    let consumed = 0;
    const c = consumer(
      uniqueName('CG'),
      async () => {
        await new Promise((r) => setTimeout(r, 1));
        consumed++;
        return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
      },
      { pullThresholdForQueue: 10, consumeThreadMax: 2, consumeThreadMin: 1 },
    );
    await c.start();
    let peak = 0;
    const sampler = setInterval(() => {
      let cached = 0;
      for (const pq of c.defaultMQPushConsumerImpl.rebalanceImpl?.processQueueTable.values() ?? []) cached += pq.msgCount;
      peak = Math.max(peak, cached);
    }, 5);
    try {
      await waitFor(() => consumed >= 300, 30_000, '300 slow consumptions');
    } finally {
      clearInterval(sampler);
    }
    assert.ok(peak > 0);
    assert.ok(peak <= 8 * (10 + 32), `peak cached ${peak}`);
  });

  it('a consumer joining mid-stream: the group rebalances within seconds, nothing is lost, duplicates only around the move', async () => {
    uniqueTopic = uniqueName('T8');
    await sendMany(producer, uniqueTopic, 8);
    const group = uniqueName('CG');
    const seen = new Map<string, number>();
    const record = (msgs: readonly MessageExt[]): ConsumeConcurrentlyStatus => {
      for (const m of msgs) seen.set(m.keys ?? '', (seen.get(m.keys ?? '') ?? 0) + 1);
      return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
    };
    const c1 = consumer(group, record);
    await c1.start();
    let sent = 8;
    let sending = true;
    const sender = (async () => {
      while (sending) {
        await Promise.all(Array.from({ length: 20 }, (_, j) => producer.send(new Message(uniqueTopic, undefined, `s${sent + j}`, 'x'))));
        sent += 20;
      }
    })();
    await new Promise((r) => setTimeout(r, 500));
    const c2 = consumer(group, record);
    await c2.start();
    const owned = (c: DefaultMQPushConsumer): number => [...(c.defaultMQPushConsumerImpl.rebalanceImpl?.processQueueTable.keys() ?? [])].filter((q) => q.topic === uniqueTopic).length;
    await waitFor(() => owned(c1) === 4 && owned(c2) === 4, 10_000, 'a 4/4 split');
    await new Promise((r) => setTimeout(r, 500));
    sending = false;
    await sender;
    const expected = sent;
    await waitFor(() => seen.size >= expected, 15_000, `all ${expected} messages`);
    const dups = [...seen.values()].filter((n) => n > 1).length;
    assert.ok(dups <= 200, `duplicates around the move: ${dups}`);
  });
});
