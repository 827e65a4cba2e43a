import type { Socket } from 'node:net';

import { RemotingCommandException, RemotingSendRequestException, type RemotingException } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import { socketAddress } from './address.js';
import { decodeFrameAt } from './frame-codec.js';
import { FrameDecoder, type FrameHandler } from './frame-decoder.js';
import type { RemotingChannel } from './remoting-channel.js';
import { createOpaque, RPC_ONEWAY, RPC_TYPE_RESPONSE, type RemotingCommand } from './remoting-command.js';
import type { RequestDispatcher } from './request-dispatcher.js';
import { ResponseTable } from './response-table.js';
import { WriteBatcher } from './write-batcher.js';

/** What the owner (RemotingServer or RemotingClient) learns about a connection's life. */
export interface ConnectionObserver {
  onClose(conn: RemotingConnection): void;
  onIdle(conn: RemotingConnection): void;
  onException(conn: RemotingConnection, error: Error): void;
}

export interface RemotingConnectionOptions {
  readonly dispatcher: RequestDispatcher;
  readonly observer: ConnectionObserver;
  readonly logger: Logger;
  readonly maxFrameLength: number;
  /** Close after this long without reads or writes (Netty's ALL_IDLE); 0 disables. */
  readonly idleTimeoutMillis: number;
  /**
   * Stop reading while more than `writeHighWaterMark` bytes wait to be written, until they drop
   * to `writeLowWaterMark`. Right for a server (a peer that does not read its answers must not
   * make us buffer without bound); wrong for a client, whose peer may be waiting for it to read.
   */
  readonly pauseReadingOnBackpressure: boolean;
  readonly writeHighWaterMark: number;
  readonly writeLowWaterMark: number;
}

let nextChannelId = 1;

/**
 * One remoting connection: a socket, its FrameDecoder, the opaque → pending request table and
 * the dispatch of incoming requests to processors. Client and server both use it (the symmetric
 * design of rocketmq-client-go), so either end can send requests over it.
 *
 * Writes are batched per tick (WriteBatcher): every frame produced while handling a chunk of
 * reads, or by a caller pipelining requests, goes out in one socket write.
 */
export class RemotingConnection implements RemotingChannel, FrameHandler {
  readonly id = nextChannelId++;
  readonly remoteAddress: string;
  readonly localAddress: string;

