import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { BrokerController } from '../../src/broker/broker-controller.js';
import { LocalCluster } from '../../src/broker/local-cluster.js';
import { MQAdmin } from '../../src/client/admin/mq-admin.js';
import { DefaultMQProducer } from '../../src/client/producer/default-mq-producer.js';
import { SelectMessageQueueByHash } from '../../src/client/producer/message-queue-selector.js';
import { SendStatus, type SendResult } from '../../src/client/producer/send-result.js';
import { MQClientException } from '../../src/common/errors.js';
import { createLogger } from '../../src/common/logging/logger.js';
import type { MessageExt } from '../../src/common/message/message-ext.js';
import { MessageConst } from '../../src/common/message/message-const.js';
import { Message } from '../../src/common/message/message.js';
import { decodes } from '../../src/common/message/record-decoder.js';
import type { MessageQueue } from '../../src/common/protocol/body/message-queue.js';
import { createTopicConfig } from '../../src/common/protocol/body/topic-config.js';
import { createRequestWithHeader } from '../../src/common/protocol/headers/command-header.js';
import { PullMessageRequestHeader } from '../../src/common/protocol/headers/pull-message.js';
import { RequestCode } from '../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../src/common/protocol/response-code.js';
import { RemotingClient } from '../../src/common/remoting/remoting-client.js';

/** Small store files: a test cluster stays light. */
const SMALL_STORE = { mappedFileSizeCommitLog: 4 * 1024 * 1024, mappedFileSizeConsumeQueue: 20 * 1000, writeBufferSize: 4 * 1024 * 1024 + 128 * 1024 };
const quiet = createLogger('producer-e2e', { level: (process.env['RMQ_TEST_LOG'] as 'debug' | undefined) ?? 'silent' });
const LOOPBACK = '127.0.0.1';
/** FLAG_SUBSCRIPTION only: no long-poll suspension, no offset commit — a plain read. */
const PULL_SYS_FLAG = 0x4;

