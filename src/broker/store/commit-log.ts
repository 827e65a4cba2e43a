import type { Logger } from '../../common/logging/logger.js';
import {
  END_FILE_MIN_BLANK_LENGTH,
  MessageSysFlag,
  bodyCRC,
  createMessageId,
  encodeBatchRecords,
  encodeRecord,
  getTransactionValue,
  measureBatchRecords,
  measureRecord,
  recordInputOf,
  writeBlankRecord,
  type MessageExtBatch,
  type MessageExtBrokerInner,
} from '../../common/message/index.js';
import { CommitRealTimeService } from './flush/commit-real-time-service.js';
import { FlushRealTimeService } from './flush/flush-real-time-service.js';
import { GroupCommitService } from './flush/group-commit-service.js';
import type { MappedFile } from './mapped-file.js';
import { MappedFileQueue } from './mapped-file-queue.js';
import { refused, type AppendMessageResult, type PutMessageResult } from './put-message-result.js';
import { commitLogDir, effectiveWriteBufferSize, type MessageStoreConfig } from './store-config.js';
import { WriteBufferPool } from './write-buffer-pool.js';

/** Write buffers for the CommitLog when appends commit at once (transientStorePoolEnable=false). */
const EAGER_COMMIT_BUFFERS = 3;

/**
 * The CommitLog: the single source of truth every other structure is derived from. One append path
 * by design: puts are chained on `appendTail` and run one after another, so queue offsets, commit
 * log offsets and store timestamps are assigned in one order; a put waiting for a new file or a
 * free write buffer holds up the puts behind it exactly as Java's put lock does.
 */
export class CommitLog {
  readonly mappedFileQueue: MappedFileQueue;
  /** `topic-queueId` → next queue offset (Java's topicQueueTable). */
  readonly topicQueueTable = new Map<string, number>();
  private appendTail: Promise<unknown> = Promise.resolve();
  private readonly groupCommitService: GroupCommitService | undefined;
  private readonly flushRealTimeService: FlushRealTimeService | undefined;
  private readonly commitRealTimeService: CommitRealTimeService;
  /** Called after each append (the store wakes its ReputMessageService). */
  onAppended: () => void = () => {};
  /** Wall-clock ms an append has been running, 0 when idle (Java's isOSPageCacheBusy input). */
  private beginTimeInLock = 0;

  constructor(
    private readonly config: MessageStoreConfig,
    private readonly log: Logger,
  ) {
    const pool = new WriteBufferPool(
      effectiveWriteBufferSize(config),
      config.transientStorePoolEnable ? config.transientStorePoolSize : EAGER_COMMIT_BUFFERS,
    );
    this.mappedFileQueue = new MappedFileQueue(commitLogDir(config), config.mappedFileSizeCommitLog, pool, log);
    const q = this.mappedFileQueue;
    const sync = config.flushDiskType === 'SYNC_FLUSH';
    if (sync) this.groupCommitService = new GroupCommitService(q, config.syncFlushTimeout, log);
    else this.flushRealTimeService = new FlushRealTimeService(q, config, log);
    // Without the pool, appends are committed as soon as possible, like writes into Java's mmapped page
    // cache (they survive a process kill); with it, on CommitRealTimeService's interval.
    this.commitRealTimeService = new CommitRealTimeService(q, config, !config.transientStorePoolEnable, log, () => {
      if (!config.flushCommitLogTimed) this.flushRealTimeService?.wakeup();
    });
  }

  async load(): Promise<void> {
    await this.mappedFileQueue.load();
  }

  start(): void {
    this.commitRealTimeService.start();
    this.groupCommitService?.start();
    this.flushRealTimeService?.start();
  }

  /** Stops the services after a last commit and flush; the files stay open until `close`. */
  async shutdown(): Promise<void> {
    await this.appendTail;
    await this.commitRealTimeService.shutdown();
    await this.groupCommitService?.shutdown();
    await this.flushRealTimeService?.shutdown();
    await this.mappedFileQueue.shutdown();
  }

  /** Resolves once every put queued so far has been appended. */
  async waitAppendsDone(): Promise<void> {
    await this.appendTail;
  }

  /** Java's isOSPageCacheBusy: an append has held the put path for longer than the limit. */
  isOSPageCacheBusy(): boolean {
    const begin = this.beginTimeInLock;
    return begin > 0 && Date.now() - begin > this.config.osPageCacheBusyTimeOutMills;
  }

  putMessage(msg: MessageExtBrokerInner): Promise<PutMessageResult> {
    msg.applyHostFlags();
    msg.bodyCRC = bodyCRC(msg.body);
    const run = this.appendTail.then(() => this.appendMessage(msg));
    this.chain(run);
    return run.then((r) => this.handleDiskFlush(r, msg.waitStoreMsgOK));
  }

