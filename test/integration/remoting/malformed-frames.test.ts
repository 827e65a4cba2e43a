import type { Socket } from 'node:net';

import { expect } from 'chai';

import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import { decodeFrame, encodeFrame } from '../../../src/common/remoting/frame-codec.js';
import { FrameDecoder } from '../../../src/common/remoting/frame-decoder.js';
import { RemotingCommand, SerializeType } from '../../../src/common/remoting/remoting-command.js';
import type { RemotingServer } from '../../../src/common/remoting/remoting-server.js';
import { closedByPeer, delay, echoRequest, Fixture, nextServerEvent } from './helpers.js';

/** A frame whose header is `header` (raw bytes) with serialize type `type`. */
function rawFrame(header: Buffer, type: number, body = Buffer.alloc(0), headerLenOverride?: number): Buffer {
  const b = Buffer.alloc(8 + header.length + body.length);
  b.writeInt32BE(4 + header.length + body.length, 0);
  b.writeInt32BE(((type & 0xff) << 24) | ((headerLenOverride ?? header.length) & 0xffffff), 4);
  header.copy(b, 8);
  body.copy(b, 8 + header.length);
  return b;
}

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n, 0);
  return b;
}

/** Reads responses from a raw socket. */
function collect(socket: Socket): RemotingCommand[] {
  const decoder = new FrameDecoder();
  const out: RemotingCommand[] = [];
  socket.on('data', (chunk: Buffer) => {
    for (const f of decoder.push(chunk)) out.push(decodeFrame(f));
  });
  return out;
}

async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await delay(5);
  }
}

const CASES: [string, () => Buffer][] = [
  ['a negative length', () => int32(-1)],
  ['an oversized length', () => int32(64 * 1024 * 1024)],
  ['a header length beyond the frame', () => rawFrame(Buffer.from('{"code":1}'), SerializeType.JSON, undefined, 500)],
  ['a bad JSON header', () => rawFrame(Buffer.from('{"code":'), SerializeType.JSON)],
  ['an unknown serialize type', () => rawFrame(Buffer.from('{"code":9001,"flag":0,"opaque":1}'), 7)],
  ['a truncated ROCKETMQ header', () => rawFrame(Buffer.from([0, 1, 0]), SerializeType.ROCKETMQ)],
];

describe('RemotingServer with malformed input', () => {
  let fx: Fixture;
  let server: RemotingServer;
  beforeEach(async () => {
    fx = new Fixture();
    server = await fx.server();
  });
  afterEach(async () => {
    await fx.close();
  });

  for (const [name, bytes] of CASES) {
    it(`closes only the connection that sent ${name}`, async () => {
      const client = fx.client();
      expect((await client.invokeSync(server.address, echoRequest('before'), 1000)).code).to.equal(ResponseCode.SUCCESS);
      const exception = nextServerEvent(server, 'exception');
      const bad = await fx.raw(server.port);
      // A good request first: it is answered before the bad bytes close the connection.
      const got = collect(bad);
      bad.write(encodeFrame(echoRequest('good first')));
      await until(() => got.length === 1);
      bad.write(bytes());
      await closedByPeer(bad);
      const [, error] = await exception;
      expect(error.message).to.be.a('string').and.not.equal('');
      expect(got[0]!.body!.toString()).to.equal('good first');
      // Everyone else is still served, on their existing connection.
      const channelBefore = client.getChannel(server.address);
      expect((await client.invokeSync(server.address, echoRequest('after'), 1000)).body!.toString()).to.equal('after');
      expect(client.getChannel(server.address)).to.equal(channelBefore);
      expect(server.channels.size).to.equal(1);
    });
  }

  it('drops a connection that sends a truncated frame then closes, and keeps serving', async () => {
    const client = fx.client();
    await client.invokeSync(server.address, echoRequest('before'), 1000);
    const closed = nextServerEvent(server, 'close');
    const bad = await fx.raw(server.port);
    const whole = encodeFrame(echoRequest('never complete'));
    bad.end(whole.subarray(0, whole.length - 3));
    await closed;
    expect(server.channels.size).to.equal(1);
    expect((await client.invokeSync(server.address, echoRequest('after'), 1000)).body!.toString()).to.equal('after');
  });

  it('decodes frames written byte by byte and frames coalesced in one write', async () => {
    const raw = await fx.raw(server.port);
    const got = collect(raw);
    const requests = [0, 1, 2].map((i) => {
      const r = echoRequest(`r${i}`, { i: String(i) });
      r.serializeType = i === 1 ? SerializeType.ROCKETMQ : SerializeType.JSON;
      return r;
    });
    const first = encodeFrame(requests[0]!);
    for (let i = 0; i < first.length; i++) {
      raw.write(first.subarray(i, i + 1));
      if (i % 16 === 0) await delay(1); // let the bytes arrive as separate chunks
    }
    await until(() => got.length === 1);
    raw.write(Buffer.concat([encodeFrame(requests[1]!), encodeFrame(requests[2]!)]));
    await until(() => got.length === 3);
    expect(got.map((r) => [r.opaque, r.body!.toString(), r.serializeType])).to.deep.equal(
      requests.map((r) => [r.opaque, r.body!.toString(), r.serializeType]),
    );
  });

  it('accepts ali-ons style JSON headers with unquoted extField values and answers in JSON', async () => {
    const raw = await fx.raw(server.port);
    const got = collect(raw);
    const header = Buffer.from('{"code":9001,"language":"JAVA","version":121,"opaque":77,"flag":0,"extFields":{"queueId":3,"ok":true}}');
    raw.write(rawFrame(header, SerializeType.JSON, Buffer.from('hi')));
    await until(() => got.length === 1);
    expect(got[0]!.opaque).to.equal(77);
    expect(got[0]!.serializeType).to.equal(SerializeType.JSON);
    expect(got[0]!.extFields).to.deep.equal({ queueId: '3', ok: 'true' });
  });
});
