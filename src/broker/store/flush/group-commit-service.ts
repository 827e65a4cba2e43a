import type { Logger } from '../../../common/logging/logger.js';
import type { MappedFileQueue } from '../mapped-file-queue.js';
import { ServiceThread } from '../service-thread.js';

/** GroupCommitService's wait between rounds when nobody asks (Java waits 10 ms). */
const GROUP_COMMIT_INTERVAL_MILLIS = 10;
/** How often expired requests are answered, as a fraction of syncFlushTimeout. */
const TIMEOUT_CHECK_DIVISOR = 10;
const MIN_TIMEOUT_CHECK_MILLIS = 5;

interface GroupCommitRequest {
  readonly nextOffset: number;
  readonly deadline: number;
  done: boolean;
  readonly onFlushed: (flushOK: boolean) => void;
}

/**
 * SYNC_FLUSH (Java's GroupCommitService): a put waits until the flushed position covers its record.
 * Requests that arrive while an fdatasync runs queue up and are all answered by the next one, so N
 * concurrent puts cost far fewer than N syncs. A request not covered within syncFlushTimeout is
 * answered false (FLUSH_DISK_TIMEOUT) by a timer the service owns — one for all requests, none per put
 * — which keeps answering even while an fdatasync hangs.
 */
export class GroupCommitService extends ServiceThread {
  private requestsWrite: GroupCommitRequest[] = [];
  private requestsRead: GroupCommitRequest[] = [];
  private readonly timeoutTimer: NodeJS.Timeout;

  constructor(
    private readonly queue: MappedFileQueue,
    private readonly syncFlushTimeout: number,
    log: Logger,
  ) {
    super(log);
    const every = Math.max(MIN_TIMEOUT_CHECK_MILLIS, Math.floor(syncFlushTimeout / TIMEOUT_CHECK_DIVISOR));
    this.timeoutTimer = setInterval(() => this.expireRequests(), every);
    this.timeoutTimer.unref();
  }

  get serviceName(): string {
    return 'GroupCommitService';
  }

  /** Resolves true once data up to `nextOffset` is durable, false after syncFlushTimeout. */
  putRequest(nextOffset: number): Promise<boolean> {
    if (this.queue.flushedWhere >= nextOffset) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => this.request(nextOffset, resolve));
  }

  /**
   * Calls `onFlushed(true)` once data up to `nextOffset` is durable, `onFlushed(false)` after
   * syncFlushTimeout; exactly once, never synchronously. The CommitLog asks once per group of puts.
   */
  request(nextOffset: number, onFlushed: (flushOK: boolean) => void): void {
    this.requestsWrite.push({ nextOffset, deadline: Date.now() + this.syncFlushTimeout, done: false, onFlushed });
    this.wakeup();
  }

  protected async runOnce(): Promise<void> {
    await this.waitForRunning(GROUP_COMMIT_INTERVAL_MILLIS);
    await this.doCommit();
  }

  protected override async onShutdown(): Promise<void> {
    clearInterval(this.timeoutTimer);
    await this.doCommit();
    // Anything still waiting (a failing disk) is answered rather than left hanging.
    for (const r of [...this.requestsRead, ...this.requestsWrite]) this.answer(r, this.queue.flushedWhere >= r.nextOffset);
    this.requestsRead = [];
    this.requestsWrite = [];
  }

  private async doCommit(): Promise<void> {
    // Swap: requests arriving during this round's sync wait for the next one.
    const read = this.requestsWrite;
    this.requestsWrite = this.requestsRead;
    this.requestsRead = read;
    if (read.length > 0 || this.queue.uncommittedBytes() > 0) {
      await this.queue.commit(0);
      await this.queue.flush(0);
    }
    const flushed = this.queue.flushedWhere;
    const pending: GroupCommitRequest[] = [];
    for (const r of read) {
      if (r.done) continue;
      if (flushed >= r.nextOffset) this.answer(r, true);
      else pending.push(r);
    }
    read.length = 0;
    // Not covered (the round raced a roll, or the disk failed): try again next round.
    if (pending.length > 0) {
      this.requestsWrite.push(...pending);
      this.wakeup();
    }
  }

  private expireRequests(): void {
    const now = Date.now();
    for (const list of [this.requestsRead, this.requestsWrite]) {
      for (const r of list) if (!r.done && now >= r.deadline) this.answer(r, false);
    }
  }

  private answer(r: GroupCommitRequest, ok: boolean): void {
    if (r.done) return;
    r.done = true;
    try {
      r.onFlushed(ok);
    } catch (e: unknown) {
      // A waiter's bug must not stop the answers to the other waiters of the round.
      this.log.error('group commit waiter failed', { error: e });
    }
  }
}
