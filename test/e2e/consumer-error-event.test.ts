import { strict as assert } from 'node:assert';

import type { ConsumerErrorReporter, PushConsumerErrorEvent } from '../../src/client/consumer/consumer-error-event.js';
import { DefaultMQPushConsumer } from '../../src/client/consumer/default-mq-push-consumer.js';
import { ConsumeConcurrentlyStatus, ConsumeOrderlyStatus, orderlyListener } from '../../src/client/consumer/listener.js';
import type { MessageExt } from '../../src/common/message/message-ext.js';
import { ConsumerFixture, quietLogger, uniqueName, waitFor } from '../integration/consumer/support/harness.js';

describe("DefaultMQPushConsumer 'error' event (background failures)", function () {
  this.timeout(30_000);
  let fx: ConsumerFixture;
  let topic = '';
  let consumed = 0;

  beforeEach(async () => {
    fx = new ConsumerFixture();
    await fx.start();
    topic = uniqueName('TERR');
    consumed = 0;
    await fx.send(topic, 4);
  });
  afterEach(async () => {
    await fx.close();
  });

  /** A started consumer that has consumed the 4 messages (so it owns queues, holds pulls and has offsets to persist). */
  async function runningConsumer(): Promise<DefaultMQPushConsumer> {
    const c = new DefaultMQPushConsumer({ consumerGroup: uniqueName('CGERR'), namesrvAddr: fx.namesrvAddr, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', logger: quietLogger });
    c.subscribe(topic, (msgs) => {
      consumed += msgs.length;
      return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
    });
    fx.onClose(() => c.shutdown(500));
    await c.start();
    await waitFor(() => consumed >= 4, 10_000, 'the 4 messages');
    return c;
  }

  it('broker stopped: pull, rebalance and offset-persist failures arrive as typed error events with their context', async () => {
    const c = await runningConsumer();
    const events: PushConsumerErrorEvent[] = [];
    c.on('error', (e) => events.push(e));
    await fx.cluster.broker.shutdown();
    // The held long-polling pulls fail as the broker closes their connections.
    await waitFor(() => events.some((e) => e.source === 'pull'), 10_000, "a 'pull' error event");
    const pull = events.find((e) => e.source === 'pull') as PushConsumerErrorEvent;
    assert.ok(pull.error instanceof Error);
    assert.equal(pull.consumerGroup, c.consumerGroup);
    assert.ok(pull.messageQueue !== undefined, 'a pull error names its queue');
    assert.ok(pull.topic === pull.messageQueue.topic);

    // Rebalance and persist run on timers (20 s, 5 s); run them now rather than wait.
    await c.defaultMQPushConsumerImpl.doRebalance();
    await waitFor(() => events.some((e) => e.source === 'rebalance' && e.topic === topic), 10_000, "a 'rebalance' error event for the topic");
    await c.defaultMQPushConsumerImpl.persistConsumerOffset();
    await waitFor(() => events.some((e) => e.source === 'persistOffset'), 10_000, "a 'persistOffset' error event");
    const persist = events.find((e) => e.source === 'persistOffset') as PushConsumerErrorEvent;
    assert.ok(persist.messageQueue !== undefined && persist.error.message.length > 0);
  });

  it("a send-back that fails (CONSUMER_SEND_MSG_BACK and its fallback) arrives as a 'sendBack' event; the message is consumed again locally", async () => {
    const c = new DefaultMQPushConsumer({ consumerGroup: uniqueName('CGSB'), namesrvAddr: fx.namesrvAddr, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', logger: quietLogger });
    // The broker stays up (pulls keep working); only the send-back path fails, as when the broker refuses it.
    Object.defineProperty(c.defaultMQPushConsumerImpl, 'sendMessageBack', {
      value: async (): Promise<void> => {
        throw new Error('send back refused');
      },
    });
    const deliveries = new Map<string, number>();
    c.subscribe(topic, (msgs: readonly MessageExt[]) => {
      for (const m of msgs) deliveries.set(m.keys ?? '', (deliveries.get(m.keys ?? '') ?? 0) + 1);
      return (deliveries.get('k0') ?? 0) < 2 && msgs.some((m) => m.keys === 'k0') ? ConsumeConcurrentlyStatus.RECONSUME_LATER : ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
    });
    const events: PushConsumerErrorEvent[] = [];
    c.on('error', (e) => events.push(e));
    fx.onClose(() => c.shutdown(500));
    await c.start();
    await waitFor(() => events.some((e) => e.source === 'sendBack'), 10_000, "a 'sendBack' error event");
    const ev = events.find((e) => e.source === 'sendBack') as PushConsumerErrorEvent;
    assert.equal(ev.consumerGroup, c.consumerGroup);
    assert.equal(ev.messageQueue?.topic, topic);
    assert.match(ev.error.message, /send back refused/);
    // The local retry (5 s later) delivers k0 again.
    await waitFor(() => (deliveries.get('k0') ?? 0) >= 2, 15_000, 'k0 consumed again locally');
  });

  it("orderly: queues whose broker lock another client holds arrive as 'lock' events naming each queue; nothing of them is consumed", async () => {
    const group = uniqueName('CGLOCK');
    const brokerName = fx.cluster.broker.brokerConfig.brokerName;
    const all = Array.from({ length: 16 }, (_, queueId) => ({ topic, brokerName, queueId }));
    // Another client of the group holds every queue's lock (it expires after 60 s, past this test).
    fx.cluster.broker.rebalanceLockManager.tryLockBatch(group, all, 'another-client@127.0.0.1');
    const c = new DefaultMQPushConsumer({ consumerGroup: group, namesrvAddr: fx.namesrvAddr, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', logger: quietLogger });
    let orderlyConsumed = 0;
    c.subscribe(
      topic,
      orderlyListener((msgs) => {
        orderlyConsumed += msgs.length;
        return ConsumeOrderlyStatus.SUCCESS;
      }),
    );
    const events: PushConsumerErrorEvent[] = [];
    c.on('error', (e) => events.push(e));
    fx.onClose(() => c.shutdown(500));
    await c.start();
    await waitFor(() => events.some((e) => e.source === 'lock' && e.messageQueue?.topic === topic), 10_000, "a 'lock' error event for the topic");
    const lock = events.find((e) => e.source === 'lock' && e.messageQueue?.topic === topic) as PushConsumerErrorEvent;
    assert.equal(lock.consumerGroup, group);
    assert.equal(lock.topic, topic);
    assert.match(lock.error.message, /refused/);
    assert.equal(orderlyConsumed, 0);
  });

  it('nobody listening: the same failures are only logged — no event built, no unhandled EventEmitter error', async () => {
    const c = await runningConsumer();
    const impl = c.defaultMQPushConsumerImpl;
    // Count the failures reaching the reporter (the pull flow reads it from the impl on each failure).
    let reported = 0;
    const original = impl.reportError;
    const counting: ConsumerErrorReporter = (source, error, where) => {
      reported++;
      original(source, error, where);
    };
    Object.defineProperty(impl, 'reportError', { value: counting });
    let emitted = 0;
    const emit = c.emit.bind(c);
    c.emit = ((event: 'error' | 'rebalance', ...args: unknown[]) => {
      if (event === 'error') emitted++;
      return (emit as (e: string, ...a: unknown[]) => boolean)(event, ...args);
    }) as typeof c.emit;

    // A listener added and removed again: back to "nobody listens".
    const listener = (): void => undefined;
    c.on('error', listener);
    c.off('error', listener);
    await fx.cluster.broker.shutdown();
    await waitFor(() => reported > 0, 10_000, 'a failure reported');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(emitted, 0, 'no error event without a listener');
  });
});
