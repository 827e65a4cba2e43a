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

/** Slots of a new table; it doubles whenever it is half full, and never shrinks. */
const INITIAL_CAPACITY = 16;

/**
 * The opaque → pending request map of one connection (Java's responseTable).
 *
 * An open-addressing table (linear probing, deletion by backward shift) rather than a Map. The
 * slot comes from a Fibonacci hash of the opaque, not its low bits: opaques come from one counter,
 * and sequential keys on their low bits would fill one run as long as the requests in flight,
 * which every deletion would walk to its end. Hashed, runs stay a few slots long.
 *
 * It also stopped request graphs from being promoted by the garbage collector: with a Map here
 * (inserts and deletes churning, so V8 rehashed it into a new backing table every few hundred
 * requests) ~3.4 MB survived each scavenge of the remoting bench and ~90 full GCs ran in 10 s; with this table ~0.3 MB (the requests really in flight) and one.
 * Our reading of why: an obsolete V8 hash table keeps its entries and a link to its successor,
 * so one that reached the old generation kept later tables, and the requests, promises and
 * responses they reach, alive until a full GC. Here the arrays are only replaced when the table
 * grows, and the old one is emptied then.
 *
 * Timeouts use one timer per table, armed at the earliest deadline, instead of a timer per
 * request: on the hot path a request costs a slot and a Date.now(), and the timer is only
 * re-armed when a request with an earlier deadline than the armed one arrives (rare, since
 * callers mostly use one timeout). When it fires, one pass expires what is due and re-arms for
 * the next deadline; a late response then finds nothing and is dropped by the caller.
 */
export class ResponseTable {
  private slots: (PendingRequest | undefined)[] = new Array<PendingRequest | undefined>(INITIAL_CAPACITY).fill(undefined);
  private mask = INITIAL_CAPACITY - 1;
  /** 32 - log2(capacity): the hash keeps the top bits of the product. */
  private shift = 32 - Math.log2(INITIAL_CAPACITY);
  private count = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerDeadline = Number.POSITIVE_INFINITY;

  constructor(private readonly describePeer: () => string) {}

  get size(): number {
    return this.count;
  }

  has(opaque: number): boolean {
    return this.indexOf(opaque) >= 0;
  }

  /** Registers a request; its promise settles with the response, a timeout or a failure. */
  add(request: RemotingCommand, timeoutMillis: number): Promise<RemotingCommand> {
    const deadline = Date.now() + timeoutMillis;
    const promise = new Promise<RemotingCommand>(parkResolvers);
    const p = new PendingRequest(request.opaque, request.code, timeoutMillis, deadline, parkedResolve!, parkedReject!);
    parkedResolve = parkedReject = undefined;
    this.insert(p);
    if (deadline < this.timerDeadline) this.arm(deadline);
    return promise;
  }

  /** Settles the request `response` answers; false when none waits (late or unknown opaque). */
  complete(response: RemotingCommand): boolean {
    const i = this.indexOf(response.opaque);
    if (i < 0) return false;
    const p = this.slots[i]!;
    this.removeAt(i);
    p.resolve(response);
    return true;
  }

  /** Fails one request (e.g. its write failed). */
  fail(opaque: number, error: RemotingException): void {
    const i = this.indexOf(opaque);
    if (i < 0) return;
    const p = this.slots[i]!;
    this.removeAt(i);
    p.reject(error);
  }

  /** Fails every request and stops the timer: the connection is gone. */
  failAll(makeError: (code: number, opaque: number) => RemotingException): void {
    this.disarm();
    const all = this.pendingRequests();
    this.slots.fill(undefined);
    this.count = 0;
    for (const p of all) p.reject(makeError(p.code, p.opaque));
  }

  /** In-flight requests, oldest opaque first (the order Java's table would not promise either). */
  private pendingRequests(): PendingRequest[] {
    const all: PendingRequest[] = [];
    for (const p of this.slots) if (p !== undefined) all.push(p);
    return all.sort((a, b) => a.opaque - b.opaque);
  }

  /** Where the probe for `opaque` starts (Fibonacci hashing: sequential opaques spread evenly). */
  private home(opaque: number): number {
    return Math.imul(opaque, 0x9e3779b1) >>> this.shift;
  }

  /** The slot holding `opaque`, or -1. */
  private indexOf(opaque: number): number {
    const mask = this.mask;
    for (let i = this.home(opaque); ; i = (i + 1) & mask) {
      const p = this.slots[i];
      if (p === undefined) return -1;
      if (p.opaque === opaque) return i;
    }
  }

  /** Adds `p` (its opaque is not in the table), growing to keep the table at most half full. */
  private insert(p: PendingRequest): void {
    if ((this.count + 1) * 2 > this.slots.length) this.grow();
    const mask = this.mask;
    let i = this.home(p.opaque);
    while (this.slots[i] !== undefined) i = (i + 1) & mask;
    this.slots[i] = p;
    this.count++;
  }

  /** Empties slot `i`, shifting later entries of its probe run back so lookups still find them. */
  private removeAt(i: number): void {
    const slots = this.slots;
    const mask = this.mask;
    slots[i] = undefined;
    this.count--;
    for (let j = (i + 1) & mask; ; j = (j + 1) & mask) {
      const p = slots[j];
      if (p === undefined) return;
      const home = this.home(p.opaque);
      // p may fill the hole at i unless its home lies cyclically in (i, j].
      const stays = i <= j ? i < home && home <= j : i < home || home <= j;
      if (!stays) {
        slots[i] = p;
        slots[j] = undefined;
        i = j;
      }
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Array<PendingRequest | undefined>(old.length * 2).fill(undefined);
    this.mask = this.slots.length - 1;
    this.shift--;
    this.count = 0;
    for (const p of old) if (p !== undefined) this.insert(p);
    // The old array may already be in the old generation: empty it so it keeps nothing alive.
    old.fill(undefined);
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
    for (const p of this.slots) {
      if (p === undefined) continue;
      if (p.deadline <= now) expired.push(p);
      else if (p.deadline < next) next = p.deadline;
    }
    for (const p of expired) this.removeAt(this.indexOf(p.opaque));
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
