import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DefaultMQPushConsumer } from '../../../src/client/consumer/default-mq-push-consumer.js';
import { ConsumeConcurrentlyStatus, ConsumeOrderlyStatus, orderlyListener, type ConsumeConcurrentlyContext } from '../../../src/client/consumer/listener.js';
import { LOCAL_OFFSET_STORE_DIR_ENV } from '../../../src/client/consumer/offset-store/local-file-offset-store.js';
import type { DefaultMQPushConsumerOptions } from '../../../src/client/consumer/push-consumer-options.js';
import { DefaultMQProducer } from '../../../src/client/producer/default-mq-producer.js';
import type { MessageExt } from '../../../src/common/message/message-ext.js';
import { Message } from '../../../src/common/message/message.js';
import { quietLogger, waitFor } from './support/harness.js';

/**
 * Our push consumer against an external Apache RocketMQ 4.9 name server + broker (opt-in):
 *   RMQ_INTEROP_NAMESRV=127.0.0.1:19876 npx mocha … test/integration/consumer/interop.test.ts
 * The broker needs autoCreateTopicEnable / autoCreateSubscriptionGroup (4.9 defaults) and its
 * default delay levels (level 1 = 1 s is used for the retry).
 */
const NAMESRV = process.env['RMQ_INTEROP_NAMESRV'];

