import type { Logger } from '../../common/logging/logger.js';
import { MESSAGE_MAGIC_CODE, checkMessageAndReturnSize, type DispatchRequest } from '../../common/message/index.js';
import type { CommitLog } from './commit-log.js';
import type { CommitLogDispatcher, MessageArrivingListener, TagsCodeResolver } from './dispatcher.js';
import { ServiceThread } from './service-thread.js';

/** Java's reput loop sleeps 1 ms; ours also wakes on every append, so this only bounds a lost wakeup. */
const REPUT_IDLE_MILLIS = 100;
/** Bytes read from the CommitLog per step (grown to the largest record). */
const REPUT_CHUNK_BYTES = 1024 * 1024;

/**
 * Builds every derived structure from the CommitLog (Java's ReputMessageService): reads records
 * from `reputFromOffset` up to the CommitLog end, hands each DispatchRequest to the dispatchers in
 * order, then tells the arriving listener (long polling). The CommitLog stays the single truth:
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
      const data = await this.commitLog.getData(this.reputFromOffset, this.chunkBytes);
      if (data === undefined) {
        // Nothing readable here: the offset points past a file's data (a BLANK already passed).
        this.reputFromOffset = this.commitLog.rollNextFile(this.reputFromOffset);
        continue;
      }
      const progressed = await this.dispatchChunk(data);
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

  /** Dispatches whole records of `data` (read at reputFromOffset); false if stuck. */
  private async dispatchChunk(data: Buffer): Promise<boolean> {
    let pos = 0;
    while (pos < data.length) {
      if (isIncompleteRecord(data, pos)) break;
      const r = checkMessageAndReturnSize(data, pos, { checkCRC: false });
      if (r.status === 'MESSAGE') {
        await this.dispatch(r.dispatch);
        pos += r.size;
        this.reputFromOffset += r.size;
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

  private async dispatch(request: DispatchRequest): Promise<void> {
    const resolved = this.options.tagsCodeResolver?.(request);
    const req = resolved === undefined || resolved === request.tagsCode ? request : { ...request, tagsCode: resolved };
    for (const d of this.dispatchers) await d.dispatch(req);
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
