import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';

import { DefaultMQPushConsumer } from '../../src/client/consumer/default-mq-push-consumer.js';
import { LOCAL_OFFSET_STORE_DIR_ENV } from '../../src/client/consumer/offset-store/local-file-offset-store.js';
import { ConsumeConcurrentlyStatus, ConsumeOrderlyStatus, orderlyListener, type ConsumeConcurrentlyContext, type MessageListener } from '../../src/client/consumer/listener.js';
import { Message } from '../../src/common/message/message.js';
import { MQAdmin } from '../../src/client/admin/mq-admin.js';
import { RequestCode } from '../../src/common/protocol/request-code.js';
import type { RemotingCommand } from '../../src/common/remoting/remoting-command.js';
import type { DefaultMQPushConsumerOptions } from '../../src/client/consumer/push-consumer-options.js';
import type { RebalanceResult } from '../../src/client/consumer/rebalance-impl.js';
import type { MessageExt } from '../../src/common/message/message-ext.js';
import { ConsumerFixture, quietLogger, uniqueName, waitFor } from '../integration/consumer/support/harness.js';

describe('DefaultMQPushConsumer against LocalCluster', function () {
  this.timeout(30_000);
  let fx: ConsumerFixture;

  beforeEach(async () => {
    fx = new ConsumerFixture();
    await fx.start();
    // Broadcasting consumers keep offsets in a local file: this test's directory, not ~/.rocketmq_offsets.
    process.env[LOCAL_OFFSET_STORE_DIR_ENV] = fx.offsetDir;
  });
  afterEach(async () => {
    await fx.close();
  });

  function consumer(options: DefaultMQPushConsumerOptions, topic: string, sub: string, listener: MessageListener, rebalances?: RebalanceResult[]): DefaultMQPushConsumer {
    const c = new DefaultMQPushConsumer({ namesrvAddr: fx.namesrvAddr, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', logger: quietLogger, ...options });
    c.on('rebalance', (r) => rebalances?.push(r));
    c.subscribe(topic, sub, listener);
    fx.onClose(() => c.shutdown(1000));
    return c;
  }

  function collector(): { seen: Map<string, number>; listener: MessageListener } {
    const seen = new Map<string, number>();
    return {
      seen,
      listener: {
        consumeMessage: (msgs: readonly MessageExt[]) => {
          for (const m of msgs) seen.set(m.keys ?? '', (seen.get(m.keys ?? '') ?? 0) + 1);
          return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        },
      },
    };
  }

  it('consumes every message at least once (clustering, concurrently)', async () => {
    const topic = uniqueName('T');
    const keys = await fx.send(topic, 100);
    const { seen, listener } = collector();
    const c = consumer({ consumerGroup: uniqueName('CG') }, topic, '*', listener);
    await c.start();
    await waitFor(() => keys.every((k) => seen.has(k)), 15_000, 'all 100 messages');
    assert.equal(seen.size, 100);
  });

  it('filters by tag expression "TagA || TagB" (broker hash filter + client re-filter)', async () => {
    const topic = uniqueName('T');
    const tags = ['TagA', 'TagB', 'TagC', undefined];
    await fx.send(topic, 40, (i) => tags[i % 4]);
    const got: string[] = [];
    const c = consumer({ consumerGroup: uniqueName('CG') }, topic, 'TagA || TagB', {
      consumeMessage: (msgs: readonly MessageExt[]) => {
        for (const m of msgs) got.push(m.tags ?? '-');
        return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
      },
    });
    await c.start();
    await waitFor(() => got.length >= 20, 15_000, '20 TagA/TagB messages');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(got.length, 20);
    assert.ok(got.every((t) => t === 'TagA' || t === 'TagB'));
  });

  it('splits the queues between two consumers of a group and rebalances when one leaves', async () => {
    const topic = uniqueName('T');
    await fx.send(topic, 4);
    const group = uniqueName('CG');
    const a = collector();
    const b = collector();
    const ra: RebalanceResult[] = [];
    const rb: RebalanceResult[] = [];
    const c1 = consumer({ consumerGroup: group }, topic, '*', a.listener, ra);
    const c2 = consumer({ consumerGroup: group }, topic, '*', b.listener, rb);
    await c1.start();
    await c2.start();
    const owned = (r: RebalanceResult[]): number => r.filter((x) => x.topic === topic).at(-1)?.mqDivided.length ?? -1;
    await waitFor(() => owned(ra) === 2 && owned(rb) === 2, 15_000, 'two queues each');
    const q1 = c1.defaultMQPushConsumerImpl.rebalanceImpl?.processQueueTable;
    const q2 = c2.defaultMQPushConsumerImpl.rebalanceImpl?.processQueueTable;
    const ids1 = [...(q1?.keys() ?? [])].filter((q) => q.topic === topic).map((q) => q.queueId);
    const ids2 = [...(q2?.keys() ?? [])].filter((q) => q.topic === topic).map((q) => q.queueId);
    assert.deepEqual([...ids1, ...ids2].sort(), [0, 1, 2, 3], 'each queue owned by exactly one consumer');
    await waitFor(() => a.seen.size + b.seen.size >= 4, 10_000, 'first 4 messages');
    // The first 4 may all go to c1, which can drain them before c2 joins; 4 more sent after the
    // split land one per queue (round robin), so each consumer must get some of those.
    const total = (c: { seen: Map<string, number> }): number => [...c.seen.values()].reduce((x, y) => x + y, 0);
    const a0 = total(a);
    const b0 = total(b);
    await fx.send(topic, 4);
    await waitFor(() => total(a) + total(b) >= a0 + b0 + 4, 10_000, '4 messages after the split');
    assert.ok(total(a) > a0 && total(b) > b0, 'both consumers got messages');
    await c2.shutdown(1000);
    await waitFor(() => owned(ra) === 4, 10_000, 'the remaining consumer to own all four queues');
    const before = a.seen.size;
    for (let i = 0; i < 8; i++) await fx.producer.send(new Message(topic, undefined, `late${i}`, 'x'));
    await waitFor(() => a.seen.size >= before + 8, 10_000, 'the 8 later messages on the remaining consumer');
  });

  it('broadcasting: every consumer gets every message (offsets in a local file)', async () => {
    const topic = uniqueName('T');
    const keys = await fx.send(topic, 20);
    const group = uniqueName('CG');
    const a = collector();
    const b = collector();
    const c1 = consumer({ consumerGroup: group, messageModel: 'BROADCASTING', instanceName: 'b1' }, topic, '*', a.listener);
    const c2 = consumer({ consumerGroup: group, messageModel: 'BROADCASTING', instanceName: 'b2' }, topic, '*', b.listener);
    await c1.start();
    await c2.start();
    await waitFor(() => keys.every((k) => a.seen.has(k) && b.seen.has(k)), 15_000, 'all messages on both');
  });

  it('orderly: keeps the per-queue order (broker queue locks, one call at a time per queue)', async () => {
    const topic = uniqueName('T');
    await fx.send(topic, 1);
    const n = 60;
    for (let i = 0; i < n; i++) {
      await fx.producer.send(new Message(topic, undefined, `o${i}`, String(i)), { select: (mqs) => mqs[i % mqs.length] }, null);
    }
    const perQueue = new Map<number, number[]>();
    let failedOnce = false;
    let inFlight = new Map<number, number>();
    let overlap = false;
    const c = consumer({ consumerGroup: uniqueName('CG'), suspendCurrentQueueTimeMillis: 100 }, topic, '*', orderlyListener(async (msgs) => {
      const q = msgs[0]?.queueId ?? -1;
      if ((inFlight.get(q) ?? 0) > 0) overlap = true;
      inFlight.set(q, (inFlight.get(q) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 1));
      inFlight.set(q, (inFlight.get(q) ?? 0) - 1);
      const m = msgs[0];
      if (m === undefined || !(m.keys ?? '').startsWith('o')) return ConsumeOrderlyStatus.SUCCESS;
      if (!failedOnce && m.keys === 'o10') {
        failedOnce = true;
        return ConsumeOrderlyStatus.SUSPEND_CURRENT_QUEUE_A_MOMENT;
      }
      const list = perQueue.get(m.queueId) ?? [];
      list.push(Number(m.body.toString()));
      perQueue.set(m.queueId, list);
      return ConsumeOrderlyStatus.SUCCESS;
    }));
    await c.start();
    await waitFor(() => [...perQueue.values()].reduce((s, l) => s + l.length, 0) >= n, 15_000, `${n} ordered messages`);
    for (const [q, list] of perQueue) assert.deepEqual(list, [...list].sort((x, y) => x - y), `queue ${q} in order`);
    assert.ok(failedOnce);
    assert.equal(overlap, false, 'never two calls at once on one queue');
    inFlight = new Map();
  });

  it('shutdown persists offsets: a restarted consumer resumes without re-delivering committed messages', async () => {
    const topic = uniqueName('T');
    const group = uniqueName('CG');
    const keys = await fx.send(topic, 30);
    const first = collector();
    const c1 = consumer({ consumerGroup: group }, topic, '*', first.listener);
    await c1.start();
    await waitFor(() => keys.every((k) => first.seen.has(k)), 15_000, 'first 30');
    await c1.shutdown(1000);
    const more = await fx.send(topic, 10);
    const second = collector();
    const c2 = consumer({ consumerGroup: group }, topic, '*', second.listener);
    await c2.start();
    await waitFor(() => second.seen.size >= 10, 15_000, 'the 10 new messages');
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual([...second.seen.keys()].sort(), more.sort(), 'only the messages sent after the shutdown');
  });

  it('RECONSUME_LATER sends CONSUMER_SEND_MSG_BACK with Java\'s header; the retry comes back from %RETRY%', async () => {
    const topic = uniqueName('T');
    const group = uniqueName('CG');
    await fx.send(topic, 4);
    const sendBacks: RemotingCommand[] = [];
    const deliveries: { key: string; reconsumeTimes: number; topic: string }[] = [];
    const c = consumer({ consumerGroup: group }, topic, '*', {
      consumeMessage: (msgs: readonly MessageExt[], ctx: ConsumeConcurrentlyContext) => {
        const m = msgs[0] as MessageExt;
        deliveries.push({ key: m.keys ?? '', reconsumeTimes: m.reconsumeTimes, topic: m.topic });
        if (m.keys === 'k3' && m.reconsumeTimes === 0) {
          ctx.delayLevelWhenNextConsume = 1; // 1 s: keeps the test short
          return ConsumeConcurrentlyStatus.RECONSUME_LATER;
        }
        return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
      },
    });
    await c.start();
    const remoting = c.defaultMQPushConsumerImpl.mQClientFactory?.mQClientAPIImpl.remotingClient;
    assert.ok(remoting);
    const invokeSync = remoting.invokeSync.bind(remoting);
    remoting.invokeSync = (addr, request, timeout) => {
      if (request.code === RequestCode.CONSUMER_SEND_MSG_BACK) sendBacks.push(request);
      return invokeSync(addr, request, timeout);
    };
    await waitFor(() => sendBacks.length >= 1, 15_000, 'the send-back request');
    const ext = sendBacks[0]?.extFields ?? {};
    const javaFrame = JSON.parse(readFileSync(new URL('../fixtures/frames/broker-36-consumer-send-msg-back.req.json', import.meta.url), 'utf8')) as { header: { extFields: Record<string, string> } };
    assert.deepEqual(Object.keys(ext).sort(), Object.keys(javaFrame.header.extFields).sort(), 'the same header fields as Java 4.9.8');
    assert.equal(ext['bname'], 'broker-a');
    assert.equal(ext['group'], group);
    assert.equal(ext['delayLevel'], '1');
    assert.equal(ext['originTopic'], topic);
    assert.equal(ext['maxReconsumeTimes'], '16');
    assert.equal(ext['unitMode'], 'false');
    assert.match(ext['originMsgId'] ?? '', /^[0-9A-F]{32}$/);
    assert.match(ext['offset'] ?? '', /^\d+$/);
    // The broker's send-back, delay level 1 (1 s) and %RETRY% delivery bring it back.
    await waitFor(() => deliveries.some((d) => d.key === 'k3' && d.reconsumeTimes === 1), 8_000, 'the retry of k3');
    const retry = deliveries.find((d) => d.key === 'k3' && d.reconsumeTimes === 1);
    assert.equal(retry?.topic, topic, 'the retry carries its original topic');
  });

  it('GET_CONSUMER_RUNNING_INFO data: subscriptions, owned queues with their committed offsets, consume stats', async () => {
    const topic = uniqueName('T');
    const keys = await fx.send(topic, 12);
    const { seen, listener } = collector();
    const c = consumer({ consumerGroup: uniqueName('CG') }, topic, '*', listener);
    await c.start();
    await waitFor(() => keys.every((k) => seen.has(k)), 15_000, 'all 12');
    const info = c.defaultMQPushConsumerImpl.consumerRunningInfo();
    assert.ok(info.subscriptionSet.some((s) => s.topic === topic));
    const queues = [...info.mqTable].filter(([mq]) => mq.topic === topic);
    assert.equal(queues.length, 4);
    assert.equal(queues.reduce((sum, [, q]) => sum + q.commitOffset, 0), 12);
    assert.ok((info.statusTable.get(topic)?.consumeOKTPS ?? 0) > 0);
    assert.equal(info.properties.get('PROP_CONSUMEORDERLY'), 'false');
  });

  it('RESET_CONSUMER_CLIENT_OFFSET from an admin: the consumer drops its queues and consumes again from the reset offsets', async function () {
    this.timeout(30_000);
    const topic = uniqueName('T');
    const group = uniqueName('CG');
    const keys = await fx.send(topic, 8);
    const { seen, listener } = collector();
    const c = consumer({ consumerGroup: group }, topic, '*', listener);
    await c.start();
    await waitFor(() => keys.every((k) => seen.has(k)), 15_000, 'all 8');
    await c.defaultMQPushConsumerImpl.persistConsumerOffset();
    const admin = new MQAdmin({ namesrvAddr: fx.namesrvAddr, logger: quietLogger });
    await admin.start();
    try {
      await admin.resetOffsetByTimestamp(topic, group, 0, true);
    } finally {
      await admin.shutdown();
    }
    // Java waits 10 s between dropping the queues and writing the offsets.
    await waitFor(() => keys.every((k) => (seen.get(k) ?? 0) >= 2), 20_000, 'every message a second time');
  });

  it('the broker going away mid-run: background failures are logged, never thrown; shutdown still completes', async () => {
    const topic = uniqueName('T');
    const keys = await fx.send(topic, 5);
    const { seen, listener } = collector();
    const c = consumer({ consumerGroup: uniqueName('CG') }, topic, '*', listener);
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown): void => {
      unhandled.push(e);
    };
    process.on('unhandledRejection', onUnhandled);
    try {
      await c.start();
      await waitFor(() => keys.every((k) => seen.has(k)), 15_000, 'all 5');
      await fx.cluster.stop();
      await new Promise((r) => setTimeout(r, 2500)); // pulls fail and are retried after 1 s, heartbeats fail
      const begin = Date.now();
      await c.shutdown(1000);
      assert.ok(Date.now() - begin < 10_000, 'bounded shutdown');
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    assert.deepEqual(unhandled, []);
  });
});
