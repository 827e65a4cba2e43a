import { expect } from 'chai';

import { MQClientManager } from '../../../src/client/impl/mq-client-manager.js';
import { ClientConfig } from '../../../src/client/client-config.js';
import { DefaultMQProducer } from '../../../src/client/producer/default-mq-producer.js';
import { SelectMessageQueueByHash } from '../../../src/client/producer/message-queue-selector.js';
import type { SendResult } from '../../../src/client/producer/send-result.js';
import { MQClientException } from '../../../src/common/errors.js';
import { createLogger } from '../../../src/common/logging/logger.js';
import { decodes } from '../../../src/common/message/record-decoder.js';
import { Message } from '../../../src/common/message/message.js';
import type { MessageExt } from '../../../src/common/message/message-ext.js';

/**
 * The same producer against an external Apache RocketMQ 4.9 name server + broker (opt-in):
 *   RMQ_INTEROP_NAMESRV=127.0.0.1:19876 npx mocha … test/integration/client/interop.test.ts
 * The broker must have autoCreateTopicEnable and autoCreateSubscriptionGroup (4.9 defaults). Messages
 * are read back with raw PULL_MESSAGE requests and decoded by our record codec.
 */
const NAMESRV = process.env.RMQ_INTEROP_NAMESRV;

(NAMESRV === undefined ? describe.skip : describe)('interop: DefaultMQProducer against a real RocketMQ 4.9', function () {
  this.timeout(30_000);
  const run = `${Date.now().toString(36)}`;
  const topicName = `TsInterop_${run}`;
  let producer: DefaultMQProducer;

  before(async () => {
    producer = new DefaultMQProducer({ producerGroup: `PG_TS_INTEROP_${run}`, namesrvAddr: NAMESRV });
    await producer.start();
  });
  after(() => producer.shutdown());

  async function pullAll(result: SendResult, count: number): Promise<MessageExt[]> {
    const instance = MQClientManager.getInstance().getOrCreateMQClientInstance(new ClientConfig({ namesrvAddr: NAMESRV, instanceName: `interop-pull-${run}` }), createLogger('interop'));
    try {
      await instance.updateTopicRouteInfoFromNameServer(result.messageQueue.topic);
      const addr = instance.findBrokerAddressInPublish(result.messageQueue.brokerName)!;
      const pulled = await instance.mQClientAPIImpl.pullMessage(
        addr,
        {
          consumerGroup: `CG_TS_INTEROP_${run}`,
          topic: result.messageQueue.topic,
          queueId: result.messageQueue.queueId,
          queueOffset: result.queueOffset,
          maxMsgNums: count,
          sysFlag: 0x4, // FLAG_SUBSCRIPTION: no heartbeat needed
          commitOffset: 0,
          suspendTimeoutMillis: 0,
          subscription: '*',
          subVersion: 0,
          expressionType: 'TAG',
        },
        5000,
      );
      expect(pulled.pullStatus).to.equal('FOUND');
      return decodes(pulled.messageBinary!, { decompressBody: true });
    } finally {
      await instance.shutdown();
    }
  }

  it('sync-sends to a new topic (created through TBW102) and reads it back with keys, tags and properties', async () => {
    const msg = new Message(topicName, 'TagA', 'K1 K2', 'hello from rocketmq-ts');
    msg.putUserProperty('origin', 'ts');
    let r: SendResult | undefined;
    for (let i = 0; i < 5 && r === undefined; i++) {
      r = await producer.send(msg).catch((e: unknown) => {
        if (i === 4) throw e;
        return undefined;
      });
    }
    expect(r!.sendStatus).to.equal('SEND_OK');
    expect(r!.offsetMsgId).to.match(/^[0-9A-F]{32}$/);
    const [m] = await pullAll(r!, 1);
    expect(m!.body.toString()).to.equal('hello from rocketmq-ts');
    expect(m!.tags).to.equal('TagA');
    expect(m!.keys).to.equal('K1 K2');
    expect(m!.getUserProperty('origin')).to.equal('ts');
    expect(m!.msgId).to.equal(r!.msgId);
    expect(m!.offsetMsgId).to.equal(r!.offsetMsgId);
  });

  it('sends async, oneway, ordered, delayed and compressed messages the broker accepts', async () => {
    const asyncResult = await new Promise<SendResult>((resolve, reject) => producer.send(new Message(topicName, 'async'), { onSuccess: resolve, onException: reject }));
    expect(asyncResult.sendStatus).to.equal('SEND_OK');
    await producer.sendOneway(new Message(topicName, 'oneway'));
    const selector = new SelectMessageQueueByHash();
    const ordered: SendResult[] = [];
    for (let i = 0; i < 3; i++) ordered.push(await producer.send(new Message(topicName, `o${i}`), selector, 'key-1'));
    expect(new Set(ordered.map((r) => r.messageQueue.queueId)).size).to.equal(1);
    expect(ordered.map((r) => r.queueOffset)).to.deep.equal([0, 1, 2].map((i) => (ordered[0] as SendResult).queueOffset + i));
    const orderedBack = await pullAll(ordered[0]!, 3);
    expect(orderedBack.filter((m) => m.body.toString().startsWith('o')).map((m) => m.body.toString())).to.include.ordered.members(['o0', 'o1', 'o2']);

    const delayed = new Message(topicName, 'delayed');
    delayed.delayTimeLevel = 1;
    expect((await producer.send(delayed)).sendStatus).to.equal('SEND_OK');

    const big = Buffer.alloc(100_000, 'c');
    const rc = await producer.send(new Message(topicName, 'Big', big));
    const [back] = await pullAll(rc, 1);
    expect(back!.sysFlag & 0x1).to.equal(1);
    expect(back!.body.equals(big)).to.equal(true);
  });

  it('sends a batch and reads every message back in order', async () => {
    const msgs = [0, 1, 2, 3].map((i) => new Message(topicName, 'Batch', `b${i}`));
    const r = await producer.send(msgs);
    expect(r.msgId.split(',')).to.have.length(4);
    expect(r.offsetMsgId.split(',')).to.have.length(4);
    const back = await pullAll(r, 4);
    expect(back.map((m) => m.body.toString())).to.deep.equal(['b0', 'b1', 'b2', 'b3']);
    expect(back.map((m) => m.msgId).join(',')).to.equal(r.msgId);
  });

  it('gets the broker’s answer to a forbidden or illegal send', async () => {
    const err = await producer.send(new Message('SCHEDULE_TOPIC_XXXX', 'x')).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(MQClientException);
  });
});
