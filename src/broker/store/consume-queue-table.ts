import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

import type { Logger } from '../../common/logging/logger.js';
import type { DispatchRequest } from '../../common/message/index.js';
import { ConsumeQueue } from './consume-queue.js';
import { isConsumable, type CommitLogDispatcher } from './dispatcher.js';
import { ServiceThread } from './service-thread.js';
import { consumeQueueRootDir, type MessageStoreConfig } from './store-config.js';
import { ReadAheadCache } from './read-ahead-cache.js';
import { WriteBufferPool } from './write-buffer-pool.js';

/** Write buffer per ConsumeQueue file: 3,276 units; small because there is one per queue. */
const CQ_WRITE_BUFFER_BYTES = 64 * 1024;

/**
 * Every ConsumeQueue of the store (Java's consumeQueueTable), and the dispatcher that fills them
 * (Java's CommitLogDispatcherBuildConsumeQueue).
 */
export class ConsumeQueueTable implements CommitLogDispatcher {
  private readonly table = new Map<string, Map<number, ConsumeQueue>>();
  private readonly pool: WriteBufferPool;
  /**
   * Read-ahead windows of unit bytes, shared by every queue so memory stays bounded (32 × 80 KiB):
   * 64 KiB each plus 16 KiB more, a pull's whole scan (16,000 bytes), so no scan straddles two windows.
   */
  private readonly readAhead = new ReadAheadCache(64 * 1024, 32, false, 16 * 1024);
  readonly rootDir: string;

  constructor(
    private readonly config: MessageStoreConfig,
    private readonly log: Logger,
  ) {
    this.rootDir = consumeQueueRootDir(config);
    this.pool = new WriteBufferPool(Math.min(CQ_WRITE_BUFFER_BYTES, config.mappedFileSizeConsumeQueue), Number.POSITIVE_INFINITY);
  }

  /** Opens `consumequeue/<topic>/<queueId>/` directories and recovers each queue's valid tail. */
  async loadAndRecover(): Promise<void> {
    await mkdir(this.rootDir, { recursive: true });
    for (const topic of await readdir(this.rootDir)) {
      for (const qid of await readdir(join(this.rootDir, topic))) {
        if (!/^\d+$/.test(qid)) continue;
        const cq = this.create(topic, Number(qid));
        await cq.load();
        await cq.recover();
      }
    }
  }

  /** The queue, if it exists (reads never create directories). */
  find(topic: string, queueId: number): ConsumeQueue | undefined {
    return this.table.get(topic)?.get(queueId);
  }

  /** The queue, created when absent (Java's findConsumeQueue). */
  findOrCreate(topic: string, queueId: number): ConsumeQueue {
    return this.find(topic, queueId) ?? this.create(topic, queueId);
  }

  *all(): Generator<ConsumeQueue> {
    for (const byId of this.table.values()) yield* byId.values();
  }

  /** Synchronous (undefined) unless the queue needs I/O first: a new file or a free write buffer. */
  dispatch(req: DispatchRequest): Promise<void> | undefined {
    if (!isConsumable(req.sysFlag)) return undefined;
    const cq = this.findOrCreate(req.topic, req.queueId);
    return cq.putMessagePositionInfo(req.commitLogOffset, req.msgSize, req.tagsCode, req.queueOffset);
  }

  /** Largest CommitLog offset covered by any queue (where reput resumes after a clean stop). */
  maxPhysicOffset(): number {
    let max = -1;
    for (const cq of this.all()) max = Math.max(max, cq.maxPhysicOffset);
    return max;
  }

  async truncateDirtyLogicFiles(phyOffset: number): Promise<void> {
    for (const cq of this.all()) await cq.truncateDirtyLogicFiles(phyOffset);
  }

  async flushAll(leastPages: number): Promise<void> {
    for (const cq of this.all()) await cq.flush(leastPages);
  }

