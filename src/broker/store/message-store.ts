import { mkdir } from 'node:fs/promises';

import { createLogger, type Logger } from '../../common/logging/logger.js';
import { TopicValidator } from '../../common/protocol/topic-validator.js';
import { decodeRecord, type MessageExt, type MessageExtBatch, type MessageExtBrokerInner } from '../../common/message/index.js';
import type { StoreCheckpoint } from './checkpoint.js';
import { CheckpointRecorder } from './checkpoint-recorder.js';
import { CleanCommitLogService, diskPartitionSpaceUsedRatio, type DiskUsedRatio } from './clean-commit-log-service.js';
import { CleanConsumeQueueService } from './clean-consume-queue-service.js';
import { CleanResourceService } from './clean-resource-service.js';
import { CommitLog } from './commit-log.js';
import { ConsumeQueueTable, FlushConsumeQueueService } from './consume-queue-table.js';
import { DispatchHints } from './dispatch-hints.js';
import type { CommitLogDispatcher, MessageArrivingListener, TagsCodeResolver } from './dispatcher.js';
import { checkMessage } from './check-message.js';
import { getMessage } from './get-message.js';
import type { GetMessageResult, MessageFilter } from './get-message-result.js';
import type { MessageIndex } from './index/index-service.js';
import { IndexServiceWorker } from './index/index-service-worker.js';
import { refused, type PutMessageResult } from './put-message-result.js';
import { getOffsetInQueueByTime } from './offset-in-queue-by-time.js';
import { queryMessage, type QueryMessageResult } from './query-message.js';
import { ReputMessageService } from './reput-message-service.js';
import { abortFilePath, commitLogDir, consumeQueueRootDir, effectiveWriteBufferSize, lockFilePath, type MessageStoreConfig } from './store-config.js';
import { AbortFile, StoreLock } from './store-lock.js';
import { loadAndRecoverStore, type StoreRecoveryResult } from './store-recovery.js';
import { StoreStats } from './store-stats.js';

/** Record TOTALSIZE is the first int32: what lookMessageByOffset reads before the record. */
const TOTAL_SIZE_BYTES = 4;
/** getCommitLogData's default cap: HA sends in batches of this order. */
const DEFAULT_COMMITLOG_DATA_BYTES = 1024 * 1024;

/**
 * The HA side of a put (Java's CommitLog.submitReplicaRequest), attached by the broker: a SYNC_MASTER
 * put resolves only once a slave acked `nextOffset`; anything else answers PUT_OK at once.
 */
export interface ReplicaService {
  submitReplicaRequest(nextOffset: number, waitStoreMsgOK: boolean): Promise<'PUT_OK' | 'FLUSH_SLAVE_TIMEOUT' | 'SLAVE_NOT_AVAILABLE'>;
  /** New CommitLog data is there to send. */
  notifyAppended(): void;
}

export interface DefaultMessageStoreOptions {
  /** Extra dispatchers after the ConsumeQueue builder (the IndexService). */
  readonly dispatchers?: readonly CommitLogDispatcher[];
  /** Long polling's hook (PullRequestHoldService.notifyMessageArriving). */
  readonly messageArrivingListener?: MessageArrivingListener;
  /** ScheduleMessageService's deliver-time tagsCode for SCHEDULE_TOPIC_XXXX. */
  readonly tagsCodeResolver?: TagsCodeResolver;
  /**
   * Overrides where abnormal recovery starts scanning (by default the StoreCheckpoint decides, as
   * Java's isMappedFileMatchedRecover does); undefined from the callback keeps the default.
   */
  readonly recoverFromOffset?: () => number | undefined;
  /** The clock expiry reads (file ages, deleteWhen hours); tests pass a fake one. */
  readonly now?: () => number;
  /** Used fraction (0..1) of a partition; tests pass a fake one. */
  readonly diskUsedRatio?: DiskUsedRatio;
  readonly logger?: Logger;
}

/**
 * DefaultMessageStore: a thin facade over CommitLog, ConsumeQueueTable and ReputMessageService. It
 * owns start-up (lock, recovery, abort marker), the put checks of Java's checkStoreStatus /
 * checkMessage, and the queries the broker's processors need. It knows nothing of remoting.
 */
