import { expect } from 'chai';
import {
  decodeClusterInfo,
  decodeTopicRouteData,
  encodeClusterInfo,
  encodeTopicRouteData,
  retrieveAllAddrByCluster,
  selectBrokerAddr,
  selectTopicRouteJsonForm,
  type TopicRouteData,
} from '../../../../src/common/protocol/body/index.js';
import { frameBody, frameCommand } from './fixture-util.js';

describe('TopicRouteData', () => {
  it('decodes the standard-JSON route a 4.9.8 name server sent to a version-409 client', () => {
    const route = decodeTopicRouteData(frameBody('ns-105-getroute-v409.resp.bin'));
    expect(route.brokerDatas).to.have.length(1);
    const bd = route.brokerDatas[0]!;
    expect(bd.brokerName).to.equal('broker-a');
    expect(bd.cluster).to.equal('DefaultCluster');
    expect([...bd.brokerAddrs]).to.deep.equal([[0, '127.0.0.2:30911']]);
    expect(route.queueDatas).to.deep.equal([
      { brokerName: 'broker-a', perm: 6, readQueueNums: 4, topicSysFlag: 0, writeQueueNums: 4 },
    ]);
    expect(route.filterServerTable.size).to.equal(0);
    expect(route.orderTopicConf).to.equal(undefined);
  });

  it('re-encodes the standard form byte for byte (quoted brokerId keys)', () => {
    const body = frameBody('ns-105-getroute-v409.resp.bin');
    expect(encodeTopicRouteData(decodeTopicRouteData(body), 'standard').equals(body)).to.equal(true);
    const rmq = frameBody('ns-105-getroute-rocketmq-serialize.resp.bin');
    expect(encodeTopicRouteData(decodeTopicRouteData(rmq), 'standard').equals(rmq)).to.equal(true);
  });

  it('decodes and re-encodes the legacy form (unquoted brokerId keys) byte for byte', () => {
    const body = frameBody('ns-105-getroute-v395-legacy.resp.bin');
    expect(body.toString()).to.contain('{0:"127.0.0.2:30911"}');
    const route = decodeTopicRouteData(body);
    expect(route.brokerDatas[0]!.brokerAddrs.get(0)).to.equal('127.0.0.2:30911');
    expect(encodeTopicRouteData(route, 'legacy').equals(body)).to.equal(true);
  });

  it('picks the form the 4.9.8 name server picked for the captured requests', () => {
    expect(selectTopicRouteJsonForm(frameCommand('ns-105-getroute-v409.req.bin').version)).to.equal('standard');
    expect(selectTopicRouteJsonForm(frameCommand('ns-105-getroute-v395-legacy.req.bin').version)).to.equal('legacy');
    expect(selectTopicRouteJsonForm(401)).to.equal('standard');
    expect(selectTopicRouteJsonForm(399)).to.equal('legacy');
    expect(selectTopicRouteJsonForm(121, true)).to.equal('standard');
    expect(selectTopicRouteJsonForm(121, false)).to.equal('legacy');
  });

  it('sorts map keys and escapes like BrowserCompatible only in the standard form', () => {
    const route: TopicRouteData = {
      orderTopicConf: 'broker-a:4;broker-b:4',
      queueDatas: [],
      brokerDatas: [{ cluster: 'c/1', brokerName: 'b\u00e9', brokerAddrs: new Map([[1, 's'], [0, 'm']]) }],
      filterServerTable: new Map([['z', []], ['a', ['f']]]),
    };
    expect(encodeTopicRouteData(route, 'standard').toString()).to.equal(
      '{"brokerDatas":[{"brokerAddrs":{"0":"m","1":"s"},"brokerName":"b\\u00E9","cluster":"c\\/1"}],' +
        '"filterServerTable":{"a":["f"],"z":[]},"orderTopicConf":"broker-a:4;broker-b:4","queueDatas":[]}',
    );
    expect(encodeTopicRouteData(route, 'legacy').toString()).to.equal(
      '{"brokerDatas":[{"brokerAddrs":{1:"s",0:"m"},"brokerName":"bé","cluster":"c/1"}],' +
        '"filterServerTable":{"z":[],"a":["f"]},"orderTopicConf":"broker-a:4;broker-b:4","queueDatas":[]}',
    );
  });

  it('selects the master address, else a slave', () => {
    const route = decodeTopicRouteData(frameBody('ns-105-getroute-v395-legacy.resp.bin'));
    expect(selectBrokerAddr(route.brokerDatas[0]!)).to.equal('127.0.0.2:30911');
    expect(selectBrokerAddr({ cluster: 'c', brokerName: 'b', brokerAddrs: new Map([[2, 'x']]) })).to.equal('x');
    expect(selectBrokerAddr({ cluster: 'c', brokerName: 'b', brokerAddrs: new Map() })).to.equal(undefined);
  });
});

describe('ClusterInfo', () => {
  it('decodes the legacy body mqadmin received and re-encodes it byte for byte', () => {
    const body = frameBody('ns-106-clusterinfo.resp.bin');
    const info = decodeClusterInfo(body);
    expect([...info.clusterAddrTable]).to.deep.equal([['DefaultCluster', ['broker-a']]]);
    expect(info.brokerAddrTable.get('broker-a')!.brokerAddrs.get(0)).to.equal('127.0.0.2:30911');
    expect(retrieveAllAddrByCluster(info, 'DefaultCluster')).to.deep.equal(['127.0.0.2:30911']);
    expect(encodeClusterInfo(info).equals(body)).to.equal(true);
  });
});