let seq = 0;
function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now() % 100000}_${seq++}`;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A raw reader: PULL_MESSAGE over its own RemotingClient and `decodes` (with decompression), so what
 * the tests check is what the broker stored, not what the producer's own objects say.
 */
class RawPuller {
  private readonly client = new RemotingClient({ logger: quiet });

  /** One pull of up to 32 messages from `offset` (empty when there is nothing there yet). */
  async pullOnce(addr: string, topic: string, queueId: number, offset: number, decompressBody = true): Promise<MessageExt[]> {
    const request = createRequestWithHeader(RequestCode.PULL_MESSAGE, PullMessageRequestHeader, {
      consumerGroup: 'CG_PRODUCER_E2E_READER',
      topic,
      queueId,
      queueOffset: offset,
      maxMsgNums: 32,
      sysFlag: PULL_SYS_FLAG,
      commitOffset: 0,
      suspendTimeoutMillis: 0,
      subscription: '*',
      subVersion: 0,
    });
    const res = await this.client.invokeSync(addr, request, 3000);
    if (res.code === ResponseCode.SUCCESS) return decodes(res.body ?? Buffer.alloc(0), { decompressBody });
    if (res.code === ResponseCode.PULL_NOT_FOUND || res.code === ResponseCode.PULL_RETRY_IMMEDIATELY || res.code === ResponseCode.PULL_OFFSET_MOVED) return [];
    throw new Error(`pull ${topic}/${queueId}@${offset} from ${addr}: code ${res.code} ${res.remark ?? ''}`);
  }

  /** Everything in the queue from offset 0, polling until at least `atLeast` messages are there. */
  async pullQueue(addr: string, topic: string, queueId: number, atLeast = 0, timeoutMillis = 5000): Promise<MessageExt[]> {
    const out: MessageExt[] = [];
    const deadline = Date.now() + timeoutMillis;
    for (;;) {
      const got = await this.pullOnce(addr, topic, queueId, out.length === 0 ? 0 : out[out.length - 1]!.queueOffset + 1);
      out.push(...got);
      if (got.length > 0) continue;
      if (out.length >= atLeast) return out;
      if (Date.now() > deadline) throw new Error(`${topic}/${queueId} on ${addr}: ${out.length} of ${atLeast} messages after ${timeoutMillis} ms`);
      await sleep(50);
    }
  }

  /** Every queue 0..queues-1 of the topic on one broker, keyed by KEYS. */
  async pullTopic(addr: string, topic: string, queues: number, atLeast: number, timeoutMillis = 5000): Promise<Map<string, MessageExt>> {
    const deadline = Date.now() + timeoutMillis;
    for (;;) {
      const byKey = new Map<string, MessageExt>();
      for (let q = 0; q < queues; q++) for (const m of await this.pullQueue(addr, topic, q)) byKey.set(m.keys ?? '', m);
      if (byKey.size >= atLeast) return byKey;
      if (Date.now() > deadline) throw new Error(`${topic} on ${addr}: ${byKey.size} of ${atLeast} messages after ${timeoutMillis} ms`);
      await sleep(50);
    }
  }

  shutdown(): Promise<void> {
    return this.client.shutdown();
  }
}

function assertStoredAs(stored: MessageExt | undefined, sent: Message, result: SendResult): void {
  assert.ok(stored !== undefined, `message ${result.msgId} not found`);
  assert.deepEqual(Buffer.from(stored.body), Buffer.from(sent.body));
  assert.equal(stored.topic, sent.topic);
  assert.equal(stored.tags, sent.tags);
  assert.equal(stored.keys, sent.keys);
  for (const [k, v] of sent.properties) if (k !== MessageConst.PROPERTY_WAIT_STORE_MSG_OK) assert.equal(stored.getProperty(k), v, `property ${k}`);
  assert.equal(stored.msgId, result.msgId, 'msgId = UNIQ_KEY');
  assert.equal(stored.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX), result.msgId);
  assert.equal(stored.offsetMsgId, result.offsetMsgId);
  assert.equal(stored.queueId, result.messageQueue.queueId);
  assert.equal(stored.queueOffset, result.queueOffset);
}

describe('DefaultMQProducer against LocalCluster (real sockets, raw pull read-back)', function () {
  this.timeout(20_000);
  let cluster: LocalCluster;
  let producer: DefaultMQProducer;
  let reader: RawPuller;

  before(async () => {
    // Delay levels of 1 s and 2 s keep the delayed-message test short.
    cluster = await LocalCluster.start({ messageStoreConfig: { ...SMALL_STORE, messageDelayLevel: '1s 2s' }, logger: quiet });
    producer = new DefaultMQProducer({ producerGroup: uniqueName('PG'), namesrvAddr: cluster.namesrvAddr, logger: quiet });
    await producer.start();
    reader = new RawPuller();
  });
  after(async () => {
    await reader?.shutdown();
    await producer?.shutdown();
    await cluster?.stop();
  });

  function message(topic: string, i: number, body?: Buffer): Message {
    const m = new Message(topic, `Tag${i % 3}`, `key-${i}`, body ?? `body-${i}`);
    m.putUserProperty('seq', String(i));
    m.putUserProperty('app', 'producer-e2e');
    return m;
  }

  it('sync send auto-creates a new topic through TBW102 and stores body, tags, keys, properties, msgId and offsetMsgId', async () => {
    const topic = uniqueName('TAuto');
    const msgs = Array.from({ length: 8 }, (_, i) => message(topic, i));
    const results: SendResult[] = [];
    for (const m of msgs) results.push(await producer.send(m));
    for (const r of results) assert.equal(r.sendStatus, SendStatus.SEND_OK);
    // The broker created the topic with the producer's defaultTopicQueueNums (4), and the name server has its route now.
    const mqs = await producer.fetchPublishMessageQueues(topic);
    assert.equal(mqs.length, 4);
    assert.deepEqual(new Set(results.map((r) => r.messageQueue.queueId)), new Set([0, 1, 2, 3]), 'round-robin over the queues');
    const stored = await reader.pullTopic(cluster.brokerAddr, topic, 4, msgs.length);
    msgs.forEach((m, i) => assertStoredAs(stored.get(`key-${i}`), m, results[i]!));
    assert.equal(new Set(results.map((r) => r.msgId)).size, msgs.length, 'a distinct UNIQ_KEY per message');
  });

  it('async (callback) and oneway sends are all stored', async () => {
    const topic = uniqueName('TAsync');
    await producer.send(message(topic, -1)); // creates the topic
    const asyncMsgs = Array.from({ length: 50 }, (_, i) => message(topic, i));
    const results = await Promise.all(
      asyncMsgs.map((m) => new Promise<SendResult>((resolve, reject) => producer.send(m, { onSuccess: resolve, onException: reject }))),
    );
    const onewayMsgs = Array.from({ length: 50 }, (_, i) => message(topic, 100 + i));
    for (const m of onewayMsgs) await producer.sendOneway(m);
    const stored = await reader.pullTopic(cluster.brokerAddr, topic, 4, 101);
    asyncMsgs.forEach((m, i) => assertStoredAs(stored.get(`key-${i}`), m, results[i]!));
    for (const m of onewayMsgs) {
      const s = stored.get(m.keys ?? '');
      assert.ok(s !== undefined, `oneway ${m.keys} stored`);
      assert.deepEqual(Buffer.from(s.body), Buffer.from(m.body));
      assert.equal(s.msgId, m.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX), 'oneway messages carry a UNIQ_KEY too');
    }
  });

  it('send(msg, selector, arg) and send(msg, mq): each order lands in its selected queue, in send order', async () => {
    const topic = uniqueName('TOrder');
    await producer.send(message(topic, -1));
    const selector = new SelectMessageQueueByHash();
    const orders = ['order-A', 'order-B', 'order-C', 'order-D', 'order-E'];
    const queueOf = new Map<string, number>();
    /** Messages each queue must hold once the consume queue has caught up (highest acknowledged offset + 1). */
    const depth = new Map<number, number>();
    const track = (r: SendResult): void => void depth.set(r.messageQueue.queueId, Math.max(depth.get(r.messageQueue.queueId) ?? 0, r.queueOffset + 1));
    for (let step = 0; step < 10; step++) {
      for (const order of orders) {
        const m = new Message(topic, 'TagO', `${order}:${step}`, `${order} step ${step}`);
        const r = await producer.send(m, selector, order);
        track(r);
        assert.equal(r.messageQueue.queueId, queueOf.get(order) ?? r.messageQueue.queueId, `${order} stays on one queue`);
        queueOf.set(order, r.messageQueue.queueId);
      }
    }
    const mq: MessageQueue = { topic, brokerName: (await producer.fetchPublishMessageQueues(topic))[0]!.brokerName, queueId: 2 };
    const direct: SendResult[] = [];
    for (let i = 0; i < 10; i++) direct.push(await producer.send(new Message(topic, 'TagQ', `direct:${i}`, `direct ${i}`), mq));
    assert.ok(direct.every((r) => r.messageQueue.queueId === 2));
    direct.forEach(track);

    for (let q = 0; q < 4; q++) {
      const stored = await reader.pullQueue(cluster.brokerAddr, topic, q, depth.get(q) ?? 0);
      const byOrder = new Map<string, number[]>();
      for (const m of stored) {
        const [order, step] = (m.keys ?? '').split(':');
        if (order === undefined || step === undefined) continue;
        if (order !== 'direct') assert.equal(queueOf.get(order), q, `${m.keys} in the selected queue`);
        byOrder.set(order, [...(byOrder.get(order) ?? []), Number(step)]);
      }
      for (const [order, steps] of byOrder) assert.deepEqual(steps, [...steps.keys()], `${order} in send order on queue ${q}`);
      if (q === 2) assert.deepEqual(byOrder.get('direct'), [...Array(10).keys()]);
    }
    assert.ok(new Set(queueOf.values()).size > 1, 'the orders spread over several queues');
  });

  it('a batch is stored as consecutive messages of one queue, each with its own UNIQ_KEY and properties', async () => {
    const topic = uniqueName('TBatch');
    await producer.send(message(topic, -1));
    const msgs = Array.from({ length: 20 }, (_, i) => message(topic, i));
    const r = await producer.send(msgs);
    assert.equal(r.sendStatus, SendStatus.SEND_OK);
    const ids = r.msgId.split(',');
    const offsetIds = r.offsetMsgId.split(',');
    assert.equal(ids.length, 20);
    assert.equal(offsetIds.length, 20);
    // The consume queue is built asynchronously after the put: wait until the whole batch is readable.
    const stored = (await reader.pullQueue(cluster.brokerAddr, topic, r.messageQueue.queueId, r.queueOffset + 20)).filter((m) => m.queueOffset >= r.queueOffset);
    assert.equal(stored.length, 20);
    stored.forEach((s, i) => {
      assert.equal(s.queueOffset, r.queueOffset + i);
      assert.equal(s.keys, `key-${i}`);
      assert.equal(s.tags, `Tag${i % 3}`);
      assert.equal(s.getUserProperty('seq'), String(i));
      assert.equal(Buffer.from(s.body).toString(), `body-${i}`);
      assert.equal(s.msgId, ids[i]);
      assert.equal(s.offsetMsgId, offsetIds[i]);
    });
  });

  it('a delayed message (delayTimeLevel 1 = "1s") reaches its topic only after the delay, intact', async () => {
    const topic = uniqueName('TDelay');
    await producer.send(message(topic, -1));
    const m = message(topic, 7);
    m.delayTimeLevel = 1;
    const r = await producer.send(m);
    const qid = r.messageQueue.queueId;
    const before = await reader.pullQueue(cluster.brokerAddr, topic, qid);
    assert.ok(!before.some((s) => s.keys === 'key-7'), 'not visible before the delay');
    let s: MessageExt | undefined;
    for (const deadline = Date.now() + 5000; s === undefined && Date.now() < deadline; await sleep(50)) {
      s = (await reader.pullQueue(cluster.brokerAddr, topic, qid)).find((x) => x.keys === 'key-7');
    }
    assert.ok(s !== undefined, 'delivered within 5 s');
    assert.deepEqual(Buffer.from(s.body), Buffer.from(m.body));
    assert.equal(s.tags, 'Tag1');
    assert.equal(s.getUserProperty('seq'), '7');
    assert.equal(s.msgId, r.msgId, 'the UNIQ_KEY survives the schedule topic');
    assert.equal(s.getProperty(MessageConst.PROPERTY_DELAY_TIME_LEVEL), '1');
    assert.ok(s.storeTimestamp - s.bornTimestamp >= 900, `stored ${s.storeTimestamp - s.bornTimestamp} ms after birth`);
  });

  it('a body over compressMsgBodyOverHowmuch (4 KiB) is stored compressed and decompresses to the original', async () => {
    const topic = uniqueName('TZip');
    await producer.send(message(topic, -1));
    const body = Buffer.from(Array.from({ length: 2000 }, (_, i) => `line ${i % 50};`).join('\n'));
    assert.ok(body.length > 4096);
    const m = message(topic, 3, body);
    const r = await producer.send(m);
    const stored = await reader.pullQueue(cluster.brokerAddr, topic, r.messageQueue.queueId, r.queueOffset + 1);
    assertStoredAs(stored.find((s) => s.queueOffset === r.queueOffset), m, r);
    const raw = (await reader.pullOnce(cluster.brokerAddr, topic, r.messageQueue.queueId, r.queueOffset, false))[0]!;
    assert.equal(raw.sysFlag & 0x1, 0x1, 'COMPRESSED_FLAG set');
    assert.ok(raw.body.length < body.length / 4, `stored ${raw.body.length} bytes for ${body.length}`);
    // The user's message object is not modified by the compression.
    assert.deepEqual(Buffer.from(m.body), body);
  });
});

describe('DefaultMQProducer failover between two brokers of LocalCluster', function () {
  this.timeout(30_000);
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  function brokerB(namesrvAddr: string, storePathRootDir: string): BrokerController {
    // Built as LocalCluster builds its broker: loopback, ephemeral port, this name server.
    return new BrokerController(
      { brokerName: 'broker-b', brokerIP1: LOOPBACK, brokerIP2: LOOPBACK, bindAddress: LOOPBACK, listenPort: 0, namesrvAddr },
      { ...SMALL_STORE, storePathRootDir },
      { shutdownTimeoutMillis: 1000, logger: quiet },
    );
  }

  it('when one broker dies mid-run every acknowledged send is stored; with both gone sends fail clearly after retries', async () => {
    const cluster = await LocalCluster.start({ messageStoreConfig: SMALL_STORE, logger: quiet });
    cleanups.push(() => cluster.stop());
    const storeB = await mkdtemp(join(tmpdir(), 'rmq-broker-b-'));
    cleanups.push(() => rm(storeB, { recursive: true, force: true }));
    let b = brokerB(cluster.namesrvAddr, storeB);
    await b.start();
    cleanups.push(() => b.shutdown());
    const addrOf = new Map([
      ['broker-a', cluster.brokerAddr],
      ['broker-b', b.brokerAddr],
    ]);

    const topic = uniqueName('TFail');
    const admin = new MQAdmin({ namesrvAddr: cluster.namesrvAddr, logger: quiet });
    await admin.start();
    cleanups.push(() => admin.shutdown());
    for (const addr of addrOf.values()) await admin.createAndUpdateTopicConfig(addr, createTopicConfig(topic, { readQueueNums: 4, writeQueueNums: 4 }));

    const producer = new DefaultMQProducer({ producerGroup: uniqueName('PG'), namesrvAddr: cluster.namesrvAddr, logger: quiet, sendMsgTimeout: 2000 });
    await producer.start();
    cleanups.push(() => producer.shutdown());
    const deadline = Date.now() + 5000;
    while ((await producer.fetchPublishMessageQueues(topic)).length < 8) {
      if (Date.now() > deadline) throw new Error('route with both brokers not seen');
      await sleep(50);
    }

    // 8 concurrent senders for 2.5 s; broker-b shuts down (connections cut, in-flight requests lost) at 1 s.
    const acked = new Map<string, SendResult>();
    const failed: unknown[] = [];
    let n = 0;
    const stopAt = Date.now() + 2500;
    const loop = async (): Promise<void> => {
      while (Date.now() < stopAt) {
        const key = `fo-${n++}`;
        try {
          acked.set(key, await producer.send(new Message(topic, 'TagF', key, `payload ${key}`)));
        } catch (e: unknown) {
          failed.push(e);
        }
      }
    };
    const killB = (async () => {
      await sleep(1000);
      await b.shutdown();
    })();
    await Promise.all([...Array.from({ length: 8 }, loop), killB]);

    const onA = [...acked.values()].filter((r) => r.messageQueue.brokerName === 'broker-a').length;
    const onB = acked.size - onA;
    assert.ok(onA > 20 && onB > 20, `both brokers took sends before the kill (a ${onA}, b ${onB})`);
    // broker-a stayed up and the producer retries on another broker: no send fails while one broker lives.
    assert.deepEqual(failed.map((e) => (e instanceof Error ? e.message : String(e))), []);

    // Read back both stores: broker-b through a fresh controller on its store directory.
    b = brokerB(cluster.namesrvAddr, storeB);
    await b.start();
    addrOf.set('broker-b', b.brokerAddr);
    const reader = new RawPuller();
    cleanups.push(() => reader.shutdown());
    for (const [brokerName, addr] of addrOf) {
      const expected = [...acked].filter(([, r]) => r.messageQueue.brokerName === brokerName);
      const stored = await reader.pullTopic(addr, topic, 4, expected.length);
      for (const [key, r] of expected) {
        const s = stored.get(key);
        assert.ok(s !== undefined, `acknowledged ${key} (${brokerName} q${r.messageQueue.queueId}@${r.queueOffset}) is stored`);
        assert.equal(s.msgId, r.msgId);
        assert.equal(s.queueOffset, r.queueOffset);
        assert.equal(Buffer.from(s.body).toString(), `payload ${key}`);
      }
    }

    // Both brokers down: the producer's route still names them; every attempt fails, then a clear error.
    await b.shutdown();
    await cluster.broker.shutdown();
    const t0 = Date.now();
    const err = await producer.send(new Message(topic, 'TagF', 'after-both-down', 'x')).then(
      () => undefined,
      (e: unknown) => e,
    );
    // Java's wording: the attempt count, the topic and the brokers tried (both, alternating).
    assert.ok(err instanceof MQClientException, `an MQClientException, got ${String(err)}`);
    assert.match(err.message, /^Send \[3\] times, still failed, cost \[\d+\]ms, Topic: TFail_\S+, BrokersSent: \[broker-[ab], broker-[ab], broker-[ab]\]/);
    assert.match(err.message, /broker-a/);
    assert.match(err.message, /broker-b/);
    assert.ok(Date.now() - t0 < 10_000, 'fails within the send timeout budget, not forever');
  });
});
