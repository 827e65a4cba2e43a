import { inflateSync } from 'node:zlib';

import { expect } from 'chai';

import { SelectMessageQueueByHash } from '../../../src/client/producer/message-queue-selector.js';
import type { SendResult } from '../../../src/client/producer/send-result.js';
import { ClientErrorCode, MQClientException } from '../../../src/common/errors.js';
import { Message } from '../../../src/common/message/message.js';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import type { FakeBroker } from './fake-broker.js';
import { ClientFixture, topic } from './helpers.js';

describe('DefaultMQProducer against a real name server and a fake broker', () => {
  let fx: ClientFixture;
  let namesrvAddr: string;
  let broker: FakeBroker;

  beforeEach(async () => {
    fx = new ClientFixture();
    namesrvAddr = (await fx.namesrv()).address;
    broker = await fx.broker({ namesrvAddr, brokerName: 'broker-a', topics: [topic('TopicTest', 4)] });
  });
  afterEach(() => fx.close());

  async function started(group = 'PG_TEST'): Promise<ReturnType<ClientFixture['producer']>> {
    const p = fx.producer({ producerGroup: group, namesrvAddr });
    await p.start();
    return p;
  }

  it('sends sync with a SEND_MESSAGE_V2 header exactly as the Java client fills it', async () => {
    const p = await started();
    const msg = new Message('TopicTest', 'TagA', 'KEY1 KEY2', 'hello');
    msg.putUserProperty('color', 'red');
    const before = Date.now();
    const r = await p.send(msg);
    const [s] = broker.sends;
    expect(s?.code).to.equal(RequestCode.SEND_MESSAGE_V2);
    const e = s!.extFields;
    expect(Object.keys(e).slice(0, 14)).to.deep.equal(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n'].filter((k) => k !== 'l'));
    expect(e.a).to.equal('PG_TEST');
    expect(e.b).to.equal('TopicTest');
    expect(e.c).to.equal('TBW102');
    expect(e.d).to.equal('4');
    expect(Number(e.e)).to.be.within(0, 3);
    expect(e.f).to.equal('0');
    expect(Number(e.g)).to.be.within(before, Date.now());
    expect(e.h).to.equal('0');
    expect(e.j).to.equal('0');
    expect(e.k).to.equal('false');
    expect(e.m).to.equal('false');
    expect(e.n).to.equal('broker-a');
    const props = s!.properties;
    expect(props.get('TAGS')).to.equal('TagA');
    expect(props.get('KEYS')).to.equal('KEY1 KEY2');
    expect(props.get('WAIT')).to.equal('true');
    expect(props.get('color')).to.equal('red');
    expect(props.get('UNIQ_KEY')).to.match(/^[0-9A-F]{32}([0-9A-F]{24})?$/);
    expect(s!.body.toString()).to.equal('hello');
    expect(r.sendStatus).to.equal('SEND_OK');
    expect(r.msgId).to.equal(props.get('UNIQ_KEY'));
    expect(r.offsetMsgId).to.match(/^[0-9A-F]{32}$/);
    expect(r.messageQueue).to.deep.equal({ topic: 'TopicTest', brokerName: 'broker-a', queueId: Number(e.e) });
    expect(r.queueOffset).to.equal(0);
    expect(r.regionId).to.equal('DefaultRegion');
    expect(r.traceOn).to.equal(true);
  });

  it('round-robins over the queues and keeps the UNIQ_KEY of a message across sends', async () => {
    const p = await started();
    for (let i = 0; i < 8; i++) await p.send(new Message('TopicTest', `m${i}`));
    const queues = broker.sends.map((s) => s.header.queueId);
    expect(new Set(queues).size).to.equal(4);
    for (let i = 1; i < queues.length; i++) expect(queues[i]).to.equal(((queues[i - 1] as number) + 1) % 4);
    expect(new Set(broker.sends.map((s) => s.properties.get('UNIQ_KEY'))).size).to.equal(8);
  });

  it('creates an unknown topic through TBW102: defaultTopicQueueNums queues, then the real route', async () => {
    const p = await started();
    const r = await p.send(new Message('BrandNewTopic', 'x'));
    expect(r.messageQueue.queueId).to.be.within(0, 3);
    expect(broker.sendsOf('BrandNewTopic')).to.have.length(1);
    const mqs = await p.fetchPublishMessageQueues('BrandNewTopic');
    expect(mqs.map((q) => q.queueId)).to.deep.equal([0, 1, 2, 3]);
  });

  it('sends async with callbacks and oneway', async () => {
    const p = await started();
    const result = await new Promise<SendResult>((resolve, reject) => p.send(new Message('TopicTest', 'async'), { onSuccess: resolve, onException: reject }));
    expect(result.sendStatus).to.equal('SEND_OK');
    await p.sendOneway(new Message('TopicTest', 'oneway'));
    await waitForSends(broker, 2);
    expect(broker.sends.map((s) => s.body.toString())).to.deep.equal(['async', 'oneway']);
  });

  it('sends ordered messages: a selector keeps one key on one queue, send(msg, mq) hits that queue', async () => {
    const p = await started();
    const selector = new SelectMessageQueueByHash();
    for (let i = 0; i < 6; i++) await p.send(new Message('TopicTest', `order-${i}`), selector, 'order-42');
    const queueIds = new Set(broker.sends.map((s) => s.header.queueId));
    expect(queueIds.size).to.equal(1);
    expect(broker.sends.map((s) => s.body.toString())).to.deep.equal([0, 1, 2, 3, 4, 5].map((i) => `order-${i}`));
    const [mq] = (await p.fetchPublishMessageQueues('TopicTest')).filter((q) => q.queueId === 2);
    const r = await p.send(new Message('TopicTest', 'to-q2'), mq!);
    expect(r.messageQueue.queueId).to.equal(2);
    expect(broker.sends.at(-1)?.header.queueId).to.equal(2);
  });

  it('sends a batch as SEND_BATCH_MESSAGE: each message its UNIQ_KEY, msgId comma-joined, never compressed', async () => {
    const p = await started();
    const big = Buffer.alloc(5000, 'b');
    const msgs = [new Message('TopicTest', 'T1', 'k1', 'one'), new Message('TopicTest', 'T2', big), new Message('TopicTest', 'three')];
    const r = await p.send(msgs);
    const [s] = broker.sends;
    expect(s?.code).to.equal(RequestCode.SEND_BATCH_MESSAGE);
    expect(s!.extFields.m).to.equal('true');
    expect(s!.header.sysFlag).to.equal(0);
    expect(s!.properties.get('WAIT')).to.equal('true');
    // Only WAIT in the batch header: the broker appends these to every message (no batch UNIQ_KEY).
    expect([...s!.properties.keys()]).to.deep.equal(['WAIT']);
    const inner = s!.batch!;
    expect(inner.map((m) => m.body.length)).to.deep.equal([3, 5000, 5]);
    expect(inner[0]!.properties.get('KEYS')).to.equal('k1');
    expect(inner[1]!.properties.get('TAGS')).to.equal('T2');
    const keys = inner.map((m) => m.properties.get('UNIQ_KEY'));
    expect(r.msgId).to.equal(keys.join(','));
    expect(r.offsetMsgId.split(',')).to.have.length(3);
  });

  it('splits a large list into batches that fit maxMessageSize', async () => {
    const p = fx.producer({ producerGroup: 'PG_SPLIT', namesrvAddr, maxMessageSize: 10_000 });
    await p.start();
    const msgs = Array.from({ length: 10 }, (_, i) => new Message('TopicTest', Buffer.alloc(3000, i)));
    const results = await p.sendInBatches(msgs);
    expect(results.length).to.be.greaterThan(3);
    expect(broker.sends.flatMap((s) => s.batch!.map((m) => m.body[0]))).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await expectClientError(p.send(msgs), ResponseCode.MESSAGE_ILLEGAL, /body size over max value/);
  });

  it('rejects batches mixing topics, with a delay level or to a retry topic', async () => {
    const p = await started();
    const delayed = new Message('TopicTest', 'd');
    delayed.delayTimeLevel = 2;
    await expectClientError(p.send([new Message('TopicTest', 'a'), new Message('Other', 'b')]), ClientErrorCode.CLIENT_VALIDATION, /should be the same/);
    await expectClientError(p.send([delayed]), ClientErrorCode.CLIENT_VALIDATION, /TimeDelayLevel/);
    await expectClientError(p.send([new Message('%RETRY%g', 'a')]), ClientErrorCode.CLIENT_VALIDATION, /Retry Group/);
  });

  it('carries the delay level and compresses a body of 4 KiB or more with zlib (sysFlag 0x301)', async () => {
    const p = await started();
    const msg = new Message('TopicTest', 'TagD', Buffer.alloc(4096, 'z'));
    msg.delayTimeLevel = 3;
    await p.send(msg);
    const small = new Message('TopicTest', Buffer.alloc(4095, 'y'));
    await p.send(small);
    const [big, plain] = broker.sends;
    expect(big!.properties.get('DELAY')).to.equal('3');
    expect(big!.header.sysFlag).to.equal(0x301);
    expect(big!.body.subarray(0, 2)).to.deep.equal(Buffer.from([0x78, 0x5e]));
    expect(inflateSync(big!.body).equals(Buffer.alloc(4096, 'z'))).to.equal(true);
    expect(msg.body.length).to.equal(4096);
    expect(plain!.header.sysFlag).to.equal(0);
    expect(plain!.body.length).to.equal(4095);
  });

  it('validates like Java: topic rules, forbidden system topics, empty and oversized bodies', async () => {
    const p = await started();
    await expectClientError(p.send(new Message('bad topic', 'x')), -1, /illegal characters/);
    await expectClientError(p.send(new Message('T'.repeat(128), 'x')), -1, /longer than topic max length 127/);
    await expectClientError(p.send(new Message('', 'x')), -1, /blank/);
    await expectClientError(p.send(new Message('SCHEDULE_TOPIC_XXXX', 'x')), -1, /forbidden/);
    await expectClientError(p.send(new Message('TopicTest', '')), ResponseCode.MESSAGE_ILLEGAL, /length is zero/);
    await expectClientError(p.send(new Message('TopicTest', Buffer.alloc(4 * 1024 * 1024 + 1))), ResponseCode.MESSAGE_ILLEGAL, /over max value/);
    expect(broker.sends).to.have.length(0);
  });

  it('refuses sends after shutdown with a clear error, async ones through the callback', async () => {
    const p = await started();
    await p.send(new Message('TopicTest', 'before'));
    await p.shutdown();
    await expectClientError(p.send(new Message('TopicTest', 'after')), ClientErrorCode.CLIENT_STATE, /service state not OK/);
    const err = await new Promise<Error>((resolve) => p.send(new Message('TopicTest', 'x'), { onSuccess: () => resolve(new Error('sent')), onException: resolve }));
    expect(err).to.be.instanceOf(MQClientException);
    await expectClientError(p.sendOneway(new Message('TopicTest', 'x')), ClientErrorCode.CLIENT_STATE, /service state not OK/);
  });

  it('shutdown waits for in-flight async sends', async () => {
    const p = await started();
    await p.send(new Message('TopicTest', 'warm'));
    broker.behaviour = { kind: 'delay', millis: 300 };
    const done: string[] = [];
    for (let i = 0; i < 5; i++) p.send(new Message('TopicTest', `a${i}`), { onSuccess: (r) => done.push(r.msgId), onException: (e) => done.push(`error ${e.message}`) });
    await p.shutdown();
    expect(done).to.have.length(5);
    expect(done.every((d) => !d.startsWith('error'))).to.equal(true);
  });

  it('shutdown waits for in-flight sync sends', async () => {
    const p = await started();
    await p.send(new Message('TopicTest', 'warm'));
    broker.behaviour = { kind: 'delay', millis: 300 };
    const done: string[] = [];
    for (let i = 0; i < 5; i++) {
      p.send(new Message('TopicTest', `s${i}`)).then(
        (r) => done.push(r.msgId),
        (e: Error) => done.push(`error ${e.message}`),
      );
    }
    await p.shutdown();
    // The settled sends' callbacks run right after their promises, ahead of shutdown's continuation.
    await Promise.resolve();
    expect(done).to.have.length(5);
    expect(done.every((d) => !d.startsWith('error'))).to.equal(true);
  });

  it('registers with heartbeats and unregisters its group on shutdown', async () => {
    const p = await started('PG_HB');
    await p.send(new Message('TopicTest', 'x'));
    await p.defaultMQProducerImpl.mQClientFactory!.sendHeartbeatToAllBrokerWithLock();
    const hb = broker.heartbeats.at(-1)!;
    expect(hb.clientID).to.equal(p.clientId);
    expect(hb.clientID).to.match(/^.+@\d+#\d+$/);
    expect(hb.producerDataSet.map((d) => d.groupName).sort()).to.deep.equal(['CLIENT_INNER_PRODUCER', 'PG_HB']);
    expect(hb.consumerDataSet).to.deep.equal([]);
    await p.shutdown();
    expect(broker.unregisters.map((u) => u.producerGroup)).to.include.members(['PG_HB', 'CLIENT_INNER_PRODUCER']);
    expect(broker.unregisters[0]!.clientID).to.equal(hb.clientID);
  });

  it('calls send hooks before and after each attempt', async () => {
    const p = await started();
    const seen: string[] = [];
    p.registerSendMessageHook({
      hookName: 'test',
      sendMessageBefore: (c) => seen.push(`before ${c.mq.brokerName} ${c.brokerAddr === broker.addr}`),
      sendMessageAfter: (c) => seen.push(`after ${c.sendResult?.sendStatus ?? c.exception?.message}`),
    });
    p.registerSendMessageHook({ hookName: 'broken', sendMessageBefore: () => { throw new Error('hook bug'); } });
    await p.send(new Message('TopicTest', 'x'));
    expect(seen).to.deep.equal(['before broker-a true', 'after SEND_OK']);
  });
});

async function waitForSends(broker: FakeBroker, n: number): Promise<void> {
  const deadline = Date.now() + 2000;
  while (broker.sends.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

export async function expectClientError(p: Promise<unknown>, code: number, message: RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(MQClientException);
    expect((e as MQClientException).code).to.equal(code);
    expect((e as Error).message).to.match(message);
    return;
  }
  expect.fail('expected the send to fail');
}
