import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

import { EventEmitter } from 'eventemitter3';

import { createLogger, type Logger } from '../logging/logger.js';
import { formatAddress } from './address.js';
import { RemotingConnection, type ConnectionObserver } from './connection.js';
import { DEFAULT_FRAME_MAX_LENGTH } from './frame-codec.js';
import type { ProcessorOptions, RemotingChannel, RequestProcessor } from './remoting-channel.js';
import { RequestDispatcher } from './request-dispatcher.js';
import { stripUndefined } from './strip-undefined.js';

/** NettyServerConfig's names and defaults where they carry over. */
export interface RemotingServerOptions {
  host?: string;
  /** 0 = an ephemeral port (read it from `port` after start). */
  listenPort?: number;
  /** Largest frame accepted, length prefix included (com.rocketmq.remoting.frameMaxLength). */
  maxFrameLength?: number;
  /** A connection with no reads or writes for this long is closed (ALL_IDLE); 0 disables. */
  serverChannelMaxIdleTimeSeconds?: number;
  serverSocketBacklog?: number;
  /** Reading from a connection stops while more than this many bytes wait to be written to it. */
  writeBufferHighWaterMark?: number;
  /** … and resumes once they drop to this. */
  writeBufferLowWaterMark?: number;
  /** Bound on the graceful part of shutdown (in-flight processors, flushing answers). */
  shutdownTimeoutMillis?: number;
  logger?: Logger;
}

/** Channel events; the name server expires brokers on close, the broker cleans client channels. */
export interface RemotingServerEvents {
  connect: (channel: RemotingChannel) => void;
  close: (channel: RemotingChannel) => void;
  idle: (channel: RemotingChannel) => void;
  exception: (channel: RemotingChannel, error: Error) => void;
}

const DEFAULTS = {
  host: '127.0.0.1',
  listenPort: 0,
  maxFrameLength: DEFAULT_FRAME_MAX_LENGTH,
  serverChannelMaxIdleTimeSeconds: 120,
  serverSocketBacklog: 1024,
  writeBufferHighWaterMark: 1024 * 1024,
  writeBufferLowWaterMark: 512 * 1024,
  shutdownTimeoutMillis: 3000,
} as const;

/** The listening end of the remoting protocol, for the name server and the broker. */
export class RemotingServer extends EventEmitter<RemotingServerEvents> {
  private readonly opts: Required<Omit<RemotingServerOptions, 'logger'>>;
  private readonly log: Logger;
  private readonly dispatcher: RequestDispatcher;
  private readonly connections = new Map<number, RemotingConnection>();
  private server: Server | undefined;
  private boundPort = 0;
  private state: 'new' | 'started' | 'stopped' = 'new';

  constructor(options: RemotingServerOptions = {}) {
    super();
    const { logger, ...rest } = options;
    this.opts = { ...DEFAULTS, ...stripUndefined(rest) };
    this.log = (logger ?? createLogger('rocketmq')).namespace('RemotingServer');
    this.dispatcher = new RequestDispatcher(this.log);
  }

  /** The bound port (the ephemeral one when listenPort was 0); 0 before start. */
  get port(): number {
    return this.boundPort;
  }

  /** `host:port` as peers should dial it. */
  get address(): string {
    return formatAddress(this.opts.host, this.boundPort);
  }

  /** Open connections, by channel id. */
  get channels(): ReadonlyMap<number, RemotingChannel> {
    return this.connections;
  }

  registerProcessor(code: number, processor: RequestProcessor, options?: ProcessorOptions): void {
    this.dispatcher.register(code, processor, options);
  }

  registerDefaultProcessor(processor: RequestProcessor, options?: ProcessorOptions): void {
    this.dispatcher.registerDefault(processor, options);
  }

  /** Resolves once listening. */
  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error(`RemotingServer cannot start from state ${this.state}`);
    this.state = 'started';
    const server = createServer({ noDelay: true }, this.onConnection);
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      server.once('error', onError);
      server.listen({ host: this.opts.host, port: this.opts.listenPort, backlog: this.opts.serverSocketBacklog }, () => {
        server.off('error', onError);
        resolve();
      });
    });
    server.on('error', (err) => this.log.error('server socket error', { error: err.message }));
    this.boundPort = (server.address() as AddressInfo).port;
    this.log.info('listening', { address: this.address });
  }

  /**
   * Graceful and bounded: stop accepting, let in-flight processors answer, flush and close every
   * connection; whatever is still open after shutdownTimeoutMillis is destroyed.
   */
  async shutdown(): Promise<void> {
    if (this.state !== 'started') {
      this.state = 'stopped';
      return;
    }
    this.state = 'stopped';
    const server = this.server!;
    const listenerClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    const deadline = Date.now() + this.opts.shutdownTimeoutMillis;
    if (!(await this.dispatcher.waitIdle(this.opts.shutdownTimeoutMillis))) {
      this.log.warn('shutdown: processors still running, closing anyway', { inFlight: this.dispatcher.inFlight });
    }
    const conns = [...this.connections.values()];
    for (const c of conns) c.end();
    const remaining = Math.max(0, deadline - Date.now());
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(conns.map((c) => c.whenClosed())),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, remaining);
      }),
    ]);
    clearTimeout(timer);
    for (const c of this.connections.values()) c.destroy();
    await listenerClosed;
    this.log.info('shut down', { address: this.address });
  }

  private readonly onConnection = (socket: Socket): void => {
    if (this.state !== 'started') {
      socket.destroy();
      return;
    }
    const conn = new RemotingConnection(socket, {
      dispatcher: this.dispatcher,
      observer: this.observer,
      logger: this.log,
      maxFrameLength: this.opts.maxFrameLength,
      idleTimeoutMillis: this.opts.serverChannelMaxIdleTimeSeconds * 1000,
      pauseReadingOnBackpressure: true,
      writeHighWaterMark: this.opts.writeBufferHighWaterMark,
      writeLowWaterMark: this.opts.writeBufferLowWaterMark,
    });
    this.connections.set(conn.id, conn);
    this.log.debug('channel connected', { remoteAddr: conn.remoteAddress, id: conn.id });
    this.emit('connect', conn);
  };

  private readonly observer: ConnectionObserver = {
    onClose: (conn) => {
      this.connections.delete(conn.id);
      this.log.debug('channel closed', { remoteAddr: conn.remoteAddress, id: conn.id });
      this.emit('close', conn);
    },
    onIdle: (conn) => this.emit('idle', conn),
    onException: (conn, error) => this.emit('exception', conn, error),
  };
}
