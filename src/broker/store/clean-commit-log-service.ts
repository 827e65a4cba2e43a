import { statfs } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

import type { Logger } from '../../common/logging/logger.js';
import type { MappedFile } from './mapped-file.js';
import type { MappedFileQueue } from './mapped-file-queue.js';
import type { MessageStoreConfig } from './store-config.js';

/** Java's MAX_MANUAL_DELETE_FILE_TIMES: rounds a TRIGGER_DELETE_FILES request keeps deleting. */
export const MAX_MANUAL_DELETE_FILE_TIMES = 20;
/** MappedFileQueue.DELETE_FILES_BATCH_MAX: files deleted per round at most. */
export const DELETE_FILES_BATCH_MAX = 10;
/** rocketmq.broker.diskSpaceWarningLevelRatio default: above it the store refuses puts (disk full). */
export const DISK_SPACE_WARNING_LEVEL_RATIO = 0.9;
/** rocketmq.broker.diskSpaceCleanForciblyRatio default: above it unexpired files go too. */
export const DISK_SPACE_CLEAN_FORCIBLY_RATIO = 0.85;
const MS_PER_HOUR = 60 * 60 * 1000;
const PERCENT = 100;

/** Used fraction (0..1) of the partition holding `path`; negative when unknown (Java: -1). */
export type DiskUsedRatio = (path: string) => Promise<number>;

/** UtilAll.getDiskPartitionSpaceUsedPercent: (total − free) / total. */
export const diskPartitionSpaceUsedRatio: DiskUsedRatio = async (path) => {
  try {
    const s = await statfs(path);
    return s.blocks === 0 ? -1 : (s.blocks - s.bfree) / s.blocks;
  } catch (e: unknown) {
    // Java answers -1 for an unreadable partition, which isSpaceToDelete treats as "delete".
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    return -1;
  }
};

export interface CleanCommitLogOptions {
  readonly now: () => number;
  readonly diskUsedRatio: DiskUsedRatio;
  /** The directories whose partitions are checked: the CommitLog's, then the ConsumeQueues'. */
  readonly physicPath: string;
  readonly logicsPath: string;
  readonly log: Logger;
}

/**
 * Java's CleanCommitLogService: deletes CommitLog files older than fileReservedTime hours when it
 * is time (an hour listed in deleteWhen), when the disk is fuller than diskMaxUsedSpaceRatio, or
 * after TRIGGER_DELETE_FILES. Above DISK_SPACE_CLEAN_FORCIBLY_RATIO (with cleanFileForciblyEnable)
 * unexpired files go too. The last file is never deleted, and never a file out of order. A file a
 * reader holds is made unavailable (new reads see MESSAGE_WAS_REMOVING) but deleted only once the
 * reader released it, or after destroyMapedFileIntervalForcibly ms.
 */
export class CleanCommitLogService {
  private manualDeleteFileSeveralTimes = 0;
  private cleanImmediately = false;
  private lastRedeleteTimestamp = 0;
  /** Java's RunningFlags disk-full bit: set above the warning level, cleared below the force level. */
  diskFull = false;
  /** When each file was first shut down for deletion (Java's firstShutdownTimestamp). */
  private readonly firstShutdown = new WeakMap<MappedFile, number>();

  constructor(
    private readonly queue: MappedFileQueue,
    private readonly config: MessageStoreConfig,
    private readonly options: CleanCommitLogOptions,
  ) {}

  /** TRIGGER_DELETE_FILES (Java's excuteDeleteFilesManualy): the next rounds delete expired files at any hour. */
  executeDeleteFilesManually(): void {
    this.manualDeleteFileSeveralTimes = MAX_MANUAL_DELETE_FILE_TIMES;
    this.options.log.info('executeDeleteFilesManually was invoked');
  }

  /** One round (Java's run: deleteExpiredFiles + redeleteHangedFile); returns the files deleted. */
  async run(): Promise<number> {
    const deleted = await this.deleteExpiredFiles();
    await this.redeleteHangedFile();
    return deleted;
  }

