import type { Logger } from '../../common/logging/logger.js';
import type { CleanCommitLogService } from './clean-commit-log-service.js';
import type { CleanConsumeQueueService } from './clean-consume-queue-service.js';
import { ServiceThread } from './service-thread.js';

/**
 * Java's cleanFilesPeriodically, scheduled every cleanResourceInterval ms: the CommitLog first, then
 * the ConsumeQueues and index files that pointed into what it deleted. `cleanNow` runs one round at
 * once (tests, TRIGGER_DELETE_FILES); rounds never overlap.
 */
export class CleanResourceService extends ServiceThread {
  private round: Promise<number> = Promise.resolve(0);

  constructor(
    private readonly cleanCommitLog: CleanCommitLogService,
    private readonly cleanConsumeQueue: CleanConsumeQueueService,
    private readonly intervalMillis: number,
    log: Logger,
  ) {
    super(log);
  }

  get serviceName(): string {
    return 'CleanResourceService';
  }

  /** One round after any running one; resolves to the CommitLog files deleted. */
  cleanNow(): Promise<number> {
    const next = this.round.then(
      () => this.cleanOnce(),
      () => this.cleanOnce(),
    );
    this.round = next;
    return next;
  }

  protected async runOnce(): Promise<void> {
    await this.waitForRunning(this.intervalMillis);
    if (this.isStopped()) return;
    await this.cleanNow();
  }

  protected override async onShutdown(): Promise<void> {
    await this.round.catch((e: unknown) => this.log.error('clean round failed', { error: e }));
  }

  private async cleanOnce(): Promise<number> {
    const deleted = await this.cleanCommitLog.run();
    await this.cleanConsumeQueue.run();
    return deleted;
  }
}
