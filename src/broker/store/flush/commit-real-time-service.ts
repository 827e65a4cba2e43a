import type { Logger } from '../../../common/logging/logger.js';
import type { MappedFileQueue } from '../mapped-file-queue.js';
import { ServiceThread } from '../service-thread.js';
import type { MessageStoreConfig } from '../store-config.js';

/** In eager mode the service sleeps until a put wakes it; this only bounds a missed wakeup. */
const EAGER_IDLE_MILLIS = 1000;

/**
 * Moves write buffers into the files (Java's CommitRealTimeService). With transientStorePoolEnable it
 * runs every commitIntervalCommitLog ms with commitCommitLogLeastPages / thorough interval, as Java.
 * Without it (eager mode) it commits whatever was appended each time a put wakes it: the equivalent of
 * Java writing straight into the mmapped page cache, so a killed process loses at most the round in
 * flight. After a commit it signals the flush side.
 */
export class CommitRealTimeService extends ServiceThread {
  private lastCommitTimestamp = 0;

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

  protected async runOnce(): Promise<void> {
    if (this.eager) {
      await this.waitForRunning(EAGER_IDLE_MILLIS);
      if (await this.queue.commit(0)) this.onCommitted();
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

  protected override async onShutdown(): Promise<void> {
    await this.queue.commit(0);
  }
}
