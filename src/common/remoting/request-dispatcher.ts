import type { Logger } from '../logging/logger.js';
import { ResponseCode } from '../protocol/response-code.js';
import type { ProcessorOptions, RemotingChannel, RequestProcessor } from './remoting-channel.js';
import { RemotingCommand, RPC_TYPE_RESPONSE } from './remoting-command.js';

/** RemotingSysResponseCode answers, with Java's exact remarks (PROTOCOL.md §1.8). */
export const OVERLOAD_REMARK = '[OVERLOAD]system busy, start flow control for a while';
export const REJECT_REQUEST_REMARK = '[REJECTREQUEST]system busy, start flow control for a while';
export function requestCodeNotSupportedRemark(code: number): string {
  return ` request type ${code} not supported`;
}

/** Default queue behind a processor's concurrency limit (BrokerConfig.sendThreadPoolQueueCapacity). */
export const DEFAULT_PROCESSOR_QUEUE_CAPACITY = 10000;

/** One registered processor with its own concurrency limit and wait queue (Java's executor). */
class ProcessorSlot {
  active = 0;
  /** FIFO of waiting (channel, request) pairs, flattened to avoid an object per entry. */
  readonly waiting: (RemotingChannel | RemotingCommand)[] = [];
  head = 0;

  constructor(
    readonly processor: RequestProcessor,
    readonly maxConcurrency: number,
    readonly queueCapacity: number,
  ) {}

  get queued(): number {
    return (this.waiting.length - this.head) / 2;
  }
}

/**
 * Routes incoming requests to processors by code (Java's processRequestCommand), shared by the
 * server and the client. One dispatcher serves every connection of its owner, so a processor's
 * limits are global to the server, like Java's per-processor executor.
 */
export class RequestDispatcher {
  private readonly table = new Map<number, ProcessorSlot>();
  private defaultSlot: ProcessorSlot | undefined;
  private running = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly log: Logger) {}

  /** Requests being processed right now (queued ones excluded). */
  get inFlight(): number {
    return this.running;
  }

  register(code: number, processor: RequestProcessor, options: ProcessorOptions = {}): void {
    this.table.set(code, makeSlot(processor, options));
  }

  registerDefault(processor: RequestProcessor, options: ProcessorOptions = {}): void {
    this.defaultSlot = makeSlot(processor, options);
  }

  dispatch(channel: RemotingChannel, request: RemotingCommand): void {
    const slot = this.table.get(request.code) ?? this.defaultSlot;
    if (slot === undefined) {
      this.log.error(`${channel.remoteAddress}${requestCodeNotSupportedRemark(request.code)}`);
      this.answer(channel, request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, requestCodeNotSupportedRemark(request.code));
      return;
    }
    if (slot.processor.rejectRequest !== undefined && slot.processor.rejectRequest()) {
      this.answer(channel, request, ResponseCode.SYSTEM_BUSY, REJECT_REQUEST_REMARK);
      return;
    }
    if (slot.active < slot.maxConcurrency) {
      this.run(slot, channel, request);
    } else if (slot.queued < slot.queueCapacity) {
      slot.waiting.push(channel, request);
    } else {
      this.log.warn('too many requests and processor queue full', { remoteAddr: channel.remoteAddress, code: request.code });
      this.answer(channel, request, ResponseCode.SYSTEM_BUSY, OVERLOAD_REMARK);
    }
  }

  /** Resolves once no request is being processed, or after `timeoutMillis`; true when idle. */
  async waitIdle(timeoutMillis: number): Promise<boolean> {
    if (this.running === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    let wake: (() => void) | undefined;
    const idle = await Promise.race([
      new Promise<boolean>((resolve) => {
        wake = () => resolve(true);
        this.idleWaiters.push(wake);
      }),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMillis);
      }),
    ]);
    clearTimeout(timer);
    this.idleWaiters = this.idleWaiters.filter((w) => w !== wake);
    return idle;
  }

  private run(slot: ProcessorSlot, channel: RemotingChannel, request: RemotingCommand): void {
    slot.active++;
    this.running++;
    let result: ReturnType<RequestProcessor['processRequest']>;
    try {
      result = slot.processor.processRequest(channel, request);
    } catch (e) {
      this.failed(channel, request, e);
      this.finished(slot);
      return;
    }
    if (result instanceof Promise) {
      result.then(
        (response) => {
          this.respond(channel, request, response);
          this.finished(slot);
        },
        (e: unknown) => {
          this.failed(channel, request, e);
          this.finished(slot);
        },
      );
    } else {
      this.respond(channel, request, result);
      this.finished(slot);
    }
  }

  private finished(slot: ProcessorSlot): void {
    slot.active--;
    this.running--;
    // Hand the freed slot to the oldest waiting request whose channel is still open; requests
    // of closed channels are dropped, their answers would go nowhere.
    while (slot.head < slot.waiting.length) {
      const channel = slot.waiting[slot.head] as RemotingChannel;
      const request = slot.waiting[slot.head + 1] as RemotingCommand;
      slot.head += 2;
      if (slot.head === slot.waiting.length) {
        slot.waiting.length = 0;
        slot.head = 0;
      } else if (slot.head >= 1024 && slot.head * 2 >= slot.waiting.length) {
        // Compact now and then so the array does not grow with everything ever queued.
        slot.waiting.splice(0, slot.head);
        slot.head = 0;
      }
      if (channel.isActive) {
        this.run(slot, channel, request);
        return;
      }
    }
    if (this.running === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private respond(channel: RemotingChannel, request: RemotingCommand, response: RemotingCommand | null): void {
    if (response === null || request.isOneway) return;
    // As Java's RemotingResponseCallback: the answer always matches its request.
    response.opaque = request.opaque;
    response.flag |= RPC_TYPE_RESPONSE;
    response.serializeType = request.serializeType;
    if (!channel.writeResponse(response)) {
      this.log.debug('response dropped: channel closed', { remoteAddr: channel.remoteAddress, code: request.code });
    }
  }

  private failed(channel: RemotingChannel, request: RemotingCommand, e: unknown): void {
    const message = e instanceof Error ? e.message : String(e);
    this.log.error('process request exception', { remoteAddr: channel.remoteAddress, code: request.code, error: e });
    this.answer(channel, request, ResponseCode.SYSTEM_ERROR, message);
  }

  /** A system answer; oneway requests never get one. */
  private answer(channel: RemotingChannel, request: RemotingCommand, code: number, remark: string): void {
    if (request.isOneway) return;
    channel.writeResponse(RemotingCommand.createResponse(request, code, remark));
  }
}

function makeSlot(processor: RequestProcessor, options: ProcessorOptions): ProcessorSlot {
  const maxConcurrency = options.maxConcurrency ?? Number.POSITIVE_INFINITY;
  const queueCapacity = options.queueCapacity ?? DEFAULT_PROCESSOR_QUEUE_CAPACITY;
  if (!(maxConcurrency >= 1)) throw new RangeError(`maxConcurrency must be >= 1, got ${maxConcurrency}`);
  if (!(queueCapacity >= 0)) throw new RangeError(`queueCapacity must be >= 0, got ${queueCapacity}`);
  return new ProcessorSlot(processor, maxConcurrency, queueCapacity);
}
