import { expect } from 'chai';

import {
  RemotingCommandException,
  RemotingConnectException,
  RemotingSendRequestException,
  RemotingTimeoutException,
  RemotingTooMuchRequestException,
} from '../../../src/common/errors.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import type { RemotingChannel } from '../../../src/common/remoting/remoting-channel.js';
import { RemotingCommand, SerializeType } from '../../../src/common/remoting/remoting-command.js';
import { delay, ECHO, echoRequest, Fixture, nextClientEvent, nextServerEvent } from './helpers.js';

const SLOW = 9002;
const THROWS = 9003;
const ONEWAY_SINK = 9004;
const DEFERRED = 9005;
const NOTIFY = 40; // NOTIFY_CONSUMER_IDS_CHANGED
const RUNNING_INFO = 307; // GET_CONSUMER_RUNNING_INFO

describe('RemotingClient ⇄ RemotingServer', () => {
  let fx: Fixture;
  beforeEach(() => {
    fx = new Fixture();
  });
  afterEach(async () => {
    await fx.close();
  });

  it('correlates 10,000 concurrent requests by opaque', async () => {
    const server = await fx.server();
    const client = fx.client();
    const n = 10_000;
    const responses = await Promise.all(
      Array.from({ length: n }, (_, i) => client.invokeSync(server.address, echoRequest(`m${i}`, { i: String(i) }), 10_000)),
    );
    responses.forEach((r, i) => {
      expect(r.code).to.equal(ResponseCode.SUCCESS);
      expect(r.getExtField('i')).to.equal(String(i));
      expect(r.body!.toString()).to.equal(`m${i}`);
    });
    expect(server.channels.size).to.equal(1); // one connection per address
  });

  it('times out, drops the late response and leaks nothing in the pending table', async () => {
    const server = await fx.server();
    server.registerProcessor(SLOW, {
      async processRequest(_ch, req) {
        await delay(150);
        return RemotingCommand.createResponse(req, ResponseCode.SUCCESS, 'late');
      },
    });
    const client = fx.client();
    const started = Date.now();
    const err = await client.invokeSync(server.address, RemotingCommand.createRequest(SLOW), 50).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(RemotingTimeoutException);
    expect(Date.now() - started).to.be.within(45, 140);
    const channel = client.getChannel(server.address) as RemotingChannel & { pendingRequests: number };
    expect(channel.pendingRequests).to.equal(0);
    await delay(200); // the late answer arrives and must be dropped quietly
    const ok = await client.invokeSync(server.address, echoRequest('after'), 1000);
    expect(ok.body!.toString()).to.equal('after');
    expect(channel.pendingRequests).to.equal(0);
    expect(client.getChannel(server.address)).to.equal(channel); // same connection, not closed
  });

  it('delivers a oneway request and never answers it', async () => {
    const server = await fx.server();
    const seen: RemotingCommand[] = [];
    server.registerProcessor(ONEWAY_SINK, {
      processRequest(_ch, req) {
        seen.push(req);
        // Even a returned response must not be written for a oneway request.
        return RemotingCommand.createResponse(req, ResponseCode.SUCCESS);
      },
    });
    const client = fx.client();
    const stray: RemotingCommand[] = [];
    client.registerDefaultProcessor({ processRequest: (_ch, r) => (stray.push(r), null) });
    await client.invokeOneway(server.address, RemotingCommand.createRequest(ONEWAY_SINK, { k: 'v' }), 1000);
    // An unknown code sent oneway must not be answered either.
    await client.invokeOneway(server.address, RemotingCommand.createRequest(4242), 1000);
    const echo = await client.invokeSync(server.address, echoRequest('x'), 1000); // ordering barrier
    expect(echo.code).to.equal(ResponseCode.SUCCESS);
    expect(seen).to.have.length(1);
    expect(seen[0]!.isOneway).to.equal(true);
    expect(seen[0]!.getExtField('k')).to.equal('v');
    const channel = client.getChannel(server.address) as RemotingChannel & { pendingRequests: number };
    expect(channel.pendingRequests).to.equal(0);
    expect(stray).to.deep.equal([]);
  });

  it('reconnects on the next call after the server restarts on the same port', async () => {
    const first = await fx.server();
    const client = fx.client();
    const addr = first.address;
    expect((await client.invokeSync(addr, echoRequest('one'), 1000)).body!.toString()).to.equal('one');
    const closed = nextClientEvent(client, 'close');
    await first.shutdown();
    const [closedAddr] = await closed;
    expect(closedAddr).to.equal(addr);
    const down = await client.invokeSync(addr, echoRequest('nobody'), 1000).catch((e: unknown) => e);
    expect(down).to.be.instanceOf(RemotingConnectException);
    const second = await fx.server({ listenPort: first.port });
    expect(second.port).to.equal(first.port);
    const connected = nextClientEvent(client, 'connect');
    expect((await client.invokeSync(addr, echoRequest('two'), 1000)).body!.toString()).to.equal('two');
    expect((await connected)[0]).to.equal(addr);
  });

  it('lets the server call the client back over the client connection', async () => {
    const server = await fx.server();
    const client = fx.client();
    const notified: string[] = [];
    client.registerProcessor(NOTIFY, { processRequest: (_ch, r) => (notified.push(r.getExtField('consumerGroup')!), null) });
    client.registerProcessor(RUNNING_INFO, {
      processRequest(ch, r) {
        const resp = RemotingCommand.createResponse(r, ResponseCode.SUCCESS);
        resp.body = Buffer.from(`running on ${ch.localAddress}`);
        return resp;
      },
    });
    const connected = nextServerEvent(server, 'connect');
    await client.invokeSync(server.address, echoRequest('hello'), 1000);
    const [channel] = await connected;
    expect(server.channels.get(channel.id)).to.equal(channel);
    await channel.invokeOneway(RemotingCommand.createRequest(NOTIFY, { consumerGroup: 'CG' }));
    const info = await channel.invokeSync(RemotingCommand.createRequest(RUNNING_INFO), 1000);
    expect(info.code).to.equal(ResponseCode.SUCCESS);
    expect(info.body!.toString()).to.equal(`running on ${channel.remoteAddress}`);
    expect(notified).to.deep.equal(['CG']);
    // A code the client does not handle is answered like the server would.
    const unknown = await channel.invokeSync(RemotingCommand.createRequest(4242), 1000);
    expect(unknown.code).to.equal(ResponseCode.REQUEST_CODE_NOT_SUPPORTED);
  });

  it('answers an unknown code REQUEST_CODE_NOT_SUPPORTED with Java\'s remark', async () => {
    const server = await fx.server();
    const r = await fx.client().invokeSync(server.address, RemotingCommand.createRequest(4242), 1000);
    expect(r.code).to.equal(ResponseCode.REQUEST_CODE_NOT_SUPPORTED);
    expect(r.remark).to.equal(' request type 4242 not supported');
    expect(r.isResponse).to.equal(true);
  });

  it('routes unknown codes to the default processor when one is registered', async () => {
    const server = await fx.server();
    server.registerDefaultProcessor({ processRequest: (_ch, r) => RemotingCommand.createResponse(r, ResponseCode.SUCCESS, `default ${r.code}`) });
    const r = await fx.client().invokeSync(server.address, RemotingCommand.createRequest(4242), 1000);
    expect([r.code, r.remark]).to.deep.equal([ResponseCode.SUCCESS, 'default 4242']);
  });

  it('answers SYSTEM_ERROR with the message of a throwing or rejecting processor', async () => {
    const server = await fx.server();
    server.registerProcessor(THROWS, {
      processRequest(_ch, r) {
        if (r.getExtField('async') === 'true') return Promise.reject(new Error('async boom'));
        throw new RemotingCommandException('the custom header field topic is null');
      },
    });
    const client = fx.client();
    const sync = await client.invokeSync(server.address, RemotingCommand.createRequest(THROWS), 1000);
    expect([sync.code, sync.remark]).to.deep.equal([ResponseCode.SYSTEM_ERROR, 'the custom header field topic is null']);
    const rejected = await client.invokeSync(server.address, RemotingCommand.createRequest(THROWS, { async: 'true' }), 1000);
    expect([rejected.code, rejected.remark]).to.deep.equal([ResponseCode.SYSTEM_ERROR, 'async boom']);
  });

  it('fails pending requests when the server closes the connection', async () => {
    const server = await fx.server();
    server.registerProcessor(SLOW, { processRequest: () => new Promise<null>(() => undefined) }); // never answers
    const client = fx.client();
    const connected = nextServerEvent(server, 'connect');
    const pending = Array.from({ length: 5 }, () =>
      client.invokeSync(server.address, RemotingCommand.createRequest(SLOW), 5000).catch((e: unknown) => e),
    );
    const [channel] = await connected;
    await delay(50);
    channel.close();
    for (const e of await Promise.all(pending)) expect(e).to.be.instanceOf(RemotingSendRequestException);
  });

  it('answers each serialization in kind', async () => {
    const server = await fx.server();
    const client = fx.client();
    for (const type of [SerializeType.JSON, SerializeType.ROCKETMQ]) {
      const req = echoRequest('x', { topic: 'T' });
      req.serializeType = type;
      const r = await client.invokeSync(server.address, req, 1000);
      expect(r.serializeType).to.equal(type);
      expect(r.getExtField('topic')).to.equal('T');
      const unsupported = RemotingCommand.createRequest(4242);
      unsupported.serializeType = type;
      expect((await client.invokeSync(server.address, unsupported, 1000)).serializeType).to.equal(type);
    }
  });

  it('answers a deferred response written later through the channel (long polling)', async () => {
    const server = await fx.server();
    const held: [RemotingChannel, RemotingCommand][] = [];
    server.registerProcessor(DEFERRED, { processRequest: (ch, r) => (held.push([ch, r]), null) });
    const client = fx.client();
    const answer = client.invokeSync(server.address, RemotingCommand.createRequest(DEFERRED), 2000);
    while (held.length === 0) await delay(5);
    const [ch, req] = held[0]!;
    expect(ch.writeResponse(RemotingCommand.createResponse(req, ResponseCode.SUCCESS, 'found later'))).to.equal(true);
    expect((await answer).remark).to.equal('found later');
  });

  it('answers SYSTEM_BUSY "[OVERLOAD]…" beyond a processor\'s concurrency and queue', async () => {
    const server = await fx.server();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    server.registerProcessor(SLOW, {
      async processRequest(_ch, r) {
        await gate;
        return RemotingCommand.createResponse(r, ResponseCode.SUCCESS);
      },
    }, { maxConcurrency: 2, queueCapacity: 3 });
    const client = fx.client();
    const all = Array.from({ length: 8 }, () => client.invokeSync(server.address, RemotingCommand.createRequest(SLOW), 2000));
    await delay(50);
    release();
    const codes = (await Promise.all(all)).map((r) => [r.code, r.remark]);
    expect(codes.filter(([c]) => c === ResponseCode.SUCCESS)).to.have.length(5);
    expect(codes.filter(([c]) => c === ResponseCode.SYSTEM_BUSY)).to.deep.equal(
      Array(3).fill([ResponseCode.SYSTEM_BUSY, '[OVERLOAD]system busy, start flow control for a while']),
    );
  });

  it('bounds invokeAsync by the async semaphore', async () => {
    const server = await fx.server();
    server.registerProcessor(SLOW, {
      async processRequest(_ch, r) {
        await delay(100);
        return RemotingCommand.createResponse(r, ResponseCode.SUCCESS);
      },
    });
    const client = fx.client({ clientAsyncSemaphoreValue: 2 });
    const a = client.invokeAsync(server.address, RemotingCommand.createRequest(SLOW), 1000);
    const b = client.invokeAsync(server.address, RemotingCommand.createRequest(SLOW), 1000);
    const c = await client.invokeAsync(server.address, RemotingCommand.createRequest(SLOW), 20).catch((e: unknown) => e);
    expect(c).to.be.instanceOf(RemotingTooMuchRequestException);
    expect((await a).code).to.equal(ResponseCode.SUCCESS);
    expect((await b).code).to.equal(ResponseCode.SUCCESS);
    // Permits are back: a waiting call proceeds.
    expect((await client.invokeAsync(server.address, echoRequest('ok'), 1000)).code).to.equal(ResponseCode.SUCCESS);
  });

  it('fails fast with RemotingConnectException when nothing listens', async () => {
    const server = await fx.server();
    const addr = server.address;
    await server.shutdown();
    const e = await fx.client().invokeSync(addr, echoRequest('x'), 1000).catch((err: unknown) => err);
    expect(e).to.be.instanceOf(RemotingConnectException);
  });

  it('emits connect and close on both ends, and closeChannel reconnects on the next call', async () => {
    const server = await fx.server();
    const client = fx.client();
    const serverConnect = nextServerEvent(server, 'connect');
    await client.invokeSync(server.address, echoRequest('x'), 1000);
    const [serverSide] = await serverConnect;
    const serverClose = nextServerEvent(server, 'close');
    const clientClose = nextClientEvent(client, 'close');
    client.closeChannel(server.address);
    expect((await serverClose)[0]).to.equal(serverSide);
    expect((await clientClose)[0]).to.equal(server.address);
    expect((await client.invokeSync(server.address, echoRequest('y'), 1000)).body!.toString()).to.equal('y');
  });

  it('closes an idle connection and reports it', async () => {
    const server = await fx.server({ serverChannelMaxIdleTimeSeconds: 0.1 });
    const client = fx.client();
    const idle = nextServerEvent(server, 'idle');
    const closed = nextClientEvent(client, 'close');
    await client.invokeSync(server.address, echoRequest('x'), 1000);
    await idle;
    expect((await closed)[0]).to.equal(server.address);
  });

  it('speaks IPv6 with a bracketed address', async function () {
    const server = await fx.server({ host: '::1' }).catch(() => undefined);
    if (server === undefined) this.skip(); // no IPv6 loopback on this machine
    expect(server!.address).to.equal(`[::1]:${server!.port}`);
    const r = await fx.client().invokeSync(server!.address, echoRequest('v6'), 1000);
    expect(r.body!.toString()).to.equal('v6');
  });

  it('keeps ECHO answers in order of arrival with bodies intact at 1 MiB', async () => {
    const server = await fx.server();
    const big = Buffer.alloc(1024 * 1024, 7);
    const r = await fx.client().invokeSync(server.address, RemotingCommand.createRequest(ECHO, undefined, big), 2000);
    expect(r.body!.equals(big)).to.equal(true);
  });
});