  /** CleanConsumeQueueService's step: files wholly below the CommitLog's min offset go. */
  async deleteExpiredFiles(phyMinOffset: number, pauseBetween: () => Promise<void>): Promise<number> {
    let deleted = 0;
    for (const cq of this.all()) {
      const n = await cq.deleteExpiredFile(phyMinOffset);
      deleted += n;
      if (n > 0) await pauseBetween();
    }
    return deleted;
  }

  /** Java's correctMinOffset on every queue (start-up: the CommitLog may have lost its head files). */
  async correctMinOffsets(phyMinOffset: number): Promise<void> {
    for (const cq of this.all()) await cq.correctMinOffset(phyMinOffset);
  }

  async close(): Promise<void> {
    for (const cq of this.all()) await cq.mappedFileQueue.close();
  }

  /**
   * Destroys every queue of `topic` (Java's ConsumeQueue.destroy from cleanUnusedTopic): files
   * unlinked, `consumequeue/<topic>/` removed, the topic dropped from the table so a later put
   * creates fresh queues. Resolves to the queues destroyed.
   */
  async destroyTopic(topic: string): Promise<ConsumeQueue[]> {
    const byId = this.table.get(topic);
    // Dropped first: a dispatch racing the unlinks recreates a fresh queue rather than writing into a dying one.
    this.table.delete(topic);
    const destroyed = [...(byId?.values() ?? [])];
    for (const cq of destroyed) await cq.mappedFileQueue.destroy();
    // Java leaves the empty topic directory behind; removing it keeps `ls consumequeue` meaningful.
    await rm(join(this.rootDir, topic), { recursive: true, force: true });
    return destroyed;
  }

  /** Topics that have at least one queue. */
  topics(): string[] {
    return [...this.table.keys()];
  }

  private create(topic: string, queueId: number): ConsumeQueue {
    let byId = this.table.get(topic);
    if (byId === undefined) {
      byId = new Map();
      this.table.set(topic, byId);
    }
    const cq = new ConsumeQueue(topic, queueId, this.rootDir, this.config.mappedFileSizeConsumeQueue, this.pool, this.log, this.readAhead);
    byId.set(queueId, cq);
    return cq;
  }
}

/** What a thorough ConsumeQueue flush writes into the StoreCheckpoint (CheckpointRecorder). */
export interface LogicsCheckpoint {
  /** Called before the flush: the logics timestamp the flush will make durable. */
  captureLogics(): number;
  /** Called after it: records that timestamp (and the physic one) and writes the checkpoint file. */
  flush(logicsTimestamp: number): Promise<void>;
}

/**
 * Java's FlushConsumeQueueService: periodic commit + flush of every ConsumeQueue; a thorough round
 * (every flushConsumeQueueThoroughInterval, and the last one at shutdown) also writes the checkpoint.
 */
export class FlushConsumeQueueService extends ServiceThread {
  private lastFlushTimestamp = 0;
  /** Set by the store once the checkpoint is open. */
  checkpoint: LogicsCheckpoint | undefined;

  constructor(
    private readonly table: ConsumeQueueTable,
    private readonly config: MessageStoreConfig,
    log: Logger,
  ) {
    super(log);
  }

  /** One thorough round: every queue flushed, then the checkpoint (also the store's manual flush). */
  async flushThorough(): Promise<void> {
    const logics = this.checkpoint?.captureLogics() ?? 0;
    await this.table.flushAll(0);
    await this.checkpoint?.flush(logics);
  }

  get serviceName(): string {
    return 'FlushConsumeQueueService';
  }

  protected async runOnce(): Promise<void> {
    await this.waitForRunning(this.config.flushIntervalConsumeQueue);
    let leastPages = this.config.flushConsumeQueueLeastPages;
    const now = Date.now();
    if (now >= this.lastFlushTimestamp + this.config.flushConsumeQueueThoroughInterval) {
      this.lastFlushTimestamp = now;
      leastPages = 0;
    }
    if (leastPages === 0) await this.flushThorough();
    else await this.table.flushAll(leastPages);
  }

  protected override async onShutdown(): Promise<void> {
    await this.flushThorough();
  }
}