export class DefaultMessageStore {
  readonly commitLog: CommitLog;
  readonly consumeQueueTable: ConsumeQueueTable;
  readonly reputMessageService: ReputMessageService;
  readonly stats = new StoreStats();
  readonly cleanCommitLogService: CleanCommitLogService;
  readonly cleanConsumeQueueService: CleanConsumeQueueService;
  private readonly cleanResourceService: CleanResourceService;
  private readonly flushConsumeQueueService: FlushConsumeQueueService;
  private readonly lock: StoreLock;
  private readonly log: Logger;
  private index: MessageIndex | undefined;
  private checkpointRecorder: CheckpointRecorder | undefined;
  private running = false;
  private shutdownDone = false;
  /** HA (issue 8): attached by the broker before start; undefined = no replication. */
  haService: ReplicaService | undefined;
  /** What the last start found (for logs and tests). */
  lastRecovery: StoreRecoveryResult | undefined;

  constructor(
    readonly config: MessageStoreConfig,
    private readonly options: DefaultMessageStoreOptions = {},
  ) {
    this.log = options.logger ?? createLogger('store');
    this.commitLog = new CommitLog(config, this.log.namespace('commitlog'));
    this.consumeQueueTable = new ConsumeQueueTable(config, this.log.namespace('consumequeue'));
    // The index and the checkpoint open in start(); dispatching reaches them through these.
    const indexDispatcher: CommitLogDispatcher = { dispatch: (r) => this.index?.dispatch(r) };
    const checkpointDispatcher: CommitLogDispatcher = { dispatch: (r) => this.checkpointRecorder?.dispatch(r) };
    const hints = new DispatchHints();
    this.commitLog.dispatchHints = hints;
    this.reputMessageService = new ReputMessageService(
      this.commitLog,
      [this.consumeQueueTable, indexDispatcher, checkpointDispatcher, ...(options.dispatchers ?? [])],
      effectiveWriteBufferSize(config),
      this.log.namespace('reput'),
      {
        arrivingListener: options.messageArrivingListener,
        tagsCodeResolver: options.tagsCodeResolver,
        notifyArriving: () => config.brokerRole !== 'SLAVE',
      },
      hints,
    );
    this.commitLog.onAppended = () => {
      this.reputMessageService.wakeup();
      this.haService?.notifyAppended();
    };
    this.commitLog.onPutDone = (r, begin, now) => {
      this.count(r, begin, now);
    };
    this.flushConsumeQueueService = new FlushConsumeQueueService(this.consumeQueueTable, config, this.log.namespace('cq-flush'));
    this.lock = new StoreLock(lockFilePath(config));
    this.cleanCommitLogService = new CleanCommitLogService(this.commitLog.mappedFileQueue, config, {
      now: options.now ?? Date.now,
      diskUsedRatio: options.diskUsedRatio ?? diskPartitionSpaceUsedRatio,
      physicPath: commitLogDir(config),
      logicsPath: consumeQueueRootDir(config),
      log: this.log.namespace('clean-commitlog'),
    });
    this.cleanConsumeQueueService = new CleanConsumeQueueService(
      this.commitLog,
      this.consumeQueueTable,
      () => this.index,
      config,
      this.log.namespace('clean-consumequeue'),
    );
    this.cleanResourceService = new CleanResourceService(
      this.cleanCommitLogService,
      this.cleanConsumeQueueService,
      config.cleanResourceInterval,
      this.log.namespace('clean'),
    );
  }

  /** The IndexService, or the IndexServiceWorker that runs one (messageIndexWorkerEnable); undefined before start. */
  get indexService(): MessageIndex | undefined {
    return this.index;
  }

  /** The StoreCheckpoint (undefined before start). */
  get storeCheckpoint(): StoreCheckpoint | undefined {
    return this.checkpointRecorder?.checkpoint;
  }

