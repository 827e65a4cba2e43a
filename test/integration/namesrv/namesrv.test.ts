import { expect } from 'chai';

import { decodeClusterInfo } from '../../../src/common/protocol/body/cluster-info.js';
import { createDataVersion, decodeDataVersion, encodeDataVersion } from '../../../src/common/protocol/body/data-version.js';
import { decodeKVTable } from '../../../src/common/protocol/body/kv-table.js';
import { decodeTopicList } from '../../../src/common/protocol/body/topic-list.js';
import { decodeTopicRouteData } from '../../../src/common/protocol/body/topic-route-data.js';
import { createRequestWithHeader, readHeader } from '../../../src/common/protocol/headers/command-header.js';
import { DeleteKVConfigRequestHeader, GetKVConfigRequestHeader, GetKVConfigResponseHeader, GetKVListByNamespaceRequestHeader, PutKVConfigRequestHeader } from '../../../src/common/protocol/headers/namesrv/kv-config.js';
import { QueryDataVersionRequestHeader, QueryDataVersionResponseHeader, UnRegisterBrokerRequestHeader } from '../../../src/common/protocol/headers/namesrv/register-broker.js';
import {
  AddWritePermOfBrokerRequestHeader,
  AddWritePermOfBrokerResponseHeader,
  DeleteTopicFromNamesrvRequestHeader,
  GetRouteInfoRequestHeader,
  GetTopicsByClusterRequestHeader,
  WipeWritePermOfBrokerRequestHeader,
  WipeWritePermOfBrokerResponseHeader,
} from '../../../src/common/protocol/headers/namesrv/route.js';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import type { RemotingClient } from '../../../src/common/remoting/remoting-client.js';
import { RemotingCommand } from '../../../src/common/remoting/remoting-command.js';
import type { NamesrvController } from '../../../src/namesrv/namesrv-controller.js';
import { NAMESPACE_ORDER_TOPIC_CONFIG } from '../../../src/namesrv/kvconfig/kv-config-manager.js';
import { NamesrvFixture, TIMEOUT, register, registerRequest, topic, waitFor } from './helpers.js';

