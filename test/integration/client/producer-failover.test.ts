import { expect } from 'chai';

import type { SendResult } from '../../../src/client/producer/send-result.js';
import { MQBrokerException, MQClientException, RemotingException } from '../../../src/common/errors.js';
import { Message } from '../../../src/common/message/message.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import type { FakeBroker } from './fake-broker.js';
import { ClientFixture, freePort, topic } from './helpers.js';

describe('DefaultMQProducer retries and failover', () => {
  let fx: ClientFixture;
  let namesrvAddr: string;
  let a: FakeBroker;
  let b: FakeBroker;

  beforeEach(async () => {
    fx = new ClientFixture();
    namesrvAddr = (await fx.namesrv()).address;
    a = await fx.broker({ namesrvAddr, brokerName: 'broker-a', topics: [topic('TopicHA', 2)] });
    b = await fx.broker({ namesrvAddr, brokerName: 'broker-b', topics: [topic('TopicHA', 2)] });
  });
  afterEach(() => fx.close());

  it('does not retry SYSTEM_BUSY (not in Java retryResponseCodes): one attempt, MQBrokerException code 2', async () => {
    const p = fx.producer({ producerGroup: 'PG_BUSY', namesrvAddr });
    await p.start();
    a.behaviour = { kind: 'code', code: ResponseCode.SYSTEM_BUSY, remark: '[TIMEOUT_CLEAN_QUEUE]broker busy' };
    b.behaviour = { kind: 'code', code: ResponseCode.SYSTEM_BUSY, remark: '[TIMEOUT_CLEAN_QUEUE]broker busy' };
    const err = await p.send(new Message('TopicHA', 'x')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(MQBrokerException);
    expect((err as MQBrokerException).code).to.equal(ResponseCode.SYSTEM_BUSY);
    expect(a.sends.length + b.sends.length).to.equal(1);
  });

  it('retries SYSTEM_ERROR on the other broker', async () => {
    const p = fx.producer({ producerGroup: 'PG_SYSERR', namesrvAddr });
    await p.start();
    a.behaviour = { kind: 'code', code: ResponseCode.SYSTEM_ERROR };
    for (let i = 0; i < 6; i++) {
      const before = a.sends.length;
      const r = await p.send(new Message('TopicHA', `m${i}`));
      expect(r.messageQueue.brokerName).to.equal('broker-b');
      expect(a.sends.length - before).to.be.at.most(1);
    }
    expect(b.sends).to.have.length(6);
  });

  it('fails after all attempts with an MQClientException carrying the broker code', async () => {
    const p = fx.producer({ producerGroup: 'PG_ALLERR', namesrvAddr });
    await p.start();
    a.behaviour = { kind: 'code', code: ResponseCode.SERVICE_NOT_AVAILABLE };
    b.behaviour = { kind: 'code', code: ResponseCode.SERVICE_NOT_AVAILABLE };
    const err = (await p.send(new Message('TopicHA', 'x')).catch((e: unknown) => e)) as MQClientException;
    expect(err).to.be.instanceOf(MQClientException);
    expect(err.code).to.equal(ResponseCode.SERVICE_NOT_AVAILABLE);
    expect(err.message).to.match(/Send \[3\] times, still failed/);
    expect(a.sends.length + b.sends.length).to.equal(3);
  });

  it('avoids a broker that timed out for a while (sendLatencyFaultEnable)', async () => {
    const p = fx.producer({ producerGroup: 'PG_TIMEOUT', namesrvAddr, sendLatencyFaultEnable: true, sendMsgTimeout: 400 });
    await p.start();
    await p.send(new Message('TopicHA', 'warm-up')).catch(() => undefined);
    a.behaviour = { kind: 'silent' };
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await p.send(new Message('TopicHA', `m${i}`)).then(
        (res) => res.messageQueue.brokerName,
        (e: unknown) => (e instanceof RemotingException ? 'timeout' : `other ${(e as Error).message}`),
      );
      outcomes.push(r);
    }
    // At most one send waits on the silent broker; it is then isolated (latency 30000 ⇒ 600 s).
    expect(outcomes.filter((o) => o === 'timeout').length).to.be.at.most(1);
    expect(outcomes.filter((o) => o === 'broker-b').length).to.be.at.least(5);
  });

  it('fails over when a broker crashes mid-run: every acknowledged send is on a broker, none lost', async () => {
    const p = fx.producer({ producerGroup: 'PG_CRASH', namesrvAddr });
    await p.start();
    const acked: SendResult[] = [];
    for (let i = 0; i < 30; i++) {
      if (i === 10) await a.crash();
      acked.push(await p.send(new Message('TopicHA', `m${i}`)));
    }
    expect(acked).to.have.length(30);
    const stored = new Set([...a.sends, ...b.sends].filter((s) => s.queueOffset >= 0).map((s) => s.properties.get('UNIQ_KEY')));
    for (const r of acked) expect(stored.has(r.msgId)).to.equal(true);
    expect(acked.slice(11).every((r) => r.messageQueue.brokerName === 'broker-b')).to.equal(true);
  });

  it('retries an async send on another broker after a transport failure', async () => {
    const p = fx.producer({ producerGroup: 'PG_ASYNC', namesrvAddr });
    await p.start();
    await p.send(new Message('TopicHA', 'warm-up'));
    await a.crash();
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => new Promise<SendResult>((resolve, reject) => p.send(new Message('TopicHA', `a${i}`), { onSuccess: resolve, onException: reject }))),
    );
    expect(results.every((r) => r.messageQueue.brokerName === 'broker-b')).to.equal(true);
  });

  it('does not retry an async send the broker answered with an error', async () => {
    const p = fx.producer({ producerGroup: 'PG_ASYNC_ERR', namesrvAddr });
    await p.start();
    a.behaviour = { kind: 'code', code: ResponseCode.SYSTEM_ERROR };
    b.behaviour = { kind: 'code', code: ResponseCode.SYSTEM_ERROR };
    const err = await new Promise<Error>((resolve) => p.send(new Message('TopicHA', 'x'), { onSuccess: () => resolve(new Error('sent')), onException: resolve }));
    expect(err).to.be.instanceOf(MQBrokerException);
    expect(a.sends.length + b.sends.length).to.equal(1);
  });

  it('follows the name server when a broker dies and unregisters', async () => {
    const p = fx.producer({ producerGroup: 'PG_DIE', namesrvAddr, pollNameServerInterval: 100 });
    await p.start();
    await p.send(new Message('TopicHA', 'x'));
    await a.die();
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline) {
      const mqs = await p.fetchPublishMessageQueues('TopicHA');
      if (mqs.every((q) => q.brokerName === 'broker-b')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await p.fetchPublishMessageQueues('TopicHA')).map((q) => q.brokerName)).to.deep.equal(['broker-b', 'broker-b']);
    for (let i = 0; i < 4; i++) expect((await p.send(new Message('TopicHA', `y${i}`))).messageQueue.brokerName).to.equal('broker-b');
  });

  it('uses the next name server when the first is down at start', async () => {
    const dead = `127.0.0.1:${await freePort()}`;
    const p = fx.producer({ producerGroup: 'PG_NS1', namesrvAddr: `${dead};${namesrvAddr}` });
    await p.start();
    const r = await p.send(new Message('TopicHA', 'x'));
    expect(r.sendStatus).to.equal('SEND_OK');
  });

  it('fails clearly while no name server is up, and recovers once one starts', async () => {
    const port = await freePort();
    const p = fx.producer({ producerGroup: 'PG_NS2', namesrvAddr: `127.0.0.1:${port}`, sendMsgTimeout: 500 });
    await p.start();
    const err = (await p.send(new Message('TopicHA', 'x')).catch((e: unknown) => e)) as MQClientException;
    expect(err).to.be.instanceOf(MQClientException);
    expect(err.message).to.match(/No route info of this topic: TopicHA/);
    const ns = await fx.namesrv(port);
    await fx.broker({ namesrvAddr: ns.address, brokerName: 'broker-c', topics: [topic('TopicHA', 2)] });
    const r = await p.send(new Message('TopicHA', 'y'));
    expect(r.messageQueue.brokerName).to.equal('broker-c');
  });

  it('keeps sending on cached routes while the name server is down mid-run', async () => {
    const fx2 = new ClientFixture();
    try {
      const ns = await fx2.namesrv();
      const c = await fx2.broker({ namesrvAddr: ns.address, brokerName: 'broker-c', topics: [topic('TopicNS', 2)] });
      const p = fx2.producer({ producerGroup: 'PG_NS3', namesrvAddr: ns.address, pollNameServerInterval: 50 });
      await p.start();
      await p.send(new Message('TopicNS', 'x'));
      await ns.shutdown();
      await new Promise((r) => setTimeout(r, 200)); // route polls fail meanwhile
      for (let i = 0; i < 3; i++) expect((await p.send(new Message('TopicNS', `y${i}`))).sendStatus).to.equal('SEND_OK');
      expect(c.sends).to.have.length(4);
    } finally {
      await fx2.close();
    }
  });
});
