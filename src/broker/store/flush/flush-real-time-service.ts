import type { Logger } from '../../../common/logging/logger.js';
import type { MappedFileQueue } from '../mapped-file-queue.js';
import { ServiceThread } from '../service-thread.js';
import type { MessageStoreConfig } from '../store-config.js';

/** Java retries the final flush this many times at shutdown. */
const SHUTDOWN_FLUSH_RETRIES = 10;

/**
 * ASYNC_FLUSH (Java's FlushRealTimeService): every flushIntervalCommitLog ms, fdatasync when at least
 * flushCommitLogLeastPages committed pages are dirty, or regardless once
 * flushCommitLogThoroughInterval ms passed since the last thorough flush.
 */
export class FlushRealTimeService extends ServiceThread {
  private lastFlushTimestamp = 0;

  constructor(
    private readonly queue: MappedFileQueue,
    private readonly config: MessageStoreConfig,
    log: Logger,
  ) {
    super(log);
  }

  get serviceName(): string {
    return 'FlushRealTimeService';
  }

  protected async runOnce(): Promise<void> {
    let leastPages = this.config.flushCommitLogLeastPages;
    const now = Date.now();
    if (now >= this.lastFlushTimestamp + this.config.flushCommitLogThoroughInterval) {
      this.lastFlushTimestamp = now;
      leastPages = 0;
    }
    await this.waitForRunning(this.config.flushIntervalCommitLog);
    if (this.isStopped()) return;
    await this.queue.flush(leastPages);
  }

  protected override async onShutdown(): Promise<void> {
    for (let i = 0; i < SHUTDOWN_FLUSH_RETRIES; i++) {
      await this.queue.commit(0);
      if (!(await this.queue.flush(0))) break;
    }
  }
}
