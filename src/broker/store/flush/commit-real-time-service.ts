import type { Logger } from '../../../common/logging/logger.js';
import type { MappedFileQueue } from '../mapped-file-queue.js';
import { ServiceThread } from '../service-thread.js';
import type { MessageStoreConfig } from '../store-config.js';

/** In eager mode with nothing buffered the service sleeps until a put wakes it; this only bounds a missed wakeup. */
const EAGER_IDLE_MILLIS = 1000;
/**
 * Eager mode commits once this much is buffered: one large positional write costs the kernel far
 * less per byte than many small ones (a 4 MiB write is what the raw baseline and an efficient
 * sequential writer issue).
 */
export const EAGER_COMMIT_LEAST_BYTES = 4 * 1024 * 1024;
/** ...or once the oldest buffered append is this old, so a slow trickle still reaches the file soon. */
export const EAGER_COMMIT_MAX_DELAY_MILLIS = 10;

/**
 * Moves write buffers into the files (Java's CommitRealTimeService). With transientStorePoolEnable it
 * runs every commitIntervalCommitLog ms with commitCommitLogLeastPages / thorough interval, as Java.
 * Without it (eager mode) it stands in for Java writing straight into the mmapped page cache: puts
 * wake it, and it commits as soon as EAGER_COMMIT_LEAST_BYTES are buffered or the first buffered byte
 * is EAGER_COMMIT_MAX_DELAY_MILLIS old, so a killed process loses at most that much of its acknowledged
 * ASYNC_FLUSH puts (SYNC_FLUSH puts are committed and synced by the group commit before they are
 * answered). After a commit it signals the flush side.
 */
export class CommitRealTimeService extends ServiceThread {
  private lastCommitTimestamp = 0;
  /** Eager mode: when the bytes now buffered started to wait (0: nothing buffered). */
  private bufferedSince = 0;

  constructor(
    private readonly queue: MappedFileQueue,
    private readonly config: MessageStoreConfig,
    private readonly eager: boolean,
    log: Logger,
    private readonly onCommitted: () => void,
  ) {
    super(log);
  }

  get serviceName(): string {
    return 'CommitRealTimeService';
  }

  /**
   * Called after each group of appends, instead of wakeup. In eager mode the service has nothing new
   * to decide while it waits for the deadline of bytes already buffered and fewer than
   * EAGER_COMMIT_LEAST_BYTES are buffered: a wakeup per group there only re-armed its timer.
   */
  appended(): void {
    if (this.eager && this.bufferedSince !== 0 && this.queue.uncommittedBytes() < EAGER_COMMIT_LEAST_BYTES) return;
    this.wakeup();
  }

  protected async runOnce(): Promise<void> {
    if (this.eager) {
      await this.runEagerOnce();
      return;
    }
    let leastPages = this.config.commitCommitLogLeastPages;
    const now = Date.now();
    if (now >= this.lastCommitTimestamp + this.config.commitCommitLogThoroughInterval) {
      this.lastCommitTimestamp = now;
      leastPages = 0;
    }
    if (await this.queue.commit(leastPages)) this.onCommitted();
    // Timed, as Java's: wakeups from puts are not needed between intervals.
    await this.waitForRunning(this.config.commitIntervalCommitLog);
  }

  private async runEagerOnce(): Promise<void> {
    const pending = this.queue.uncommittedBytes();
    if (pending <= 0) {
      this.bufferedSince = 0;
      await this.waitForRunning(EAGER_IDLE_MILLIS);
      return;
    }
    const now = Date.now();
    if (this.bufferedSince === 0) this.bufferedSince = now;
    const due = this.bufferedSince + EAGER_COMMIT_MAX_DELAY_MILLIS;
    if (pending < EAGER_COMMIT_LEAST_BYTES && now < due) {
      await this.waitForRunning(due - now);
      return;
    }
    // Appends made during the commit wait for the next one, from now.
    this.bufferedSince = 0;
    if (await this.queue.commit(0)) this.onCommitted();
  }

  protected override async onShutdown(): Promise<void> {
    await this.queue.commit(0);
  }
}
