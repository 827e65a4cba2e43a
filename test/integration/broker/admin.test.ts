import { expect } from 'chai';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { AdminBrokerProcessor } from '../../../src/broker/processor/admin-broker-processor.js';
import { SLAVE_REMARK } from '../../../src/broker/processor/admin-support.js';
import { SubscriptionGroupProcessor } from '../../../src/broker/processor/subscription-group-processor.js';
import { createLogger } from '../../../src/common/logging/logger.js';
import { decodeProducerConnection } from '../../../src/common/protocol/body/connection.js';
import { decodeConsumeStats } from '../../../src/common/protocol/body/consume-stats.js';
import { decodeConsumerConnection } from '../../../src/common/protocol/body/consumer-connection.js';
import { decodeConsumerOffsetSerializeWrapper } from '../../../src/common/protocol/body/consumer-offset-serialize-wrapper.js';
import { decodeDelayOffsetSerializeWrapper } from '../../../src/common/protocol/body/delay-offset-serialize-wrapper.js';
import { decodeGroupList } from '../../../src/common/protocol/body/group-list.js';
import { decodeKVTable } from '../../../src/common/protocol/body/kv-table.js';
import { createMessageQueue } from '../../../src/common/protocol/body/message-queue.js';
import { createSubscriptionGroupConfig, encodeSubscriptionGroupConfig } from '../../../src/common/protocol/body/subscription-group-config.js';
import { decodeSubscriptionGroupWrapper } from '../../../src/common/protocol/body/subscription-group-wrapper.js';
import { decodeTopicConfigSerializeWrapper } from '../../../src/common/protocol/body/topic-config-serialize-wrapper.js';
import { decodeTopicList } from '../../../src/common/protocol/body/topic-list.js';
import { decodeTopicStatsTable } from '../../../src/common/protocol/body/topic-stats-table.js';
import {
  CreateTopicRequestHeader,
  DeleteSubscriptionGroupRequestHeader,
  DeleteTopicRequestHeader,
  GetConsumeStatsRequestHeader,
  GetConsumerConnectionListRequestHeader,
  GetProducerConnectionListRequestHeader,
  GetTopicStatsInfoRequestHeader,
  QueryTopicConsumeByWhoRequestHeader,
} from '../../../src/common/protocol/headers/admin.js';
import { createRequestWithHeader, readHeader } from '../../../src/common/protocol/headers/command-header.js';
import { SendMessageResponseHeader } from '../../../src/common/protocol/headers/send-message.js';
import { UpdateConsumerOffsetRequestHeader } from '../../../src/common/protocol/headers/consumer-offset.js';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import type { RemotingChannel } from '../../../src/common/remoting/remoting-channel.js';
import { RemotingCommand } from '../../../src/common/remoting/remoting-command.js';
import type { LocalCluster } from '../../../src/broker/local-cluster.js';
import type { RemotingClient } from '../../../src/common/remoting/remoting-client.js';
import { BrokerFixture, TIMEOUT, heartbeat, pull, sendV2, waitFor } from './helpers.js';

const createTopic = (topic: string, queues = 4, perm = 6): RemotingCommand =>
  createRequestWithHeader(RequestCode.UPDATE_AND_CREATE_TOPIC, CreateTopicRequestHeader, {
    topic,
    defaultTopic: 'TBW102',
    readQueueNums: queues,
    writeQueueNums: queues,
    perm,
    topicFilterType: 'SINGLE_TAG',
    topicSysFlag: 0,
    order: false,
  });
const plain = (code: number, body?: Buffer): RemotingCommand => RemotingCommand.createRequest(code, undefined, body);
const commitOffset = (group: string, topic: string, queueId: number, offset: number): RemotingCommand =>
  createRequestWithHeader(RequestCode.UPDATE_CONSUMER_OFFSET, UpdateConsumerOffsetRequestHeader, { consumerGroup: group, topic, queueId, commitOffset: offset });

