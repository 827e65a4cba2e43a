import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';

import type { ConsumeMessageService } from '../../../src/client/consumer/consume-message-service.js';
import { ConsumerStatsManager } from '../../../src/client/consumer/consumer-stats-manager.js';
import { ProcessQueue } from '../../../src/client/consumer/process-queue.js';
import { PullMessageFlow, PullTiming, type PullFlowHost } from '../../../src/client/consumer/pull-message-flow.js';
import type { PullMessageService } from '../../../src/client/consumer/pull-message-service.js';
import { PullRequest } from '../../../src/client/consumer/pull-request.js';
import { resolvePushConsumerSettings } from '../../../src/client/consumer/push-consumer-options.js';
import type { RebalanceImpl } from '../../../src/client/consumer/rebalance-impl.js';
import { ClientConfig } from '../../../src/client/client-config.js';
import type { MQClientInstance } from '../../../src/client/impl/mq-client-instance.js';
import type { PullResultExt } from '../../../src/client/impl/pull-result.js';
import { MQBrokerException } from '../../../src/common/errors.js';
import { MessageConst } from '../../../src/common/message/message-const.js';
import type { MessageExt } from '../../../src/common/message/message-ext.js';
import { encodeMessageExt } from '../../../src/common/message/record-encoder.js';
import { buildSubscriptionData } from '../../../src/common/protocol/body/filter-api.js';
import type { MessageQueue } from '../../../src/common/protocol/body/message-queue.js';
import type { PullMessageRequestHeader } from '../../../src/common/protocol/headers/pull-message.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import { RecordingOffsetStore, msg } from './support/fakes.js';
import { quietLogger } from './support/harness.js';

const javaFirstPull = JSON.parse(readFileSync(new URL('../../fixtures/frames/broker-11-pull-found.req.json', import.meta.url), 'utf8')) as {
  header: { extFields: Record<string, string> };
};

/** Everything around PullMessageFlow, recorded. */
function setup(opts: { orderly?: boolean; settings?: Parameters<typeof resolvePushConsumerSettings>[0]; sub?: string; paused?: boolean } = {}) {
  const settings = resolvePushConsumerSettings({ consumerGroup: 'FixG', ...opts.settings });
  const offsetStore = new RecordingOffsetStore();
  const pulls: { addr: string; header: PullMessageRequestHeader; timeout: number }[] = [];
  const answers: (PullResultExt | Error)[] = [];
  const later: { delay: number }[] = [];
  const immediate: PullRequest[] = [];
  const tasks: { delay: number; task: () => Promise<void> | void }[] = [];
  const submitted: MessageExt[][] = [];
  const removed: MessageQueue[] = [];
  const addrs = new Map([[0, '127.0.0.1:10911'], [1, '127.0.0.1:10921']]);
  const factory = {
    clientId: 'cid',
    findBrokerAddressInSubscribe: (_b: string, id: number) => ({ brokerAddr: addrs.get(id) ?? '127.0.0.1:10911', slave: id !== 0, brokerVersion: 409 }),
    updateTopicRouteInfoFromNameServer: async () => true,
    mQClientAPIImpl: {
      pullMessage: async (addr: string, header: PullMessageRequestHeader, timeout: number): Promise<PullResultExt> => {
        pulls.push({ addr, header, timeout });
        const a = answers.shift();
        if (a === undefined) throw new Error('no scripted answer');
        if (a instanceof Error) throw a;
        return a;
      },
    },
  } as unknown as MQClientInstance;
  const sd = buildSubscriptionData('FixT', opts.sub ?? '*', 1795623684966);
  const rebalance = {
    subscriptionInner: new Map([['FixT', sd]]),
    computePullFromWhereWithException: async () => 7,
    removeProcessQueue: async (mq: MessageQueue) => {
      removed.push(mq);
    },
  } as unknown as RebalanceImpl;
  const consume = { submitConsumeRequest: (msgs: MessageExt[]) => submitted.push(msgs) } as unknown as ConsumeMessageService;
  const pullService = {
    executePullRequestImmediately: (r: PullRequest) => immediate.push(r),
    executePullRequestLater: (_r: PullRequest, delay: number) => later.push({ delay }),
    executeTaskLater: (task: () => Promise<void> | void, delay: number) => tasks.push({ delay, task }),
  } as unknown as PullMessageService;
  const host: PullFlowHost = {
    settings,
    clientConfig: new ClientConfig({ clientIP: '127.0.0.1' }),
    log: quietLogger,
    consumerStatsManager: new ConsumerStatsManager(),
    makeSureStateOK: () => undefined,
    isPause: () => opts.paused ?? false,
    messageModel: () => 'CLUSTERING',
    getOffsetStore: () => offsetStore,
  };
  const flow = new PullMessageFlow(host, factory, rebalance, consume, pullService, opts.orderly ?? false);
  const mq: MessageQueue = { topic: 'FixT', brokerName: 'broker-a', queueId: 0 };
  const pq = new ProcessQueue();
  const request = new PullRequest('FixG', mq, pq, 0);
  return { flow, pulls, answers, later, immediate, tasks, submitted, removed, offsetStore, request, pq, mq, settings };
}

