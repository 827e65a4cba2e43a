import { expect } from 'chai';

import { createLogger } from '../../../src/common/logging/logger.js';
import { createDataVersion } from '../../../src/common/protocol/body/data-version.js';
import { createTopicConfig } from '../../../src/common/protocol/body/topic-config.js';
import type { RemotingChannel } from '../../../src/common/remoting/remoting-channel.js';
import { RouteInfoManager, type RegisterBrokerArgs } from '../../../src/namesrv/routeinfo/route-info-manager.js';
import { createNamesrvConfig, applyNamesrvConfig } from '../../../src/namesrv/namesrv-config.js';
import { ConfigError } from '../../../src/common/util/config-schema.js';

const log = createLogger('test', { level: 'silent' });

function fakeChannel(id: number): RemotingChannel & { closed: boolean } {
  return {
    id,
    remoteAddress: `127.0.0.1:${50000 + id}`,
    localAddress: '127.0.0.1:9876',
    isActive: true,
    closed: false,
    writeResponse: () => true,
    invokeSync: () => Promise.reject(new Error('not used')),
    invokeOneway: () => Promise.resolve(),
    close() {
      this.closed = true;
    },
  };
}

function args(over: Partial<RegisterBrokerArgs> = {}): RegisterBrokerArgs {
  return {
    clusterName: 'DefaultCluster',
    brokerAddr: '10.0.0.1:10911',
    brokerName: 'broker-a',
    brokerId: 0,
    haServerAddr: '10.0.0.1:10912',
    topicConfigWrapper: { topicConfigTable: new Map([['T', createTopicConfig('T', { readQueueNums: 4, writeQueueNums: 4 })]]), dataVersion: createDataVersion(1, 1) },
    filterServerList: [],
    channel: undefined,
    ...over,
  };
}

describe('RouteInfoManager', () => {
  it('removes the entry of an address that re-registers under another brokerId (slave promoted)', () => {
    const rim = new RouteInfoManager(log, 120000);
    rim.registerBroker(args({ brokerId: 1, brokerAddr: '10.0.0.2:10911' }));
    rim.registerBroker(args({ brokerId: 0, brokerAddr: '10.0.0.2:10911' }));
    expect(rim.brokerAddrTable.get('broker-a')!.brokerAddrs).to.deep.equal(new Map([[0, '10.0.0.2:10911']]));
  });

  it('keeps topics a broker no longer lists (Java does not remove them on registration)', () => {
    const rim = new RouteInfoManager(log, 120000);
    rim.registerBroker(args());
    rim.registerBroker(args({ topicConfigWrapper: { topicConfigTable: new Map(), dataVersion: createDataVersion(2, 2) } }));
    expect(rim.pickupTopicRouteData('T')).to.not.equal(undefined);
  });

  it('keeps filter servers and returns them in routes; an empty list removes them', () => {
    const rim = new RouteInfoManager(log, 120000);
    rim.registerBroker(args({ filterServerList: ['10.0.0.1:30000'] }));
    expect(rim.pickupTopicRouteData('T')!.filterServerTable).to.deep.equal(new Map([['10.0.0.1:10911', ['10.0.0.1:30000']]]));
    rim.registerBroker(args({ filterServerList: [] }));
    expect(rim.pickupTopicRouteData('T')!.filterServerTable.size).to.equal(0);
  });

  it('scanNotActiveBroker closes and removes brokers past the expiry time only', () => {
    const rim = new RouteInfoManager(log, 1000);
    const ch = fakeChannel(1);
    rim.registerBroker(args({ channel: ch }), 10_000);
    rim.registerBroker(args({ brokerName: 'broker-b', brokerAddr: '10.0.0.9:10911', channel: fakeChannel(2) }), 10_500);
    expect(rim.scanNotActiveBroker(11_000)).to.equal(0);
    expect(rim.scanNotActiveBroker(11_001)).to.equal(1);
    expect(ch.closed).to.equal(true);
    expect(rim.brokerAddrTable.has('broker-a')).to.equal(false);
    expect(rim.brokerAddrTable.has('broker-b')).to.equal(true);
    expect(rim.pickupTopicRouteData('T')!.brokerDatas.map((b) => b.brokerName)).to.deep.equal(['broker-b']);
  });

  it('onChannelDestroy of a stale channel (broker re-registered on a new one) removes nothing', () => {
    const rim = new RouteInfoManager(log, 120000);
    const old = fakeChannel(1);
    rim.registerBroker(args({ channel: old }));
    rim.registerBroker(args({ channel: fakeChannel(2) }));
    rim.onChannelDestroy(old.remoteAddress, old);
    expect(rim.brokerLiveTable.has('10.0.0.1:10911')).to.equal(true);
  });

  it('writes route lists in Java HashMap order (bucket order, not insertion order)', () => {
    const rim = new RouteInfoManager(log, 120000);
    for (const name of ['broker-c', 'broker-a', 'broker-b']) rim.registerBroker(args({ brokerName: name, brokerAddr: `${name}:10911` }));
    // String.hashCode spread & 15: broker-b → 8, broker-c → 9, broker-a → 11 (computed independently).
    const route = rim.pickupTopicRouteData('T')!;
    expect(route.queueDatas.map((q) => q.brokerName)).to.deep.equal(['broker-b', 'broker-c', 'broker-a']);
    expect(route.brokerDatas.map((b) => b.brokerName)).to.deep.equal(['broker-b', 'broker-c', 'broker-a']);
  });
});

describe('NamesrvConfig', () => {
  it('has RocketMQ names and defaults', () => {
    const c = createNamesrvConfig();
    expect(c.listenPort).to.equal(9876);
    expect(c.scanNotActiveBrokerInterval).to.equal(10000);
    expect(c.brokerChannelExpiredTime).to.equal(120000);
    expect(c.orderMessageEnable).to.equal(false);
    expect(c.kvConfigPath).to.match(/\.rocketmq-ts[\\/]namesrv[\\/]kvConfig\.json$/);
  });

  it('rejects unknown keys and bad values naming the key', () => {
    expect(() => applyNamesrvConfig(createNamesrvConfig(), [['listenPrt', '1']])).to.throw(ConfigError, "'listenPrt'");
    expect(() => applyNamesrvConfig(createNamesrvConfig(), [['orderMessageEnable', 'yes']])).to.throw(ConfigError, "'orderMessageEnable'");
    expect(() => applyNamesrvConfig(createNamesrvConfig(), [['listenPort', '70000']])).to.throw(ConfigError, "'listenPort'");
    expect(applyNamesrvConfig(createNamesrvConfig(), [['orderMessageEnable', 'true']]).orderMessageEnable).to.equal(true);
  });
});
