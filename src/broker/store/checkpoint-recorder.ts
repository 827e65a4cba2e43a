import type { DispatchRequest } from '../../common/message/index.js';
import type { StoreCheckpoint } from './checkpoint.js';
import type { CommitLogDispatcher } from './dispatcher.js';

/** Samples kept while the CommitLog flush lags the dispatch; older ones are dropped (still safe). */
const MAX_PHYSIC_SAMPLES = 65_536;

/** One dispatched record: where it ends in the CommitLog and when it was stored. */
interface PhysicSample {
  readonly end: number;
  readonly storeTimestamp: number;
}

/**
 * Keeps the StoreCheckpoint's physic and logics timestamps honest. Java sets physicMsgTimestamp from
 * the last appended record after each CommitLog flush and logicsMsgTimestamp on each ConsumeQueue
 * put, and writes the file on the ConsumeQueue flush; the 3 s back-off of getMinTimestamp absorbs
 * the slack. Here both are exact lower bounds, without hooks into the flush services:
 *
 * - physic: the store timestamp of the newest dispatched record that lies wholly below the
 *   CommitLog's flushedWhere at the moment the checkpoint is written;
 * - logics: the store timestamp of the last record dispatched before a thorough ConsumeQueue flush
 *   began (captureLogics), applied once that flush finished.
 *
 * Dispatched after the ConsumeQueue builder, so a record seen here is already in its queue's buffer.
 */
export class CheckpointRecorder implements CommitLogDispatcher {
  private samples: PhysicSample[] = [];
  private head = 0;
  private lastDispatchedTimestamp = 0;
  private physicTimestamp = 0;

  constructor(
    readonly checkpoint: StoreCheckpoint,
    private readonly commitLogFlushedWhere: () => number,
  ) {}

  dispatch(req: DispatchRequest): void {
    const ts = req.storeTimestamp;
    this.lastDispatchedTimestamp = ts;
    const last = this.samples[this.samples.length - 1];
    // One sample per millisecond is enough: the first record of a millisecond proves it durable.
    if (last !== undefined && last.storeTimestamp === ts && this.samples.length > this.head) return;
    this.samples.push({ end: req.commitLogOffset + req.msgSize, storeTimestamp: ts });
    if (this.samples.length - this.head > MAX_PHYSIC_SAMPLES) this.head++;
  }

  /** The logics timestamp a ConsumeQueue flush starting now will make durable. */
  captureLogics(): number {
    return this.lastDispatchedTimestamp;
  }

  /** Sets physic (from the CommitLog's flushed position) and logics (if > 0), then writes the file. */
  async flush(logicsTimestamp: number): Promise<void> {
    const cp = this.checkpoint;
    if (logicsTimestamp > cp.logicsMsgTimestamp) cp.logicsMsgTimestamp = logicsTimestamp;
    const physic = this.advancePhysic();
    if (physic > cp.physicMsgTimestamp) cp.physicMsgTimestamp = physic;
    await cp.flush();
  }

  private advancePhysic(): number {
    const flushed = this.commitLogFlushedWhere();
    while (this.head < this.samples.length && this.samples[this.head]!.end <= flushed) {
      this.physicTimestamp = this.samples[this.head]!.storeTimestamp;
      this.head++;
    }
    if (this.head > MAX_PHYSIC_SAMPLES / 2) {
      this.samples = this.samples.slice(this.head);
      this.head = 0;
    }
    return this.physicTimestamp;
  }
}