  putMessages(batch: MessageExtBatch): Promise<PutMessageResult> {
    batch.applyHostFlags();
    const run = this.appendTail.then(() => this.appendBatch(batch));
    this.chain(run);
    return run.then((r) => this.handleDiskFlush(r, batch.waitStoreMsgOK));
  }

  /** One record's bytes, or undefined if its file is gone (expired) or the range is not written. */
  async getMessage(offset: number, size: number): Promise<Buffer | undefined> {
    const f = this.mappedFileQueue.findMappedFileByOffset(offset);
    if (f === undefined) return undefined;
    return f.read(offset - f.fileFromOffset, size);
  }

  /** From `offset` to the end of the appended data of its file, at most `maxSize` bytes (HA, reput). */
  async getData(offset: number, maxSize: number): Promise<Buffer | undefined> {
    const f = this.mappedFileQueue.findMappedFileByOffset(offset);
    if (f === undefined) return undefined;
    const pos = offset - f.fileFromOffset;
    const size = Math.min(maxSize, f.wrotePosition - pos);
    if (size <= 0) return undefined;
    return f.read(pos, size);
  }

  /**
   * Slave side of HA: appends bytes the master sent for `startOffset`, which must be the current
   * end. Records are not re-encoded: the master's bytes are the truth.
   */
  appendData(startOffset: number, data: Buffer): Promise<boolean> {
    const run = this.appendTail.then(async () => {
      if (startOffset !== this.getMaxOffset()) {
        this.log.warn('appendData at the wrong offset', { startOffset, maxOffset: this.getMaxOffset() });
        return false;
      }
      let off = 0;
      while (off < data.length) {
        const f = await this.mappedFileQueue.getLastMappedFileOrCreate(startOffset + off);
        const n = Math.min(data.length - off, f.fileSize - f.wrotePosition, this.bufferSize());
        const slice = await this.writableSlice(f, n);
        data.copy(slice.buf, slice.pos, off, off + n);
        f.appended(n);
        off += n;
      }
      this.onAppended();
      this.commitRealTimeService.wakeup();
      return true;
    });
    this.chain(run);
    return run;
  }

  getMinOffset(): number {
    const first = this.mappedFileQueue.getFirstMappedFile();
    if (first === undefined) return -1;
    return first.isAvailable() ? first.fileFromOffset : this.rollNextFile(first.fileFromOffset);
  }

  getMaxOffset(): number {
    return this.mappedFileQueue.getMaxOffset();
  }

  rollNextFile(offset: number): number {
    return this.mappedFileQueue.rollNextFile(offset);
  }

  /** Data not yet durable (bytes appended beyond the flushed position). */
  remainHowManyDataToFlush(): number {
    return this.getMaxOffset() - this.mappedFileQueue.flushedWhere;
  }

  // -------------------------------------------------------------------------------------------

  /**
   * Puts the next append behind `run`. A failed append already rejects its own caller; the chain only
   * needs to know it ended, or one failure would stall every later put.
   */
  private chain(run: Promise<unknown>): void {
    this.appendTail = run.then(
      () => undefined,
      () => undefined,
    );
  }

  private bufferSize(): number {
    return effectiveWriteBufferSize(this.config);
  }

  private async appendMessage(msg: MessageExtBrokerInner): Promise<PutMessageResult> {
    const beginTime = Date.now();
    this.beginTimeInLock = beginTime;
    try {
      const key = `${msg.topic}-${msg.queueId}`;
      const tranType = getTransactionValue(msg.sysFlag);
      // Prepared and rolled-back transaction records do not enter a ConsumeQueue: queue offset 0, no increment.
      const consumable = tranType === MessageSysFlag.TRANSACTION_NOT_TYPE || tranType === MessageSysFlag.TRANSACTION_COMMIT_TYPE;
      const queueOffset = consumable ? (this.topicQueueTable.get(key) ?? 0) : 0;
      const input = recordInputOf(msg, { queueOffset, commitLogOffset: 0, storeTimestamp: beginTime });
      const size = measureRecord(input);
      if (size.totalSize > this.bufferSize()) return refused('MESSAGE_ILLEGAL', `record of ${size.totalSize} bytes exceeds the write buffer`);
      const placed = await this.place(size.totalSize);
      if ('status' in placed) return placed;
      const { file, wroteOffset } = placed;
      const slice = await this.writableSlice(file, size.totalSize);
      encodeRecord(slice.buf, slice.pos, { ...input, commitLogOffset: wroteOffset }, size);
      file.appended(size.totalSize);
      if (consumable) this.topicQueueTable.set(key, queueOffset + 1);
      msg.queueOffset = queueOffset;
      msg.commitLogOffset = wroteOffset;
      msg.storeTimestamp = beginTime;
      const msgId = createMessageId(msg.storeHost, wroteOffset);
      this.afterAppend();
      return {
        status: 'PUT_OK',
        appendMessageResult: result(wroteOffset, size.totalSize, [msgId], beginTime, queueOffset, 1),
      };
    } finally {
      this.beginTimeInLock = 0;
    }
  }