  /**
   * Takes the lock, recovers (abnormally if the abort file is there), rebuilds ConsumeQueues from the
   * CommitLog, restores queue offsets, creates the abort file and starts the services.
   */
  async start(): Promise<void> {
    await mkdir(this.config.storePathRootDir, { recursive: true });
    await this.lock.acquire();
    try {
      const abnormal = await AbortFile.exists(abortFilePath(this.config));
      this.lastRecovery = await loadAndRecoverStore(
        {
          config: this.config,
          commitLog: this.commitLog,
          consumeQueueTable: this.consumeQueueTable,
          reputMessageService: this.reputMessageService,
          log: this.log,
          recoverFromOffset: this.options.recoverFromOffset,
        },
        abnormal,
        (checkpoint, indexService) => {
          this.index = indexService;
          this.checkpointRecorder = new CheckpointRecorder(checkpoint, () => this.commitLog.mappedFileQueue.flushedWhere);
          this.flushConsumeQueueService.checkpoint = this.checkpointRecorder;
        },
      );
      const index = this.index!;
      await AbortFile.create(abortFilePath(this.config));
      this.commitLog.start();
      this.reputMessageService.start();
      this.flushConsumeQueueService.start();
      index.start();
      this.cleanResourceService.start();
      this.running = true;
    } catch (e: unknown) {
      this.index = undefined;
      this.checkpointRecorder = undefined;
      await this.commitLog.mappedFileQueue.close();
      await this.consumeQueueTable.close();
      await this.lock.release();
      throw e;
    }
  }

  /** Stops puts, drains dispatch, flushes everything, removes the abort file and the lock. */
  async shutdown(): Promise<void> {
    if (!this.running || this.shutdownDone) return;
    this.running = false;
    this.shutdownDone = true;
    // Dispatch must finish while the CommitLog files are still open: drain reput first.
    await this.commitLog.waitAppendsDone();
    await this.reputMessageService.waitCaughtUp();
    await this.reputMessageService.shutdown();
    const caughtUp = this.reputMessageService.behind() <= 0;
    await this.cleanResourceService.shutdown();
    await this.flushConsumeQueueService.shutdown();
    await this.consumeQueueTable.close();
    await this.index?.shutdown();
    // A worker that failed left records unindexed: keep the abort marker, so the next start recovers.
    const indexOK = !(this.index instanceof IndexServiceWorker) || this.index.failedBeforeShutdown === undefined;
    await this.commitLog.shutdown().catch((e: unknown) => this.log.error('CommitLog shutdown failed', { error: e }));
    // As Java's last storeCheckpoint.flush(): the physic timestamp now covers the final CommitLog flush.
    const recorder = this.checkpointRecorder;
    if (recorder !== undefined) {
      await recorder.flush(recorder.captureLogics());
      await recorder.checkpoint.shutdown();
    }
    // As Java: only a complete, caught-up stop removes the marker; otherwise the next start re-checks.
    if (caughtUp && indexOK) await AbortFile.remove(abortFilePath(this.config));
    await this.lock.release();
  }

  isRunning(): boolean {
    return this.running;
  }

  putMessage(msg: MessageExtBrokerInner): Promise<PutMessageResult> {
    let put: Promise<PutMessageResult>;
    let begin: number;
    try {
      const refusal = this.checkStoreStatus() ?? checkMessage(msg, this.config.maxMessageSize);
      if (refusal !== undefined) return Promise.resolve(this.count(refusal, Date.now()));
      begin = Date.now();
      // Without HA waiting (no HA service, or not a SYNC_MASTER put that waits for the store) the
      // CommitLog's promise is the put's (counted through onPutDone before it resolves): one promise
      // and no continuation per put on the hot path of every send.
      if (this.haService === undefined || this.config.brokerRole !== 'SYNC_MASTER' || !msg.waitStoreMsgOK) return this.commitLog.putMessage(msg, begin);
      put = this.commitLog.putMessage(msg);
    } catch (e: unknown) {
      return Promise.reject(e);
    }
    return put.then(async (r) => this.count(await this.handleHA(r, msg.waitStoreMsgOK), begin));
  }

  async putMessages(batch: MessageExtBatch): Promise<PutMessageResult> {
    const refusal = this.checkStoreStatus() ?? checkMessage(batch, this.config.maxMessageSize);
    if (refusal !== undefined) return this.count(refusal, Date.now());
    const begin = Date.now();
    return this.count(await this.handleHA(await this.commitLog.putMessages(batch), batch.waitStoreMsgOK), begin);
  }

