import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, type Logger } from '../../../common/logging/logger.js';
import { MessageConst } from '../../../common/message/message-const.js';
import { MessageSysFlag, getTransactionValue } from '../../../common/message/message-sys-flag.js';
import type { DispatchRequest } from '../../../common/message/record-decoder.js';
import type { StoreCheckpoint } from '../checkpoint.js';
import type { CommitLogDispatcher } from '../dispatcher.js';
import { timeMillisToHumanString } from './index-file-name.js';
import { IndexFile, topicKeyHash } from './index-file.js';

/*
 * IndexService (PROTOCOL.md §6.4): the list of IndexFiles under `${storePathRootDir}/index/`, oldest
 * first, of which only the last is written. Fed by ReputMessageService through `dispatch` (Java's
 * CommitLogDispatcherBuildIndex + buildIndex), read by QUERY_MESSAGE through `queryOffset`.
 *
 * Everything that touches the list is synchronous, so a query never sees a half-rolled list and a
 * file is removed from the list before it is closed: no reference counting is needed. File I/O that
 * may block (commit, flush, delete) is asynchronous and serialised per file inside IndexFile.
 */

/** MessageStoreConfig defaults (PROTOCOL.md §14). */
export const DEFAULT_MAX_HASH_SLOT_NUM = 5_000_000;
export const DEFAULT_MAX_INDEX_NUM = 20_000_000;
export const DEFAULT_MAX_MSGS_NUM_BATCH = 64;
/**
 * How often the file being written hands its changes to the page cache. Java's mapping does this
 * implicitly; here it bounds what a process crash loses and how much sits in memory.
 */
export const DEFAULT_INDEX_COMMIT_INTERVAL_MS = 1000;
/** IndexService.MAX_TRY_IDX_CREATE. Java sleeps 1 s between tries; a dispatch cannot, so we don't. */
const MAX_TRY_IDX_CREATE = 3;
/** Names taken within one millisecond are bumped by 1 ms, at most this many times. */
const MAX_NAME_BUMPS = 1000;

/** Field names as in MessageStoreConfig, so the store config can be spread in. */
export interface IndexServiceOptions {
  readonly storePathRootDir: string;
  readonly maxHashSlotNum?: number;
  readonly maxIndexNum?: number;
  readonly messageIndexEnable?: boolean;
  readonly maxMsgsNumBatch?: number;
  /** Updated (indexMsgTimestamp) when a full file is flushed; required by load(false). */
  readonly storeCheckpoint?: StoreCheckpoint;
  /** Instead of storeCheckpoint: what the index worker reaches the main thread's checkpoint through. */
  readonly indexCheckpoint?: IndexCheckpoint;
  /** 0 disables the periodic commit (then only flush/shutdown write). */
  readonly indexCommitIntervalMs?: number;
  /** Called when no index file can be created (Java: RunningFlags.makeIndexFileError). */
  readonly onIndexFileError?: () => void;
  readonly now?: () => number;
  readonly logger?: Logger;
}

/** Java's QueryOffsetResult. */
export interface QueryOffsetResult {
  readonly phyOffsets: number[];
  readonly indexLastUpdateTimestamp: number;
  readonly indexLastUpdatePhyoffset: number;
}

/** What the index needs of the StoreCheckpoint: read by load(false), advanced after a full file's flush. */
export interface IndexCheckpoint {
  readonly indexMsgTimestamp: number;
  /** Sets indexMsgTimestamp and resolves once it is durable. */
  advanceIndexMsgTimestamp(indexMsgTimestamp: number): Promise<void>;
}

/**
 * The index as the store uses it, built inline (IndexService) or on a worker thread
 * (IndexServiceWorker). A query answers after every record dispatched before it.
 */
export interface MessageIndex extends CommitLogDispatcher {
  load(lastExitOK: boolean): Promise<boolean>;
  start(): void;
  queryOffset(topic: string, key: string, maxNum: number, begin: number, end: number): QueryOffsetResult | Promise<QueryOffsetResult>;
  deleteExpiredFile(offset: number): Promise<void>;
  shutdown(): Promise<void>;
  destroy(): Promise<void>;
}

/**
 * The hashes a record is indexed under, written to `out` from index 0: `topic#UNIQ_KEY`, then
 * `topic#key` for every non-empty space-separated KEYS token. -1 for a ROLLBACK record, which is not
 * indexed (PREPARED and COMMIT ones are, as in Java 4.9.8); else the number of hashes written. `out`
 * is the caller's reused array: it is written by index and never shrunk (setting an array's length to
 * 0 drops its backing store, a new one per record).
 */
