import type { Logger } from '../../common/logging/logger.js';
import { MESSAGE_MAGIC_CODE, checkMessageAndReturnSize, type DispatchRequest } from '../../common/message/index.js';
import type { CommitLog } from './commit-log.js';
import type { DispatchHints } from './dispatch-hints.js';
import type { CommitLogDispatcher, MessageArrivingListener, TagsCodeResolver } from './dispatcher.js';
import { ServiceThread } from './service-thread.js';

/** Java's reput loop sleeps 1 ms; ours also wakes on every append, so this only bounds a lost wakeup. */
const REPUT_IDLE_MILLIS = 100;
const NO_CRC_CHECK = { checkCRC: false } as const;
/** Bytes read from the CommitLog per step (grown to the largest record). */
const REPUT_CHUNK_BYTES = 1024 * 1024;

/**
 * Builds every derived structure from the CommitLog (Java's ReputMessageService): reads records
 * from `reputFromOffset` up to the CommitLog end, hands each DispatchRequest to the dispatchers in
 * order, then tells the arriving listener (long polling). Records this process appended come with
 * the DispatchRequest the CommitLog built from the values it encoded (DispatchHints); the others are
 * parsed from the CommitLog, which stays the single truth:
 * running this from an older offset rebuilds what a crash lost, and dispatchers skip replays.
 */
export class ReputMessageService extends ServiceThread {
  reputFromOffset = 0;
  private readonly chunkBytes: number;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly commitLog: CommitLog,
    private readonly dispatchers: readonly CommitLogDispatcher[],
    maxRecordSize: number,
    log: Logger,
    private readonly options: { arrivingListener?: MessageArrivingListener | undefined; tagsCodeResolver?: TagsCodeResolver | undefined; notifyArriving: () => boolean },
    /** What the CommitLog built while appending: records found here are not parsed again. */
    private readonly hints?: DispatchHints,
  ) {
    super(log);
    this.chunkBytes = Math.max(REPUT_CHUNK_BYTES, maxRecordSize);
  }

  get serviceName(): string {
    return 'ReputMessageService';
  }

  /** Bytes appended but not dispatched yet (Java's behind()). */
  behind(): number {
    return this.commitLog.getMaxOffset() - this.reputFromOffset;
  }

  /** Resolves once everything appended so far is dispatched (start-up, tests, clean shutdown). */
  waitCaughtUp(): Promise<void> {
    if (this.behind() <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.wakeup();
    });
  }

  /** One pass: dispatch everything up to the current end. Also used before the service starts. */
  async doReput(): Promise<void> {
    const minOffset = this.commitLog.getMinOffset();
    if (minOffset >= 0 && this.reputFromOffset < minOffset) {
      this.log.warn('reputFromOffset below the CommitLog min offset: expired data skipped', { reputFromOffset: this.reputFromOffset, minOffset });
      this.reputFromOffset = minOffset;
    }
    while (!this.isStopped() || this.behind() > 0) {
      if (this.reputFromOffset >= this.commitLog.getMaxOffset()) break;
      const hinted = this.hints?.take(this.reputFromOffset);
      if (hinted !== undefined) {
        const pending = this.dispatch(hinted);
        if (pending !== undefined) await pending;
        this.reputFromOffset += hinted.msgSize;
        continue;
      }
      // Data still in a write buffer is parsed in place, unless its first record continues in the
      // next buffer (HA appends split records anywhere): then, as for data on disk, a copy.
      let data = this.commitLog.peekBufferedData(this.reputFromOffset, this.chunkBytes);
      const shared = data !== undefined && !isIncompleteRecord(data, 0);
      if (!shared) data = await this.commitLog.getData(this.reputFromOffset, this.chunkBytes);
      if (data === undefined) {
        // Nothing readable here: the offset points past a file's data (a BLANK already passed).
        this.reputFromOffset = this.commitLog.rollNextFile(this.reputFromOffset);
        continue;
      }
      const progressed = await this.dispatchChunk(data, shared, this.hints?.nextOffset());
      if (!progressed) break;
    }
    if (this.behind() <= 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  protected async runOnce(): Promise<void> {
    const before = this.reputFromOffset;
    await this.doReput();
    // No progress while behind: a slave's CommitLog can end inside a record (HA transfers split
    // records), so wait for the next append instead of spinning on the same partial record.
    if (this.behind() <= 0 || this.reputFromOffset === before) await this.waitForRunning(REPUT_IDLE_MILLIS);
  }

  protected override async onShutdown(): Promise<void> {
    for (const w of this.idleWaiters) w();
    this.idleWaiters = [];
  }

  /**
   * Dispatches whole records of `data` (read at reputFromOffset), up to the record at `hintAt`; false
   * if stuck. A `shared` chunk
   * is a view of a write buffer, which a commit may recycle once other work runs: after a dispatch
   * that had to wait, the rest of it is read again rather than trusted.
   */
  private async dispatchChunk(data: Buffer, shared: boolean, hintAt: number | undefined): Promise<boolean> {
    let pos = 0;
    while (pos < data.length) {
      // From the next hinted record on, the hints serve (doReput's loop).
      if (this.reputFromOffset === hintAt || isIncompleteRecord(data, pos)) break;
      const r = checkMessageAndReturnSize(data, pos, NO_CRC_CHECK);
      if (r.status === 'MESSAGE') {
        pos += r.size;
        const pending = this.dispatch(r.dispatch);
        if (pending !== undefined) await pending;
        this.reputFromOffset += r.size;
        if (pending !== undefined && shared) return true;
      } else if (r.status === 'BLANK') {
        this.reputFromOffset = this.commitLog.rollNextFile(this.reputFromOffset);
        return true;
      } else {
        // Appended data is always whole records; this means a bug or a disk error. Stop rather than guess.
        if (pos === 0) {
          this.log.error('reput found no valid record', { offset: this.reputFromOffset, result: r });
          return false;
        }
        break;
      }
    }
    return pos > 0;
  }

  /** Runs the dispatchers in order; a promise only if one of them has to wait for I/O. */
  private dispatch(request: DispatchRequest): Promise<void> | undefined {
    const resolved = this.options.tagsCodeResolver?.(request);
    const req = resolved === undefined || resolved === request.tagsCode ? request : { ...request, tagsCode: resolved };
    const ds = this.dispatchers;
    for (let i = 0; i < ds.length; i++) {
      const pending = ds[i]!.dispatch(req);
      if (pending !== undefined) return this.finishDispatch(req, i + 1, pending);
    }
    this.notifyArriving(req);
    return undefined;
  }

  private async finishDispatch(req: DispatchRequest, next: number, pending: Promise<void>): Promise<void> {
    await pending;
    for (let i = next; i < this.dispatchers.length; i++) await this.dispatchers[i]!.dispatch(req);
    this.notifyArriving(req);
  }

  private notifyArriving(req: DispatchRequest): void {
    const listener = this.options.arrivingListener;
    if (listener !== undefined && this.options.notifyArriving()) {
      listener.arriving(req.topic, req.queueId, req.queueOffset + 1, req.tagsCode, req.storeTimestamp, req.propertiesMap);
    }
  }
}

/** A MESSAGE record whose TOTALSIZE runs past the chunk: read it again from its start. */
function isIncompleteRecord(data: Buffer, pos: number): boolean {
  if (data.length - pos < 8) return true;
  return data.readInt32BE(pos + 4) === MESSAGE_MAGIC_CODE && data.readInt32BE(pos) > data.length - pos;
}
