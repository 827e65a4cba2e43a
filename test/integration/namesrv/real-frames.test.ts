import { expect } from 'chai';

import { decodeWholeFrame } from '../../../src/common/remoting/frame-codec.js';
import type { NamesrvController } from '../../../src/namesrv/namesrv-controller.js';
import { NamesrvFixture, exchangeFrame, frameBytes } from './helpers.js';

/**
 * Real 4.9.8 frames (test/fixtures/frames/ns-*) replayed against our name server over a socket:
 * where the data matches (same broker, cluster, topic, opaque) the answer must be the captured
 * Java answer byte for byte — header JSON and body.
 */
describe('NameServer answers real 4.9.8 frames byte for byte', () => {
  let fx: NamesrvFixture;
  let ns: NamesrvController;

  beforeEach(async () => {
    fx = new NamesrvFixture();
    ns = await fx.namesrv();
  });
  afterEach(() => fx.close());

  async function replay(req: string): Promise<Buffer> {
    const socket = await fx.raw(ns.port);
    return exchangeFrame(socket, frameBytes(req));
  }

  /** The oneway capture with its oneway flag cleared, so the name server answers it. */
  function onewayAsSync(name: string): Buffer {
    const bytes = Buffer.from(frameBytes(name));
    const cmd = decodeWholeFrame(bytes);
    expect(cmd.isOneway).to.equal(true);
    const headerLen = bytes.readInt32BE(4) & 0xffffff;
    const header = bytes.subarray(8, 8 + headerLen).toString('latin1').replace('"flag":2', '"flag":0');
    const rebuilt = Buffer.from(header, 'latin1');
    const frame = Buffer.alloc(8);
    frame.writeInt32BE(4 + rebuilt.length + (cmd.body?.length ?? 0), 0);
    frame.writeInt32BE(rebuilt.length, 4);
    return Buffer.concat([frame, rebuilt, cmd.body ?? Buffer.alloc(0)]);
  }

  it('REGISTER_BROKER (broker-a start-up, plain JSON body): same response frame, extFields {} and no body', async () => {
    expect(await replay('ns-103-register-broker-full.req.bin')).to.deep.equal(frameBytes('ns-103-register-broker-full.resp.bin'));
  });

  it('GET_BROKER_CLUSTER_INFO after that registration: same legacy-fastjson cluster info frame', async () => {
    await replay('ns-103-register-broker-full.req.bin');
    expect(await replay('ns-106-clusterinfo.req.bin')).to.deep.equal(frameBytes('ns-106-clusterinfo.resp.bin'));
  });

  it('GET_ROUTEINFO_BY_TOPIC TBW102 in ROCKETMQ serialization: same binary-header response', async () => {
    await replay('ns-103-register-broker-full.req.bin');
    expect(await replay('ns-105-getroute-rocketmq-serialize.req.bin')).to.deep.equal(frameBytes('ns-105-getroute-rocketmq-serialize.resp.bin'));
  });

  it('TOPIC_NOT_EXIST with Java remark, in JSON and ROCKETMQ serialization', async () => {
    await replay('ns-103-register-broker-full.req.bin');
    expect(await replay('ns-105-getroute-topic-not-exist.req.bin')).to.deep.equal(frameBytes('ns-105-getroute-topic-not-exist.resp.bin'));
    expect(await replay('ns-105-getroute-rocketmq-serialize-not-exist.req.bin')).to.deep.equal(
      frameBytes('ns-105-getroute-rocketmq-serialize-not-exist.resp.bin'),
    );
  });

  it('route of FixT after the re-registration: standard JSON for version 409, legacy for 395', async () => {
    await replay('ns-103-register-broker-full.req.bin');
    const socket = await fx.raw(ns.port);
    const reg = decodeWholeFrame(await exchangeFrame(socket, onewayAsSync('ns-103-register-broker-oneway.req.bin')));
    expect(reg.code).to.equal(0);
    expect(await replay('ns-105-getroute-v409.req.bin')).to.deep.equal(frameBytes('ns-105-getroute-v409.resp.bin'));
    expect(await replay('ns-105-getroute-v395-legacy.req.bin')).to.deep.equal(frameBytes('ns-105-getroute-v395-legacy.resp.bin'));
  });

  it('UNREGISTER_BROKER: same response, and the broker and its routes are gone', async () => {
    await replay('ns-103-register-broker-full.req.bin');
    expect(await replay('ns-104-unregister-broker.req.bin')).to.deep.equal(frameBytes('ns-104-unregister-broker.resp.bin'));
    expect(ns.routeInfoManager.brokerAddrTable.size).to.equal(0);
    expect(ns.routeInfoManager.topicQueueTable.size).to.equal(0);
    expect(ns.routeInfoManager.brokerLiveTable.size).to.equal(0);
  });
});
