import { connect as netConnect, type Socket } from 'node:net';

import { EventEmitter } from 'eventemitter3';

import { RemotingConnectException, RemotingTimeoutException } from '../errors.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { parseAddress } from './address.js';
import { AsyncSemaphore } from './async-semaphore.js';
import { RemotingConnection, type ConnectionObserver } from './connection.js';
import { DEFAULT_FRAME_MAX_LENGTH } from './frame-codec.js';
import type { ProcessorOptions, RemotingChannel, RequestProcessor } from './remoting-channel.js';
import type { RemotingCommand } from './remoting-command.js';
import { RequestDispatcher } from './request-dispatcher.js';
import { stripUndefined } from './strip-undefined.js';

/** NettyClientConfig's names and defaults where they carry over. */
export interface RemotingClientOptions {
  connectTimeoutMillis?: number;
  /** A connection with no reads or writes for this long is closed (ALL_IDLE); 0 disables. */
  clientChannelMaxIdleTimeSeconds?: number;
  clientAsyncSemaphoreValue?: number;
  clientOnewaySemaphoreValue?: number;
  /**
   * Close the connection when an invokeSync times out. Java 4.9.8 defaults this to true; here it
   * defaults to false because one connection carries every pipelined request to an address, and
   * one slow answer (a long-polled pull) must not fail all the others. The late answer is dropped.
   */
  clientCloseSocketIfTimeout?: boolean;
  maxFrameLength?: number;
  logger?: Logger;
}

/** Connection events, per address (`host:port`, as passed to invoke*). */
export interface RemotingClientEvents {
  connect: (addr: string, channel: RemotingChannel) => void;
  close: (addr: string, channel: RemotingChannel) => void;
  idle: (addr: string, channel: RemotingChannel) => void;
  exception: (addr: string, channel: RemotingChannel, error: Error) => void;
}

const DEFAULTS = {
  connectTimeoutMillis: 3000,
  clientChannelMaxIdleTimeSeconds: 120,
  clientAsyncSemaphoreValue: 65535,
  clientOnewaySemaphoreValue: 65535,
  clientCloseSocketIfTimeout: false,
  maxFrameLength: DEFAULT_FRAME_MAX_LENGTH,
} as const;

/** A client end of the protocol: one lazily opened connection per address. */
export class RemotingClient extends EventEmitter<RemotingClientEvents> {
  private readonly opts: Required<Omit<RemotingClientOptions, 'logger'>>;
  private readonly log: Logger;
  private readonly dispatcher: RequestDispatcher;
  private readonly semaphoreAsync: AsyncSemaphore;
  private readonly semaphoreOneway: AsyncSemaphore;
  private readonly connections = new Map<string, RemotingConnection>();
  private readonly connecting = new Map<string, Promise<RemotingConnection>>();
  /** Sockets still connecting, so shutdown can abort them. */
  private readonly dialing = new Set<Socket>();
  private readonly addrOf = new WeakMap<RemotingConnection, string>();
  private stopped = false;

  constructor(options: RemotingClientOptions = {}) {
    super();
    const { logger, ...rest } = options;
    this.opts = { ...DEFAULTS, ...stripUndefined(rest) };
    this.log = (logger ?? createLogger('rocketmq')).namespace('RemotingClient');
    this.dispatcher = new RequestDispatcher(this.log);
    this.semaphoreAsync = new AsyncSemaphore('invokeAsyncImpl', this.opts.clientAsyncSemaphoreValue);
    this.semaphoreOneway = new AsyncSemaphore('invokeOnewayImpl', this.opts.clientOnewaySemaphoreValue);
  }

  /** A processor for server-initiated requests (NOTIFY_CONSUMER_IDS_CHANGED, …). */
  registerProcessor(code: number, processor: RequestProcessor, options?: ProcessorOptions): void {
    this.dispatcher.register(code, processor, options);
  }

  registerDefaultProcessor(processor: RequestProcessor, options?: ProcessorOptions): void {
    this.dispatcher.registerDefault(processor, options);
  }

  /** The open connection to `addr`, if any. */
  getChannel(addr: string): RemotingChannel | undefined {
    const c = this.connections.get(addr);
    return c !== undefined && c.isActive ? c : undefined;
  }

  /** Sends `request` and waits up to `timeoutMillis` (connecting included) for its response. */
  invokeSync(addr: string, request: RemotingCommand, timeoutMillis: number): Promise<RemotingCommand> {
    const conn = this.connections.get(addr);
    // Hot path: connected, nothing to clean up on timeout, so no async wrapper (one promise less).
    if (conn !== undefined && conn.isActive && !this.opts.clientCloseSocketIfTimeout) {
      return conn.invokeSync(request, timeoutMillis);
    }
    return this.invokeSyncSlow(addr, request, timeoutMillis);
  }

  private async invokeSyncSlow(addr: string, request: RemotingCommand, timeoutMillis: number): Promise<RemotingCommand> {
    const begin = Date.now();
    const conn = this.connections.get(addr);
    const ready = conn !== undefined && conn.isActive ? conn : await this.connect(addr, timeoutMillis);
    const remaining = timeoutMillis - (Date.now() - begin);
    if (remaining <= 0) {
      throw new RemotingTimeoutException(`invokeSync call the addr[${addr}] timeout`, { context: { addr, requestCode: request.code } });
    }
    try {
      return await ready.invokeSync(request, remaining);
    } catch (e) {
      if (e instanceof RemotingTimeoutException && this.opts.clientCloseSocketIfTimeout) {
        this.log.warn('invokeSync: close socket because of timeout', { addr, timeoutMillis });
        this.closeConnection(addr, ready);
      }
      throw e;
    }
  }

