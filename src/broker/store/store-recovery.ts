import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

import type { Logger } from '../../common/logging/logger.js';
import { StoreCheckpoint } from './checkpoint.js';
import type { CommitLog } from './commit-log.js';
import { findAbnormalRecoverStart, recoverCommitLog, type CommitLogRecoveryResult } from './commit-log-recovery.js';
import type { ConsumeQueueTable } from './consume-queue-table.js';
import { IndexService, type MessageIndex } from './index/index-service.js';
import { IndexServiceWorker } from './index/index-service-worker.js';
import type { ReputMessageService } from './reput-message-service.js';
import { commitLogDir, consumeQueueRootDir, effectiveWriteBufferSize, type MessageStoreConfig } from './store-config.js';

/** What start-up recovery found (the store keeps it for logs and tests). */
export interface StoreRecoveryResult extends CommitLogRecoveryResult {
  readonly abnormal: boolean;
  /** Where the reput resumed: everything after it was (re)dispatched to ConsumeQueues and the index. */
  readonly reputFromOffset: number;
}

export interface StoreRecoveryParts {
  readonly config: MessageStoreConfig;
  readonly commitLog: CommitLog;
  readonly consumeQueueTable: ConsumeQueueTable;
  readonly reputMessageService: ReputMessageService;
  readonly log: Logger;
  /** An override of the checkpoint's answer (the offset abnormal recovery scans from). */
  readonly recoverFromOffset?: (() => number | undefined) | undefined;
}

/** StorePathConfigHelper.getStoreCheckpoint. */
export function checkpointPath(config: MessageStoreConfig): string {
  return join(config.storePathRootDir, 'checkpoint');
}

/**
 * Java's DefaultMessageStore.load + recover, in its order: CommitLog and ConsumeQueue files, the
 * checkpoint, the index (which drops files the checkpoint does not cover after a crash), then the
 * CommitLog tail — normally from the last 3 files, after a crash from the newest file whose first
 * record the checkpoint covers (messageIndexSafe: the index's timestamp too). ConsumeQueue units past
 * the valid tail are cut; the reput then re-dispatches from where the derived files are known to be
 * complete, which rebuilds ConsumeQueue and index entries the crash lost (dispatchers skip replays).
 */
export async function loadAndRecoverStore(
  parts: StoreRecoveryParts,
  abnormal: boolean,
  attach: (checkpoint: StoreCheckpoint, indexService: MessageIndex) => void,
): Promise<StoreRecoveryResult> {
  const { config, commitLog, consumeQueueTable, reputMessageService, log } = parts;
  if (abnormal) {
    await removeInterruptedFiles(commitLogDir(config), log);
    for (const dir of await queueDirs(consumeQueueRootDir(config))) await removeInterruptedFiles(dir, log);
  }
  await commitLog.load();
  await restoreLastModified(commitLog);
  await consumeQueueTable.loadAndRecover();
  const checkpoint = StoreCheckpoint.open(checkpointPath(config), log.namespace('checkpoint'));
  const indexOptions = { ...config, storeCheckpoint: checkpoint, logger: log.namespace('index') };
  const indexService: MessageIndex =
    config.messageIndexEnable && config.messageIndexWorkerEnable ? new IndexServiceWorker(indexOptions) : new IndexService(indexOptions);
  try {
    if (!(await indexService.load(!abnormal))) throw new Error('index files cannot be loaded');
    // The reput below feeds the index and the checkpoint recorder: they must be in place first.
    attach(checkpoint, indexService);
    let scanFromOffset: number | undefined;
    if (abnormal) {
      const minTimestamp = config.messageIndexEnable && config.messageIndexSafe ? checkpoint.getMinTimestampIndex() : checkpoint.getMinTimestamp();
      scanFromOffset = parts.recoverFromOffset?.() ?? (await findAbnormalRecoverStart(commitLog.mappedFileQueue, minTimestamp, log));
      log.warn('last shutdown was abnormal: recovering from the checkpoint', {
        physicMsgTimestamp: checkpoint.physicMsgTimestamp,
        logicsMsgTimestamp: checkpoint.logicsMsgTimestamp,
        indexMsgTimestamp: checkpoint.indexMsgTimestamp,
        scanFromOffset,
      });
    }
    const recovery = await recoverCommitLog(commitLog.mappedFileQueue, {
      checkCRC: config.checkCRCOnRecover,
      maxRecordSize: effectiveWriteBufferSize(config),
      log,
      scanFromOffset,
    });
    if (consumeQueueTable.maxPhysicOffset() >= recovery.processOffset) {
      await consumeQueueTable.truncateDirtyLogicFiles(recovery.processOffset);
    }
    // Resume where the ConsumeQueues end; after a crash, no later than the scanned files, since
    // queues flush independently and any of them may have lost its tail since the checkpoint.
    let reputFrom = Math.max(consumeQueueTable.maxPhysicOffset(), commitLog.getMinOffset(), 0);
    if (abnormal) reputFrom = Math.min(reputFrom, recovery.scanFromOffset);
    reputMessageService.reputFromOffset = reputFrom;
    await reputMessageService.doReput();
    await recoverTopicQueueTable(commitLog, consumeQueueTable);
    return { ...recovery, abnormal, reputFromOffset: reputFrom };
  } catch (e: unknown) {
    await indexService.shutdown();
    await checkpoint.shutdown();
    throw e;
  }
}

/** Java's recoverTopicQueueTable: next queue offsets from the (rebuilt) queues, min offsets corrected. */
async function recoverTopicQueueTable(commitLog: CommitLog, consumeQueueTable: ConsumeQueueTable): Promise<void> {
  const t = commitLog.topicQueueTable;
  t.clear();
  for (const cq of consumeQueueTable.all()) t.set(`${cq.topic}-${cq.queueId}`, cq.getMaxOffsetInQueue());
  await consumeQueueTable.correctMinOffsets(commitLog.getMinOffset());
}

/**
 * Expiry ages files by their last write; Java reads the file's mtime. A loaded file has no write yet,
 * so take the mtime, or every restart would make old files look new.
 */
async function restoreLastModified(commitLog: CommitLog): Promise<void> {
  for (const f of commitLog.mappedFileQueue.mappedFiles) f.lastModifiedTimestamp = Math.floor((await stat(f.fileName)).mtimeMs);
}

/**
 * A crash between creating a store file and sizing it leaves an empty last file (creation and sizing
 * are two syscalls; Java's allocation has the same window). It holds no data: delete it, or loading
 * would refuse the directory for a file of the wrong size.
 */
async function removeInterruptedFiles(dir: string, log: Logger): Promise<void> {
  const files = (await readdirIfExists(dir)).filter((n) => /^\d{20}$/.test(n)).sort();
  const last = files[files.length - 1];
  if (last === undefined) return;
  const path = join(dir, last);
  if ((await stat(path)).size !== 0) return;
  log.warn('removing an empty store file left by an interrupted creation', { file: path });
  await unlink(path);
}

async function queueDirs(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const topic of await readdirIfExists(root)) for (const qid of await readdirIfExists(join(root, topic))) out.push(join(root, topic, qid));
  return out;
}

async function readdirIfExists(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (e: unknown) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw e;
  }
}
