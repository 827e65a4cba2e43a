import { expect } from 'chai';

import { ClientConfig } from '../../../src/client/client-config.js';
import type { MQConsumerInner } from '../../../src/client/impl/mq-inner.js';
import { MQClientManager } from '../../../src/client/impl/mq-client-manager.js';
import { MQBrokerException } from '../../../src/common/errors.js';
import { createLogger } from '../../../src/common/logging/logger.js';
import { MessageQueueMap } from '../../../src/common/protocol/body/message-queue-map.js';
import { decodeConsumerRunningInfo } from '../../../src/common/protocol/body/consumer-running-info.js';
import { encodeGetConsumerListByGroupResponseBody } from '../../../src/common/protocol/body/get-consumer-list-by-group-response-body.js';
import { decodeLockBatchRequestBody, encodeLockBatchResponseBody } from '../../../src/common/protocol/body/lock-batch.js';
import { createRequestWithHeader, createResponseWithHeader, readHeader } from '../../../src/common/protocol/headers/command-header.js';
import { GetConsumerRunningInfoRequestHeader } from '../../../src/common/protocol/headers/consumer-control.js';
import { NotifyConsumerIdsChangedRequestHeader } from '../../../src/common/protocol/headers/consumer-manage.js';
import { QueryConsumerOffsetRequestHeader, QueryConsumerOffsetResponseHeader, UpdateConsumerOffsetRequestHeader } from '../../../src/common/protocol/headers/consumer-offset.js';
import { PullMessageRequestHeader, PullMessageResponseHeader } from '../../../src/common/protocol/headers/pull-message.js';
import { GetMaxOffsetResponseHeader } from '../../../src/common/protocol/headers/queue-offset.js';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import { RemotingCommand } from '../../../src/common/remoting/remoting-command.js';
import { Message } from '../../../src/common/message/message.js';
import { waitFor, type FakeBroker } from './fake-broker.js';
import { ClientFixture, topic } from './helpers.js';

