import { expect } from 'chai';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { decodeTopicRouteData } from '../../../src/common/protocol/body/topic-route-data.js';
import { createRequestWithHeader } from '../../../src/common/protocol/headers/command-header.js';
import { PutKVConfigRequestHeader } from '../../../src/common/protocol/headers/namesrv/kv-config.js';
import { GetRouteInfoRequestHeader } from '../../../src/common/protocol/headers/namesrv/route.js';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import type { RemotingClient } from '../../../src/common/remoting/remoting-client.js';
import { RemotingCommand } from '../../../src/common/remoting/remoting-command.js';
import { parseJavaProperties } from '../../../src/common/util/java-properties.js';
import { NAMESRV_CONFIG_SCHEMA, applyNamesrvConfig, createNamesrvConfig } from '../../../src/namesrv/namesrv-config.js';
import type { NamesrvController } from '../../../src/namesrv/namesrv-controller.js';
import { NamesrvFixture, TIMEOUT, register, topic, waitFor } from './helpers.js';

const BLACK_LIST_REMARK = 'Can not update config in black list.';

describe('NameServer UPDATE_NAMESRV_CONFIG / GET_NAMESRV_CONFIG', function () {
  let fx: NamesrvFixture;
  let ns: NamesrvController;
  let client: RemotingClient;

  beforeEach(async () => {
    fx = new NamesrvFixture();
    ns = await fx.namesrv();
    client = fx.client();
  });
  afterEach(() => fx.close());

  const update = (text: string | Buffer | undefined, target = ns): Promise<RemotingCommand> =>
    client.invokeSync(
      target.address,
      RemotingCommand.createRequest(RequestCode.UPDATE_NAMESRV_CONFIG, undefined, typeof text === 'string' ? Buffer.from(text, 'utf8') : text),
      TIMEOUT,
    );
  const getConfig = async (target = ns): Promise<Map<string, string>> => {
    const res = await client.invokeSync(target.address, RemotingCommand.createRequest(RequestCode.GET_NAMESRV_CONFIG), TIMEOUT);
    expect(res.code).to.equal(ResponseCode.SUCCESS);
    return parseJavaProperties(res.body!.toString('utf8'));
  };

  it('GET_NAMESRV_CONFIG answers every key as key=value lines', async () => {
    const res = await client.invokeSync(ns.address, RemotingCommand.createRequest(RequestCode.GET_NAMESRV_CONFIG), TIMEOUT);
    expect(res.code).to.equal(ResponseCode.SUCCESS);
    const text = res.body!.toString('utf8');
    expect(text.endsWith('\n')).to.equal(true);
    const props = parseJavaProperties(text);
    expect([...props.keys()]).to.deep.equal(Object.keys(NAMESRV_CONFIG_SCHEMA));
    expect(props.get('orderMessageEnable')).to.equal('false');
    expect(props.get('configStorePath')).to.equal(fx.configStorePath);
    expect(props.get('configBlackList')).to.equal('configBlackList;configStorePath;kvConfigPath');
    expect(props.get('scanNotActiveBrokerInterval')).to.equal('10000');
  });

  it('updates known keys, ignores unknown ones, persists the whole config (with .bak) and the file starts a name server', async () => {
    expect(existsSync(fx.configStorePath)).to.equal(false);
    const res = await update('# from mqadmin\norderMessageEnable=true\nproductEnvName = caf\\u00e9\\\n  -prod\nnoSuchKey=1\n');
    expect([res.code, res.remark]).to.deep.equal([ResponseCode.SUCCESS, undefined]);
    expect(ns.namesrvConfig.orderMessageEnable).to.equal(true);
    expect(ns.namesrvConfig.productEnvName).to.equal('café-prod');
    const props = await getConfig();
    expect(props.get('orderMessageEnable')).to.equal('true');
    expect(props.has('noSuchKey')).to.equal(false);

    // Answered after the write: the file is there, whole, with no temporary left over.
    const first = readFileSync(fx.configStorePath, 'utf8');
    expect(parseJavaProperties(first)).to.deep.equal(props);
    expect(existsSync(`${fx.configStorePath}.tmp`)).to.equal(false);
    expect(existsSync(`${fx.configStorePath}.bak`)).to.equal(false);

    expect((await update('productEnvName=second')).code).to.equal(ResponseCode.SUCCESS);
    expect(readFileSync(`${fx.configStorePath}.bak`, 'utf8')).to.equal(first);
    expect(parseJavaProperties(readFileSync(fx.configStorePath, 'utf8')).get('productEnvName')).to.equal('second');

    // The persisted file is a valid `rmq namesrv -c` file: every key known, every value parses.
    const reloaded = applyNamesrvConfig(createNamesrvConfig(), parseJavaProperties(readFileSync(fx.configStorePath, 'utf8')));
    expect(reloaded).to.deep.equal({ ...ns.namesrvConfig });
  });

  it('refuses black-listed keys with NO_PERMISSION and applies nothing of that request', async () => {
    for (const key of ['configBlackList', 'configStorePath', 'kvConfigPath', 'rocketmqHome']) {
      const res = await update(`productEnvName=changed\n${key}=/tmp/x\n`);
      expect([res.code, res.remark], key).to.deep.equal([ResponseCode.NO_PERMISSION, BLACK_LIST_REMARK]);
    }
    expect(ns.namesrvConfig.productEnvName).to.equal('center');
    expect(existsSync(fx.configStorePath)).to.equal(false);
  });

  it('adds the configured configBlackList to the fixed one', async () => {
    const custom = await fx.namesrv({ configBlackList: 'listenPort;productEnvName', configStorePath: join(fx.dir, 'custom.properties') });
    for (const key of ['listenPort', 'productEnvName', 'kvConfigPath', 'rocketmqHome']) {
      const res = await update(`${key}=1`, custom);
      expect([res.code, res.remark], key).to.deep.equal([ResponseCode.NO_PERMISSION, BLACK_LIST_REMARK]);
    }
    expect((await update('orderMessageEnable=true', custom)).code).to.equal(ResponseCode.SUCCESS);
    expect(custom.namesrvConfig.orderMessageEnable).to.equal(true);
  });

  it('a value that does not parse refuses the whole update, naming the key', async () => {
    const res = await update('orderMessageEnable=true\nscanNotActiveBrokerInterval=soon\n');
    expect(res.code).to.equal(ResponseCode.SYSTEM_ERROR);
    expect(res.remark).to.include('scanNotActiveBrokerInterval');
    expect(ns.namesrvConfig.orderMessageEnable).to.equal(false);
    const low = await update('brokerChannelExpiredTime=0');
    expect([low.code, low.remark]).to.deep.equal([ResponseCode.SYSTEM_ERROR, "config key 'brokerChannelExpiredTime' must be >= 1, got 0"]);
    expect(existsSync(fx.configStorePath)).to.equal(false);
  });

  it('no body changes nothing; a malformed body is SYSTEM_ERROR; the server keeps serving', async () => {
    const none = await update(undefined);
    expect([none.code, none.remark]).to.deep.equal([ResponseCode.SUCCESS, undefined]);
    expect(existsSync(fx.configStorePath)).to.equal(false);
    const bad = await update('productEnvName=\\u12');
    expect(bad.code).to.equal(ResponseCode.SYSTEM_ERROR);
    expect(bad.remark).to.match(/^string2Properties error/);
    expect((await getConfig()).get('productEnvName')).to.equal('center');
  });

  it('an unwritable configStorePath: applied in memory, answered SYSTEM_ERROR naming the path', async () => {
    const blocker = join(fx.dir, 'a-file');
    writeFileSync(blocker, 'x');
    const target = await fx.namesrv({ configStorePath: join(blocker, 'namesrv.properties') });
    const res = await update('productEnvName=mem', target);
    expect(res.code).to.equal(ResponseCode.SYSTEM_ERROR);
    expect(res.remark).to.include('not persisted').and.include(blocker);
    expect(target.namesrvConfig.productEnvName).to.equal('mem');
    // One failed write does not wedge the write chain: once the path is usable, the next update lands.
    rmSync(blocker);
    mkdirSync(blocker);
    expect((await update('productEnvName=ok', target)).code).to.equal(ResponseCode.SUCCESS);
    expect(parseJavaProperties(readFileSync(join(blocker, 'namesrv.properties'), 'utf8')).get('productEnvName')).to.equal('ok');
  });

  it('takes effect live: orderMessageEnable on routes, expiry time and scan interval on brokers', async () => {
    const broker = fx.client();
    await register(broker, ns.address, { brokerName: 'broker-a', brokerAddr: '127.0.0.1:10911', topics: [topic('OrderT')] });
    const put = createRequestWithHeader(RequestCode.PUT_KV_CONFIG, PutKVConfigRequestHeader, { namespace: 'ORDER_TOPIC_CONFIG', key: 'OrderT', value: 'broker-a:4' });
    expect((await client.invokeSync(ns.address, put, TIMEOUT)).code).to.equal(ResponseCode.SUCCESS);
    const route = async (): Promise<string | undefined> => {
      const r = await client.invokeSync(ns.address, createRequestWithHeader(RequestCode.GET_ROUTEINFO_BY_TOPIC, GetRouteInfoRequestHeader, { topic: 'OrderT' }), TIMEOUT);
      return decodeTopicRouteData(r.body!).orderTopicConf;
    };
    expect(await route()).to.equal(undefined);
    expect((await update('orderMessageEnable=true')).code).to.equal(ResponseCode.SUCCESS);
    expect(await route()).to.equal('broker-a:4');

    // Default expiry is 2 minutes and the first scan 5 s away: only the update can expire it this soon.
    expect(ns.routeInfoManager.brokerLiveTable.size).to.equal(1);
    expect((await update('brokerChannelExpiredTime=1\nscanNotActiveBrokerInterval=30\n')).code).to.equal(ResponseCode.SUCCESS);
    expect(ns.routeInfoManager.brokerChannelExpiredTime).to.equal(1);
    await waitFor(() => ns.routeInfoManager.brokerLiveTable.size === 0, 2000);
    expect(ns.routeInfoManager.topicQueueTable.has('OrderT')).to.equal(false);
  });
});
