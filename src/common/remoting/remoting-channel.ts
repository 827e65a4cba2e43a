import type { RemotingCommand } from './remoting-command.js';

/**
 * One connection seen from the code that answers requests on it — the broker's processors, the
 * name server's, and the client's processors for server-initiated requests alike (the remoting
 * layer is symmetric: both ends are a RemotingConnection). It plays the part of Netty's
 * ChannelHandlerContext/Channel in Java's processors.
 */
export interface RemotingChannel {
  /** Stable for the life of the connection and unique within the process; a good map key. */
  readonly id: number;
  /** The peer as `host:port` (IPv6 bracketed, IPv4-mapped shown as IPv4). */
  readonly remoteAddress: string;
  readonly localAddress: string;
  /** False once the socket closed or is closing. */
  readonly isActive: boolean;
  /**
   * Writes a response built with RemotingCommand.createResponse (its opaque and serialization
   * come from the request). For deferred answers: a processor returns null and answers later,
   * as long polling does. Returns false, and drops the response, if the channel is gone.
   */
  writeResponse(response: RemotingCommand): boolean;
  /** A request to the peer over this same connection (e.g. GET_CONSUMER_RUNNING_INFO). */
  invokeSync(request: RemotingCommand, timeoutMillis: number): Promise<RemotingCommand>;
  /** A oneway request to the peer (e.g. NOTIFY_CONSUMER_IDS_CHANGED); resolves once written. */
  invokeOneway(request: RemotingCommand): Promise<void>;
  /** Closes the connection; pending requests on it fail with RemotingSendRequestException. */
  close(): void;
}

/**
 * Handles one request code (Java's NettyRequestProcessor / AsyncNettyRequestProcessor).
 * Return the response, or null to send none now (oneway requests, deferred answers through
 * `channel.writeResponse`). The returned response's opaque, response flag and serialization are
 * set from the request, as Java's processRequestCommand does. A throw or rejection becomes
 * SYSTEM_ERROR with the error's message as remark.
 */
export interface RequestProcessor {
  processRequest(
    channel: RemotingChannel,
    request: RemotingCommand,
  ): Promise<RemotingCommand | null> | RemotingCommand | null;
  /** When it returns true the request is answered SYSTEM_BUSY "[REJECTREQUEST]…" unprocessed. */
  rejectRequest?(): boolean;
}

/** Per-processor limits, the Node counterpart of the executor Java registers with a processor. */
export interface ProcessorOptions {
  /** Requests of this processor running at once (default unlimited). */
  maxConcurrency?: number;
  /**
   * Requests waiting for a slot beyond maxConcurrency (default 10000, like the broker's
   * sendThreadPoolQueueCapacity); one more is answered SYSTEM_BUSY "[OVERLOAD]…".
   */
  queueCapacity?: number;
}
