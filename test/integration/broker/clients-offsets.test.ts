import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { decodeConsumerOffsetSerializeWrapper } from '../../../src/common/protocol/body/consumer-offset-serialize-wrapper.js';
import { decodeGetConsumerListByGroupResponseBody } from '../../../src/common/protocol/body/get-consumer-list-by-group-response-body.js';
import { decodeLockBatchResponseBody, encodeLockBatchRequestBody } from '../../../src/common/protocol/body/lock-batch.js';
import { decodeTopicConfigSerializeWrapper } from '../../../src/common/protocol/body/topic-config-serialize-wrapper.js';
import { decodeTopicRouteData } from '../../../src/common/protocol/body/topic-route-data.js';
import { createRequestWithHeader, readHeader } from '../../../src/common/protocol/headers/command-header.js';
import { GetConsumerListByGroupRequestHeader, UnregisterClientRequestHeader } from '../../../src/common/protocol/headers/consumer-manage.js';
import {
  QueryConsumerOffsetRequestHeader,
  QueryConsumerOffsetResponseHeader,
  UpdateConsumerOffsetRequestHeader,
} from '../../../src/common/protocol/headers/consumer-offset.js';
import { GetRouteInfoRequestHeader } from '../../../src/common/protocol/headers/namesrv/route.js';
import { GetMaxOffsetRequestHeader, GetMaxOffsetResponseHeader, GetMinOffsetRequestHeader, GetMinOffsetResponseHeader } from '../../../src/common/protocol/headers/queue-offset.js';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import { RemotingCommand } from '../../../src/common/remoting/remoting-command.js';
import { BrokerFixture, TIMEOUT, heartbeat, sendV2, waitFor } from './helpers.js';

const listRequest = (group: string): RemotingCommand =>
  createRequestWithHeader(RequestCode.GET_CONSUMER_LIST_BY_GROUP, GetConsumerListByGroupRequestHeader, { consumerGroup: group });

