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
  measureRecordInto,
  writeBlankRecord,
  type MessageExtBatch,
  type MessageExtBrokerInner,
  type RecordEncodeInput,
  type RecordSize,
  type SocketAddress,
} from '../../common/message/index.js';
import { dispatchRequestOf } from '../../common/message/record-decoder.js';
import type { DispatchHints } from './dispatch-hints.js';
import { CommitRealTimeService } from './flush/commit-real-time-service.js';
import { FlushRealTimeService } from './flush/flush-real-time-service.js';
import { GroupCommitService } from './flush/group-commit-service.js';
import type { MappedFile } from './mapped-file.js';
import { ReadAheadCache } from './read-ahead-cache.js';
import { MappedFileQueue } from './mapped-file-queue.js';
import { refused, type AppendMessageResult, type PutMessageResult } from './put-message-result.js';
import { commitLogDir, effectiveWriteBufferSize, type MessageStoreConfig } from './store-config.js';
import { WriteBufferPool } from './write-buffer-pool.js';

/** Write buffers for the CommitLog when appends commit at once (transientStorePoolEnable=false). */
const EAGER_COMMIT_BUFFERS = 3;
/**
 * Read-ahead for getMessage of data already on disk: 8 windows of 256 KiB (2 MiB per CommitLog), so
 * consumers pulling the queues of a topic side by side share a window instead of a syscall each.
 * Each window reads 64 KiB beyond its end, so records up to that size never straddle two windows.
 */
const READ_AHEAD_WINDOW_BYTES = 256 * 1024;
const READ_AHEAD_WINDOWS = 8;
const READ_AHEAD_OVERHANG_BYTES = 64 * 1024;

/** What an append attempt needs before it can go on: a new file, or a write buffer freed by a commit. */
const NEED_FILE = 1;
const NEED_BUFFER = 2;
type AppendAttempt = PutMessageResult | typeof NEED_FILE | typeof NEED_BUFFER;

type PutOrBatchOp = Exclude<WriterOp, { kind: 'data' }>;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** One operation of the single writer, handled in arrival order. */
type WriterOp =
  | {
      readonly kind: 'put';
      readonly msg: MessageExtBrokerInner;
      /** Date.now() when the store took the put, for `onPutDone`; -1: not reported. */
      readonly begin: number;
      readonly resolve: (r: PutMessageResult) => void;
      readonly reject: (e: unknown) => void;
    }
  | { readonly kind: 'batch'; readonly msg: MessageExtBatch; readonly resolve: (r: PutMessageResult) => void; readonly reject: (e: unknown) => void }
  | { readonly kind: 'data'; readonly startOffset: number; readonly data: Buffer; readonly resolve: (ok: boolean) => void; readonly reject: (e: unknown) => void };

/**
 * The CommitLog: the single source of truth every other structure is derived from. One writer by
 * design: puts join a queue that one loop drains, so queue offsets, commit log offsets and store
 * timestamps are assigned in one order. Every put queued in one tick is appended in one turn (Java's
 * put lock held once for the group): synchronously into the write buffer, with one wakeup of the
 * commit/flush/reput services and, under SYNC_FLUSH, one group-commit request for the whole group.
 * The loop only yields when it needs a new file or a free write buffer, and then holds up the puts
 * behind it exactly as Java's put lock does.
 */
