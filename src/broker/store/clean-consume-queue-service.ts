import { setTimeout as sleep } from 'node:timers/promises';

import type { Logger } from '../../common/logging/logger.js';
import type { CommitLog } from './commit-log.js';
import type { ConsumeQueueTable } from './consume-queue-table.js';
import type { MessageIndex } from './index/index-service.js';
import type { MessageStoreConfig } from './store-config.js';

/**
 * Java's CleanConsumeQueueService: once the CommitLog's min offset moved (its head files expired),
 * ConsumeQueue files whose last unit points below it are deleted and each queue's min offset is
 * corrected; index files whose entries all lie below it go too (IndexService.deleteExpiredFile).
 */
export class CleanConsumeQueueService {
  private lastPhysicalMinOffset = 0;

  constructor(
    private readonly commitLog: CommitLog,
    private readonly consumeQueueTable: ConsumeQueueTable,
    private readonly indexService: () => MessageIndex | undefined,
    private readonly config: MessageStoreConfig,
    private readonly log: Logger,
  ) {}

  /** One round; returns the ConsumeQueue files deleted. */
  async run(): Promise<number> {
    const minOffset = this.commitLog.getMinOffset();
    if (minOffset <= this.lastPhysicalMinOffset) return 0;
    this.lastPhysicalMinOffset = minOffset;
    const pause = this.config.deleteConsumeQueueFilesInterval;
    const deleted = await this.consumeQueueTable.deleteExpiredFiles(minOffset, () => (pause > 0 ? sleep(pause) : Promise.resolve()));
    await this.indexService()?.deleteExpiredFile(minOffset);
    if (deleted > 0) this.log.info('deleted expired ConsumeQueue files', { count: deleted, minOffset });
    return deleted;
  }
}