describe('NameServer over real sockets', function () {
  let fx: NamesrvFixture;
  let ns: NamesrvController;
  let client: RemotingClient;

  beforeEach(async () => {
    fx = new NamesrvFixture();
    ns = await fx.namesrv();
    client = fx.client();
  });
  afterEach(() => fx.close());

  const call = (cmd: RemotingCommand): Promise<RemotingCommand> => client.invokeSync(ns.address, cmd, TIMEOUT);
  const route = (t: string, version = 409): Promise<RemotingCommand> => {
    const req = createRequestWithHeader(RequestCode.GET_ROUTEINFO_BY_TOPIC, GetRouteInfoRequestHeader, { topic: t });
    req.version = version;
    return call(req);
  };

  /** 2 clusters × 2 broker names × master + slave, each broker on its own connection. */
  async function registerTwoClusters(): Promise<Map<string, RemotingClient>> {
    const brokers = new Map<string, RemotingClient>();
    let port = 10911;
    for (const cluster of ['C1', 'C2']) {
      for (const name of cluster === 'C1' ? ['broker-a', 'broker-b'] : ['broker-c', 'broker-d']) {
        for (const brokerId of [0, 1]) {
          const brokerAddr = `127.0.0.${brokerId + 2}:${port}`;
          const c = fx.client();
          brokers.set(`${name}/${brokerId}`, c);
          await register(c, ns.address, {
            cluster,
            brokerName: name,
            brokerId,
            brokerAddr,
            haServerAddr: `127.0.0.${brokerId + 2}:${port + 1}`,
            topics: [topic('Shared', 4), topic(`Only-${cluster}`, 8), topic(cluster)],
          });
        }
        port += 100;
      }
    }
    return brokers;
  }

  it('registers master then slave: the slave learns the master address and HA address', async () => {
    const master = await register(fx.client(), ns.address, { brokerName: 'broker-a', brokerAddr: '127.0.0.1:10911', haServerAddr: '127.0.0.1:10912', topics: [topic('T')] });
    expect(master).to.deep.equal({});
    const slave = await register(fx.client(), ns.address, { brokerName: 'broker-a', brokerId: 1, brokerAddr: '127.0.0.1:11911', topics: [topic('T')] });
    expect(slave).to.deep.equal({ haServerAddr: '127.0.0.1:10912', masterAddr: '127.0.0.1:10911' });
  });

  it('a slave registered before its master gets no master address', async () => {
    const slave = await register(fx.client(), ns.address, { brokerName: 'broker-a', brokerId: 1, brokerAddr: '127.0.0.1:11911', topics: [topic('T')] });
    expect(slave).to.deep.equal({});
    // Only a master's topics make routes.
    expect((await route('T')).code).to.equal(ResponseCode.TOPIC_NOT_EXIST);
  });

  it('routes for 2 clusters × 2 brokers × master+slave, in standard and legacy JSON', async () => {
    await registerTwoClusters();
    const std = await route('Shared', 409);
    expect(std.code).to.equal(ResponseCode.SUCCESS);
    expect(std.body!.toString()).to.contain('"brokerAddrs":{"0":"127.0.0.2:10911","1":"127.0.0.3:10911"}');
    const legacy = await route('Shared', 395);
    expect(legacy.body!.toString()).to.contain('"brokerAddrs":{0:"127.0.0.2:10911",1:"127.0.0.3:10911"}');
    for (const res of [std, legacy]) {
      const r = decodeTopicRouteData(res.body!);
      expect(r.brokerDatas.map((b) => b.brokerName).sort()).to.deep.equal(['broker-a', 'broker-b', 'broker-c', 'broker-d']);
      expect(r.queueDatas.map((q) => q.writeQueueNums)).to.deep.equal([4, 4, 4, 4]);
    }
    const accept = createRequestWithHeader(RequestCode.GET_ROUTEINFO_BY_TOPIC, GetRouteInfoRequestHeader, { topic: 'Shared', acceptStandardJsonOnly: true });
    accept.version = 121; // ali-ons era, but asking for standard JSON
    expect((await call(accept)).body!.toString()).to.contain('{"0":');
    const only = decodeTopicRouteData((await route('Only-C2')).body!);
    expect(only.brokerDatas.map((b) => b.brokerName).sort()).to.deep.equal(['broker-c', 'broker-d']);
    expect(only.brokerDatas.every((b) => b.cluster === 'C2')).to.equal(true);
  });

  it('cluster info, all topics, topics by cluster, system topics', async () => {
    await registerTwoClusters();
    const info = await call(RemotingCommand.createRequest(RequestCode.GET_BROKER_CLUSTER_INFO));
    expect(info.body!.toString()).to.match(/"brokerAddrs":\{0:"127\.0\.0\.2:10911",1:"127\.0\.0\.3:10911"\}/);
    const ci = decodeClusterInfo(info.body!);
    expect([...ci.clusterAddrTable.keys()].sort()).to.deep.equal(['C1', 'C2']);
    expect([...ci.clusterAddrTable.get('C1')!].sort()).to.deep.equal(['broker-a', 'broker-b']);
    expect(ci.brokerAddrTable.get('broker-d')!.brokerAddrs.get(1)).to.equal('127.0.0.3:11211');

    const all = decodeTopicList((await call(RemotingCommand.createRequest(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER))).body!);
    expect(all.topicList.sort()).to.deep.equal(['C1', 'C2', 'Only-C1', 'Only-C2', 'Shared']);
    const byCluster = decodeTopicList((await call(createRequestWithHeader(RequestCode.GET_TOPICS_BY_CLUSTER, GetTopicsByClusterRequestHeader, { cluster: 'C1' }))).body!);
    expect(byCluster.topicList.sort()).to.deep.equal(['C1', 'Only-C1', 'Shared']);
    const unknown = decodeTopicList((await call(createRequestWithHeader(RequestCode.GET_TOPICS_BY_CLUSTER, GetTopicsByClusterRequestHeader, { cluster: 'nope' }))).body!);
    expect(unknown.topicList).to.deep.equal([]);
    const sys = decodeTopicList((await call(RemotingCommand.createRequest(RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_NS))).body!);
    expect(sys.topicList.sort()).to.deep.equal(['C1', 'C2', 'broker-a', 'broker-b', 'broker-c', 'broker-d']);
    expect(sys.brokerAddr).to.match(/^127\.0\.0\.[23]:/);
  });

  it('deletes a topic everywhere or from one cluster only', async () => {
    await registerTwoClusters();
    const del = (t: string, clusterName?: string): Promise<RemotingCommand> =>
      call(createRequestWithHeader(RequestCode.DELETE_TOPIC_IN_NAMESRV, DeleteTopicFromNamesrvRequestHeader, { topic: t, clusterName }));
    expect((await del('Shared', 'C1')).code).to.equal(ResponseCode.SUCCESS);
    const r = decodeTopicRouteData((await route('Shared')).body!);
    expect(r.queueDatas.map((q) => q.brokerName).sort()).to.deep.equal(['broker-c', 'broker-d']);
    await del('Shared');
    expect((await route('Shared')).code).to.equal(ResponseCode.TOPIC_NOT_EXIST);
  });

  it('wipes and restores the write permission of a broker name', async () => {
    await registerTwoClusters();
    const wipe = await call(createRequestWithHeader(RequestCode.WIPE_WRITE_PERM_OF_BROKER, WipeWritePermOfBrokerRequestHeader, { brokerName: 'broker-a' }));
    expect(readHeader(wipe, WipeWritePermOfBrokerResponseHeader).wipeTopicCount).to.equal(3);
    const perms = (r: RemotingCommand): Record<string, number> =>
      Object.fromEntries(decodeTopicRouteData(r.body!).queueDatas.map((q) => [q.brokerName, q.perm]));
    expect(perms(await route('Shared'))).to.deep.include({ 'broker-a': 4, 'broker-b': 6 });
    const add = await call(createRequestWithHeader(RequestCode.ADD_WRITE_PERM_OF_BROKER, AddWritePermOfBrokerRequestHeader, { brokerName: 'broker-a' }));
    expect(readHeader(add, AddWritePermOfBrokerResponseHeader).addTopicCount).to.equal(3);
    expect(perms(await route('Shared'))['broker-a']).to.equal(6);
  });

  it('updates a master\'s queues only when its dataVersion changes', async () => {
    const broker = fx.client();
    const spec = { brokerName: 'broker-a', brokerAddr: '127.0.0.1:10911', topics: [topic('T', 4)], dataVersion: createDataVersion(5, 1) };
    await register(broker, ns.address, spec);
    await register(broker, ns.address, { ...spec, topics: [topic('T', 8)] }); // same version: ignored
    expect(decodeTopicRouteData((await route('T')).body!).queueDatas[0]!.writeQueueNums).to.equal(4);
    await register(broker, ns.address, { ...spec, topics: [topic('T', 8)], dataVersion: createDataVersion(6, 2) });
    expect(decodeTopicRouteData((await route('T')).body!).queueDatas[0]!.writeQueueNums).to.equal(8);
  });

  it('accepts a compressed registration body', async () => {
    await register(fx.client(), ns.address, { brokerName: 'broker-z', brokerAddr: '127.0.0.1:20911', topics: [topic('Zipped', 2)], compressed: true });
    const r = decodeTopicRouteData((await route('Zipped')).body!);
    expect(r.queueDatas).to.deep.equal([{ brokerName: 'broker-z', perm: 6, readQueueNums: 2, topicSysFlag: 0, writeQueueNums: 2 }]);
  });

  it('QUERY_DATA_VERSION says whether the broker\'s table changed and returns the stored version', async () => {
    const dv = createDataVersion(1234, 7);
    await register(fx.client(), ns.address, { brokerName: 'broker-a', brokerAddr: '127.0.0.1:10911', topics: [topic('T')], dataVersion: dv });
    const query = (v: typeof dv): Promise<RemotingCommand> =>
      call(createRequestWithHeader(RequestCode.QUERY_DATA_VERSION, QueryDataVersionRequestHeader, {
        brokerName: 'broker-a', brokerAddr: '127.0.0.1:10911', clusterName: 'DefaultCluster', brokerId: 0,
      }, encodeDataVersion(v)));
    const same = await query(dv);
    expect(readHeader(same, QueryDataVersionResponseHeader).changed).to.equal(false);
    expect(decodeDataVersion(same.body!)).to.deep.equal(dv);
    expect(readHeader(await query(createDataVersion(1235, 8)), QueryDataVersionResponseHeader).changed).to.equal(true);
  });

  it('UNREGISTER_BROKER of the master keeps the slave; of the last address drops the broker and its topics', async () => {
    await registerTwoClusters();
    const unregister = (brokerAddr: string, brokerId: number): Promise<RemotingCommand> =>
      call(createRequestWithHeader(RequestCode.UNREGISTER_BROKER, UnRegisterBrokerRequestHeader, { brokerName: 'broker-c', brokerAddr, clusterName: 'C2', brokerId }));
    await unregister('127.0.0.2:11111', 0);
    let r = decodeTopicRouteData((await route('Only-C2')).body!);
    expect(r.brokerDatas.find((b) => b.brokerName === 'broker-c')!.brokerAddrs).to.deep.equal(new Map([[1, '127.0.0.3:11111']]));
    await unregister('127.0.0.3:11111', 1);
    r = decodeTopicRouteData((await route('Only-C2')).body!);
    expect(r.brokerDatas.map((b) => b.brokerName)).to.deep.equal(['broker-d']);
    expect(r.queueDatas.map((q) => q.brokerName)).to.deep.equal(['broker-d']);
  });

  it('a closed broker connection removes that broker at once; a master gone leaves the slave route', async () => {
    const brokers = await registerTwoClusters();
    await brokers.get('broker-a/0')!.shutdown();
    await waitFor(() => !ns.routeInfoManager.brokerLiveTable.has('127.0.0.2:10911'));
    const r = decodeTopicRouteData((await route('Only-C1')).body!);
    expect(r.brokerDatas.find((b) => b.brokerName === 'broker-a')!.brokerAddrs).to.deep.equal(new Map([[1, '127.0.0.3:10911']]));
    expect(r.queueDatas.map((q) => q.brokerName).sort()).to.deep.equal(['broker-a', 'broker-b']);
    await brokers.get('broker-a/1')!.shutdown();
    await waitFor(() => !ns.routeInfoManager.brokerAddrTable.has('broker-a'));
    const after = decodeTopicRouteData((await route('Only-C1')).body!);
    expect(after.queueDatas.map((q) => q.brokerName)).to.deep.equal(['broker-b']);
    // A plain client closing its connection removes nothing.
    await client.shutdown();
    expect(ns.routeInfoManager.brokerLiveTable.size).to.equal(6);
  });

  it('a broker silent past the expiry time is removed with its routes', async () => {
    const fast = await fx.namesrv({ brokerChannelExpiredTime: 300, scanNotActiveBrokerInterval: 50 });
    const broker = fx.client();
    await register(broker, fast.address, { brokerName: 'broker-x', brokerAddr: '127.0.0.1:30911', topics: [topic('Soon')] });
    const keepAlive = fx.client();
    await register(keepAlive, fast.address, { brokerName: 'broker-y', brokerAddr: '127.0.0.1:31911', topics: [topic('Kept')] });
    // broker-y keeps registering; broker-x falls silent.
    const deadline = Date.now() + 1200;
    while (Date.now() < deadline && fast.routeInfoManager.brokerAddrTable.has('broker-x')) {
      await register(keepAlive, fast.address, { brokerName: 'broker-y', brokerAddr: '127.0.0.1:31911', topics: [topic('Kept')] });
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(fast.routeInfoManager.brokerAddrTable.has('broker-x')).to.equal(false);
    const res = await client.invokeSync(fast.address, createRequestWithHeader(RequestCode.GET_ROUTEINFO_BY_TOPIC, GetRouteInfoRequestHeader, { topic: 'Soon' }), TIMEOUT);
    expect(res.code).to.equal(ResponseCode.TOPIC_NOT_EXIST);
    expect(fast.routeInfoManager.brokerAddrTable.has('broker-y')).to.equal(true);
  });

  it('KV config: put, get, list, delete, and it survives a restart', async () => {
    const put = (namespace: string, key: string, value: string): Promise<RemotingCommand> =>
      call(createRequestWithHeader(RequestCode.PUT_KV_CONFIG, PutKVConfigRequestHeader, { namespace, key, value }));
    const get = (namespace: string, key: string): Promise<RemotingCommand> =>
      call(createRequestWithHeader(RequestCode.GET_KV_CONFIG, GetKVConfigRequestHeader, { namespace, key }));
    expect((await put(NAMESPACE_ORDER_TOPIC_CONFIG, 'OrderT', 'broker-a:4')).code).to.equal(ResponseCode.SUCCESS);
    await put('NS', 'k1', 'v1');
    await put('NS', 'k2', 'v2');
    expect(readHeader(await get('NS', 'k1'), GetKVConfigResponseHeader).value).to.equal('v1');
    const missing = await get('NS', 'nope');
    expect(missing.code).to.equal(ResponseCode.QUERY_NOT_FOUND);
    expect(missing.remark).to.equal('No config item, Namespace: NS Key: nope');
    await call(createRequestWithHeader(RequestCode.DELETE_KV_CONFIG, DeleteKVConfigRequestHeader, { namespace: 'NS', key: 'k2' }));
    const list = await call(createRequestWithHeader(RequestCode.GET_KVLIST_BY_NAMESPACE, GetKVListByNamespaceRequestHeader, { namespace: 'NS' }));
    expect(decodeKVTable(list.body!).table).to.deep.equal(new Map([['k1', 'v1']]));
    const none = await call(createRequestWithHeader(RequestCode.GET_KVLIST_BY_NAMESPACE, GetKVListByNamespaceRequestHeader, { namespace: 'X' }));
    expect([none.code, none.remark]).to.deep.equal([ResponseCode.QUERY_NOT_FOUND, 'No config item, Namespace: X']);

    // The order-topic conf goes back to brokers on registration.
    const reg = await client.invokeSync(ns.address, registerRequest({ brokerName: 'broker-a', brokerAddr: '127.0.0.1:10911', topics: [topic('OrderT')] }), TIMEOUT);
    expect(decodeKVTable(reg.body!).table.get('OrderT')).to.equal('broker-a:4');

    await ns.shutdown();
    const again = await fx.namesrv({ orderMessageEnable: true });
    const c2 = fx.client();
    const got = await c2.invokeSync(again.address, createRequestWithHeader(RequestCode.GET_KV_CONFIG, GetKVConfigRequestHeader, { namespace: 'NS', key: 'k1' }), TIMEOUT);
    expect(readHeader(got, GetKVConfigResponseHeader).value).to.equal('v1');
    // orderMessageEnable: routes carry orderTopicConf from the KV store.
    await register(c2, again.address, { brokerName: 'broker-a', brokerAddr: '127.0.0.1:10911', topics: [topic('OrderT')] });
    const r = await c2.invokeSync(again.address, createRequestWithHeader(RequestCode.GET_ROUTEINFO_BY_TOPIC, GetRouteInfoRequestHeader, { topic: 'OrderT' }), TIMEOUT);
    expect(decodeTopicRouteData(r.body!).orderTopicConf).to.equal('broker-a:4');
  });

  describe('bad input', () => {
    it('answers a missing header field, garbage bodies, a bad crc and an unknown code, and keeps serving', async () => {
      const other = fx.client();
      await register(other, ns.address, { brokerName: 'broker-a', brokerAddr: '127.0.0.1:10911', topics: [topic('T')] });

      const missing = await call(RemotingCommand.createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, {}));
      expect([missing.code, missing.remark]).to.deep.equal([ResponseCode.SYSTEM_ERROR, 'the custom field <topic> is null']);

      const garbage = registerRequest({ brokerName: 'broker-b', brokerAddr: '127.0.0.1:10912' });
      garbage.body = Buffer.from('{"topicConfigSerializeWrapper":[[[');
      garbage.extFields!['bodyCrc32'] = '0';
      const g = await call(garbage);
      expect(g.code).to.equal(ResponseCode.SYSTEM_ERROR);
      expect(g.remark).to.match(/^Failed to decode RegisterBrokerBody/);

      const zipped = registerRequest({ brokerName: 'broker-b', brokerAddr: '127.0.0.1:10912', compressed: true });
      zipped.body = Buffer.from('not zlib at all');
      zipped.extFields!['bodyCrc32'] = '0';
      expect((await call(zipped)).remark).to.match(/^Failed to decode RegisterBrokerBody: invalid compressed/);

      const badCrc = registerRequest({ brokerName: 'broker-b', brokerAddr: '127.0.0.1:10912' });
      badCrc.extFields!['bodyCrc32'] = '12345';
      const c = await call(badCrc);
      expect([c.code, c.remark]).to.deep.equal([ResponseCode.SYSTEM_ERROR, 'crc32 not match']);

      const dv = await call(createRequestWithHeader(RequestCode.QUERY_DATA_VERSION, QueryDataVersionRequestHeader, {
        brokerName: 'b', brokerAddr: 'a', clusterName: 'c', brokerId: 0,
      }, Buffer.from('}{')));
      expect(dv.code).to.equal(ResponseCode.SYSTEM_ERROR);

      const badNumber = registerRequest({ brokerName: 'broker-b', brokerAddr: '127.0.0.1:10912' });
      badNumber.extFields!['brokerId'] = 'zero';
      expect((await call(badNumber)).code).to.equal(ResponseCode.SYSTEM_ERROR);

      const unknown = await call(RemotingCommand.createRequest(9999));
      expect([unknown.code, unknown.remark]).to.deep.equal([ResponseCode.REQUEST_CODE_NOT_SUPPORTED, ' request type 9999 not supported']);

      // Nothing registered by the bad requests, and the other client is still served.
      expect(ns.routeInfoManager.brokerAddrTable.has('broker-b')).to.equal(false);
      const ok = await other.invokeSync(ns.address, createRequestWithHeader(RequestCode.GET_ROUTEINFO_BY_TOPIC, GetRouteInfoRequestHeader, { topic: 'T' }), TIMEOUT);
      expect(ok.code).to.equal(ResponseCode.SUCCESS);
    });

    it('a malformed frame closes only that connection', async () => {
      const socket = await fx.raw(ns.port);
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      const junk = Buffer.alloc(12);
      junk.writeInt32BE(8, 0);
      junk.writeInt32BE(0x7f000004, 4); // unknown serialize type 0x7f
      socket.write(junk);
      await closed;
      expect((await route('Anything')).code).to.equal(ResponseCode.TOPIC_NOT_EXIST);
    });
  });
});