export class CommitLog {
  readonly mappedFileQueue: MappedFileQueue;
  /** `topic-queueId` → next queue offset (Java's topicQueueTable). */
  readonly topicQueueTable = new Map<string, number>();
  /**
   * The topicQueueTable keys by topic and queueId, built once: no `topic-queueId` string to build
   * and hash per put (bounded like the table itself by the topics and queues ever written).
   */
  private readonly queueKeys = new Map<string, string[]>();
  private readonly groupCommitService: GroupCommitService | undefined;
  private readonly flushRealTimeService: FlushRealTimeService | undefined;
  private readonly commitRealTimeService: CommitRealTimeService;
  /** Set by a store whose reput dispatches appended records from hints instead of re-parsing them. */
  dispatchHints: DispatchHints | undefined;
  /** The last topic addDispatchHint found well-formed (puts come in runs of one topic). */
  private wellFormedTopic = '';
  /** Called after each group of appends (the store wakes its ReputMessageService). */
  onAppended: () => void = () => {};
  /**
   * Called with the result of each put given a `begin`, just before its promise resolves (the store
   * counts it in its stats there): one promise per put instead of a second one chained for the count.
   * `now` is the writer's clock (Date.now() read once per group, after any wait for a file or buffer):
   * the put's own append takes microseconds, below Date.now()'s resolution, so no clock read per put.
   */
  onPutDone: (r: PutMessageResult, begin: number, now: number) => void = () => {};
  /** Wall-clock ms an append group has been running, 0 when idle (Java's isOSPageCacheBusy input). */
  private beginTimeInLock = 0;
  /** Operations waiting for the writer; swapped with `spareOps` when a group starts. */
  private ops: WriterOp[] = [];
  private spareOps: WriterOp[] = [];
  /** The running writer loop, undefined when idle. */
  private writer: Promise<void> | undefined;
  private readonly bufferSize: number;
  /** The size of the record being encoded (reused, as `input` is). */
  private readonly size: Mutable<RecordSize> = { totalSize: 0, bodyLength: 0, topicLength: 0, propertiesLength: 0, appendSeparator: false };
  /** The record being encoded (reused: encoding is synchronous, one record at a time). */
  private readonly input: Mutable<RecordEncodeInput> = {
    bodyCRC: 0,
    queueId: 0,
    flag: 0,
    queueOffset: 0,
    commitLogOffset: 0,
    sysFlag: 0,
    bornTimestamp: 0,
    bornHost: { host: '0.0.0.0', port: 0 },
    storeTimestamp: 0,
    storeHost: { host: '0.0.0.0', port: 0 },
    reconsumeTimes: 0,
    preparedTransactionOffset: 0,
    body: undefined,
    topic: '',
    properties: '',
    appendProperties: undefined,
  };

  constructor(
    private readonly config: MessageStoreConfig,
    private readonly log: Logger,
  ) {
    this.bufferSize = effectiveWriteBufferSize(config);
    const pool = new WriteBufferPool(this.bufferSize, config.transientStorePoolEnable ? config.transientStorePoolSize : EAGER_COMMIT_BUFFERS);
    // getMessage, HA and the reput only ever get copies of CommitLog bytes: its windows can be recycled.
    const readAhead = new ReadAheadCache(READ_AHEAD_WINDOW_BYTES, READ_AHEAD_WINDOWS, true, READ_AHEAD_OVERHANG_BYTES);
    this.mappedFileQueue = new MappedFileQueue(commitLogDir(config), config.mappedFileSizeCommitLog, pool, log, readAhead);
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
    await this.waitAppendsDone();
    await this.commitRealTimeService.shutdown();
    await this.groupCommitService?.shutdown();
    await this.flushRealTimeService?.shutdown();
    await this.mappedFileQueue.shutdown();
  }

  /** Resolves once every put queued so far has been appended. */
  async waitAppendsDone(): Promise<void> {
    while (this.writer !== undefined) await this.writer;
  }

  /** Java's isOSPageCacheBusy: an append has held the put path for longer than the limit. */
  isOSPageCacheBusy(): boolean {
    const begin = this.beginTimeInLock;
    return begin > 0 && Date.now() - begin > this.config.osPageCacheBusyTimeOutMills;
  }

  /** `begin` (a Date.now()), when given, has the result reported to `onPutDone` before it resolves. */
  putMessage(msg: MessageExtBrokerInner, begin = -1): Promise<PutMessageResult> {
    msg.applyHostFlags();
    msg.bodyCRC = bodyCRC(msg.body);
    return new Promise((resolve, reject) => this.enqueue({ kind: 'put', msg, begin, resolve, reject }));
  }

