/**
 * One error family for the whole SDK. Every error carries a stable `code` and a `retriable` flag so
 * retry logic reads the flag instead of scattered lists of codes (kafkajs' lesson).
 *
 * `code` is a RocketMQ ResponseCode where the error came from a peer's answer, otherwise one of the
 * client-side codes below (negative, so they never collide with wire codes).
 */
export const ClientErrorCode = {
  /** Client-side validation failed (topic name, body size, …); RocketMQ's Validators use -1 too. */
  CLIENT_VALIDATION: -1,
  /** No route for a topic, no broker address, service not started … */
  CLIENT_STATE: -2,
  REMOTING_TIMEOUT: -10,
  REMOTING_CONNECT: -11,
  REMOTING_SEND_REQUEST: -12,
  REMOTING_COMMAND: -13,
  REMOTING_TOO_MUCH_REQUEST: -14,
  REMOTING_CLOSED: -15,
} as const;

export interface RocketMQErrorOptions {
  /** Whether repeating the same operation (possibly on another broker) may succeed. */
  retriable?: boolean;
  cause?: unknown;
  /** Context worth carrying without stack noise: broker address, topic, request code … */
  context?: Readonly<Record<string, string | number | boolean | undefined>>;
}

export class RocketMQError extends Error {
  readonly code: number;
  readonly retriable: boolean;
  readonly context: Readonly<Record<string, string | number | boolean | undefined>>;

  constructor(code: number, message: string, options: RocketMQErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.context = options.context ?? {};
  }
}

/** Raised by the client before or instead of talking to a broker (Java's MQClientException). */
export class MQClientException extends RocketMQError {}

/** A broker (or name server) answered with a non-success ResponseCode (Java's MQBrokerException). */
export class MQBrokerException extends RocketMQError {
  /** The address of the broker that answered, when known. */
  readonly brokerAddr: string | undefined;
  constructor(code: number, remark: string, brokerAddr?: string, options: RocketMQErrorOptions = {}) {
    super(code, `CODE: ${code} DESC: ${remark}${brokerAddr ? ` BROKER: ${brokerAddr}` : ''}`, options);
    this.brokerAddr = brokerAddr;
  }
}

/** Base of transport failures (Java's RemotingException). */
export class RemotingException extends RocketMQError {}

/** No response within the timeout; a late response is dropped. */
export class RemotingTimeoutException extends RemotingException {
  constructor(message: string, options: RocketMQErrorOptions = {}) {
    super(ClientErrorCode.REMOTING_TIMEOUT, message, { retriable: true, ...options });
  }
}

export class RemotingConnectException extends RemotingException {
  constructor(message: string, options: RocketMQErrorOptions = {}) {
    super(ClientErrorCode.REMOTING_CONNECT, message, { retriable: true, ...options });
  }
}

/** The request could not be written, or the connection closed before its answer came. */
export class RemotingSendRequestException extends RemotingException {
  constructor(message: string, options: RocketMQErrorOptions = {}) {
    super(ClientErrorCode.REMOTING_SEND_REQUEST, message, { retriable: true, ...options });
  }
}

/** Too many requests in flight on one connection (Java's RemotingTooMuchRequestException). */
export class RemotingTooMuchRequestException extends RemotingException {
  constructor(message: string, options: RocketMQErrorOptions = {}) {
    super(ClientErrorCode.REMOTING_TOO_MUCH_REQUEST, message, { retriable: true, ...options });
  }
}

/**
 * A frame, header or body could not be decoded, or a custom header lacks a required field
 * (Java's RemotingCommandException). Never retriable: the same bytes fail the same way.
 */
export class RemotingCommandException extends RemotingException {
  constructor(message: string, options: RocketMQErrorOptions = {}) {
    super(ClientErrorCode.REMOTING_COMMAND, message, { retriable: false, ...options });
  }
}
