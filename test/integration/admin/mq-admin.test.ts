import { expect } from 'chai';

import { MQAdmin } from '../../../src/client/admin/mq-admin.js';
import { DefaultMQProducer } from '../../../src/client/producer/default-mq-producer.js';
import { LOCAL_BROKER_NAME, LocalCluster } from '../../../src/broker/local-cluster.js';
import { MQBrokerException, MQClientException, RocketMQError } from '../../../src/common/errors.js';
import { Message } from '../../../src/common/message/message.js';
import { createTopicConfig } from '../../../src/common/protocol/body/topic-config.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import { mqVersionDesc } from '../../../src/common/mq-version.js';

const CLUSTER = 'DefaultCluster';

async function rejection(p: Promise<unknown>): Promise<RocketMQError> {
  try {
    await p;
  } catch (e: unknown) {
    expect(e).to.be.instanceOf(RocketMQError);
    return e as RocketMQError;
  }
  throw new Error('expected a rejection');
}

describe('MQAdmin against LocalCluster', function () {
  this.timeout(30000);
  let cluster: LocalCluster;
  let admin: MQAdmin;

  before(async () => {
    cluster = await LocalCluster.start();
    admin = new MQAdmin({ namesrvAddr: cluster.namesrvAddr });
    await admin.start();
    await admin.createAndUpdateTopicConfigOnCluster(CLUSTER, createTopicConfig('MqaT', { readQueueNums: 2, writeQueueNums: 2 }));
  });
  after(async () => {
    await admin?.shutdown();
    await cluster?.stop();
  });

  it('refuses to start without a name server address', async () => {
    const saved = process.env.NAMESRV_ADDR;
    delete process.env.NAMESRV_ADDR;
    try {
      const e = await rejection(new MQAdmin().start());
      expect(e.message).to.match(/No name server address/);
    } finally {
      if (saved !== undefined) process.env.NAMESRV_ADDR = saved;
    }
  });

  it('unknown topics, clusters and groups fail with RocketMQ codes', async () => {
    expect((await rejection(admin.examineTopicRouteInfo('NoSuch'))).code).to.equal(ResponseCode.TOPIC_NOT_EXIST);
    expect((await rejection(admin.examineTopicStats('NoSuch'))).code).to.equal(ResponseCode.TOPIC_NOT_EXIST);
    expect((await rejection(admin.fetchMasterAddrByClusterName('NoSuchCluster'))).message).to.match(/cluster NoSuchCluster not found/);
    expect((await rejection(admin.examineConsumeStats('NoSuchGroup'))).code).to.equal(ResponseCode.CONSUMER_NOT_ONLINE);
    expect((await rejection(admin.examineConsumerConnectionInfo('NoSuchGroup'))).code).to.equal(ResponseCode.CONSUMER_NOT_ONLINE);
  });

  it('every group by its %RETRY% topic (consumerProgress without -g): an offline group is a row of zeros with the reasons kept', async () => {
    await admin.createAndUpdateTopicConfigOnCluster(CLUSTER, createTopicConfig('%RETRY%OfflineG', { readQueueNums: 1, writeQueueNums: 1 }));
    const rows = await admin.examineAllGroupsConsumeInfo();
    const row = rows.find((r) => r.group === 'OfflineG');
    expect(row).to.deep.include({ count: 0, version: undefined, consumeType: undefined, messageModel: undefined, consumeTps: 0, diffTotal: 0 });
    expect(row!.statsError).to.match(/consume stats of OfflineG/);
    expect(row!.connectionError).to.match(/connection of OfflineG/);
    expect(rows.every((r) => !r.group.startsWith('%'))).to.equal(true);
    // MQVersion.getVersionDesc: checked against the 4.9.8 enum's ordinals.
    expect([212, 213, 409, 411, 412, 611, 612, 5000].map(mqVersionDesc)).to.deep.equal(['V4_0_0_SNAPSHOT', 'V4_0_0', 'V4_9_8', 'V4_9_9', 'V5_0_0_SNAPSHOT', 'V5_9_9', 'HIGHER_VERSION', 'HIGHER_VERSION']);
  });

  it('order topics: ORDER_TOPIC_CONFIG on the name server per cluster, and per broker merged into the existing value', async () => {
    expect(await admin.getOrderConf('OrdT')).to.equal(undefined);
    expect(await admin.createOrUpdateClusterOrderConf('OrdT', CLUSTER, 2)).to.equal(`${LOCAL_BROKER_NAME}:2`);
    expect(await admin.getOrderConf('OrdT')).to.equal(`${LOCAL_BROKER_NAME}:2`);
    // Another broker's entry (as a second broker -b would have left it) survives a -b update of ours.
    await cluster.namesrv.kvConfigManager.putKVConfig('ORDER_TOPIC_CONFIG', 'OrdT', `${LOCAL_BROKER_NAME}:2;broker-z:5`);
    const merged = await admin.createOrUpdateBrokerOrderConf('OrdT', cluster.brokerAddr, 3);
    expect(merged.split(';').sort()).to.deep.equal([`${LOCAL_BROKER_NAME}:3`, 'broker-z:5']);
    expect(await admin.getOrderConf('OrdT')).to.equal(merged);
    expect((await rejection(admin.createOrUpdateBrokerOrderConf('OrdT', '127.0.0.1:1', 3))).message).to.match(/broker addr exists/);
    expect((await rejection(admin.createOrUpdateClusterOrderConf('OrdT', 'NoSuchCluster', 3))).message).to.match(/NoSuchCluster/);
  });

  it('lists topics per cluster, clusters with runtime info, and deletes a topic from broker and name server', async () => {
    await admin.createAndUpdateTopicConfig(cluster.brokerAddr, createTopicConfig('MqaDel'));
    expect(await admin.fetchTopicList(CLUSTER)).to.include.members(['MqaT', 'MqaDel']);
    const [row] = await admin.clusterList();
    expect(row).to.include({ clusterName: CLUSTER, brokerName: LOCAL_BROKER_NAME, brokerId: 0, addr: cluster.brokerAddr, error: undefined });
    expect(await admin.deleteTopic('MqaDel', CLUSTER)).to.deep.equal([cluster.brokerAddr]);
    expect((await rejection(admin.examineTopicRouteInfo('MqaDel'))).code).to.equal(ResponseCode.TOPIC_NOT_EXIST);
  });

  it('finds messages by offset msgId, UNIQ_KEY and key; a missing queue offset or key is a clear miss', async () => {
    const producer = new DefaultMQProducer({ namesrvAddr: cluster.namesrvAddr, producerGroup: 'mqa-producer', instanceName: 'mqa' });
    await producer.start();
    try {
      const sent = await producer.send(new Message('MqaT', 'TagB', 'KA KB', 'body-1'));
      // The broker builds its index asynchronously (ReputMessageService, as in RocketMQ): a key or
      // UNIQ_KEY lookup right after the send may run before the record is indexed. Wait for it.
      const deadline = Date.now() + 5000;
      while ((await admin.queryMessage('MqaT', 'KB')).length === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect((await admin.viewMessage(sent.offsetMsgId)).body.toString()).to.equal('body-1');
      expect((await admin.viewMessage(sent.msgId, 'MqaT')).offsetMsgId).to.equal(sent.offsetMsgId);
      expect((await rejection(admin.viewMessage(sent.msgId))).code).to.equal(-1);
      expect((await admin.queryMessage('MqaT', 'KB')).map((m) => m.msgId)).to.deep.equal([sent.msgId]);
      expect(await admin.queryMessage('MqaT', 'K')).to.deep.equal([]);
      const at = await admin.queryMessageByOffset('MqaT', LOCAL_BROKER_NAME, sent.messageQueue.queueId, sent.queueOffset);
      expect(at.msgId).to.equal(sent.msgId);
      expect((await rejection(admin.queryMessageByOffset('MqaT', LOCAL_BROKER_NAME, sent.messageQueue.queueId, 50))).code).to.equal(ResponseCode.NO_MESSAGE);
      expect((await rejection(admin.queryMessageByUniqKey('MqaT', '0'.repeat(32)))).code).to.equal(ResponseCode.NO_MESSAGE);
    } finally {
      await producer.shutdown();
    }
  });

  it('a group without offsets cannot be reset; a refused broker config key is a broker error', async () => {
    const e = await rejection(admin.resetOffsetByTimestamp('MqaT', 'NeverConsumed', -1));
    expect(e.message).to.match(/NeverConsumed/);
    const refused = await rejection(admin.updateBrokerConfig(cluster.brokerAddr, { brokerConfigPath: '/tmp/x' }));
    expect(refused).to.be.instanceOf(MQBrokerException);
    expect(refused.code).to.equal(ResponseCode.NO_PERMISSION);
    expect(e).to.be.instanceOf(MQClientException);
  });
});
