import { strict as assert } from 'node:assert';

import { DefaultMQPushConsumer } from '../../src/client/consumer/default-mq-push-consumer.js';
import { ConsumeConcurrentlyStatus, ConsumeOrderlyStatus, orderlyListener } from '../../src/client/consumer/listener.js';
import { CLIENT_INNER_PRODUCER_GROUP } from '../../src/common/protocol/topic-validator.js';
import type { MessageExt } from '../../src/common/message/message-ext.js';
import { MessageConst } from '../../src/common/message/message-const.js';
import { Message } from '../../src/common/message/message.js';
import { ConsumerFixture, quietLogger, uniqueName, waitFor } from '../integration/consumer/support/harness.js';

/** Every delay level 1 s: the retry paths run in seconds instead of minutes. */
const FAST_DELAY_LEVELS = Array.from({ length: 18 }, () => '1s').join(' ');

describe('DefaultMQPushConsumer retries against LocalCluster', function () {
  this.timeout(30_000);
  let fx: ConsumerFixture;

  beforeEach(async () => {
    fx = new ConsumerFixture();
    await fx.start(FAST_DELAY_LEVELS);
  });
  afterEach(async () => {
    await fx.close();
  });

  function consumer(group: string, extra: Partial<ConstructorParameters<typeof DefaultMQPushConsumer>[0]> = {}): DefaultMQPushConsumer {
    const c = new DefaultMQPushConsumer({ consumerGroup: group, namesrvAddr: fx.namesrvAddr, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', logger: quietLogger, ...extra });
    fx.onClose(() => c.shutdown(1000));
    return c;
  }

  it('heartbeats carry the subscription and %RETRY%<group> (CONSUME_PASSIVELY, CLUSTERING), as a Java push consumer', async () => {
    const topic = uniqueName('T');
    const group = uniqueName('CG');
    await fx.send(topic, 1);
    const c = consumer(group);
    c.subscribe(topic, 'TagA || TagB', () => ConsumeConcurrentlyStatus.CONSUME_SUCCESS);
    await c.start();
    const hb = c.defaultMQPushConsumerImpl.mQClientFactory?.prepareHeartbeatData();
    const data = hb?.consumerDataSet.find((d) => d.groupName === group);
    assert.ok(data);
    assert.equal(data.consumeType, 'CONSUME_PASSIVELY');
    assert.equal(data.messageModel, 'CLUSTERING');
    assert.equal(data.consumeFromWhere, 'CONSUME_FROM_FIRST_OFFSET');
    assert.deepEqual(data.subscriptionDataSet.map((s) => [s.topic, s.subString]).sort(), [[topic, 'TagA || TagB'], [`%RETRY%${group}`, '*']].sort());
    assert.ok(hb?.producerDataSet.some((p) => p.groupName === CLIENT_INNER_PRODUCER_GROUP));
  });

  it('a message retried until maxReconsumeTimes ends in the DLQ; the others are consumed once', async () => {
    const topic = uniqueName('T');
    const group = uniqueName('CG');
    await fx.send(topic, 3);
    const calls = new Map<string, number[]>();
    const c = consumer(group, { maxReconsumeTimes: 2 });
    c.subscribe(topic, (msgs: readonly MessageExt[]) => {
      const m = msgs[0] as MessageExt;
      calls.set(m.keys ?? '', [...(calls.get(m.keys ?? '') ?? []), m.reconsumeTimes]);
      return m.keys === 'k1' ? ConsumeConcurrentlyStatus.RECONSUME_LATER : ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
    });
    await c.start();
    await waitFor(() => (calls.get('k1')?.length ?? 0) >= 3, 20_000, 'k1 tried 3 times');
    await new Promise((r) => setTimeout(r, 2500));
    assert.deepEqual(calls.get('k1'), [0, 1, 2], 'the third failure goes to %DLQ%, not back');
    assert.deepEqual(calls.get('k0'), [0]);
    assert.deepEqual(calls.get('k2'), [0]);
  });

  it('when CONSUMER_SEND_MSG_BACK fails, the inner producer re-sends to %RETRY% (delay 3 + reconsumeTimes) and the retry arrives', async () => {
    const topic = uniqueName('T');
    const group = uniqueName('CG');
    await fx.send(topic, 1);
    const deliveries: MessageExt[] = [];
    const c = consumer(group);
    c.subscribe(topic, (msgs: readonly MessageExt[]) => {
      deliveries.push(msgs[0] as MessageExt);
      return deliveries.length === 1 ? ConsumeConcurrentlyStatus.RECONSUME_LATER : ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
    });
    await c.start();
    const api = c.defaultMQPushConsumerImpl.mQClientFactory?.mQClientAPIImpl;
    assert.ok(api);
    api.consumerSendMessageBack = () => Promise.reject(new Error('broker unreachable (test)'));
    await waitFor(() => deliveries.length >= 2, 20_000, 'the retry through the inner producer');
    const [first, retry] = deliveries as [MessageExt, MessageExt];
    assert.equal(retry.topic, topic, 'original topic restored from RETRY_TOPIC');
    assert.equal(retry.reconsumeTimes, 1);
    assert.equal(retry.msgId, first.msgId, 'UNIQ_KEY kept, as Java copies the properties');
    assert.equal(retry.getProperty(MessageConst.PROPERTY_ORIGIN_MESSAGE_ID), first.msgId);
    // The producer moves RECONSUME_TIME / MAX_RECONSUME_TIMES of a %RETRY% message into its send header (as Java does).
    assert.equal(retry.getProperty(MessageConst.PROPERTY_MAX_RECONSUME_TIMES), undefined);
  });

  it('orderly: SUSPEND retries locally; past maxReconsumeTimes the message goes to the DLQ and the queue moves on', async () => {
    const topic = uniqueName('T');
    const group = uniqueName('CG');
    await fx.send(topic, 1);
    for (let i = 0; i < 6; i++) await fx.producer.send(new Message(topic, undefined, `o${i}`, String(i)), { select: (mqs) => mqs[0] }, null);
    const order: string[] = [];
    let o2Attempts = 0;
    const c = consumer(group, { maxReconsumeTimes: 2, suspendCurrentQueueTimeMillis: 10 });
    c.subscribe(topic, orderlyListener((msgs) => {
      const m = msgs[0] as MessageExt;
      if (!(m.keys ?? '').startsWith('o')) return ConsumeOrderlyStatus.SUCCESS;
      if (m.keys === 'o2') {
        o2Attempts++;
        return ConsumeOrderlyStatus.SUSPEND_CURRENT_QUEUE_A_MOMENT;
      }
      order.push(m.keys ?? '');
      return ConsumeOrderlyStatus.SUCCESS;
    }));
    await c.start();
    await waitFor(() => order.length >= 5, 20_000, 'the five other ordered messages');
    assert.deepEqual(order, ['o0', 'o1', 'o3', 'o4', 'o5']);
    assert.equal(o2Attempts, 3, 'first try + maxReconsumeTimes local retries');
  });
});