  putMessages(batch: MessageExtBatch): Promise<PutMessageResult> {
    batch.applyHostFlags();
    return new Promise((resolve, reject) => this.enqueue({ kind: 'batch', msg: batch, resolve, reject }));
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
   * From `offset` on, the bytes still held in the write buffer that holds `offset` (whole records: a
   * record never spans buffers), at most `maxSize`, as a view without a copy; undefined when that
   * data is on disk only. The view is valid until the caller yields: a commit may recycle the buffer.
   */
  peekBufferedData(offset: number, maxSize: number): Buffer | undefined {
    const f = this.mappedFileQueue.findMappedFileByOffset(offset);
    return f?.bufferedView(offset - f.fileFromOffset, maxSize);
  }

  /**
   * Slave side of HA: appends bytes the master sent for `startOffset`, which must be the current
   * end. Records are not re-encoded: the master's bytes are the truth.
   */
  appendData(startOffset: number, data: Buffer): Promise<boolean> {
    return new Promise((resolve, reject) => this.enqueue({ kind: 'data', startOffset, data, resolve, reject }));
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

  private enqueue(op: WriterOp): void {
    this.ops.push(op);
    this.writer ??= this.runWriter();
  }

  /** The single writer: drains the queue group by group until it is empty. Never rejects. */
  private async runWriter(): Promise<void> {
    try {
      do {
        // Yield to the event loop before each group: every put issued in this turn (its continuations
        // included) joins the group, and I/O completions (commits freeing buffers, flushes, timers) run
        // between groups instead of starving behind an endless chain of microtasks.
        await yieldToEventLoop();
        const group = this.ops;
        this.ops = this.spareOps;
        await this.runGroup(group);
        group.length = 0;
        this.spareOps = group;
      } while (this.ops.length > 0);
    } finally {
      this.writer = undefined;
    }
  }

  /**
   * Appends a group in order. Stored ASYNC_FLUSH puts (and SYNC_FLUSH puts with WAIT=false) are
   * answered at once; SYNC_FLUSH puts that wait are answered together when the group commit covers
   * the group's last byte (Java's handleDiskFlush, one request for the group instead of one per put).
   */
  private async runGroup(group: WriterOp[]): Promise<void> {
    const gcs = this.groupCommitService;
    let now = Date.now();
    const begin = now;
    this.beginTimeInLock = now;
    let appended = false;
    let waiting: { op: PutOrBatchOp; result: PutMessageResult & { appendMessageResult: AppendMessageResult } }[] | undefined;
    let waitUpTo = 0;
    try {
      for (let i = 0; i < group.length; i++) {
        const op = group[i]!;
        try {
          if (op.kind === 'data') {
            const ok = await this.appendDataNow(op.startOffset, op.data);
            appended ||= ok;
            op.resolve(ok);
            now = this.beginTimeInLock = Date.now();
            continue;
          }
          let r = op.kind === 'put' ? this.tryAppendMessage(op.msg, now, now - begin) : this.tryAppendBatch(op.msg, now, now - begin);
          while (r === NEED_FILE || r === NEED_BUFFER) {
            const refusal = await this.makeRoom(r);
            now = this.beginTimeInLock = Date.now();
            r = refusal ?? (op.kind === 'put' ? this.tryAppendMessage(op.msg, now, now - begin) : this.tryAppendBatch(op.msg, now, now - begin));
          }
          if (!('appendMessageResult' in r)) {
            this.settle(op, r, now);
            continue;
          }
          appended = true;
          if (gcs === undefined || !op.msg.waitStoreMsgOK) {
            this.settle(op, r, now);
            continue;
          }
          (waiting ??= []).push({ op, result: r });
          waitUpTo = r.appendMessageResult.wroteOffset + r.appendMessageResult.wroteBytes;
        } catch (e: unknown) {
          op.reject(e);
        }
      }
    } finally {
      this.beginTimeInLock = 0;
    }
    if (!appended) return;
    this.commitRealTimeService.appended();
    this.onAppended();
    if (gcs === undefined) {
      if (!this.config.flushCommitLogTimed) this.flushRealTimeService?.wakeup();
      return;
    }
    if (waiting === undefined) {
      gcs.wakeup();
      return;
    }
    const acks = waiting;
    gcs.request(waitUpTo, (ok) => {
      const flushed = Date.now();
      for (const a of acks) this.settle(a.op, ok ? a.result : { status: 'FLUSH_DISK_TIMEOUT', appendMessageResult: a.result.appendMessageResult }, flushed);
    });
  }

  private settle(op: PutOrBatchOp, r: PutMessageResult, now: number): void {
    if (op.kind === 'put' && op.begin >= 0) this.onPutDone(r, op.begin, now);
    op.resolve(r);
  }

  /**
   * Appends one message if that needs no I/O: the last file has room (else a BLANK ends it and a new
   * file is needed) and a write buffer is at hand (else a commit must free one).
   */
  private tryAppendMessage(msg: MessageExtBrokerInner, now: number, pagecacheRT: number): AppendAttempt {
    const input = this.input;
    input.bodyCRC = msg.bodyCRC;
    input.queueId = msg.queueId;
    input.flag = msg.flag;
    input.sysFlag = msg.sysFlag;
    input.bornTimestamp = msg.bornTimestamp;
    input.bornHost = msg.bornHost;
    input.storeTimestamp = now;
    input.storeHost = msg.storeHost;
    input.reconsumeTimes = msg.reconsumeTimes;
    input.preparedTransactionOffset = msg.preparedTransactionOffset;
    input.body = msg.body;
    input.topic = msg.topic;
    input.properties = msg.propertiesString();
    const size = measureRecordInto(input, this.size);
    const totalSize = size.totalSize;
    const illegal = this.checkRecordSize(totalSize, 'record');
    if (illegal !== undefined) return illegal;
    const file = this.mappedFileQueue.getLastMappedFile();
    if (file === undefined || file.isFull()) return NEED_FILE;
    const blank = this.endFileIfNoRoom(file, totalSize);
    if (blank !== undefined) return blank;
    const buf = file.reserve(totalSize);
    if (buf === undefined) return NEED_BUFFER;
    const key = this.queueKey(msg.topic, msg.queueId);
    const tranType = getTransactionValue(msg.sysFlag);
    // Prepared and rolled-back transaction records do not enter a ConsumeQueue: queue offset 0, no increment.
    const consumable = tranType === MessageSysFlag.TRANSACTION_NOT_TYPE || tranType === MessageSysFlag.TRANSACTION_COMMIT_TYPE;
    const queueOffset = consumable ? (this.topicQueueTable.get(key) ?? 0) : 0;
    const wroteOffset = file.fileFromOffset + file.wrotePosition;
    input.queueOffset = queueOffset;
    input.commitLogOffset = wroteOffset;
    encodeRecord(buf, file.reservedPos, input, size);
    file.appended(totalSize, totalSize, now);
    if (consumable) this.topicQueueTable.set(key, queueOffset + 1);
    this.addDispatchHint(msg, input.properties, wroteOffset, totalSize, now, queueOffset);
    msg.queueOffset = queueOffset;
    msg.commitLogOffset = wroteOffset;
    msg.storeTimestamp = now;
    return {
      status: 'PUT_OK',
      appendMessageResult: new StoredAppendResult(wroteOffset, totalSize, now, queueOffset, 1, pagecacheRT, msg.storeHost, undefined),
    };
  }

  /** `${topic}-${queueId}`, the topicQueueTable key, from the cache. */
  private queueKey(topic: string, queueId: number): string {
    let keys = this.queueKeys.get(topic);
    if (keys === undefined) this.queueKeys.set(topic, (keys = []));
    // queueId is an int from the request; an odd one (negative, huge) just is not cached.
    if (queueId >= 0 && queueId < 1024 && Number.isInteger(queueId)) return (keys[queueId] ??= `${topic}-${queueId}`);
    return `${topic}-${queueId}`;
  }

  private tryAppendBatch(batch: MessageExtBatch, now: number, pagecacheRT: number): AppendAttempt {
    let measured: { count: number; totalSize: number };
    try {
      measured = measureBatchRecords(batch);
    } catch (e: unknown) {
      return refused('MESSAGE_ILLEGAL', (e as Error).message);
    }
    if (measured.count === 0) return refused('MESSAGE_ILLEGAL', 'empty batch');
    const illegal = this.checkRecordSize(measured.totalSize, 'batch');
    if (illegal !== undefined) return illegal;
    const file = this.mappedFileQueue.getLastMappedFile();
    if (file === undefined || file.isFull()) return NEED_FILE;
    const blank = this.endFileIfNoRoom(file, measured.totalSize);
    if (blank !== undefined) return blank;
    const buf = file.reserve(measured.totalSize);
    if (buf === undefined) return NEED_BUFFER;
    const key = `${batch.topic}-${batch.queueId}`;
    const queueOffset = this.topicQueueTable.get(key) ?? 0;
    const wroteOffset = file.fileFromOffset + file.wrotePosition;
    const r = encodeBatchRecords(buf, file.reservedPos, batch, { queueOffset, commitLogOffset: wroteOffset, storeTimestamp: now });
    file.appended(r.totalSize);
    this.topicQueueTable.set(key, queueOffset + r.count);
    return {
      status: 'PUT_OK',
      appendMessageResult: new StoredAppendResult(wroteOffset, r.totalSize, now, queueOffset, r.count, pagecacheRT, batch.storeHost, r.commitLogOffsets),
    };
  }

  /**
   * The record's DispatchRequest for the reput, from the values just encoded, when they read back
   * exactly as written: well-formed strings (a lone surrogate is stored as U+FFFD) and a safe
   * preparedTransactionOffset. Otherwise the reput parses the record, as it always may.
   */
  private addDispatchHint(msg: MessageExtBrokerInner, properties: string, wroteOffset: number, totalSize: number, now: number, queueOffset: number): void {
    const hints = this.dispatchHints;
    if (hints === undefined || !isWellFormed(properties) || !Number.isSafeInteger(msg.preparedTransactionOffset)) return;
    if (msg.topic !== this.wellFormedTopic) {
      if (!isWellFormed(msg.topic)) return;
      this.wellFormedTopic = msg.topic;
    }
    hints.add(
      dispatchRequestOf(
        msg.topic,
        msg.queueId | 0,
        wroteOffset,
        totalSize,
        now,
        queueOffset,
        msg.sysFlag | 0,
        msg.preparedTransactionOffset,
        msg.bodyCRC | 0,
        properties,
      ),
    );
  }

  /** MESSAGE_ILLEGAL for a record (or batch) that can never be appended; the store stays untouched. */
  private checkRecordSize(totalSize: number, what: string): PutMessageResult | undefined {
    if (totalSize > this.bufferSize) return refused('MESSAGE_ILLEGAL', `${what} of ${totalSize} bytes exceeds the write buffer`);
    if (totalSize + END_FILE_MIN_BLANK_LENGTH > this.mappedFileQueue.mappedFileSize) {
      return refused('MESSAGE_ILLEGAL', `${what} of ${totalSize} bytes does not fit a CommitLog file of ${this.mappedFileQueue.mappedFileSize}`);
    }
    return undefined;
  }

  /**
   * A record never spans files: when it and a BLANK do not fit, the rest of the file becomes a
   * BLANK record (NEED_FILE follows). Undefined when the record fits.
   */
  private endFileIfNoRoom(file: MappedFile, size: number): typeof NEED_FILE | typeof NEED_BUFFER | undefined {
    const left = file.fileSize - file.wrotePosition;
    if (size + END_FILE_MIN_BLANK_LENGTH <= left) return undefined;
    const buf = file.reserve(END_FILE_MIN_BLANK_LENGTH);
    if (buf === undefined) return NEED_BUFFER;
    writeBlankRecord(buf, file.reservedPos, left);
    file.appended(END_FILE_MIN_BLANK_LENGTH, left);
    return NEED_FILE;
  }

  /** Creates the next file, or commits so a write buffer comes back; a refusal if the file cannot be created. */
  private async makeRoom(need: typeof NEED_FILE | typeof NEED_BUFFER): Promise<PutMessageResult | undefined> {
    if (need === NEED_BUFFER) {
      await this.mappedFileQueue.commit(0);
      return undefined;
    }
    try {
      await this.mappedFileQueue.getLastMappedFileOrCreate(0);
      return undefined;
    } catch (e: unknown) {
      this.log.error('create mapped file failed', { error: e });
      return refused('CREATE_MAPEDFILE_FAILED', (e as Error).message);
    }
  }

  private async appendDataNow(startOffset: number, data: Buffer): Promise<boolean> {
    if (startOffset !== this.getMaxOffset()) {
      this.log.warn('appendData at the wrong offset', { startOffset, maxOffset: this.getMaxOffset() });
      return false;
    }
    let off = 0;
    while (off < data.length) {
      const f = await this.mappedFileQueue.getLastMappedFileOrCreate(startOffset + off);
      const n = Math.min(data.length - off, f.fileSize - f.wrotePosition, this.bufferSize);
      let buf = f.reserve(n);
      while (buf === undefined) {
        await this.mappedFileQueue.commit(0);
        buf = f.reserve(n);
      }
      data.copy(buf, f.reservedPos, off, off + n);
      f.appended(n);
      off += n;
    }
    return true;
  }
}

/** String.prototype.isWellFormed (ES2024; Node 20 has it, our lib setting does not declare it). */
function isWellFormed(s: string): boolean {
  return (s as unknown as { isWellFormed(): boolean }).isWellFormed();
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * The AppendMessageResult of a stored put. Its offset msgIds are computed on first read, as Java
 * 4.9's supplier does: the store does not pay a hex string per message that nobody asks for.
 */
class StoredAppendResult implements AppendMessageResult {
  readonly #storeHost: SocketAddress;
  readonly #recordOffsets: readonly number[] | undefined;
  #msgIds: readonly string[] | undefined;

  constructor(
    readonly wroteOffset: number,
    readonly wroteBytes: number,
    readonly storeTimestamp: number,
    readonly logicsOffset: number,
    readonly msgNum: number,
    readonly pagecacheRT: number,
    storeHost: SocketAddress,
    /** PHYSICALOFFSET of each record of a batch; undefined for one message at `wroteOffset`. */
    recordOffsets: readonly number[] | undefined,
  ) {
    this.#storeHost = storeHost;
    this.#recordOffsets = recordOffsets;
  }

  get msgId(): string {
    return this.msgIds[0]!;
  }

  get msgIds(): readonly string[] {
    this.#msgIds ??= (this.#recordOffsets ?? [this.wroteOffset]).map((o) => createMessageId(this.#storeHost, o));
    return this.#msgIds;
  }

  /** The plain fields, msgIds included (logs, JSON answers). */
  toJSON(): AppendMessageResult {
    const { wroteOffset, wroteBytes, msgId, msgIds, storeTimestamp, logicsOffset, msgNum, pagecacheRT } = this;
    return { wroteOffset, wroteBytes, msgId, msgIds, storeTimestamp, logicsOffset, msgNum, pagecacheRT };
  }
}