describe('Broker admin (real sockets, raw RemotingClient)', function () {
  this.timeout(20000);
  let fx: BrokerFixture;
  let c: LocalCluster;
  let client: RemotingClient;
  const call = (req: RemotingCommand): Promise<RemotingCommand> => client.invokeSync(c.brokerAddr, req, TIMEOUT);

  beforeEach(async () => {
    fx = new BrokerFixture();
    c = await fx.cluster();
    client = fx.client();
  });
  afterEach(() => fx.close());

  it('GET_TOPIC_STATS_INFO: min/max/last store time per write queue; unknown topic TOPIC_NOT_EXIST', async () => {
    expect((await call(createTopic('StatsT', 2))).code).to.equal(ResponseCode.SUCCESS);
    const before = Date.now();
    for (let i = 0; i < 3; i++) expect((await call(sendV2('StatsT', `m${i}`, { queueId: 1 }))).code).to.equal(ResponseCode.SUCCESS);
    await waitFor(() => c.broker.messageStore.getMaxOffsetInQueue('StatsT', 1) === 3);
    const r = await call(createRequestWithHeader(RequestCode.GET_TOPIC_STATS_INFO, GetTopicStatsInfoRequestHeader, { topic: 'StatsT' }));
    expect(r.code).to.equal(ResponseCode.SUCCESS);
    const table = decodeTopicStatsTable(r.body!).offsetTable;
    expect(table.size).to.equal(2);
    expect(table.get(createMessageQueue('StatsT', 'broker-a', 0))).to.deep.equal({ minOffset: 0, maxOffset: 0, lastUpdateTimestamp: 0 });
    const q1 = table.get(createMessageQueue('StatsT', 'broker-a', 1))!;
    expect(q1).to.include({ minOffset: 0, maxOffset: 3 });
    expect(q1.lastUpdateTimestamp).to.be.within(before, Date.now());

    const missing = await call(createRequestWithHeader(RequestCode.GET_TOPIC_STATS_INFO, GetTopicStatsInfoRequestHeader, { topic: 'Nope' }));
    expect(missing.code).to.equal(ResponseCode.TOPIC_NOT_EXIST);
    expect(missing.remark).to.equal('topic[Nope] not exist');
  });

  it('DELETE_TOPIC_IN_BROKER removes the topic; bad and system topics are SYSTEM_ERROR with Java remarks', async () => {
    await call(createTopic('DelT'));
    const del = (topic: string): Promise<RemotingCommand> => call(createRequestWithHeader(RequestCode.DELETE_TOPIC_IN_BROKER, DeleteTopicRequestHeader, { topic }));
    const ok = await del('DelT');
    expect(ok.code).to.equal(ResponseCode.SUCCESS);
    expect(ok.remark).to.equal(undefined);
    const all = decodeTopicConfigSerializeWrapper((await call(plain(RequestCode.GET_ALL_TOPIC_CONFIG))).body!);
    expect(all.topicConfigTable.has('DelT')).to.equal(false);
    const system = await del('TBW102');
    expect([system.code, system.remark]).to.deep.equal([ResponseCode.SYSTEM_ERROR, 'The topic[TBW102] is conflict with system topic.']);
    const bad = await del('bad topic!');
    expect(bad.code).to.equal(ResponseCode.SYSTEM_ERROR);
    expect(bad.remark).to.match(/illegal characters/);
    const sys = await call(plain(RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_BROKER));
    expect(decodeTopicList(sys.body!).topicList).to.include.members(['TBW102', 'SCHEDULE_TOPIC_XXXX']);
  });

  it('DELETE_TOPIC_IN_BROKER destroys the consume queues (cleanUnusedTopic): files gone, pulls TOPIC_NOT_EXIST, a re-created topic starts at offset 0', async () => {
    const store = c.broker.messageStore;
    expect((await call(createTopic('CqDelT', 2))).code).to.equal(ResponseCode.SUCCESS);
    for (let i = 0; i < 3; i++) expect((await call(sendV2('CqDelT', `m${i}`, { queueId: 1 }))).code).to.equal(ResponseCode.SUCCESS);
    expect((await call(sendV2('KeepT', 'k', { queueId: 0 }))).code).to.equal(ResponseCode.SUCCESS);
    await waitFor(() => store.getMaxOffsetInQueue('CqDelT', 1) === 3 && store.getMaxOffsetInQueue('KeepT', 0) === 1);
    const dir = join(store.consumeQueueTable.rootDir, 'CqDelT');
    await access(join(dir, '1'));

    const del = await call(createRequestWithHeader(RequestCode.DELETE_TOPIC_IN_BROKER, DeleteTopicRequestHeader, { topic: 'CqDelT' }));
    expect(del.code).to.equal(ResponseCode.SUCCESS);
    let gone: unknown;
    await access(dir).catch((e: unknown) => (gone = e));
    expect(gone, 'consumequeue/CqDelT removed').to.have.property('code', 'ENOENT');
    expect(store.consumeQueueTable.find('CqDelT', 1)).to.equal(undefined);
    expect(store.commitLog.topicQueueTable.has('CqDelT-1')).to.equal(false);
    expect([store.getMaxOffsetInQueue('CqDelT', 1), store.getMinOffsetInQueue('CqDelT', 1)]).to.deep.equal([0, -1]);
    expect(store.getMaxOffsetInQueue('KeepT', 0), 'other topics keep their queues').to.equal(1);
    // (sysFlag 0x4: subscription only, no suspend.) Java's PullMessageProcessor: no topic config → TOPIC_NOT_EXIST before the store is asked.
    expect((await call(pull('CqDelT', 0, { queueId: 1, sysFlag: 0x4 }))).code).to.equal(ResponseCode.TOPIC_NOT_EXIST);

    expect((await call(createTopic('CqDelT', 2))).code).to.equal(ResponseCode.SUCCESS);
    // The old offset is past the (empty) new queue: NO_MATCHED_LOGIC_QUEUE with offset != 0 → PULL_OFFSET_MOVED.
    expect((await call(pull('CqDelT', 3, { queueId: 1, sysFlag: 0x4 }))).code).to.equal(ResponseCode.PULL_OFFSET_MOVED);
    const again = await call(sendV2('CqDelT', 'fresh', { queueId: 1 }));
    expect(readHeader(again, SendMessageResponseHeader)).to.include({ queueId: 1, queueOffset: 0 });
    await waitFor(() => store.getMaxOffsetInQueue('CqDelT', 1) === 1);
    const r = await call(pull('CqDelT', 0, { queueId: 1, sysFlag: 0x4 }));
    expect(r.code).to.equal(ResponseCode.SUCCESS);
  });

  it('GET_BROKER_RUNTIME_INFO: a KVTable with every key of §2.4, all strings; puts counted', async () => {
    await call(sendV2('RtT', 'x'));
    await call(sendV2('RtT', 'y'));
    const r = await call(plain(RequestCode.GET_BROKER_RUNTIME_INFO));
    expect(r.code).to.equal(ResponseCode.SUCCESS);
    const t = decodeKVTable(r.body!).table;
    const keys = [
      'brokerVersionDesc', 'brokerVersion', 'msgPutTotalYesterdayMorning', 'msgPutTotalTodayMorning', 'msgPutTotalTodayNow',
      'msgGetTotalYesterdayMorning', 'msgGetTotalTodayMorning', 'msgGetTotalTodayNow', 'sendThreadPoolQueueSize', 'sendThreadPoolQueueCapacity',
      'pullThreadPoolQueueSize', 'pullThreadPoolQueueCapacity', 'queryThreadPoolQueueSize', 'queryThreadPoolQueueCapacity',
      'EndTransactionQueueSize', 'EndTransactionThreadPoolQueueCapacity', 'dispatchBehindBytes', 'pageCacheLockTimeMills',
      'sendThreadPoolQueueHeadWaitTimeMills', 'pullThreadPoolQueueHeadWaitTimeMills', 'queryThreadPoolQueueHeadWaitTimeMills',
      'earliestMessageTimeStamp', 'startAcceptSendRequestTimeStamp', 'remainTransientStoreBufferNumbs', 'remainHowManyDataToFlush',
      'commitLogDirCapacity', 'commitLogDiskRatio', 'consumeQueueDiskRatio', 'commitLogMinOffset', 'commitLogMaxOffset',
      'bootTimestamp', 'runtime', 'putMessageEntireTimeMax', 'putMessageTimesTotal', 'putMessageFailedTimes', 'putMessageSizeTotal',
      'putMessageDistributeTime', 'putMessageAverageSize', 'dispatchMaxBuffer', 'getMessageEntireTimeMax', 'putTps', 'getFoundTps',
      'getMissTps', 'getTotalTps', 'getTransferedTps', 'putLatency99', 'putLatency999',
    ];
    for (const k of keys) expect(t.get(k), k).to.be.a('string');
    expect(t.get('brokerVersionDesc')).to.equal('V4_9_8');
    expect(t.get('brokerVersion')).to.equal('409');
    expect(t.get('msgPutTotalTodayNow')).to.equal('2');
    expect(t.get('putMessageTimesTotal')).to.equal('2');
    // mqadmin clusterList parses these as numbers.
    expect(Number(t.get('putTps')!.split(' ')[0])).to.be.a('number').and.not.NaN;
    expect(Number(t.get('getTransferedTps')!.split(' ')[0])).to.not.be.NaN;
    expect(Number(t.get('earliestMessageTimeStamp'))).to.be.greaterThan(0);
    expect(Number(t.get('commitLogDiskRatio'))).to.be.within(0, 1);
    expect(t.get('runtime')).to.match(/^\[ \d+ days, \d+ hours, \d+ minutes, \d+ seconds \]$/);
  });

  it('UPDATE_BROKER_CONFIG applies, persists to the broker config file and shows in GET_BROKER_CONFIG; black-listed keys NO_PERMISSION', async () => {
    const get = async (): Promise<RemotingCommand> => call(plain(RequestCode.GET_BROKER_CONFIG));
    const v0 = JSON.parse((await get()).getExtField('version')!) as { counter: number };
    const r = await call(plain(RequestCode.UPDATE_BROKER_CONFIG, Buffer.from('fileReservedTime=24\nshortPollingTimeMills=700\nnotAKey=1\n')));
    expect([r.code, r.remark]).to.deep.equal([ResponseCode.SUCCESS, undefined]);
    expect(c.broker.messageStoreConfig.fileReservedTime).to.equal(24);
    expect(c.broker.brokerConfig.shortPollingTimeMills).to.equal(700);
    const after = await get();
    const text = after.body!.toString('utf8');
    expect(text).to.include('fileReservedTime=24\n').and.include('shortPollingTimeMills=700\n');
    expect((JSON.parse(after.getExtField('version')!) as { counter: number }).counter).to.equal(v0.counter + 1);
    const file = await readFile(join(c.broker.messageStoreConfig.storePathRootDir, 'config', 'broker.properties'), 'utf8');
    expect(file).to.include('fileReservedTime=24\n');

    for (const key of ['brokerConfigPath', 'rocketmqHome', 'configBlackList']) {
      const refused = await call(plain(RequestCode.UPDATE_BROKER_CONFIG, Buffer.from(`fileReservedTime=12\n${key}=x\n`)));
      expect([refused.code, refused.remark]).to.deep.equal([ResponseCode.NO_PERMISSION, 'Can not update config in black list.']);
    }
    expect(c.broker.messageStoreConfig.fileReservedTime).to.equal(24);
  });

  it('subscription groups: create, list, delete with their offsets', async () => {
    const cfg = createSubscriptionGroupConfig('SG1', { retryMaxTimes: 3, consumeBroadcastEnable: false });
    const up = await call(plain(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, encodeSubscriptionGroupConfig(cfg)));
    expect(up.code).to.equal(ResponseCode.SUCCESS);
    const all = decodeSubscriptionGroupWrapper((await call(plain(RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG))).body!);
    expect(all.subscriptionGroupTable.get('SG1')).to.deep.equal(cfg);
    await call(commitOffset('SG1', 'TopicX', 0, 5));
    const del = await call(createRequestWithHeader(RequestCode.DELETE_SUBSCRIPTIONGROUP, DeleteSubscriptionGroupRequestHeader, { groupName: 'SG1', removeOffset: true }));
    expect(del.code).to.equal(ResponseCode.SUCCESS);
    expect(c.broker.subscriptionGroupManager.subscriptionGroupTable.has('SG1')).to.equal(false);
    expect(c.broker.consumerOffsetManager.queryOffset('SG1', 'TopicX', 0)).to.equal(-1);
    const bad = await call(plain(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, Buffer.from('{not json')));
    expect(bad.code).to.equal(ResponseCode.SYSTEM_ERROR);
  });

  it('connections: CONSUMER_NOT_ONLINE / unknown producer group, then the heartbeat channels', async () => {
    const cc = (g: string): RemotingCommand => createRequestWithHeader(RequestCode.GET_CONSUMER_CONNECTION_LIST, GetConsumerConnectionListRequestHeader, { consumerGroup: g });
    const pc = (g: string): RemotingCommand => createRequestWithHeader(RequestCode.GET_PRODUCER_CONNECTION_LIST, GetProducerConnectionListRequestHeader, { producerGroup: g });
    const offline = await call(cc('CG1'));
    expect([offline.code, offline.remark]).to.deep.equal([ResponseCode.CONSUMER_NOT_ONLINE, 'the consumer group[CG1] not online']);
    const noProducer = await call(pc('PG1'));
    expect([noProducer.code, noProducer.remark]).to.deep.equal([ResponseCode.SYSTEM_ERROR, 'the producer group[PG1] not exist']);

    expect((await call(heartbeat('10.0.0.9@c1', 'CG1', ['ConnT'], 'PG1'))).code).to.equal(ResponseCode.SUCCESS);
    const conn = decodeConsumerConnection((await call(cc('CG1'))).body!);
    expect(conn.connectionSet.map((x) => x.clientId)).to.deep.equal(['10.0.0.9@c1']);
    expect(conn.connectionSet[0]!.clientAddr).to.match(/^127\.0\.0\.1:\d+$/);
    expect(conn.connectionSet[0]!.language).to.equal('JAVA');
    expect([...conn.subscriptionTable.keys()]).to.include('ConnT');
    expect(conn).to.include({ consumeType: 'CONSUME_PASSIVELY', messageModel: 'CLUSTERING', consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
    const prod = decodeProducerConnection((await call(pc('PG1'))).body!);
    expect(prod.connectionSet.map((x) => x.clientId)).to.deep.equal(['10.0.0.9@c1']);
  });

  it('GET_CONSUME_STATS, GET_ALL_CONSUMER_OFFSET, GET_ALL_DELAY_OFFSET, QUERY_TOPIC_CONSUME_BY_WHO', async () => {
    await call(createTopic('CsT', 2));
    for (let i = 0; i < 4; i++) await call(sendV2('CsT', `m${i}`, { queueId: 0 }));
    await waitFor(() => c.broker.messageStore.getMaxOffsetInQueue('CsT', 0) === 4);
    await call(commitOffset('CG2', 'CsT', 0, 3));
    const stats = decodeConsumeStats(
      (await call(createRequestWithHeader(RequestCode.GET_CONSUME_STATS, GetConsumeStatsRequestHeader, { consumerGroup: 'CG2' }))).body!,
    );
    const q0 = stats.offsetTable.get(createMessageQueue('CsT', 'broker-a', 0))!;
    expect(q0).to.include({ brokerOffset: 4, consumerOffset: 3 });
    expect(q0.lastTimestamp).to.be.greaterThan(0);
    expect(stats.offsetTable.get(createMessageQueue('CsT', 'broker-a', 1))).to.deep.equal({ brokerOffset: 0, consumerOffset: 0, lastTimestamp: 0 });
    // An online group that subscribes something else: the topic's old offsets are skipped.
    await call(heartbeat('10.0.0.8@c2', 'CG2', ['Other']));
    const skipped = decodeConsumeStats(
      (await call(createRequestWithHeader(RequestCode.GET_CONSUME_STATS, GetConsumeStatsRequestHeader, { consumerGroup: 'CG2', topic: 'CsT' }))).body!,
    );
    expect(skipped.offsetTable.size).to.equal(0);

    const offsets = decodeConsumerOffsetSerializeWrapper((await call(plain(RequestCode.GET_ALL_CONSUMER_OFFSET))).body!);
    expect(offsets.offsetTable.get('CsT@CG2')?.get(0)).to.equal(3);
    const delay = await call(plain(RequestCode.GET_ALL_DELAY_OFFSET));
    expect(delay.code).to.equal(ResponseCode.SUCCESS);
    expect(decodeDelayOffsetSerializeWrapper(delay.body!).offsetTable).to.be.instanceOf(Map);
    const who = await call(createRequestWithHeader(RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, QueryTopicConsumeByWhoRequestHeader, { topic: 'CsT' }));
    expect(decodeGroupList(who.body!).groupList).to.deep.equal(['CG2']);
    const whoOther = await call(createRequestWithHeader(RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, QueryTopicConsumeByWhoRequestHeader, { topic: 'Other' }));
    expect(decodeGroupList(whoOther.body!).groupList).to.deep.equal(['CG2']);
  });

  it('DELETE_EXPIRED_COMMITLOG and TRIGGER_DELETE_FILES answer SUCCESS; a missing header field is SYSTEM_ERROR and the broker serves on', async () => {
    expect((await call(plain(RequestCode.DELETE_EXPIRED_COMMITLOG))).code).to.equal(ResponseCode.SUCCESS);
    expect((await call(plain(RequestCode.TRIGGER_DELETE_FILES))).code).to.equal(ResponseCode.SUCCESS);
    for (const code of [RequestCode.DELETE_TOPIC_IN_BROKER, RequestCode.GET_TOPIC_STATS_INFO, RequestCode.GET_CONSUME_STATS, RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, RequestCode.QUERY_MESSAGE]) {
      expect((await call(plain(code))).code, String(code)).to.equal(ResponseCode.SYSTEM_ERROR);
    }
    expect((await call(plain(RequestCode.GET_BROKER_RUNTIME_INFO))).code).to.equal(ResponseCode.SUCCESS);
  });
});

describe('Broker admin on a SLAVE', () => {
  const channel = { id: 1, remoteAddress: '127.0.0.1:1', localAddress: '127.0.0.1:2', isActive: true } as unknown as RemotingChannel;
  const log = createLogger('test');

  it('refuses topic and subscription group changes with Java\'s remark', async () => {
    let touched = false;
    const admin = new AdminBrokerProcessor({
      topicConfigManager: {
        updateTopicConfig: () => (touched = true),
        deleteTopicConfig: () => (touched = true),
      } as unknown as ConstructorParameters<typeof AdminBrokerProcessor>[0]['topicConfigManager'],
      brokerRole: () => 'SLAVE',
      brokerName: () => 'b',
      store: {} as ConstructorParameters<typeof AdminBrokerProcessor>[0]['store'],
      onTopicUpdated: () => undefined,
      configuration: {} as ConstructorParameters<typeof AdminBrokerProcessor>[0]['configuration'],
      onBrokerPermissionChanged: () => undefined,
      log,
    });
    for (const req of [createTopic('T'), createRequestWithHeader(RequestCode.DELETE_TOPIC_IN_BROKER, DeleteTopicRequestHeader, { topic: 'T' })]) {
      const r = await admin.processRequest(channel, req);
      expect([r.code, r.remark]).to.deep.equal([ResponseCode.SYSTEM_ERROR, SLAVE_REMARK]);
    }
    const groups = new SubscriptionGroupProcessor({
      subscriptionGroupManager: {
        updateSubscriptionGroupConfig: () => (touched = true),
        deleteSubscriptionGroupConfig: () => (touched = true),
        encode: () => Buffer.from('{}'),
      },
      consumerOffsetManager: { removeOffset: () => (touched = true) },
      brokerRole: () => 'SLAVE',
      log,
    });
    const up = groups.processRequest(channel, plain(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, encodeSubscriptionGroupConfig(createSubscriptionGroupConfig('G'))));
    const del = groups.processRequest(channel, createRequestWithHeader(RequestCode.DELETE_SUBSCRIPTIONGROUP, DeleteSubscriptionGroupRequestHeader, { groupName: 'G', removeOffset: true }));
    for (const r of [up, del]) expect([r.code, r.remark]).to.deep.equal([ResponseCode.SYSTEM_ERROR, SLAVE_REMARK]);
    expect(groups.processRequest(channel, plain(RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG)).code).to.equal(ResponseCode.SUCCESS);
    expect(touched).to.equal(false);
  });
});
