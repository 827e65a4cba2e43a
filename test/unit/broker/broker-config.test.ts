import { expect } from 'chai';

import { createBrokerConfig, loadBrokerConfigs, registerNameServerPeriod } from '../../../src/broker/broker-config.js';
import { RebalanceLockManager } from '../../../src/broker/client/rebalance-lock-manager.js';
import { TopicConfigManager } from '../../../src/broker/topic/topic-config-manager.js';
import { validateTopic } from '../../../src/common/protocol/topic-validator.js';
import { createLogger } from '../../../src/common/logging/logger.js';
import { ConfigError } from '../../../src/common/util/config-schema.js';

describe('BrokerConfig', () => {
  it("has RocketMQ's names and defaults", () => {
    const c = createBrokerConfig();
    expect(c).to.include({
      brokerClusterName: 'DefaultCluster',
      brokerId: 0,
      listenPort: 10911,
      brokerPermission: 6,
      defaultTopicQueueNums: 8,
      autoCreateTopicEnable: true,
      autoCreateSubscriptionGroup: true,
      longPollingEnable: true,
      shortPollingTimeMills: 1000,
      registerNameServerPeriod: 30000,
      regionId: 'DefaultRegion',
      traceOn: true,
      transferMsgByHeap: true,
      flushConsumerOffsetInterval: 5000,
    });
  });

  it('loads broker.conf-style pairs into BrokerConfig and MessageStoreConfig; haListenPort = listenPort + 1; masters get id 0', () => {
    const { brokerConfig, messageStoreConfig } = loadBrokerConfigs([
      ['brokerName', 'broker-a'],
      ['brokerId', '3'],
      ['listenPort', '20911'],
      ['flushDiskType', 'SYNC_FLUSH'],
      ['mappedFileSizeCommitLog', '4194304'],
    ]);
    expect(brokerConfig).to.include({ brokerName: 'broker-a', brokerId: 0, listenPort: 20911 });
    expect(messageStoreConfig).to.include({ flushDiskType: 'SYNC_FLUSH', mappedFileSizeCommitLog: 4194304, haListenPort: 20912 });
  });

  it('rejects an unknown key or a bad value, naming the key; a SLAVE needs brokerId > 0', () => {
    expect(() => loadBrokerConfigs([['brokerNam', 'x']])).to.throw(ConfigError, /brokerNam/);
    expect(() => loadBrokerConfigs([['listenPort', 'abc']])).to.throw(ConfigError, /listenPort/);
    expect(() => loadBrokerConfigs([['brokerRole', 'SLAVE']])).to.throw(ConfigError, /brokerId/);
    expect(() => createBrokerConfig({ nope: 1 } as never)).to.throw(ConfigError, /nope/);
  });

  it('clamps registerNameServerPeriod to [10 s, 60 s]', () => {
    expect(registerNameServerPeriod(createBrokerConfig({ registerNameServerPeriod: 1000 }))).to.equal(10000);
    expect(registerNameServerPeriod(createBrokerConfig({ registerNameServerPeriod: 600000 }))).to.equal(60000);
  });
});

describe('TopicConfigManager', () => {
  const config = {
    brokerClusterName: 'DefaultCluster',
    brokerName: 'broker-a',
    autoCreateTopicEnable: true,
    defaultTopicQueueNums: 8,
    clusterTopicEnable: true,
    brokerTopicEnable: true,
    traceTopicEnable: false,
    msgTraceTopicName: 'RMQ_SYS_TRACE_TOPIC',
  };
  const log = createLogger('test');

  it('creates the system topics Java creates, TBW102 with INHERIT only when autoCreateTopicEnable', () => {
    const m = new TopicConfigManager(config, '/nonexistent/topics.json', log);
    expect([...m.topicConfigTable.keys()]).to.deep.equal([
      'SELF_TEST_TOPIC', 'TBW102', 'BenchmarkTest', 'DefaultCluster', 'broker-a', 'OFFSET_MOVED_EVENT', 'SCHEDULE_TOPIC_XXXX', 'DefaultCluster_REPLY_TOPIC',
    ]);
    expect(m.selectTopicConfig('TBW102')).to.include({ perm: 7, readQueueNums: 8, writeQueueNums: 8 });
    expect(m.selectTopicConfig('SCHEDULE_TOPIC_XXXX')).to.include({ readQueueNums: 18 });
    expect(m.isSystemTopic('broker-a')).to.equal(true);
    const off = new TopicConfigManager({ ...config, autoCreateTopicEnable: false }, '/nonexistent/topics.json', log);
    expect(off.selectTopicConfig('TBW102')).to.equal(undefined);
    expect(off.createTopicInSendMessageMethod('X', 'TBW102', 'c', 4, 0)).to.equal(undefined);
  });

  it('auto-creates from the default topic: min(client queues, default write queues), perm without INHERIT, notifies', () => {
    const created: string[] = [];
    const m = new TopicConfigManager(config, '/nonexistent/topics.json', log, (tc) => created.push(tc.topicName));
    const before = m.dataVersion.counter;
    expect(m.createTopicInSendMessageMethod('NewT', 'TBW102', 'c', 16, 0)).to.include({ readQueueNums: 8, writeQueueNums: 8, perm: 6 });
    expect(m.createTopicInSendMessageMethod('NewT2', 'TBW102', 'c', 4, 0)).to.include({ readQueueNums: 4 });
    expect(m.createTopicInSendMessageMethod('NewT3', 'NoDefault', 'c', 4, 0)).to.equal(undefined);
    expect(created).to.deep.equal(['NewT', 'NewT2']);
    expect(m.dataVersion.counter).to.equal(before + 2);
  });

  it('validates topic names as TopicValidator does', () => {
    expect(validateTopic('Good_topic-1%|x')).to.equal(undefined);
    expect(validateTopic(' ')).to.equal('The specified topic is blank.');
    expect(validateTopic('a b')).to.match(/illegal characters/);
  });
});

describe('RebalanceLockManager', () => {
  it('locks per group and queue, renews for the holder, lets another take an expired lock', () => {
    const m = new RebalanceLockManager(1000);
    const mq = { topic: 'T', brokerName: 'b', queueId: 0 };
    expect(m.tryLockBatch('G', [mq], 'A', 0)).to.have.length(1);
    expect(m.tryLockBatch('G', [mq], 'B', 500)).to.have.length(0);
    expect(m.tryLockBatch('G2', [mq], 'B', 500)).to.have.length(1);
    expect(m.tryLockBatch('G', [mq], 'A', 900)).to.have.length(1);
    expect(m.tryLockBatch('G', [mq], 'B', 1800)).to.have.length(0);
    expect(m.tryLockBatch('G', [mq], 'B', 2000)).to.have.length(1);
    m.unlockBatch('G', [mq], 'A');
    expect(m.isLocked('G', mq, 'B', 2000)).to.equal(true);
  });
});