  async getMessage(
    group: string,
    topic: string,
    queueId: number,
    offset: number,
    maxMsgNums: number,
    maxTotalBytes = Number.POSITIVE_INFINITY,
    filter?: MessageFilter,
  ): Promise<GetMessageResult> {
    void group; // Java logs it only; the broker's stats are per group.
    const r = await getMessage(this.config, this.commitLog, this.consumeQueueTable.find(topic, queueId), offset, maxMsgNums, maxTotalBytes, filter);
    this.stats.onGet(r.status, r.status === 'FOUND' ? r.messageBufferList.length : 0);
    return r;
  }

  getMaxOffsetInQueue(topic: string, queueId: number): number {
    return this.consumeQueueTable.find(topic, queueId)?.getMaxOffsetInQueue() ?? 0;
  }

  getMinOffsetInQueue(topic: string, queueId: number): number {
    return this.consumeQueueTable.find(topic, queueId)?.getMinOffsetInQueue() ?? -1;
  }

  /** CommitLog offset of the message at `consumeQueueOffset`, 0 if unknown (Java returns 0). */
  async getCommitLogOffsetInQueue(topic: string, queueId: number, consumeQueueOffset: number): Promise<number> {
    const u = await this.consumeQueueTable.find(topic, queueId)?.getUnit(consumeQueueOffset);
    return u?.commitLogOffset ?? 0;
  }

  /**
   * The first queue offset whose message was stored at or after `timestamp` (binary search over the
   * queue by store time); the max offset if every message is older, the min offset if every is newer.
   */
  async getOffsetInQueueByTime(topic: string, queueId: number, timestamp: number): Promise<number> {
    const cq = this.consumeQueueTable.find(topic, queueId);
    if (cq === undefined) return 0;
    return getOffsetInQueueByTime(cq, timestamp, async (offset) => (await this.lookMessageByOffset(offset))?.storeTimestamp);
  }

  /** The message at a CommitLog offset (Java's lookMessageByOffset), or undefined. */
  async lookMessageByOffset(commitLogOffset: number): Promise<MessageExt | undefined> {
    const head = await this.commitLog.getMessage(commitLogOffset, TOTAL_SIZE_BYTES);
    if (head === undefined) return undefined;
    const record = await this.commitLog.getMessage(commitLogOffset, head.readInt32BE(0));
    return record === undefined ? undefined : decodeRecord(record, 0);
  }

  /** One record's bytes (VIEW_MESSAGE_BY_ID), or undefined. */
  async selectOneMessageByOffset(commitLogOffset: number, size: number): Promise<Buffer | undefined> {
    return this.commitLog.getMessage(commitLogOffset, size);
  }

  /** HA master: bytes from `offset` to the end of its file's data, at most `maxBytes`. */
  getCommitLogData(offset: number, maxBytes = DEFAULT_COMMITLOG_DATA_BYTES): Promise<Buffer | undefined> {
    return this.commitLog.getData(offset, maxBytes);
  }

  /**
   * HA slave: appends the master's bytes at `startOffset` (must be our max offset). An empty slave
   * starts where the master chose to send from (its last file's start), so the first file is
   * created there and reput starts with it.
   */
  async appendToCommitLog(startOffset: number, data: Buffer): Promise<boolean> {
    if (!this.running || this.config.brokerRole !== 'SLAVE') return false;
    const q = this.commitLog.mappedFileQueue;
    if (q.getLastMappedFile() === undefined && startOffset > 0) {
      if (startOffset % this.config.mappedFileSizeCommitLog !== 0) return false;
      await q.getLastMappedFileOrCreate(startOffset);
      this.reputMessageService.reputFromOffset = Math.max(this.reputMessageService.reputFromOffset, startOffset);
    }
    return this.commitLog.appendData(startOffset, data);
  }

  getMaxPhyOffset(): number {
    return this.commitLog.getMaxOffset();
  }

  getMinPhyOffset(): number {
    return this.commitLog.getMinOffset();
  }