export function indexKeyHashes(req: DispatchRequest, out: number[]): number {
  if (getTransactionValue(req.sysFlag) === MessageSysFlag.TRANSACTION_ROLLBACK_TYPE) return -1;
  let n = 0;
  if (req.uniqKey !== undefined) out[n++] = topicKeyHash(req.topic, req.uniqKey);
  if (req.keys.length > 0) {
    for (const key of req.keys.split(MessageConst.KEY_SEPARATOR)) {
      if (key.length !== 0) out[n++] = topicKeyHash(req.topic, key);
    }
  }
  return n;
}

export class IndexService implements MessageIndex {
  readonly storePath: string;
  readonly hashSlotNum: number;
  readonly indexNum: number;
  readonly messageIndexEnable: boolean;
  private readonly maxMsgsNumBatch: number;
  private readonly checkpoint: IndexCheckpoint | undefined;
  private readonly commitIntervalMs: number;
  private readonly onIndexFileError: (() => void) | undefined;
  private readonly now: () => number;
  private readonly logger: Logger;
  private readonly indexFileList: IndexFile[] = [];
  /** Flushes of full files started by a roll; shutdown waits for them. */
  private readonly backgroundFlushes = new Set<Promise<void>>();
  private rollFlushChain: Promise<void> = Promise.resolve();
  private checkpointFrozen = false;
  /** buildIndex's hashes of one record (reused). */
  private readonly keyHashes: number[] = [];
  private commitTimer: NodeJS.Timeout | undefined;
  private committing = false;
  private lastNameMillis = 0;
  private isShutdown = false;

  constructor(options: IndexServiceOptions) {
    this.storePath = join(options.storePathRootDir, 'index');
    this.hashSlotNum = options.maxHashSlotNum ?? DEFAULT_MAX_HASH_SLOT_NUM;
    this.indexNum = options.maxIndexNum ?? DEFAULT_MAX_INDEX_NUM;
    this.messageIndexEnable = options.messageIndexEnable ?? true;
    this.maxMsgsNumBatch = options.maxMsgsNumBatch ?? DEFAULT_MAX_MSGS_NUM_BATCH;
    this.checkpoint = options.indexCheckpoint ?? (options.storeCheckpoint === undefined ? undefined : storeIndexCheckpoint(options.storeCheckpoint));
    this.commitIntervalMs = options.indexCommitIntervalMs ?? DEFAULT_INDEX_COMMIT_INTERVAL_MS;
    this.onIndexFileError = options.onIndexFileError;
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? createLogger('store').namespace('IndexService');
  }

  /** The files, oldest first. */
  get indexFiles(): readonly IndexFile[] {
    return this.indexFileList;
  }