  private async appendBatch(batch: MessageExtBatch): Promise<PutMessageResult> {
    const beginTime = Date.now();
    this.beginTimeInLock = beginTime;
    try {
      let measured: { count: number; totalSize: number };
      try {
        measured = measureBatchRecords(batch);
      } catch (e: unknown) {
        return refused('MESSAGE_ILLEGAL', (e as Error).message);
      }
      if (measured.count === 0) return refused('MESSAGE_ILLEGAL', 'empty batch');
      if (measured.totalSize > this.bufferSize()) return refused('MESSAGE_ILLEGAL', `batch of ${measured.totalSize} bytes exceeds the write buffer`);
      const key = `${batch.topic}-${batch.queueId}`;
      const queueOffset = this.topicQueueTable.get(key) ?? 0;
      const placed = await this.place(measured.totalSize);
      if ('status' in placed) return placed;
      const { file, wroteOffset } = placed;
      const slice = await this.writableSlice(file, measured.totalSize);
      const r = encodeBatchRecords(slice.buf, slice.pos, batch, { queueOffset, commitLogOffset: wroteOffset, storeTimestamp: beginTime });
      file.appended(r.totalSize);
      this.topicQueueTable.set(key, queueOffset + r.count);
      const msgIds = r.commitLogOffsets.map((o) => createMessageId(batch.storeHost, o));
      this.afterAppend();
      return { status: 'PUT_OK', appendMessageResult: result(wroteOffset, r.totalSize, msgIds, beginTime, queueOffset, r.count) };
    } finally {
      this.beginTimeInLock = 0;
    }
  }

  /**
   * The file and offset where `size` bytes go. A record never spans files: when it and a BLANK do
   * not fit, the rest of the file becomes a BLANK record and the next file is created.
   */
  private async place(size: number): Promise<{ file: MappedFile; wroteOffset: number } | PutMessageResult> {
    let file: MappedFile;
    try {
      file = await this.mappedFileQueue.getLastMappedFileOrCreate(0);
      const left = file.fileSize - file.wrotePosition;
      if (size + END_FILE_MIN_BLANK_LENGTH > left) {
        const slice = await this.writableSlice(file, END_FILE_MIN_BLANK_LENGTH);
        writeBlankRecord(slice.buf, slice.pos, left);
        file.appended(END_FILE_MIN_BLANK_LENGTH, left);
        file = await this.mappedFileQueue.getLastMappedFileOrCreate(0);
        if (size + END_FILE_MIN_BLANK_LENGTH > file.fileSize) {
          return refused('MESSAGE_ILLEGAL', `record of ${size} bytes does not fit a CommitLog file of ${file.fileSize}`);
        }
      }
    } catch (e: unknown) {
      this.log.error('create mapped file failed', { error: e });
      return refused('CREATE_MAPEDFILE_FAILED', (e as Error).message);
    }
    return { file, wroteOffset: file.fileFromOffset + file.wrotePosition };
  }

  /** A write-buffer slice, committing first when every buffer is still waiting for its commit. */
  private async writableSlice(file: MappedFile, size: number): Promise<{ buf: Buffer; pos: number }> {
    for (;;) {
      const s = file.writableSlice(size);
      if (s !== undefined) return s;
      await this.mappedFileQueue.commit(0);
    }
  }

  private afterAppend(): void {
    this.commitRealTimeService.wakeup();
    this.onAppended();
  }

  /** Java's handleDiskFlush: SYNC_FLUSH waits for the group commit covering the put, unless WAIT=false. */
  private async handleDiskFlush(r: PutMessageResult, waitStoreMsgOK: boolean): Promise<PutMessageResult> {
    if (!('appendMessageResult' in r)) return r;
    const gcs = this.groupCommitService;
    if (gcs === undefined) {
      if (!this.config.flushCommitLogTimed) this.flushRealTimeService?.wakeup();
      return r;
    }
    if (!waitStoreMsgOK) {
      gcs.wakeup();
      return r;
    }
    const a = r.appendMessageResult;
    const ok = await gcs.putRequest(a.wroteOffset + a.wroteBytes);
    return ok ? r : { status: 'FLUSH_DISK_TIMEOUT', appendMessageResult: a };
  }
}

function result(
  wroteOffset: number,
  wroteBytes: number,
  msgIds: string[],
  storeTimestamp: number,
  logicsOffset: number,
  msgNum: number,
): AppendMessageResult {
  return { wroteOffset, wroteBytes, msgId: msgIds[0]!, msgIds, storeTimestamp, logicsOffset, msgNum, pagecacheRT: Date.now() - storeTimestamp };
}
