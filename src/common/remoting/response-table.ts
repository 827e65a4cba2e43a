import { RemotingTimeoutException, type RemotingException } from '../errors.js';
import type { RemotingCommand } from './remoting-command.js';

/** A request waiting for its response (Java's ResponseFuture). */
class PendingRequest {
  constructor(
    readonly opaque: number,
    readonly code: number,
    readonly timeoutMillis: number,
    readonly deadline: number,
    readonly resolve: (response: RemotingCommand) => void,
    readonly reject: (error: Error) => void,
  ) {}
}

/*
 * One executor for every request promise: it parks the resolving functions here and add() takes
 * them right after `new Promise` returns (the executor runs synchronously). A closure per
 * request would be one more allocation on the hottest path.
 */
let parkedResolve: ((response: RemotingCommand) => void) | undefined;
let parkedReject: ((error: Error) => void) | undefined;
function parkResolvers(resolve: (response: RemotingCommand) => void, reject: (error: Error) => void): void {
  parkedResolve = resolve;
  parkedReject = reject;
}

/**
 * The opaque → pending request map of one connection (Java's responseTable).
 *
 * Timeouts use one timer per table, armed at the earliest deadline, instead of a timer per
 * request: on the hot path a request costs a Map insert and a Date.now(), and the timer is only
 * re-armed when a request with an earlier deadline than the armed one arrives (rare, since
 * callers mostly use one timeout). When it fires, one pass expires what is due and re-arms for
 * the next deadline; a late response then finds nothing and is dropped by the caller.
 */
export class ResponseTable {
  private readonly pending = new Map<number, PendingRequest>();
  private timer: NodeJS.Timeout | undefined;
  private timerDeadline = Number.POSITIVE_INFINITY;

  constructor(private readonly describePeer: () => string) {}

  get size(): number {
    return this.pending.size;
  }

  has(opaque: number): boolean {
    return this.pending.has(opaque);
  }

  /** Registers a request; its promise settles with the response, a timeout or a failure. */
  add(request: RemotingCommand, timeoutMillis: number): Promise<RemotingCommand> {
    const deadline = Date.now() + timeoutMillis;
    const promise = new Promise<RemotingCommand>(parkResolvers);
    const p = new PendingRequest(request.opaque, request.code, timeoutMillis, deadline, parkedResolve!, parkedReject!);
    parkedResolve = parkedReject = undefined;
    this.pending.set(p.opaque, p);
    if (deadline < this.timerDeadline) this.arm(deadline);
    return promise;
  }

  /** Settles the request `response` answers; false when none waits (late or unknown opaque). */
  complete(response: RemotingCommand): boolean {
    const p = this.pending.get(response.opaque);
    if (p === undefined) return false;
    this.pending.delete(response.opaque);
    p.resolve(response);
    return true;
  }

  /** Fails one request (e.g. its write failed). */
  fail(opaque: number, error: RemotingException): void {
    const p = this.pending.get(opaque);
    if (p === undefined) return;
    this.pending.delete(opaque);
    p.reject(error);
  }

  /** Fails every request and stops the timer: the connection is gone. */
  failAll(makeError: (code: number, opaque: number) => RemotingException): void {
    this.disarm();
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(makeError(p.code, p.opaque));
  }

  private arm(deadline: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerDeadline = deadline;
    // +1: setTimeout may fire a hair early relative to Date.now(); never sweep before the deadline.
    this.timer = setTimeout(this.sweep, Math.max(0, deadline - Date.now()) + 1);
  }

  private disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDeadline = Number.POSITIVE_INFINITY;
  }

  private readonly sweep = (): void => {
    this.timer = undefined;
    this.timerDeadline = Number.POSITIVE_INFINITY;
    const now = Date.now();
    let next = Number.POSITIVE_INFINITY;
    const expired: PendingRequest[] = [];
    for (const p of this.pending.values()) {
      if (p.deadline <= now) expired.push(p);
      else if (p.deadline < next) next = p.deadline;
    }
    for (const p of expired) this.pending.delete(p.opaque);
    if (next !== Number.POSITIVE_INFINITY) this.arm(next);
    for (const p of expired) {
      p.reject(
        new RemotingTimeoutException(`wait response on the channel <${this.describePeer()}> timeout, ${p.timeoutMillis}(ms)`, {
          context: { addr: this.describePeer(), requestCode: p.code, opaque: p.opaque },
        }),
      );
    }
  };
}