function found(msgs: MessageExt[], nextBeginOffset: number, suggest = 0): PullResultExt {
  return { pullStatus: 'FOUND', nextBeginOffset, minOffset: 0, maxOffset: 99, suggestWhichBrokerId: suggest, messageBinary: Buffer.concat(msgs.map((m) => encodeMessageExt(m))) };
}

describe('PullMessageFlow (DefaultMQPushConsumerImpl.pullMessage)', () => {
  describe('the PULL_MESSAGE request', () => {
    it('first pull of a queue carries the fields of a Java 4.9.8 push consumer (captured frame): sysFlag 2, suspend 15000, 32, TAG', async () => {
      const s = setup();
      s.answers.push({ pullStatus: 'NO_NEW_MSG', nextBeginOffset: 0, minOffset: 0, maxOffset: 0, suggestWhichBrokerId: 0, messageBinary: undefined });
      await s.flow.pullMessage(s.request);
      const h = s.pulls[0]?.header;
      assert.ok(h);
      const java = javaFirstPull.header.extFields;
      assert.deepEqual(
        { consumerGroup: h.consumerGroup, topic: h.topic, queueId: String(h.queueId), queueOffset: String(h.queueOffset), maxMsgNums: String(h.maxMsgNums), sysFlag: String(h.sysFlag), commitOffset: String(h.commitOffset), suspendTimeoutMillis: String(h.suspendTimeoutMillis), subVersion: String(h.subVersion), expressionType: h.expressionType, bname: h.bname },
        java,
      );
      assert.equal(h.subscription, undefined);
      assert.equal(s.pulls[0]?.timeout, PullTiming.CONSUMER_TIMEOUT_MILLIS_WHEN_SUSPEND);
    });

    it('a consumed offset in memory sets FLAG_COMMIT_OFFSET (sysFlag 3) and commitOffset', async () => {
      const s = setup();
      s.offsetStore.updateOffset(s.mq, 2, true);
      s.request.nextOffset = 3;
      s.answers.push({ pullStatus: 'NO_NEW_MSG', nextBeginOffset: 3, minOffset: 0, maxOffset: 3, suggestWhichBrokerId: 0, messageBinary: undefined });
      await s.flow.pullMessage(s.request);
      assert.equal(s.pulls[0]?.header.sysFlag, 3);
      assert.equal(s.pulls[0]?.header.commitOffset, 2);
    });

    it('postSubscriptionWhenPull sends the expression (FLAG_SUBSCRIPTION)', async () => {
      const s = setup({ settings: { postSubscriptionWhenPull: true }, sub: 'TagA || TagB' });
      s.answers.push({ pullStatus: 'NO_NEW_MSG', nextBeginOffset: 0, minOffset: 0, maxOffset: 0, suggestWhichBrokerId: 0, messageBinary: undefined });
      await s.flow.pullMessage(s.request);
      assert.equal(s.pulls[0]?.header.sysFlag, 6);
      assert.equal(s.pulls[0]?.header.subscription, 'TagA || TagB');
    });
  });

  describe('flow control (re-pull later, no request)', () => {
    it('more than pullThresholdForQueue messages cached: 50 ms', async () => {
      const s = setup({ settings: { pullThresholdForQueue: 2 } });
      s.pq.putMessage([msg(0), msg(1), msg(2)]);
      await s.flow.pullMessage(s.request);
      assert.deepEqual(s.later, [{ delay: PullTiming.PULL_TIME_DELAY_MILLS_WHEN_CACHE_FLOW_CONTROL }]);
      assert.equal(s.pulls.length, 0);
    });

    it('more than pullThresholdSizeForQueue MiB cached: 50 ms', async () => {
      const s = setup({ settings: { pullThresholdSizeForQueue: 1 } });
      const big = msg(0);
      big.body = Buffer.alloc(2 * 1024 * 1024);
      s.pq.putMessage([big]);
      await s.flow.pullMessage(s.request);
      assert.deepEqual(s.later, [{ delay: 50 }]);
    });

    it('concurrently: an offset span above consumeConcurrentlyMaxSpan: 50 ms; orderly ignores the span', async () => {
      const s = setup({ settings: { consumeConcurrentlyMaxSpan: 10 } });
      s.pq.putMessage([msg(0), msg(11)]);
      await s.flow.pullMessage(s.request);
      assert.deepEqual(s.later, [{ delay: 50 }]);
      const o = setup({ orderly: true, settings: { consumeConcurrentlyMaxSpan: 10 } });
      o.pq.putMessage([msg(0), msg(11)]);
      o.pq.locked = true;
      o.answers.push({ pullStatus: 'NO_NEW_MSG', nextBeginOffset: 7, minOffset: 0, maxOffset: 7, suggestWhichBrokerId: 0, messageBinary: undefined });
      await o.flow.pullMessage(o.request);
      assert.equal(o.pulls.length, 1);
    });

    it('suspended consumer: 1000 ms', async () => {
      const s = setup({ paused: true });
      await s.flow.pullMessage(s.request);
      assert.deepEqual(s.later, [{ delay: PullTiming.PULL_TIME_DELAY_MILLS_WHEN_SUSPEND }]);
    });

    it('orderly without the broker lock: pullTimeDelayMillsWhenException; with it, the first pull re-reads the offset', async () => {
      const s = setup({ orderly: true });
      s.pq.locked = false;
      await s.flow.pullMessage(s.request);
      assert.deepEqual(s.later, [{ delay: 1000 }]);
      s.pq.locked = true;
      s.answers.push({ pullStatus: 'NO_NEW_MSG', nextBeginOffset: 7, minOffset: 0, maxOffset: 7, suggestWhichBrokerId: 0, messageBinary: undefined });
      await s.flow.pullMessage(s.request);
      assert.equal(s.pulls[0]?.header.queueOffset, 7, 'computePullFromWhere on the first locked pull');
      assert.equal(s.request.previouslyLocked, true);
    });

    it('a dropped queue is not pulled again', async () => {
      const s = setup();
      s.pq.dropped = true;
      await s.flow.pullMessage(s.request);
      assert.equal(s.pulls.length + s.later.length + s.immediate.length, 0);
    });
  });

  describe('answers', () => {
    it('FOUND: decoded, re-filtered by tag on the client, MIN/MAX_OFFSET and brokerName stamped, consumed, pulled again at once', async () => {
      const s = setup({ sub: 'TagA' });
      s.answers.push(found([msg(0, { tags: 'TagA' }), msg(1, { tags: 'TagX' }), msg(2, { tags: 'TagA' })], 3));
      await s.flow.pullMessage(s.request);
      const got = s.submitted[0] ?? [];
      assert.deepEqual(got.map((m) => m.queueOffset), [0, 2]);
      assert.equal(got[0]?.getProperty(MessageConst.PROPERTY_MIN_OFFSET), '0');
      assert.equal(got[0]?.getProperty(MessageConst.PROPERTY_MAX_OFFSET), '99');
      assert.equal(got[0]?.brokerName, 'broker-a');
      assert.equal(s.pq.msgCount, 2);
      assert.equal(s.request.nextOffset, 3);
      assert.deepEqual(s.immediate, [s.request]);
    });

    it('FOUND with pullInterval: the next pull waits pullInterval', async () => {
      const s = setup({ settings: { pullInterval: 200 } });
      s.answers.push(found([msg(0)], 1));
      await s.flow.pullMessage(s.request);
      assert.deepEqual(s.later, [{ delay: 200 }]);
    });

    it('the broker\'s suggestWhichBrokerId picks the broker of the next pull (slave: no commit flag)', async () => {
      const s = setup();
      s.offsetStore.updateOffset(s.mq, 1, true);
      s.answers.push(found([msg(0)], 1, 1));
      s.answers.push({ pullStatus: 'NO_NEW_MSG', nextBeginOffset: 1, minOffset: 0, maxOffset: 1, suggestWhichBrokerId: 0, messageBinary: undefined });
      await s.flow.pullMessage(s.request);
      await s.flow.pullMessage(s.request);
      assert.equal(s.pulls[0]?.addr, '127.0.0.1:10911');
      assert.equal(s.pulls[1]?.addr, '127.0.0.1:10921');
      assert.equal((s.pulls[1]?.header.sysFlag ?? 0) & 1, 0);
    });

    it('NO_NEW_MSG / NO_MATCHED_MSG: the cursor moves; with nothing cached the offset follows (increase only)', async () => {
      const s = setup();
      s.answers.push({ pullStatus: 'NO_MATCHED_MSG', nextBeginOffset: 12, minOffset: 0, maxOffset: 12, suggestWhichBrokerId: 0, messageBinary: undefined });
      await s.flow.pullMessage(s.request);
      assert.equal(s.request.nextOffset, 12);
      assert.deepEqual(s.offsetStore.updates.map((u) => [u.offset, u.increaseOnly]), [[12, true]]);
      assert.deepEqual(s.immediate, [s.request]);
    });

    it('OFFSET_ILLEGAL: the queue is dropped; 10 s later the broker\'s offset is written and the queue removed', async () => {
      const s = setup();
      s.request.nextOffset = 500;
      s.answers.push({ pullStatus: 'OFFSET_ILLEGAL', nextBeginOffset: 40, minOffset: 40, maxOffset: 90, suggestWhichBrokerId: 0, messageBinary: undefined });
      await s.flow.pullMessage(s.request);
      assert.equal(s.pq.dropped, true);
      assert.equal(s.immediate.length + s.later.length, 0);
      assert.equal(s.tasks[0]?.delay, PullTiming.OFFSET_ILLEGAL_FIX_DELAY_MILLIS);
      await s.tasks[0]?.task();
      assert.deepEqual(s.offsetStore.updates.at(-1), { mq: s.mq, offset: 40, increaseOnly: false });
      assert.deepEqual(s.offsetStore.persisted, [s.mq]);
      assert.deepEqual(s.removed, [s.mq]);
    });

    it('errors: broker FLOW_CONTROL re-pulls after 20 ms, anything else after pullTimeDelayMillsWhenException', async () => {
      const s = setup();
      s.answers.push(new MQBrokerException(ResponseCode.FLOW_CONTROL, 'busy', '127.0.0.1:10911'));
      s.answers.push(new Error('connection reset'));
      await s.flow.pullMessage(s.request);
      await s.flow.pullMessage(s.request);
      assert.deepEqual(s.later, [{ delay: PullTiming.PULL_TIME_DELAY_MILLS_WHEN_BROKER_FLOW_CONTROL }, { delay: 1000 }]);
    });
  });
});

