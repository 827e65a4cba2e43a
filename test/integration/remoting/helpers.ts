import type { Socket } from 'node:net';

import type { EventEmitter } from 'eventemitter3';

import { RemotingClient, type RemotingClientEvents, type RemotingClientOptions } from '../../../src/common/remoting/remoting-client.js';
import { RemotingServer, type RemotingServerEvents, type RemotingServerOptions } from '../../../src/common/remoting/remoting-server.js';
import { RemotingCommand } from '../../../src/common/remoting/remoting-command.js';
import type { RequestProcessor } from '../../../src/common/remoting/remoting-channel.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import { connectRaw } from '../../support/raw-socket.js';

export const ECHO = 9001;

/** Answers SUCCESS with the request's extFields and body. */
export const echoProcessor: RequestProcessor = {
  processRequest(_channel, request) {
    const r = RemotingCommand.createResponse(request, ResponseCode.SUCCESS, undefined, request.extFields);
    r.body = request.body;
    return r;
  },
};

/** Tracks servers and clients created by a test so afterEach can stop them all. */
export class Fixture {
  private readonly servers: RemotingServer[] = [];
  private readonly clients: RemotingClient[] = [];
  private readonly sockets: Socket[] = [];

  async server(options: RemotingServerOptions = {}): Promise<RemotingServer> {
    const s = new RemotingServer({ shutdownTimeoutMillis: 500, ...options });
    s.registerProcessor(ECHO, echoProcessor);
    this.servers.push(s);
    await s.start();
    return s;
  }

  client(options: RemotingClientOptions = {}): RemotingClient {
    const c = new RemotingClient({ connectTimeoutMillis: 1000, ...options });
    this.clients.push(c);
    return c;
  }

  /** A plain TCP socket to `port`, connected. */
  async raw(port: number): Promise<Socket> {
    const s = await connectRaw('127.0.0.1', port);
    this.sockets.push(s);
    return s;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await Promise.all(this.clients.map((c) => c.shutdown()));
    await Promise.all(this.servers.map((s) => s.shutdown()));
  }
}

/** Resolves with the arguments of the server's next `event`, or rejects after `ms`. */
export function nextServerEvent<K extends keyof RemotingServerEvents>(
  server: RemotingServer,
  event: K,
  ms = 2000,
): Promise<Parameters<RemotingServerEvents[K]>> {
  return waitFor((fn) => server.once(event, fn as EventEmitter.EventListener<RemotingServerEvents, K>), (fn) => server.off(event, fn as EventEmitter.EventListener<RemotingServerEvents, K>), String(event), ms);
}

/** Resolves with the arguments of the client's next `event`, or rejects after `ms`. */
export function nextClientEvent<K extends keyof RemotingClientEvents>(
  client: RemotingClient,
  event: K,
  ms = 2000,
): Promise<Parameters<RemotingClientEvents[K]>> {
  return waitFor((fn) => client.once(event, fn as EventEmitter.EventListener<RemotingClientEvents, K>), (fn) => client.off(event, fn as EventEmitter.EventListener<RemotingClientEvents, K>), String(event), ms);
}

function waitFor<A extends unknown[]>(
  on: (fn: (...args: A) => void) => void,
  off: (fn: (...args: A) => void) => void,
  name: string,
  ms: number,
): Promise<A> {
  return new Promise<A>((resolve, reject) => {
    const fn = (...args: A): void => {
      clearTimeout(timer);
      resolve(args);
    };
    const timer = setTimeout(() => {
      off(fn);
      reject(new Error(`no ${name} within ${ms}ms`));
    }, ms);
    on(fn);
  });
}

/** Resolves once the raw socket is closed by the peer (or rejects after `ms`). */
export function closedByPeer(socket: Socket, ms = 2000): Promise<void> {
  if (socket.closed) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket not closed within ${ms}ms`)), ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.resume(); // read (and discard) so 'end' and 'close' can happen
  });
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A request to ECHO carrying `text` in its body. */
export function echoRequest(text: string, extFields?: Record<string, string>): RemotingCommand {
  return RemotingCommand.createRequest(ECHO, extFields, Buffer.from(text));
}