describe('MQClientInstance and MQClientAPIImpl', () => {
  let fx: ClientFixture;
  let namesrvAddr: string;
  let broker: FakeBroker;

  beforeEach(async () => {
    fx = new ClientFixture();
    namesrvAddr = (await fx.namesrv()).address;
    broker = await fx.broker({ namesrvAddr, brokerName: 'broker-a', topics: [topic('TopicC', 2)] });
  });
  afterEach(() => fx.close());

  it('is shared by producers with the same clientId and shuts down with the last one', async () => {
    const p1 = fx.producer({ producerGroup: 'PG_S1', namesrvAddr, instanceName: 'shared' });
    const p2 = fx.producer({ producerGroup: 'PG_S2', namesrvAddr, instanceName: 'shared' });
    await p1.start();
    await p2.start();
    const instance = p1.defaultMQProducerImpl.mQClientFactory!;
    expect(p2.defaultMQProducerImpl.mQClientFactory).to.equal(instance);
    expect(instance.clientId).to.match(/@shared$/);
    const dup = fx.producer({ producerGroup: 'PG_S1', namesrvAddr, instanceName: 'shared' });
    await dup.start().then(
      () => expect.fail('duplicate group started'),
      (e: unknown) => expect((e as Error).message).to.match(/has been created before/),
    );
    await p1.shutdown();
    expect(instance.serviceState).to.equal('RUNNING');
    expect((await p2.send(new Message('TopicC', 'still'))).sendStatus).to.equal('SEND_OK');
    await p2.shutdown();
    expect(instance.serviceState).to.equal('SHUTDOWN_ALREADY');
  });

  it('routes TBW102-derived queues, fills the broker table, and cleans offline brokers', async () => {
    const config = new ClientConfig({ namesrvAddr, instanceName: 'route-test' });
    const instance = MQClientManager.getInstance().getOrCreateMQClientInstance(config, createLogger('test'));
    try {
      expect(await instance.updateTopicRouteInfoFromNameServer('NoSuchTopic')).to.equal(false);
      expect(await instance.updateTopicRouteInfoFromNameServer('TopicC')).to.equal(true);
      expect(await instance.updateTopicRouteInfoFromNameServer('TopicC')).to.equal(false);
      expect(instance.findBrokerAddressInPublish('broker-a')).to.equal(broker.addr);
      expect(instance.findBrokerAddressInSubscribe('broker-a', 1, false)).to.deep.equal({ brokerAddr: broker.addr, slave: false, brokerVersion: 0 });
      expect(await instance.updateTopicRouteInfoFromNameServer('AutoTopic', true, { createTopicKey: 'TBW102', defaultTopicQueueNums: 3 })).to.equal(true);
      expect(instance.topicRouteTable.get('AutoTopic')!.queueDatas[0]!.writeQueueNums).to.equal(3);
      instance.topicRouteTable.clear();
      instance.cleanOfflineBroker();
      expect(instance.brokerAddrTable.size).to.equal(0);
    } finally {
      await instance.shutdown();
    }
  });

  it('implements the consumer-side requests against a broker', async () => {
    const api = (await startedInstance('api-test')).mQClientAPIImpl;
    const addr = broker.addr;
    broker.canned.set(RequestCode.PULL_MESSAGE, (req) => {
      const h = readHeader(req, PullMessageRequestHeader);
      if (h.queueOffset === 5) return createResponseWithHeader(req, ResponseCode.PULL_NOT_FOUND, PullMessageResponseHeader, { suggestWhichBrokerId: 0, nextBeginOffset: 5, minOffset: 0, maxOffset: 5 });
      const r = createResponseWithHeader(req, ResponseCode.SUCCESS, PullMessageResponseHeader, { suggestWhichBrokerId: 1, nextBeginOffset: 3, minOffset: 0, maxOffset: 5 });
      r.body = Buffer.from('records');
      return r;
    });
    const pullHeader = { consumerGroup: 'CG', topic: 'TopicC', queueId: 0, queueOffset: 0, maxMsgNums: 32, sysFlag: 2, commitOffset: 0, suspendTimeoutMillis: 15000, subVersion: 1, expressionType: 'TAG' };
    const found = await api.pullMessage(addr, pullHeader, 3000);
    expect(found).to.deep.include({ pullStatus: 'FOUND', nextBeginOffset: 3, suggestWhichBrokerId: 1, maxOffset: 5 });
    expect(found.messageBinary?.toString()).to.equal('records');
    expect((await api.pullMessage(addr, { ...pullHeader, queueOffset: 5 }, 3000)).pullStatus).to.equal('NO_NEW_MSG');

    broker.canned.set(RequestCode.QUERY_CONSUMER_OFFSET, (req) =>
      readHeader(req, QueryConsumerOffsetRequestHeader).queueId === 0
        ? createResponseWithHeader(req, ResponseCode.SUCCESS, QueryConsumerOffsetResponseHeader, { offset: 42 })
        : RemotingCommand.createResponse(req, ResponseCode.QUERY_NOT_FOUND, 'Not found'),
    );
    expect(await api.queryConsumerOffset(addr, { consumerGroup: 'CG', topic: 'TopicC', queueId: 0 }, 3000)).to.equal(42);
    const notFound = await api.queryConsumerOffset(addr, { consumerGroup: 'CG', topic: 'TopicC', queueId: 1 }, 3000).catch((e: unknown) => e);
    expect(notFound).to.be.instanceOf(MQBrokerException);
    expect((notFound as MQBrokerException).code).to.equal(ResponseCode.QUERY_NOT_FOUND);

    await api.updateConsumerOffsetOneway(addr, { consumerGroup: 'CG', topic: 'TopicC', queueId: 0, commitOffset: 7 }, 3000);
    await waitFor(() => broker.requests.some((r) => r.code === RequestCode.UPDATE_CONSUMER_OFFSET));
    const upd = broker.requests.find((r) => r.code === RequestCode.UPDATE_CONSUMER_OFFSET)!;
    expect(upd.isOneway).to.equal(true);
    expect(readHeader(upd, UpdateConsumerOffsetRequestHeader).commitOffset).to.equal(7);

    broker.canned.set(RequestCode.GET_MAX_OFFSET, (req) => createResponseWithHeader(req, ResponseCode.SUCCESS, GetMaxOffsetResponseHeader, { offset: 99 }));
    expect(await api.getMaxOffset(addr, 'TopicC', 0, 3000)).to.equal(99);

    broker.canned.set(RequestCode.GET_CONSUMER_LIST_BY_GROUP, (req) => {
      const r = RemotingCommand.createResponse(req, ResponseCode.SUCCESS);
      r.body = encodeGetConsumerListByGroupResponseBody({ consumerIdList: ['c1', 'c2'] });
      return r;
    });
    expect(await api.getConsumerIdListByGroup(addr, 'CG', 3000)).to.deep.equal(['c1', 'c2']);

    broker.canned.set(RequestCode.LOCK_BATCH_MQ, (req) => {
      const body = decodeLockBatchRequestBody(req.body!);
      const r = RemotingCommand.createResponse(req, ResponseCode.SUCCESS);
      r.body = encodeLockBatchResponseBody({ lockOKMQSet: body.mqSet.slice(0, 1) });
      return r;
    });
    const mqs = [{ topic: 'TopicC', brokerName: 'broker-a', queueId: 0 }, { topic: 'TopicC', brokerName: 'broker-a', queueId: 1 }];
    expect(await api.lockBatchMQ(addr, { consumerGroup: 'CG', clientId: 'me', mqSet: mqs }, 3000)).to.deep.equal([mqs[0]]);
  });

  it('delegates broker-initiated requests to the registered consumer', async () => {
    const instance = await startedInstance('processor-test');
    let rebalances = 0;
    const consumer: MQConsumerInner = {
      groupName: () => 'CG_P',
      messageModel: () => 'CLUSTERING',
      consumeType: () => 'CONSUME_PASSIVELY',
      consumeFromWhere: () => 'CONSUME_FROM_LAST_OFFSET',
      subscriptions: () => [{ classFilterMode: false, topic: 'TopicC', subString: '*', tagsSet: [], codeSet: [], subVersion: 1, expressionType: 'TAG' }],
      isUnitMode: () => false,
      doRebalance: () => {
        rebalances++;
      },
      persistConsumerOffset: () => undefined,
      updateTopicSubscribeInfo: () => undefined,
      isSubscribeTopicNeedUpdate: () => false,
      consumerRunningInfo: () => ({ properties: new Map([['consumeThreadMax', '20']]), subscriptionSet: [], mqTable: new MessageQueueMap(), statusTable: new Map() }),
    };
    expect(instance.registerConsumer('CG_P', consumer)).to.equal(true);
    await instance.updateTopicRouteInfoFromNameServer('TopicC');
    await instance.sendHeartbeatToAllBrokerWithLock();
    const hb = broker.heartbeats.at(-1)!;
    expect(hb.consumerDataSet.map((c) => c.groupName)).to.deep.equal(['CG_P']);
    const channel = broker.channels[0]!;

    const before = rebalances;
    await channel.invokeOneway(createRequestWithHeader(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, NotifyConsumerIdsChangedRequestHeader, { consumerGroup: 'CG_P' }));
    await waitFor(() => rebalances > before);

    const info = await channel.invokeSync(createRequestWithHeader(RequestCode.GET_CONSUMER_RUNNING_INFO, GetConsumerRunningInfoRequestHeader, { consumerGroup: 'CG_P', clientId: instance.clientId }), 3000);
    expect(info.code).to.equal(ResponseCode.SUCCESS);
    const decoded = decodeConsumerRunningInfo(info.body!);
    expect(decoded.properties.get('PROP_CLIENT_VERSION')).to.equal('V4_9_8');
    expect(decoded.properties.get('PROP_CONSUME_TYPE')).to.equal('CONSUME_PASSIVELY');
    const missing = await channel.invokeSync(createRequestWithHeader(RequestCode.GET_CONSUMER_RUNNING_INFO, GetConsumerRunningInfoRequestHeader, { consumerGroup: 'nope', clientId: 'x' }), 3000);
    expect(missing.code).to.equal(ResponseCode.SYSTEM_ERROR);
    await instance.unregisterConsumer('CG_P');
    expect(broker.unregisters.at(-1)).to.deep.include({ consumerGroup: 'CG_P' });
  });

  const instances: { shutdown(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const i of instances.splice(0)) await i.shutdown();
  });

  async function startedInstance(name: string): Promise<ReturnType<MQClientManager['getOrCreateMQClientInstance']>> {
    const instance = MQClientManager.getInstance().getOrCreateMQClientInstance(new ClientConfig({ namesrvAddr, instanceName: name }), createLogger('test'));
    instance.start();
    instances.push(instance);
    return instance;
  }
});