  /**
   * As invokeSync, but bounded by clientAsyncSemaphoreValue requests in flight: beyond that it
   * waits for a permit up to `timeoutMillis`, then fails with RemotingTooMuchRequestException.
   */
  async invokeAsync(addr: string, request: RemotingCommand, timeoutMillis: number): Promise<RemotingCommand> {
    const begin = Date.now();
    if (!this.semaphoreAsync.tryAcquire()) await this.semaphoreAsync.acquire(timeoutMillis);
    try {
      return await this.invokeSync(addr, request, timeoutMillis - (Date.now() - begin));
    } finally {
      this.semaphoreAsync.release();
    }
  }

  /** Sets the oneway flag and resolves once the request is written; no response is expected. */
  async invokeOneway(addr: string, request: RemotingCommand, timeoutMillis: number): Promise<void> {
    const begin = Date.now();
    if (!this.semaphoreOneway.tryAcquire()) await this.semaphoreOneway.acquire(timeoutMillis);
    try {
      const conn = this.connections.get(addr);
      const ready = conn !== undefined && conn.isActive ? conn : await this.connect(addr, timeoutMillis - (Date.now() - begin));
      await ready.invokeOneway(request);
    } finally {
      this.semaphoreOneway.release();
    }
  }

  /** Closes the connection to `addr`; its pending requests fail; the next call reconnects. */
  closeChannel(addr: string): void {
    const conn = this.connections.get(addr);
    if (conn !== undefined) this.closeConnection(addr, conn);
  }

  /** Closes every connection and aborts connects in progress; the client cannot be reused. */
  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const closing = new RemotingConnectException('remoting client shut down', { retriable: false });
    this.semaphoreAsync.rejectAll(closing);
    this.semaphoreOneway.rejectAll(closing);
    for (const s of this.dialing) s.destroy(closing);
    const conns = [...this.connections.values()];
    for (const c of conns) c.close();
    await Promise.all(conns.map((c) => c.whenClosed()));
    this.connections.clear();
  }

  // ------------------------------------------------------------------------------------------

  private connect(addr: string, timeoutMillis: number): Promise<RemotingConnection> {
    if (this.stopped) return Promise.reject(new RemotingConnectException('remoting client shut down', { retriable: false, context: { addr } }));
    const inProgress = this.connecting.get(addr);
    if (inProgress !== undefined) return inProgress;
    const attempt = this.dial(addr, Math.min(this.opts.connectTimeoutMillis, Math.max(1, timeoutMillis))).finally(() => {
      this.connecting.delete(addr);
    });
    this.connecting.set(addr, attempt);
    return attempt;
  }

  private dial(addr: string, connectTimeoutMillis: number): Promise<RemotingConnection> {
    const { host, port } = parseAddress(addr);
    return new Promise<RemotingConnection>((resolve, reject) => {
      const socket = netConnect({ host, port, noDelay: true });
      this.dialing.add(socket);
      const fail = (why: string, cause?: Error): void => {
        clearTimeout(timer);
        this.dialing.delete(socket);
        socket.destroy();
        reject(new RemotingConnectException(`connect to <${addr}> failed: ${why}`, { cause, context: { addr } }));
      };
      const timer = setTimeout(() => fail(`timeout ${connectTimeoutMillis}ms`), connectTimeoutMillis);
      const onError = (err: Error): void => fail(err.message, err);
      socket.once('error', onError);
      socket.once('connect', () => {
        clearTimeout(timer);
        this.dialing.delete(socket);
        socket.off('error', onError);
        if (this.stopped) {
          fail('remoting client shut down');
          return;
        }
        const conn = this.adopt(addr, socket);
        resolve(conn);
      });
    });
  }

  private adopt(addr: string, socket: Socket): RemotingConnection {
    const conn = new RemotingConnection(socket, {
      dispatcher: this.dispatcher,
      observer: this.observer,
      logger: this.log,
      maxFrameLength: this.opts.maxFrameLength,
      idleTimeoutMillis: this.opts.clientChannelMaxIdleTimeSeconds * 1000,
      // The client always reads: its answers may be what the server waits on to drain.
      pauseReadingOnBackpressure: false,
      writeHighWaterMark: Number.POSITIVE_INFINITY,
      writeLowWaterMark: 0,
    });
    this.addrOf.set(conn, addr);
    const previous = this.connections.get(addr);
    this.connections.set(addr, conn);
    if (previous !== undefined && previous !== conn) previous.close();
    this.log.info('connected', { addr, local: conn.localAddress });
    this.emit('connect', addr, conn);
    return conn;
  }

  private closeConnection(addr: string, conn: RemotingConnection): void {
    if (this.connections.get(addr) === conn) this.connections.delete(addr);
    conn.close();
  }

  private readonly observer: ConnectionObserver = {
    onClose: (conn) => {
      const addr = this.addrOf.get(conn) ?? conn.remoteAddress;
      if (this.connections.get(addr) === conn) this.connections.delete(addr);
      this.log.info('connection closed', { addr });
      this.emit('close', addr, conn);
    },
    onIdle: (conn) => this.emit('idle', this.addrOf.get(conn) ?? conn.remoteAddress, conn),
    onException: (conn, error) => this.emit('exception', this.addrOf.get(conn) ?? conn.remoteAddress, conn, error),
  };
}
