import type { Logger } from '../../common/logging/logger.js';

/** What a SYNC_MASTER put learns from the replica wait. */
export type ReplicaStatus = 'PUT_OK' | 'FLUSH_SLAVE_TIMEOUT' | 'SLAVE_NOT_AVAILABLE';

interface TransferRequest {
  /** The put is replicated once the slave acked this CommitLog offset (wroteOffset + wroteBytes). */
  readonly nextOffset: number;
  readonly deadline: number;
  readonly resolve: (status: ReplicaStatus) => void;
}

/**
 * GroupTransferService: SYNC_MASTER puts waiting for the slave's ack. Java polls its request list
 * every second; here a request is answered the moment an ack covers it (notifyTransferSome) or when
 * its deadline passes. Requests arrive in CommitLog order, so acks answer a prefix; deadlines are
 * usually in order too (one slaveTimeout), but a changed timeout must not wait behind a longer one,
 * so one timer is armed for the earliest deadline.
 */
export class GroupTransferService {
  private requests: TransferRequest[] = [];
  /** Index of the first unanswered request (the array is compacted now and then). */
  private head = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerDeadline = Number.POSITIVE_INFINITY;
  private stopped = false;

  constructor(
    private readonly ackedOffset: () => number,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Waits until the slave acked `nextOffset`, or FLUSH_SLAVE_TIMEOUT after `timeoutMillis`. */
  putRequest(nextOffset: number, timeoutMillis: number): Promise<ReplicaStatus> {
    if (this.stopped) return Promise.resolve('FLUSH_SLAVE_TIMEOUT');
    if (this.ackedOffset() >= nextOffset) return Promise.resolve('PUT_OK');
    return new Promise((resolve) => {
      const deadline = this.now() + timeoutMillis;
      this.requests.push({ nextOffset, deadline, resolve });
      if (deadline < this.timerDeadline) this.armTimer();
    });
  }

  /** The slave acked more: answer every request it covers. */
  notifyTransferSome(): void {
    const acked = this.ackedOffset();
    while (this.head < this.requests.length && this.requests[this.head]!.nextOffset <= acked) {
      this.requests[this.head++]!.resolve('PUT_OK');
    }
    this.compact();
  }

  get pending(): number {
    return this.requests.length - this.head;
  }

  /** Answers everything still waiting with FLUSH_SLAVE_TIMEOUT (Java's shutdown leaves them to time out). */
  shutdown(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDeadline = Number.POSITIVE_INFINITY;
    const left = this.pending;
    while (this.head < this.requests.length) this.requests[this.head++]!.resolve('FLUSH_SLAVE_TIMEOUT');
    this.compact();
    if (left > 0) this.log.warn('replica waits answered FLUSH_SLAVE_TIMEOUT at shutdown', { requests: left });
  }

  /** (Re)arms the one timer for the earliest pending deadline. */
  private armTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDeadline = Number.POSITIVE_INFINITY;
    if (this.stopped) return;
    for (let i = this.head; i < this.requests.length; i++) this.timerDeadline = Math.min(this.timerDeadline, this.requests[i]!.deadline);
    if (this.timerDeadline === Number.POSITIVE_INFINITY) return;
    this.timer = setTimeout(() => this.expire(), Math.max(0, this.timerDeadline - this.now()));
  }

  private expire(): void {
    this.timer = undefined;
    this.notifyTransferSome();
    const now = this.now();
    let timedOut = 0;
    const kept: TransferRequest[] = [];
    for (let i = this.head; i < this.requests.length; i++) {
      const r = this.requests[i]!;
      if (r.deadline <= now) {
        r.resolve('FLUSH_SLAVE_TIMEOUT');
        timedOut++;
      } else {
        kept.push(r);
      }
    }
    this.requests = kept;
    this.head = 0;
    if (timedOut > 0) this.log.warn('transfer message to slave timeout', { requests: timedOut, ackedOffset: this.ackedOffset() });
    this.compact();
    this.armTimer();
  }

  private compact(): void {
    if (this.head === this.requests.length) {
      this.requests.length = 0;
      this.head = 0;
    } else if (this.head > COMPACT_THRESHOLD) {
      this.requests.splice(0, this.head);
      this.head = 0;
    }
  }
}

/** Answered requests kept at the front before the array is shifted (amortises splice). */
const COMPACT_THRESHOLD = 1024;