  private readonly decoder: FrameDecoder;
  private readonly responses: ResponseTable;
  private readonly log: Logger;
  private readonly writer: WriteBatcher;
  private readingPaused = false;
  private closed = false;
  private closeError: Error | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly options: RemotingConnectionOptions,
  ) {
    this.remoteAddress = socketAddress(socket.remoteAddress, socket.remotePort);
    this.localAddress = socketAddress(socket.localAddress, socket.localPort);
    this.log = options.logger;
    this.decoder = new FrameDecoder(options.maxFrameLength);
    this.responses = new ResponseTable(() => this.remoteAddress);
    this.writer = new WriteBatcher(socket);
    socket.setNoDelay(true);
    if (options.idleTimeoutMillis > 0) socket.setTimeout(options.idleTimeoutMillis);
    socket.on('data', this.onData);
    socket.on('drain', this.onDrain);
    socket.on('timeout', this.onTimeout);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
  }

  get isActive(): boolean {
    return !this.closed && !this.socket.destroyed && this.socket.writable;
  }

  /** Requests waiting for a response on this connection. */
  get pendingRequests(): number {
    return this.responses.size;
  }

  invokeSync(request: RemotingCommand, timeoutMillis: number): Promise<RemotingCommand> {
    if (!this.isActive) return Promise.reject(this.notWritable(request));
    request.flag &= ~(RPC_TYPE_RESPONSE | RPC_ONEWAY);
    // A request object reused by a retry would collide with its first attempt still pending.
    if (this.responses.has(request.opaque)) request.opaque = createOpaque();
    // Encode first: a request that cannot be encoded fails here instead of waiting for its timeout.
    try {
      this.write(request);
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new RemotingCommandException(String(e)));
    }
    // Registering after the write is safe: the response cannot arrive before this returns.
    return this.responses.add(request, timeoutMillis);
  }

  invokeOneway(request: RemotingCommand): Promise<void> {
    if (!this.isActive) return Promise.reject(this.notWritable(request));
    request.flag = (request.flag & ~RPC_TYPE_RESPONSE) | RPC_ONEWAY;
    return new Promise<void>((resolve, reject) => {
      this.write(request, (err) => {
        if (err === undefined || err === null) resolve();
        else reject(new RemotingSendRequestException(`send oneway request to <${this.remoteAddress}> failed: ${err.message}`, { cause: err }));
      });
    });
  }

  writeResponse(response: RemotingCommand): boolean {
    if (!this.isActive) return false;
    response.flag |= RPC_TYPE_RESPONSE;
    this.write(response);
    return true;
  }

  /** Closes the connection now; pending requests fail, unwritten data is discarded. */
  close(error?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.closeError = error;
    this.socket.destroy();
  }

  /** Closes after flushing what is already written (graceful shutdown). */
  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.writer.flush();
    this.socket.end();
  }

  /** Resolves when the socket has fully closed. */
  whenClosed(): Promise<void> {
    if (this.socket.closed) return Promise.resolve();
    return new Promise((resolve) => this.socket.once('close', () => resolve()));
  }

  /** Destroys the socket if it has not closed by itself. */
  destroy(): void {
    this.closed = true;
    this.socket.destroy();
  }

  toString(): string {
    return `RemotingConnection#${this.id}[${this.localAddress} -> ${this.remoteAddress}]`;
  }

  // ------------------------------------------------------------------------------------------

  private write(cmd: RemotingCommand, cb?: (err?: Error | null) => void): void {
    this.writer.add(cmd, cb);
    if (
      this.options.pauseReadingOnBackpressure &&
      !this.readingPaused &&
      this.writer.bufferedBytes > this.options.writeHighWaterMark
    ) {
      this.readingPaused = true;
      this.socket.pause();
      this.log.debug('write buffer above high-water mark, reading paused', { remoteAddr: this.remoteAddress, buffered: this.writer.bufferedBytes });
    }
  }

  private readonly onDrain = (): void => {
    if (this.readingPaused && this.socket.writableLength <= this.options.writeLowWaterMark && !this.closed) {
      this.readingPaused = false;
      this.socket.resume();
    }
  };

  private readonly onData = (chunk: Buffer): void => {
    try {
      this.decoder.scan(chunk, this);
    } catch (e) {
      // A bad length prefix; the frames before it were handled.
      this.malformed(e);
    }
  };

  /** FrameHandler: one frame of the last chunk; false once the connection is closed. */
  onFrame(buf: Buffer, start: number, end: number): boolean {
    let cmd: RemotingCommand;
    try {
      cmd = decodeFrameAt(buf, start, end);
    } catch (e) {
      this.malformed(e);
      return false;
    }
    if (cmd.isResponse) {
      if (!this.responses.complete(cmd)) {
        // Its request timed out (or never existed): dropped, as Java's processResponseCommand does.
        this.log.debug('receive response, but not matched any request', { remoteAddr: this.remoteAddress, opaque: cmd.opaque, code: cmd.code });
      }
    } else {
      this.options.dispatcher.dispatch(this, cmd);
    }
    return !this.closed;
  }

  /** A frame we cannot decode: the stream is unusable, so this connection (only) is closed. */
  private malformed(e: unknown): void {
    const error = e instanceof Error ? e : new RemotingCommandException(String(e));
    this.log.warn('malformed frame, closing the connection', { remoteAddr: this.remoteAddress, error: error.message });
    this.options.observer.onException(this, error);
    this.close(error);
  }

  private readonly onTimeout = (): void => {
    this.log.warn('channel idle, closing it', { remoteAddr: this.remoteAddress, idleMillis: this.options.idleTimeoutMillis });
    this.options.observer.onIdle(this);
    this.close();
  };

  private readonly onError = (err: Error): void => {
    // 'close' follows; the error is what pending requests will carry.
    this.closeError ??= err;
    this.log.debug('socket error', { remoteAddr: this.remoteAddress, error: err.message });
    this.options.observer.onException(this, err);
  };

  private readonly onClose = (): void => {
    this.closed = true;
    const cause = this.closeError;
    this.responses.failAll(
      (code, opaque) =>
        new RemotingSendRequestException(`connection to <${this.remoteAddress}> closed before the response arrived`, {
          cause,
          context: { addr: this.remoteAddress, requestCode: code, opaque },
        }),
    );
    this.writer.discard(cause ?? new Error('connection closed'));
    this.options.observer.onClose(this);
  };

  private notWritable(request: RemotingCommand): RemotingException {
    return new RemotingSendRequestException(`connection to <${this.remoteAddress}> is closed`, {
      cause: this.closeError,
      context: { addr: this.remoteAddress, requestCode: request.code, opaque: request.opaque },
    });
  }
}
