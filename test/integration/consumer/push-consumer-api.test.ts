import { strict as assert } from 'node:assert';

import { DefaultMQPushConsumer } from '../../../src/client/consumer/default-mq-push-consumer.js';
import { ConsumeConcurrentlyStatus, ConsumeOrderlyStatus, orderlyListener } from '../../../src/client/consumer/listener.js';
import { PUSH_CONSUMER_DEFAULTS, parseConsumeTimestamp, timeMillisToHumanString3 } from '../../../src/client/consumer/push-consumer-options.js';
import { MQClientException } from '../../../src/common/errors.js';
import type { MessageExt } from '../../../src/common/message/message-ext.js';
import { quietLogger } from './support/harness.js';

const ok = (): ConsumeConcurrentlyStatus => ConsumeConcurrentlyStatus.CONSUME_SUCCESS;

describe('DefaultMQPushConsumer API', () => {
  it('has Java 4.9.8 defaults', () => {
    const c = new DefaultMQPushConsumer({ consumerGroup: 'G', logger: quietLogger });
    const s = c.settings;
    assert.equal(s.messageModel, 'CLUSTERING');
    assert.equal(s.consumeFromWhere, 'CONSUME_FROM_LAST_OFFSET');
    assert.equal(s.consumeThreadMin, 20);
    assert.equal(s.consumeThreadMax, 20);
    assert.equal(s.consumeConcurrentlyMaxSpan, 2000);
    assert.equal(s.pullThresholdForQueue, 1000);
    assert.equal(s.pullThresholdSizeForQueue, 100);
    assert.equal(s.pullThresholdForTopic, -1);
    assert.equal(s.pullThresholdSizeForTopic, -1);
    assert.equal(s.pullInterval, 0);
    assert.equal(s.pullBatchSize, 32);
    assert.equal(s.consumeMessageBatchMaxSize, 1);
    assert.equal(s.maxReconsumeTimes, -1);
    assert.equal(s.consumeTimeout, 15);
    assert.equal(s.suspendCurrentQueueTimeMillis, 1000);
    assert.equal(s.postSubscriptionWhenPull, false);
    assert.equal(c.allocateMessageQueueStrategy.name, 'AVG');
    assert.equal(PUSH_CONSUMER_DEFAULTS.pullBatchSize, 32);
    // consumeTimestamp: half an hour ago, yyyyMMddHHmmss
    const t = parseConsumeTimestamp(s.consumeTimestamp);
    assert.ok(Math.abs(Date.now() - 30 * 60 * 1000 - t) < 5000);
    assert.equal(timeMillisToHumanString3(t), s.consumeTimestamp);
  });

  describe('start() checks the configuration as Java checkConfig', () => {
    const cases: [string, ConstructorParameters<typeof DefaultMQPushConsumer>[0], RegExp][] = [
      ['blank group', { consumerGroup: '' }, /group is blank/],
      ['DEFAULT_CONSUMER', { consumerGroup: 'DEFAULT_CONSUMER' }, /can not equal DEFAULT_CONSUMER/],
      ['bad consumeTimestamp', { consumerGroup: 'G', consumeTimestamp: '2024-01-01' }, /consumeTimestamp is invalid/],
      ['consumeThreadMax 0', { consumerGroup: 'G', consumeThreadMax: 0 }, /consumeThreadMax Out of range \[1, 1000\]/],
      ['min > max', { consumerGroup: 'G', consumeThreadMin: 30, consumeThreadMax: 20 }, /consumeThreadMin \(30\) is larger than consumeThreadMax \(20\)/],
      ['pullBatchSize 1025', { consumerGroup: 'G', pullBatchSize: 1025 }, /pullBatchSize Out of range \[1, 1024\]/],
      ['pullThresholdForTopic 0', { consumerGroup: 'G', pullThresholdForTopic: 0 }, /pullThresholdForTopic Out of range \[1, 6553500\]/],
      ['consumeConcurrentlyMaxSpan 70000', { consumerGroup: 'G', consumeConcurrentlyMaxSpan: 70000 }, /consumeConcurrentlyMaxSpan Out of range/],
    ];
    for (const [name, options, re] of cases) {
      it(name, async () => {
        const c = new DefaultMQPushConsumer({ namesrvAddr: '127.0.0.1:1', logger: quietLogger, ...options });
        c.subscribe('T', ok);
        await assert.rejects(c.start(), (e: unknown) => e instanceof MQClientException && re.test(e.message));
      });
    }

    it('no subscription / no listener', async () => {
      const a = new DefaultMQPushConsumer({ consumerGroup: 'G', namesrvAddr: '127.0.0.1:1', logger: quietLogger });
      a.registerMessageListener(ok);
      await assert.rejects(a.start(), /subscription is null/);
      const b = new DefaultMQPushConsumer({ consumerGroup: 'G', namesrvAddr: '127.0.0.1:1', logger: quietLogger });
      b.subscribe('T', '*');
      await assert.rejects(b.start(), /messageListener is null/);
    });

    it('an unparsable expression is refused at subscribe', () => {
      const c = new DefaultMQPushConsumer({ consumerGroup: 'G', logger: quietLogger });
      assert.throws(() => c.subscribe('T', '||', ok), /subscription exception/);
    });
  });

  it('per-topic listeners: each batch goes to its topic\'s listener; orderly and concurrent cannot mix', async () => {
    const c = new DefaultMQPushConsumer({ consumerGroup: 'G', logger: quietLogger });
    const got: string[] = [];
    c.subscribe('A', (msgs) => {
      got.push(`A:${msgs[0]?.topic}`);
      return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
    });
    c.subscribe('B', 'TagX', (msgs) => {
      got.push(`B:${msgs[0]?.topic}`);
      return ConsumeConcurrentlyStatus.RECONSUME_LATER;
    });
    assert.throws(() => c.subscribe('C', orderlyListener(() => ConsumeOrderlyStatus.SUCCESS)), /cannot mix/);
    const impl = c.defaultMQPushConsumerImpl;
    assert.deepEqual(impl.subscriptions().map((s) => [s.topic, s.subString]), [['A', '*'], ['B', 'TagX']]);
    // The impl got one dispatcher; call it as the consume service would.
    const listener = (impl as unknown as { messageListener: { consumeMessage(m: readonly MessageExt[], ctx: unknown): unknown } }).messageListener;
    const m = (topic: string): MessageExt[] => [Object.assign(Object.create(null) as MessageExt, { topic })];
    assert.equal(await listener.consumeMessage(m('A'), {}), 'CONSUME_SUCCESS');
    assert.equal(await listener.consumeMessage(m('B'), {}), 'RECONSUME_LATER');
    assert.deepEqual(got, ['A:A', 'B:B']);
  });
});