  /**
   * QUERY_MESSAGE (Java's queryMessage): records indexed under `topic#key` — a KEYS token or a
   * UNIQ_KEY — stored within [begin, end], and how fresh the index is. Empty before start.
   */
  async queryMessage(topic: string, key: string, maxNum: number, begin: number, end: number): Promise<QueryMessageResult> {
    if (this.index === undefined) return { messageBufferList: [], bufferTotalSize: 0, indexLastUpdateTimestamp: 0, indexLastUpdatePhyoffset: 0 };
    return queryMessage(this.index, this.commitLog, this.log, { topic, key, maxNum, begin, end });
  }

  /**
   * Java's cleanUnusedTopic (DELETE_TOPIC_IN_BROKER): destroys the consume queues of every topic not
   * in `keepTopics` — except the schedule and transaction-op topics, which have no topic config but
   * hold live data — and forgets their next queue offsets, so a re-created topic starts at offset 0.
   * Resolves to the topics destroyed.
   */
  async cleanUnusedTopic(keepTopics: ReadonlySet<string>): Promise<string[]> {
    const unused = this.consumeQueueTable
      .topics()
      .filter((t) => !keepTopics.has(t) && t !== TopicValidator.RMQ_SYS_SCHEDULE_TOPIC && t !== TopicValidator.RMQ_SYS_TRANS_OP_HALF_TOPIC);
    await this.deleteTopics(unused);
    return unused;
  }

  /** Destroys the consume queues of `topics` and their entries in the CommitLog's queue-offset table. */
  async deleteTopics(topics: Iterable<string>): Promise<void> {
    for (const topic of topics) {
      for (const cq of await this.consumeQueueTable.destroyTopic(topic)) {
        this.commitLog.topicQueueTable.delete(`${cq.topic}-${cq.queueId}`);
        this.log.info('cleanUnusedTopic: ConsumeQueue cleaned', { topic, queueId: cq.queueId });
      }
      this.log.info('cleanUnusedTopic: topic destroyed', { topic });
    }
  }

  /** TRIGGER_DELETE_FILES: the next clean rounds delete expired files whatever the hour. */
  executeDeleteFilesManually(): void {
    this.cleanCommitLogService.executeDeleteFilesManually();
  }

  /** Runs one expiry round now (CommitLog, then ConsumeQueues and index); resolves to the CommitLog files deleted. */
  cleanFilesNow(): Promise<number> {
    return this.cleanResourceService.cleanNow();
  }

  /** A thorough ConsumeQueue flush followed by the checkpoint write (what the flush service does periodically). */
  async flushConsumeQueuesAndCheckpoint(): Promise<void> {
    await this.flushConsumeQueueService.flushThorough();
  }

  /** Bytes appended but not dispatched to ConsumeQueues yet. */
  dispatchBehindBytes(): number {
    return this.reputMessageService.behind();
  }

  // -------------------------------------------------------------------------------------------

  private checkStoreStatus(): PutMessageResult | undefined {
    if (!this.running) return refused('SERVICE_NOT_AVAILABLE', 'message store is not running');
    if (this.config.brokerRole === 'SLAVE') return refused('SERVICE_NOT_AVAILABLE', 'a slave does not accept puts');
    if (this.cleanCommitLogService.diskFull) return refused('SERVICE_NOT_AVAILABLE', 'the disk is full: the message store is not writeable');
    if (this.commitLog.isOSPageCacheBusy()) return refused('OS_PAGECACHE_BUSY', 'the put path is busy');
    return undefined;
  }

  /** Java's thenCombine of flush and replica: a replica failure status wins over PUT_OK. */
  private async handleHA(r: PutMessageResult, waitStoreMsgOK: boolean): Promise<PutMessageResult> {
    const ha = this.haService;
    if (ha === undefined || !('appendMessageResult' in r)) return r;
    const a = r.appendMessageResult;
    const replica = await ha.submitReplicaRequest(a.wroteOffset + a.wroteBytes, waitStoreMsgOK);
    return replica === 'PUT_OK' ? r : { status: replica, appendMessageResult: a };
  }

  private count(r: PutMessageResult, begin: number, now = Date.now()): PutMessageResult {
    if ('appendMessageResult' in r) this.stats.onPut(r.status, r.appendMessageResult.wroteBytes, r.appendMessageResult.msgNum, now - begin);
    else this.stats.onPut(r.status, 0, 0, now - begin);
    return r;
  }
}