describe('Broker clients, offsets and locks', function () {
  this.timeout(15000);
  let fx: BrokerFixture;

  beforeEach(() => {
    fx = new BrokerFixture();
  });
  afterEach(() => fx.close());

  it('heartbeats register consumers; a closed member is dropped and the remaining one gets NOTIFY_CONSUMER_IDS_CHANGED', async () => {
    const c = await fx.cluster();
    const a = fx.client();
    const b = fx.client();
    const notified: string[] = [];
    a.registerProcessor(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, {
      processRequest: (_ch, req) => {
        notified.push(req.getExtField('consumerGroup')!);
        return null;
      },
    });
    expect((await a.invokeSync(c.brokerAddr, heartbeat('10.0.0.1@a', 'G1', ['T1'], 'PG1'), TIMEOUT)).code).to.equal(ResponseCode.SUCCESS);
    // The retry topic of the group exists now (1 queue, R|W), as the heartbeat creates it.
    expect(c.broker.topicConfigManager.selectTopicConfig('%RETRY%G1')).to.include({ readQueueNums: 1, writeQueueNums: 1, perm: 6 });
    await b.invokeSync(c.brokerAddr, heartbeat('10.0.0.2@b', 'G1', ['T1']), TIMEOUT);
    await waitFor(() => notified.length >= 1);
    const list = await a.invokeSync(c.brokerAddr, listRequest('G1'), TIMEOUT);
    expect(list.code).to.equal(ResponseCode.SUCCESS);
    expect(decodeGetConsumerListByGroupResponseBody(list.body!).consumerIdList).to.deep.equal(['10.0.0.1@a', '10.0.0.2@b']);
    expect(c.broker.producerManager.groupChannelTable.get('PG1')?.size).to.equal(1);

    const before = notified.length;
    await b.shutdown();
    await waitFor(() => notified.length > before);
    expect(notified.at(-1)).to.equal('G1');
    const after = await a.invokeSync(c.brokerAddr, listRequest('G1'), TIMEOUT);
    expect(decodeGetConsumerListByGroupResponseBody(after.body!).consumerIdList).to.deep.equal(['10.0.0.1@a']);

    const un = createRequestWithHeader(RequestCode.UNREGISTER_CLIENT, UnregisterClientRequestHeader, { clientID: '10.0.0.1@a', consumerGroup: 'G1', producerGroup: 'PG1' });
    expect((await a.invokeSync(c.brokerAddr, un, TIMEOUT)).code).to.equal(ResponseCode.SUCCESS);
    const none = await a.invokeSync(c.brokerAddr, listRequest('G1'), TIMEOUT);
    expect(none.code).to.equal(ResponseCode.SYSTEM_ERROR);
    expect(none.remark).to.equal('no consumer for this group, G1');
    expect(c.broker.producerManager.groupChannelTable.has('PG1')).to.equal(false);
  });

  it('a first send auto-creates the topic from TBW102 (queues capped), persists it and registers it with the name server', async () => {
    const c = await fx.cluster();
    const client = fx.client();
    const res = await client.invokeSync(c.brokerAddr, sendV2('AutoT', 'x', { defaultTopicQueueNums: 16 }), TIMEOUT);
    expect(res.code).to.equal(ResponseCode.SUCCESS);
    expect(c.broker.topicConfigManager.selectTopicConfig('AutoT')).to.include({ readQueueNums: 8, writeQueueNums: 8, perm: 6 });
    await waitFor(async () => {
      const route = await client.invokeSync(c.namesrvAddr, createRequestWithHeader(RequestCode.GET_ROUTEINFO_BY_TOPIC, GetRouteInfoRequestHeader, { topic: 'AutoT' }), TIMEOUT);
      return route.code === ResponseCode.SUCCESS && decodeTopicRouteData(route.body!).queueDatas[0]?.writeQueueNums === 8;
    });
    await waitFor(async () => {
      const text = await readFile(join(c.storePathRootDir, 'config', 'topics.json'), 'utf8').catch(() => '');
      return text.includes('"AutoT"');
    });
    const all = await client.invokeSync(c.brokerAddr, RemotingCommand.createRequest(RequestCode.GET_ALL_TOPIC_CONFIG), TIMEOUT);
    const table = decodeTopicConfigSerializeWrapper(all.body!).topicConfigTable;
    expect([...table.keys()]).to.include.members(['TBW102', 'AutoT', 'SELF_TEST_TOPIC', 'SCHEDULE_TOPIC_XXXX', 'DefaultCluster', 'broker-a', 'OFFSET_MOVED_EVENT']);
    expect(table.get('TBW102')).to.include({ perm: 7, readQueueNums: 8 });
  });

  it('consumer offsets: 0 for a fresh queue, committed by UPDATE and by pulls, kept across a restart on the same store', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rmq-broker-offsets-'));
    try {
      let c = await fx.cluster({ storePathRootDir: dir });
      let client = fx.client();
      const query = (): RemotingCommand =>
        createRequestWithHeader(RequestCode.QUERY_CONSUMER_OFFSET, QueryConsumerOffsetRequestHeader, { consumerGroup: 'G', topic: 'OT', queueId: 1 });
      const first = await client.invokeSync(c.brokerAddr, query(), TIMEOUT);
      expect(first.code).to.equal(ResponseCode.SUCCESS);
      expect(readHeader(first, QueryConsumerOffsetResponseHeader).offset).to.equal(0);
      for (let i = 0; i < 3; i++) await client.invokeSync(c.brokerAddr, sendV2('OT', `m${i}`, { queueId: 1 }), TIMEOUT);
      const update = createRequestWithHeader(RequestCode.UPDATE_CONSUMER_OFFSET, UpdateConsumerOffsetRequestHeader, { consumerGroup: 'G', topic: 'OT', queueId: 1, commitOffset: 2 });
      await client.invokeOneway(c.brokerAddr, update.markOneway(), TIMEOUT);
      await waitFor(() => c.broker.consumerOffsetManager.queryOffset('G', 'OT', 1) === 2);
      const max = await client.invokeSync(c.brokerAddr, createRequestWithHeader(RequestCode.GET_MAX_OFFSET, GetMaxOffsetRequestHeader, { topic: 'OT', queueId: 1 }), TIMEOUT);
      expect(readHeader(max, GetMaxOffsetResponseHeader).offset).to.equal(3);
      const min = await client.invokeSync(c.brokerAddr, createRequestWithHeader(RequestCode.GET_MIN_OFFSET, GetMinOffsetRequestHeader, { topic: 'NoSuch', queueId: 0 }), TIMEOUT);
      expect(readHeader(min, GetMinOffsetResponseHeader).offset).to.equal(0);

      await c.stop();
      const saved = decodeConsumerOffsetSerializeWrapper(await readFile(join(dir, 'config', 'consumerOffset.json')));
      expect(saved.offsetTable.get('OT@G')?.get(1)).to.equal(2);
      c = await fx.cluster({ storePathRootDir: dir });
      client = fx.client();
      const again = await client.invokeSync(c.brokerAddr, query(), TIMEOUT);
      expect(readHeader(again, QueryConsumerOffsetResponseHeader).offset).to.equal(2);
      const maxAgain = await client.invokeSync(c.brokerAddr, createRequestWithHeader(RequestCode.GET_MAX_OFFSET, GetMaxOffsetRequestHeader, { topic: 'OT', queueId: 1 }), TIMEOUT);
      expect(readHeader(maxAgain, GetMaxOffsetResponseHeader).offset).to.equal(3);
    } finally {
      await fx.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('LOCK_BATCH_MQ: one client of a group holds a queue; UNLOCK_BATCH_MQ frees it for another', async () => {
    const c = await fx.cluster();
    const client = fx.client();
    const mqs = [0, 1].map((queueId) => ({ topic: 'LT', brokerName: 'broker-a', queueId }));
    const lock = (clientId: string, code: number = RequestCode.LOCK_BATCH_MQ): RemotingCommand =>
      RemotingCommand.createRequest(code, undefined, encodeLockBatchRequestBody({ consumerGroup: 'OG', clientId, mqSet: mqs }));
    const a = await client.invokeSync(c.brokerAddr, lock('A'), TIMEOUT);
    expect(decodeLockBatchResponseBody(a.body!).lockOKMQSet).to.have.length(2);
    const b = await client.invokeSync(c.brokerAddr, lock('B'), TIMEOUT);
    expect(decodeLockBatchResponseBody(b.body!).lockOKMQSet).to.have.length(0);
    expect((await client.invokeSync(c.brokerAddr, lock('A', RequestCode.UNLOCK_BATCH_MQ), TIMEOUT)).code).to.equal(ResponseCode.SUCCESS);
    const b2 = await client.invokeSync(c.brokerAddr, lock('B'), TIMEOUT);
    expect(decodeLockBatchResponseBody(b2.body!).lockOKMQSet).to.have.length(2);
  });
});
