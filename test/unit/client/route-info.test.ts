import { expect } from 'chai';

import { ClientConfig, getLocalAddress } from '../../../src/client/client-config.js';
import { wrapNamespace, withoutNamespace } from '../../../src/client/namespace-util.js';
import { splitMessages } from '../../../src/client/producer/message-batch.js';
import { topicRouteData2TopicPublishInfo, topicRouteData2TopicSubscribeInfo, topicRouteDataIsChange } from '../../../src/client/route/topic-route-info.js';
import { Message } from '../../../src/common/message/message.js';
import type { TopicRouteData } from '../../../src/common/protocol/body/topic-route-data.js';

function route(): TopicRouteData {
  return {
    queueDatas: [
      { brokerName: 'broker-b', readQueueNums: 2, writeQueueNums: 3, perm: 6, topicSysFlag: 0 },
      { brokerName: 'broker-a', readQueueNums: 4, writeQueueNums: 2, perm: 6, topicSysFlag: 0 },
      { brokerName: 'broker-c', readQueueNums: 1, writeQueueNums: 1, perm: 4, topicSysFlag: 0 },
      { brokerName: 'broker-d', readQueueNums: 1, writeQueueNums: 1, perm: 6, topicSysFlag: 0 },
    ],
    brokerDatas: [
      { cluster: 'c', brokerName: 'broker-a', brokerAddrs: new Map([[0, '10.0.0.1:10911']]) },
      { cluster: 'c', brokerName: 'broker-b', brokerAddrs: new Map([[0, '10.0.0.2:10911'], [1, '10.0.0.3:10911']]) },
      { cluster: 'c', brokerName: 'broker-c', brokerAddrs: new Map([[0, '10.0.0.4:10911']]) },
      { cluster: 'c', brokerName: 'broker-d', brokerAddrs: new Map([[1, '10.0.0.5:10911']]) },
    ],
    filterServerTable: new Map(),
  };
}

describe('route → publish / subscribe info', () => {
  it('publishes writeQueueNums queues of writable brokers with a master, sorted by brokerName', () => {
    const info = topicRouteData2TopicPublishInfo('T', route());
    expect(info.messageQueueList.map((q) => `${q.brokerName}:${q.queueId}`)).to.deep.equal(['broker-a:0', 'broker-a:1', 'broker-b:0', 'broker-b:1', 'broker-b:2']);
    expect(info.orderTopic).to.equal(false);
    expect(info.getQueueIdByBroker('broker-b')).to.equal(3);
    expect(info.getQueueIdByBroker('broker-c')).to.equal(-1);
  });

  it('uses orderTopicConf when present', () => {
    const r = route();
    r.orderTopicConf = 'broker-b:2;broker-a:1';
    const info = topicRouteData2TopicPublishInfo('T', r);
    expect(info.orderTopic).to.equal(true);
    expect(info.messageQueueList.map((q) => `${q.brokerName}:${q.queueId}`)).to.deep.equal(['broker-b:0', 'broker-b:1', 'broker-a:0']);
  });

  it('subscribes readQueueNums queues of readable brokers', () => {
    expect(topicRouteData2TopicSubscribeInfo('T', route()).length).to.equal(2 + 4 + 1 + 1);
  });

  it('sees a route change regardless of list order', () => {
    const a = route();
    const b = route();
    b.queueDatas.reverse();
    b.brokerDatas.reverse();
    expect(topicRouteDataIsChange(a, b)).to.equal(false);
    b.queueDatas[0]!.perm = 2;
    expect(topicRouteDataIsChange(a, b)).to.equal(true);
    expect(topicRouteDataIsChange(undefined, a)).to.equal(true);
  });
});

describe('ClientConfig', () => {
  it('has Java defaults and builds ip@instanceName[@unitName]', () => {
    const c = new ClientConfig({ clientIP: '10.1.2.3', namesrvAddr: 'a:1; b:2;' });
    expect(c).to.deep.include({ instanceName: 'DEFAULT', pollNameServerInterval: 30000, heartbeatBrokerInterval: 30000, persistConsumerOffsetInterval: 5000, vipChannelEnabled: false, mqClientApiTimeout: 3000, language: 'JAVA' });
    expect(c.namesrvAddrList()).to.deep.equal(['a:1', 'b:2']);
    expect(c.buildMQClientId()).to.equal('10.1.2.3@DEFAULT');
    c.unitName = 'unit1';
    expect(c.buildMQClientId()).to.equal('10.1.2.3@DEFAULT@unit1');
    c.changeInstanceNameToPID();
    expect(c.instanceName).to.match(new RegExp(`^${process.pid}#\\d+$`));
    const named = new ClientConfig({ instanceName: 'mine' });
    named.changeInstanceNameToPID();
    expect(named.instanceName).to.equal('mine');
  });

  it('picks the local address as RemotingUtil.getLocalAddress', () => {
    const nic = (address: string, family: 'IPv4' | 'IPv6', internal = false) => ({ address, family, internal, netmask: '', mac: '', cidr: null, scopeid: 0 });
    expect(getLocalAddress({ lo: [nic('127.0.0.1', 'IPv4', true)], eth0: [nic('192.168.1.5', 'IPv4')], eth1: [nic('10.0.0.7', 'IPv4')] } as never)).to.equal('10.0.0.7');
    expect(getLocalAddress({ eth0: [nic('192.168.1.5', 'IPv4')] } as never)).to.equal('192.168.1.5');
    expect(getLocalAddress({ eth0: [nic('fd00::1', 'IPv6')] } as never)).to.equal('[fd00::1]');
    expect(getLocalAddress({} as never)).to.equal('127.0.0.1');
  });
});

describe('namespaces and batch splitting', () => {
  it('wraps and unwraps topics as NamespaceUtil', () => {
    expect(wrapNamespace('ns', 'T')).to.equal('ns%T');
    expect(wrapNamespace('ns', 'ns%T')).to.equal('ns%T');
    expect(wrapNamespace('ns', '%RETRY%g')).to.equal('%RETRY%ns%g');
    expect(wrapNamespace('ns', 'TBW102')).to.equal('TBW102');
    expect(wrapNamespace('', 'T')).to.equal('T');
    expect(withoutNamespace('ns%T', 'ns')).to.equal('T');
    expect(withoutNamespace('%RETRY%ns%g', 'ns')).to.equal('%RETRY%g');
  });

  it('splits messages in order into lists within the size limit', () => {
    const msgs = Array.from({ length: 7 }, (_, i) => new Message('T', Buffer.alloc(100, i)));
    const parts = splitMessages(msgs, 400);
    expect(parts.flat()).to.deep.equal(msgs);
    expect(parts.length).to.be.greaterThan(1);
    expect(splitMessages([new Message('T', Buffer.alloc(1000))], 400)).to.have.length(1);
  });
});