(NAMESRV === undefined ? describe.skip : describe)('interop: DefaultMQPushConsumer against a real RocketMQ 4.9', function () {
  this.timeout(60_000);
  const run = Date.now().toString(36);
  let producer: DefaultMQProducer;
  const consumers: DefaultMQPushConsumer[] = [];
  let n = 0;

  before(async () => {
    // Broadcasting offsets go to a temporary directory, not ~/.rocketmq_offsets.
    process.env[LOCAL_OFFSET_STORE_DIR_ENV] ??= mkdtempSync(join(tmpdir(), 'rmq-interop-offsets-'));
    producer = new DefaultMQProducer({ producerGroup: `PG_TS_CINTEROP_${run}`, namesrvAddr: NAMESRV, logger: quietLogger });
    await producer.start();
  });
  afterEach(async () => {
    for (const c of consumers.splice(0)) await c.shutdown(1000);
  });
  after(() => producer.shutdown());

  function names(): { topic: string; group: string } {
    n++;
    return { topic: `TsCInterop_${run}_${n}`, group: `CG_TS_CINTEROP_${run}_${n}` };
  }

  function consumer(options: DefaultMQPushConsumerOptions): DefaultMQPushConsumer {
    const c = new DefaultMQPushConsumer({ namesrvAddr: NAMESRV, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', logger: quietLogger, ...options });
    consumers.push(c);
    return c;
  }

  async function send(topic: string, count: number, tags?: (i: number) => string | undefined): Promise<string[]> {
    const keys: string[] = [];
    for (let i = 0; i < count; i++) {
      await producer.send(new Message(topic, tags?.(i), `k${i}`, `body-${i}`));
      keys.push(`k${i}`);
    }
    return keys;
  }

  it('consumes every message, with a tag filter', async () => {
    const { topic, group } = names();
    await send(topic, 40, (i) => ['TagA', 'TagB', 'TagC', undefined][i % 4]);
    const got = new Map<string, string>();
    const c = consumer({ consumerGroup: group });
    c.subscribe(topic, 'TagA || TagC', (msgs) => {
      for (const m of msgs) got.set(m.keys ?? '', m.tags ?? '-');
      return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
    });
    await c.start();
    await waitFor(() => got.size >= 20, 30_000, '20 TagA/TagC messages');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(got.size, 20);
    assert.ok([...got.values()].every((t) => t === 'TagA' || t === 'TagC'));
  });

  it('RECONSUME_LATER: the real broker takes the send-back and redelivers from %RETRY% with reconsumeTimes 1', async () => {
    const { topic, group } = names();
    await send(topic, 3);
    const deliveries: { key: string; reconsumeTimes: number; topic: string }[] = [];
    const c = consumer({ consumerGroup: group });
    c.subscribe(topic, '*', (msgs: readonly MessageExt[], ctx: ConsumeConcurrentlyContext) => {
      const m = msgs[0] as MessageExt;
      deliveries.push({ key: m.keys ?? '', reconsumeTimes: m.reconsumeTimes, topic: m.topic });
      if (m.keys === 'k1' && m.reconsumeTimes === 0) {
        ctx.delayLevelWhenNextConsume = 1;
        return ConsumeConcurrentlyStatus.RECONSUME_LATER;
      }
      return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
    });
    await c.start();
    await waitFor(() => deliveries.some((d) => d.key === 'k1' && d.reconsumeTimes === 1), 30_000, 'the retry of k1');
    assert.equal(deliveries.find((d) => d.key === 'k1' && d.reconsumeTimes === 1)?.topic, topic);
  });

  it('a thrown error counts as RECONSUME_LATER and is retried', async () => {
    const { topic, group } = names();
    await send(topic, 1);
    let calls = 0;
    const c = consumer({ consumerGroup: group });
    c.subscribe(topic, '*', (msgs: readonly MessageExt[], ctx: ConsumeConcurrentlyContext) => {
      calls++;
      if ((msgs[0]?.reconsumeTimes ?? 0) === 0) {
        ctx.delayLevelWhenNextConsume = 1;
        throw new Error('listener failure');
      }
      return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
    });
    await c.start();
    await waitFor(() => calls >= 2, 30_000, 'the retry after a throw');
  });

  it('orderly: per-queue order with the real broker queue locks', async () => {
    const { topic, group } = names();
    await send(topic, 1);
    const count = 40;
    for (let i = 0; i < count; i++) await producer.send(new Message(topic, undefined, `o${i}`, String(i)), { select: (mqs) => mqs[i % mqs.length] }, null);
    const perQueue = new Map<number, number[]>();
    const c = consumer({ consumerGroup: group });
    c.subscribe(topic, '*', orderlyListener((msgs) => {
      for (const m of msgs) {
        if (!(m.keys ?? '').startsWith('o')) continue;
        const l = perQueue.get(m.queueId) ?? [];
        l.push(Number(m.body.toString()));
        perQueue.set(m.queueId, l);
      }
      return ConsumeOrderlyStatus.SUCCESS;
    }));
    await c.start();
    await waitFor(() => [...perQueue.values()].reduce((s, l) => s + l.length, 0) >= count, 30_000, `${count} ordered messages`);
    for (const [q, l] of perQueue) assert.deepEqual(l, [...l].sort((x, y) => x - y), `queue ${q}`);
  });

  it('offsets persisted on the real broker: a restarted consumer does not get committed messages again', async () => {
    const { topic, group } = names();
    const keys = await send(topic, 20);
    const first = new Set<string>();
    const c1 = consumer({ consumerGroup: group });
    c1.subscribe(topic, '*', (msgs) => {
      for (const m of msgs) first.add(m.keys ?? '');
      return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
    });
    await c1.start();
    await waitFor(() => keys.every((k) => first.has(k)), 30_000, 'the first 20');
    await c1.shutdown(1000);
    consumers.splice(consumers.indexOf(c1), 1);
    for (let i = 0; i < 5; i++) await producer.send(new Message(topic, undefined, `late${i}`, 'x'));
    const second = new Set<string>();
    const c2 = consumer({ consumerGroup: group });
    c2.subscribe(topic, '*', (msgs) => {
      for (const m of msgs) second.add(m.keys ?? '');
      return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
    });
    await c2.start();
    await waitFor(() => second.size >= 5, 30_000, 'the 5 later messages');
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual([...second].sort(), ['late0', 'late1', 'late2', 'late3', 'late4']);
  });

  it('send-back failure: the inner producer re-sends to %RETRY% and the real broker redelivers it (delay level 3 = 10 s)', async () => {
    const { topic, group } = names();
    await send(topic, 1);
    const deliveries: MessageExt[] = [];
    const c = consumer({ consumerGroup: group });
    c.subscribe(topic, '*', (msgs: readonly MessageExt[]) => {
      deliveries.push(msgs[0] as MessageExt);
      return deliveries.length === 1 ? ConsumeConcurrentlyStatus.RECONSUME_LATER : ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
    });
    await c.start();
    const api = c.defaultMQPushConsumerImpl.mQClientFactory?.mQClientAPIImpl;
    assert.ok(api);
    api.consumerSendMessageBack = () => Promise.reject(new Error('send-back unavailable (test)'));
    await waitFor(() => deliveries.length >= 2, 40_000, 'the retry sent by the inner producer');
    assert.equal(deliveries[1]?.topic, topic);
    assert.equal(deliveries[1]?.reconsumeTimes, 1);
    assert.equal(deliveries[1]?.msgId, deliveries[0]?.msgId);
  });

  it('orderly: past maxReconsumeTimes the message goes to the real broker\'s DLQ and the queue moves on', async () => {
    const { topic, group } = names();
    await send(topic, 1);
    for (let i = 0; i < 4; i++) await producer.send(new Message(topic, undefined, `o${i}`, String(i)), { select: (mqs) => mqs[0] }, null);
    const order: string[] = [];
    let attempts = 0;
    const c = consumer({ consumerGroup: group, maxReconsumeTimes: 1, suspendCurrentQueueTimeMillis: 10 });
    c.subscribe(topic, '*', orderlyListener((msgs) => {
      const m = msgs[0] as MessageExt;
      if (m.keys === 'o1') {
        attempts++;
        return ConsumeOrderlyStatus.SUSPEND_CURRENT_QUEUE_A_MOMENT;
      }
      if ((m.keys ?? '').startsWith('o')) order.push(m.keys ?? '');
      return ConsumeOrderlyStatus.SUCCESS;
    }));
    await c.start();
    await waitFor(() => order.length >= 3, 30_000, 'the other ordered messages');
    assert.deepEqual(order, ['o0', 'o2', 'o3']);
    assert.equal(attempts, 2);
  });

  it('broadcasting: two consumers of one group each get every message', async () => {
    const { topic, group } = names();
    const keys = await send(topic, 10);
    const a = new Set<string>();
    const b = new Set<string>();
    for (const [set, name] of [[a, 'ia'], [b, 'ib']] as const) {
      const c = consumer({ consumerGroup: group, messageModel: 'BROADCASTING', instanceName: `${name}_${run}` });
      c.subscribe(topic, '*', (msgs) => {
        for (const m of msgs) set.add(m.keys ?? '');
        return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
      });
      await c.start();
    }
    await waitFor(() => keys.every((k) => a.has(k) && b.has(k)), 30_000, 'all on both');
  });
});