  private async deleteExpiredFiles(): Promise<number> {
    const timeUp = this.isTimeToDelete();
    const spaceFull = await this.isSpaceToDelete();
    const manualDelete = this.manualDeleteFileSeveralTimes > 0;
    if (!timeUp && !spaceFull && !manualDelete) return 0;
    if (manualDelete) this.manualDeleteFileSeveralTimes--;
    const cleanAtOnce = this.config.cleanFileForciblyEnable && this.cleanImmediately;
    const deleted = await this.deleteExpiredFileByTime(this.config.fileReservedTime * MS_PER_HOUR, cleanAtOnce);
    if (deleted === 0 && spaceFull) this.options.log.warn('disk space will be full soon, but delete file failed');
    return deleted;
  }

  /** Java's MappedFileQueue.deleteExpiredFileByTime: leading files past their reserved time. */
  private async deleteExpiredFileByTime(expiredTime: number, cleanImmediately: boolean): Promise<number> {
    const files = [...this.queue.mappedFiles];
    const candidates = files.length - 1;
    const victims = new Set<MappedFile>();
    for (let i = 0; i < candidates && victims.size < DELETE_FILES_BATCH_MAX; i++) {
      const f = files[i]!;
      // Out of order deletion would leave a hole in the offsets: stop at the first file to keep.
      if (this.options.now() < f.lastModifiedTimestamp + expiredTime && !cleanImmediately) break;
      if (!(await this.destroy(f))) break;
      victims.add(f);
      const pause = this.config.deleteCommitLogFilesInterval;
      if (pause > 0 && i + 1 < candidates) await sleep(pause);
    }
    const n = await this.queue.deleteFilesBefore((f) => victims.has(f));
    if (n > 0) this.options.log.info('deleted expired CommitLog files', { count: n, minOffset: this.queue.getMinOffset() });
    return n;
  }

  /** Java's redeleteHangedFile / retryDeleteFirstFile: a first file left unavailable by a reader. */
  private async redeleteHangedFile(): Promise<void> {
    const now = this.options.now();
    if (now - this.lastRedeleteTimestamp <= this.config.redeleteHangedFileInterval) return;
    this.lastRedeleteTimestamp = now;
    const first = this.queue.getFirstMappedFile();
    if (first === undefined || first.isAvailable() || this.queue.mappedFiles.length <= 1) return;
    if (await this.destroy(first)) await this.queue.deleteFilesBefore((f) => f === first);
  }

  /**
   * Java's MappedFile.destroy(intervalForcibly) up to the unlink: refuses new readers, then says
   * whether the file may go (no holder left, or held for longer than the forcible interval).
   */
  private async destroy(f: MappedFile): Promise<boolean> {
    const now = this.options.now();
    if (f.isAvailable()) {
      this.firstShutdown.set(f, now);
      await f.shutdown();
    }
    if (f.holders === 0) return true;
    const since = now - (this.firstShutdown.get(f) ?? now);
    if (since >= this.config.destroyMapedFileIntervalForcibly) {
      this.options.log.warn('deleting a CommitLog file still held by readers', { file: f.fileName, holders: f.holders, heldMs: since });
      return true;
    }
    this.options.log.warn('CommitLog file still held by readers: deletion postponed', { file: f.fileName, holders: f.holders });
    return false;
  }

  /** UtilAll.isItTimeToDo: the current hour is one of deleteWhen's ';'-separated hours. */
  private isTimeToDelete(): boolean {
    const hour = new Date(this.options.now()).getHours();
    return this.config.deleteWhen
      .split(';')
      .map((w) => w.trim())
      .some((w) => w !== '' && Number.parseInt(w, 10) === hour);
  }

  /** Java's isSpaceToDelete: either partition above diskMaxUsedSpaceRatio; sets cleanImmediately and diskFull. */
  private async isSpaceToDelete(): Promise<boolean> {
    const ratio = this.config.diskMaxUsedSpaceRatio / PERCENT;
    this.cleanImmediately = false;
    let toDelete = false;
    for (const path of [this.options.physicPath, this.options.logicsPath]) {
      const used = await this.options.diskUsedRatio(path);
      if (used > DISK_SPACE_WARNING_LEVEL_RATIO) {
        if (!this.diskFull) this.options.log.error('disk space is nearly full: puts refused', { path, used });
        this.diskFull = true;
        this.cleanImmediately = true;
      } else if (used > DISK_SPACE_CLEAN_FORCIBLY_RATIO) {
        this.cleanImmediately = true;
      } else if (this.diskFull && path === this.options.physicPath) {
        this.options.log.info('disk space is OK again', { path, used });
        this.diskFull = false;
      }
      if (used < 0 || used > ratio) toDelete = true;
    }
    return toDelete;
  }
}