  /**
   * Opens every file of the index directory in name order. After an abnormal exit, a file whose
   * endTimestamp is newer than the checkpoint's indexMsgTimestamp may have lost writes: it is deleted
   * and recovery re-dispatches its records. False when a file cannot be read.
   */
  async load(lastExitOK: boolean): Promise<boolean> {
    if (!existsSync(this.storePath)) return true;
    const names = readdirSync(this.storePath, { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name)
      .sort();
    for (const name of names) {
      const path = join(this.storePath, name);
      let f: IndexFile;
      try {
        f = await IndexFile.load(path, this.hashSlotNum, this.indexNum, this.logger.namespace('IndexFile'));
      } catch (e: unknown) {
        this.logger.error('load index file error', { file: path, error: e });
        return false;
      }
      if (!lastExitOK) {
        const checkpoint = this.requireCheckpoint();
        if (f.endTimestamp > checkpoint.indexMsgTimestamp) {
          this.logger.info('drop index file newer than the checkpoint', { file: path, endTimestamp: f.endTimestamp });
          await f.destroy();
          continue;
        }
      }
      this.logger.info('load index file OK', { file: path });
      this.indexFileList.push(f);
    }
    return true;
  }

  /** Starts the periodic commit of the file being written. */
  start(): void {
    if (this.commitTimer !== undefined || this.commitIntervalMs <= 0) return;
    this.commitTimer = setInterval(() => this.commitTick(), this.commitIntervalMs);
    this.commitTimer.unref();
  }

  /** CommitLogDispatcherBuildIndex: builds the index unless messageIndexEnable is off (synchronous: memory only). */
  dispatch(request: DispatchRequest): void {
    if (this.isShutdown) {
      this.logger.error('dispatch after shutdown ignored', { commitLogOffset: request.commitLogOffset });
      return;
    }
    if (this.messageIndexEnable) this.buildIndex(request);
  }

  /**
   * Indexes the record under its key hashes (indexKeyHashes: `topic#UNIQ_KEY` and `topic#key` per
   * KEYS token); ROLLBACK records are not indexed.
   */
  buildIndex(req: DispatchRequest): void {
    const n = indexKeyHashes(req, this.keyHashes);
    if (n >= 0) this.putKeyHashes(req.commitLogOffset, req.storeTimestamp, this.keyHashes, 0, n);
  }

  /**
   * Indexes one record under `count` key hashes from `hashes[from]` (the index worker's entry: the
   * main thread hashes). A record below the last file's endPhyOffset was indexed before (re-dispatch
   * during recovery) and is skipped.
   */
  putKeyHashes(commitLogOffset: number, storeTimestamp: number, hashes: ArrayLike<number>, from: number, count: number): void {
    let indexFile = this.retryGetAndCreateIndexFile();
    if (indexFile === undefined) {
      this.logger.error('build index error, stop building index');
      return;
    }
    if (commitLogOffset < indexFile.endPhyOffset) return;
    for (let i = from; i < from + count; i++) {
      indexFile = this.putKey(indexFile, hashes[i]!, commitLogOffset, storeTimestamp);
      if (indexFile === undefined) {
        this.logger.error('putKey error', { commitLogOffset, keyHash: hashes[i] });
        return;
      }
    }
  }

  /**
   * Offsets of records indexed under `topic#key` stored within [begin, end], newest first, at most
   * min(maxNum, maxMsgsNumBatch), plus the last file's end (the query's "index is this fresh" mark).
   */
  queryOffset(topic: string, key: string, maxNum: number, begin: number, end: number): QueryOffsetResult {
    const phyOffsets: number[] = [];
    let indexLastUpdateTimestamp = 0;
    let indexLastUpdatePhyoffset = 0;
    const limit = Math.min(maxNum, this.maxMsgsNumBatch);
    const indexKey = buildKey(topic, key);
    for (let i = this.indexFileList.length; i > 0; i--) {
      const f = this.indexFileList[i - 1]!;
      if (i === this.indexFileList.length) {
        indexLastUpdateTimestamp = f.endTimestamp;
        indexLastUpdatePhyoffset = f.endPhyOffset;
      }
      if (f.isTimeMatched(begin, end)) f.selectPhyOffset(phyOffsets, indexKey, limit, begin, end);
      // Older files hold only older entries.
      if (f.beginTimestamp < begin) break;
      if (phyOffsets.length >= limit) break;
    }
    return { phyOffsets, indexLastUpdateTimestamp, indexLastUpdatePhyoffset };
  }

  /**
   * Deletes the leading files whose entries all point below `offset` (the CommitLog's new minimum).
   * The last file is always kept.
   */
  async deleteExpiredFile(offset: number): Promise<void> {
    const first = this.indexFileList[0];
    if (first === undefined || first.endPhyOffset >= offset) return;
    const expired: IndexFile[] = [];
    for (let i = 0; i < this.indexFileList.length - 1; i++) {
      const f = this.indexFileList[i]!;
      if (f.endPhyOffset >= offset) break;
      expired.push(f);
    }
    // Out of the list first: a query started after this line can no longer reach these files.
    this.indexFileList.splice(0, expired.length);
    for (const f of expired) {
      try {
        await f.destroy();
      } catch (e: unknown) {
        this.logger.error('deleteExpiredFile remove failed', { file: f.fileName, error: e });
        break;
      }
    }
  }

  /**
   * Flushes one file; a full file's endTimestamp then becomes the checkpoint's indexMsgTimestamp.
   * (The file being written never moves the checkpoint: after a crash it is rebuilt from the CommitLog.)
   */
  async flush(f: IndexFile): Promise<void> {
    const indexMsgTimestamp = f.isWriteFull() ? f.endTimestamp : 0;
    await f.flush();
    if (indexMsgTimestamp > 0 && this.checkpoint !== undefined && !this.checkpointFrozen) {
      await this.checkpoint.advanceIndexMsgTimestamp(indexMsgTimestamp);
    }
  }

  /** Stops the commit timer, waits for roll flushes, then flushes and closes every file. */
  async shutdown(): Promise<void> {
    this.isShutdown = true;
    this.stopTimer();
    await Promise.all([...this.backgroundFlushes]);
    for (const f of this.indexFileList) await f.close();
  }

  /** Deletes every index file (DefaultMessageStore.destroy). */
  async destroy(): Promise<void> {
    this.stopTimer();
    await Promise.all([...this.backgroundFlushes]);
    const files = this.indexFileList.splice(0);
    for (const f of files) await f.destroy();
  }

  /** The last file if it has room, else a new one (the previous one is then flushed in the background). */
  getAndCreateLastIndexFile(): IndexFile | undefined {
    const last = this.indexFileList[this.indexFileList.length - 1];
    if (last !== undefined && !last.isWriteFull()) return last;
    let created: IndexFile;
    try {
      created = this.createIndexFile(last?.endPhyOffset ?? 0, last?.endTimestamp ?? 0);
    } catch (e: unknown) {
      this.logger.error('getLastIndexFile exception', { error: e });
      return undefined;
    }
    this.indexFileList.push(created);
    if (last !== undefined) this.flushInBackground(last);
    return created;
  }

  private retryGetAndCreateIndexFile(): IndexFile | undefined {
    for (let times = 0; times < MAX_TRY_IDX_CREATE; times++) {
      const f = this.getAndCreateLastIndexFile();
      if (f !== undefined) return f;
      this.logger.info('Tried to create index file', { times });
    }
    this.logger.error('Mark index file cannot build flag');
    this.onIndexFileError?.();
    return undefined;
  }

  /** Adds one key hash, rolling to a new file when this one is full; the file written, or undefined. */
  private putKey(indexFile: IndexFile, keyHash: number, commitLogOffset: number, storeTimestamp: number): IndexFile | undefined {
    let f: IndexFile | undefined = indexFile;
    while (!f.putKeyHash(keyHash, commitLogOffset, storeTimestamp)) {
      this.logger.warn('Index file is full, trying to create another one', { file: f.fileName });
      const next = this.retryGetAndCreateIndexFile();
      // The same file again means it refused for another reason than being full (closed).
      if (next === undefined || next === f) return undefined;
      f = next;
    }
    return f;
  }

  private createIndexFile(endPhyOffset: number, endTimestamp: number): IndexFile {
    mkdirSync(this.storePath, { recursive: true });
    // Names must be unique and sort in creation order: never reuse or go below the last one.
    let millis = Math.max(this.now(), this.lastNameMillis + 1);
    for (let bumps = 0; ; bumps++, millis++) {
      const path = join(this.storePath, timeMillisToHumanString(millis));
      try {
        const f = IndexFile.create(path, this.hashSlotNum, this.indexNum, endPhyOffset, endTimestamp, this.logger.namespace('IndexFile'));
        this.lastNameMillis = millis;
        return f;
      } catch (e: unknown) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || bumps >= MAX_NAME_BUMPS) throw e;
      }
    }
  }

  /**
   * Full files are flushed one after another, in roll order: the checkpoint's indexMsgTimestamp then
   * only moves forward and never covers an older file whose flush has not finished.
   */
  private flushInBackground(f: IndexFile): void {
    const p = this.rollFlushChain
      .then(() => this.flush(f))
      .catch((e: unknown) => {
        // A later file's end must not be checkpointed over this one: it may be incomplete on disk.
        this.checkpointFrozen = true;
        this.logger.error('flush of a full index file failed; index checkpoint frozen', { file: f.fileName, error: e });
      })
      .finally(() => this.backgroundFlushes.delete(p));
    this.rollFlushChain = p;
    this.backgroundFlushes.add(p);
  }

  private commitTick(): void {
    const last = this.indexFileList[this.indexFileList.length - 1];
    if (this.committing || last === undefined) return;
    this.committing = true;
    void last
      .commit()
      .catch((e: unknown) => {
        this.logger.error('index commit failed', { file: last.fileName, error: e });
      })
      .finally(() => {
        this.committing = false;
      });
  }

  private stopTimer(): void {
    if (this.commitTimer !== undefined) clearInterval(this.commitTimer);
    this.commitTimer = undefined;
  }

  private requireCheckpoint(): IndexCheckpoint {
    if (this.checkpoint === undefined) throw new Error('IndexService.load(false) needs options.storeCheckpoint');
    return this.checkpoint;
  }
}

/** The StoreCheckpoint as the inline index sees it. */
export function storeIndexCheckpoint(checkpoint: StoreCheckpoint): IndexCheckpoint {
  return {
    get indexMsgTimestamp() {
      return checkpoint.indexMsgTimestamp;
    },
    async advanceIndexMsgTimestamp(indexMsgTimestamp: number) {
      checkpoint.indexMsgTimestamp = indexMsgTimestamp;
      await checkpoint.flush();
    },
  };
}

function buildKey(topic: string, key: string): string {
  return `${topic}#${key}`;
}
