import { strict as assert } from 'node:assert';

import { DefaultMQPushConsumerImpl } from '../../src/client/consumer/default-mq-push-consumer-impl.js';
import { ConsumeConcurrentlyStatus, type MessageListener } from '../../src/client/consumer/listener.js';
import type { DefaultMQPushConsumerOptions } from '../../src/client/consumer/push-consumer-options.js';
import type { RebalanceResult } from '../../src/client/consumer/rebalance-impl.js';
import type { MessageExt } from '../../src/common/message/message-ext.js';
import { ConsumerFixture, quietLogger, testParts, uniqueName, waitFor } from '../integration/consumer/support/harness.js';

describe('DefaultMQPushConsumer against LocalCluster', function () {
  this.timeout(30_000);
  let fx: ConsumerFixture;

  beforeEach(async () => {
    fx = new ConsumerFixture();
    await fx.start();
  });
  afterEach(async () => {
    await fx.close();
  });

  function consumer(options: DefaultMQPushConsumerOptions, topic: string, sub: string, listener: MessageListener, rebalances?: RebalanceResult[]): DefaultMQPushConsumerImpl {
    const c = new DefaultMQPushConsumerImpl(
      { namesrvAddr: fx.namesrvAddr, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', ...options },
      quietLogger,
      testParts(fx.offsetDir),
      { onRebalance: (r) => rebalances?.push(r) },
    );
    c.subscribe(topic, sub);
    c.registerMessageListener(listener);
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
});
