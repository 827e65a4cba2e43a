import { decodeRecord, type MessageExt, type MessageExtBrokerInner } from '../../common/message/index.js';
import type { Logger } from '../../common/logging/logger.js';
import { CQ_STORE_UNIT_SIZE, readUnit } from '../store/consume-queue.js';
import { isPutOk, type PutMessageResult } from '../store/put-message-result.js';
import { TopicValidator } from '../../common/protocol/topic-validator.js';
import { delayLevel2QueueId } from './delay-level-table.js';
import { messageTimeup } from './message-timeup.js';

/** ScheduleMessageService.DELAY_FOR_A_WHILE: re-check an exhausted or not-yet-due queue this often. */
export const DELAY_FOR_A_WHILE = 100;
/** ScheduleMessageService.DELAY_FOR_A_PERIOD: back-off after an unexpected error. */
export const DELAY_FOR_A_PERIOD = 10_000;
/** Units read per ConsumeQueue look (Java reads to the end of the file; a bound keeps a run short). */
const MAX_UNITS_PER_READ = 1024;

/** The schedule queue's side the task reads (a ConsumeQueue). */
export interface ScheduleConsumeQueue {
  getIndexBuffer(startIndex: number, maxUnits: number): Promise<Buffer | undefined>;
  getMinOffsetInQueue(): number;
  getMaxOffsetInQueue(): number;
}

/** The store, as the delivery sees it. */
export interface ScheduleMessageStore {
  findConsumeQueue(topic: string, queueId: number): ScheduleConsumeQueue | undefined;
  selectOneMessageByOffset(commitLogOffset: number, size: number): Promise<Buffer | undefined>;
  putMessage(msg: MessageExtBrokerInner): Promise<PutMessageResult>;
}

/** What a level's task needs of its service. */
export interface DeliverContext {
  readonly store: ScheduleMessageStore;
  readonly log: Logger;
  readonly now: () => number;
  isStarted(): boolean;
  delayMillis(level: number): number;
  /** A delivery succeeded: the level's persisted progress becomes `nextOffset`. */
  updateOffset(level: number, nextOffset: number): void;
}

interface NextRun {
  readonly offset: number;
  readonly delay: number;
}

/**
 * DeliverDelayedMessageTimerTask, one per level, owning its timer: each run walks the level's
 * SCHEDULE_TOPIC_XXXX queue from `offset`, puts every due message back to its real topic in queue
 * order and stops at the first one not due yet. Progress advances only past a stored delivery, so a
 * refused put (store busy) is retried at the same offset and nothing is skipped.
 */
export class DeliverDelayedMessageTimerTask {
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    readonly delayLevel: number,
    private offset: number,
    private readonly ctx: DeliverContext,
  ) {}

  /** The next CQ offset this task will look at. */
  get currentOffset(): number {
    return this.offset;
  }

  schedule(delay: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.inFlight = this.run();
    }, delay);
  }

  /** Cancels the next run; resolves once a run in progress finished (its put included). */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  /** One run; never rejects (an error reschedules after DELAY_FOR_A_PERIOD at the same offset). */
  private async run(): Promise<void> {
    if (!this.ctx.isStarted()) return;
    let next: NextRun;
    try {
      next = await this.executeOnTimeup();
    } catch (e: unknown) {
      this.ctx.log.error('executeOnTimeup failed', { delayLevel: this.delayLevel, offset: this.offset, error: e });
      next = { offset: this.offset, delay: DELAY_FOR_A_PERIOD };
    }
    this.offset = next.offset;
    if (this.ctx.isStarted()) this.schedule(next.delay);
  }

  private async executeOnTimeup(): Promise<NextRun> {
    const ctx = this.ctx;
    const cq = ctx.store.findConsumeQueue(TopicValidator.RMQ_SYS_SCHEDULE_TOPIC, delayLevel2QueueId(this.delayLevel));
    if (cq === undefined) return { offset: this.offset, delay: DELAY_FOR_A_WHILE };
    const buf = await cq.getIndexBuffer(this.offset, MAX_UNITS_PER_READ);
    if (buf === undefined) return { offset: this.resetOffset(cq), delay: DELAY_FOR_A_WHILE };

    const units = Math.floor(buf.length / CQ_STORE_UNIT_SIZE);
    let i = 0;
    for (; i < units && ctx.isStarted(); i++) {
      const unit = readUnit(buf, i * CQ_STORE_UNIT_SIZE);
      const nextOffset = this.offset + i;
      const now = ctx.now();
      const countdown = this.correctDeliverTimestamp(now, unit.tagsCode) - now;
      // Java polls every DELAY_FOR_A_WHILE; waking exactly when due (if sooner) cuts the lateness.
      if (countdown > 0) return { offset: nextOffset, delay: Math.min(countdown, DELAY_FOR_A_WHILE) };

      const msgExt = await this.lookMessageByOffset(unit.commitLogOffset, unit.size);
      if (msgExt === undefined) continue;
      const msgInner = messageTimeup(msgExt);
      if (msgInner === undefined) {
        ctx.log.error('schedule record without REAL_TOPIC/REAL_QID, discarded', { delayLevel: this.delayLevel, offset: nextOffset, commitLogOffset: unit.commitLogOffset });
        continue;
      }
      if (msgInner.topic === TopicValidator.RMQ_SYS_TRANS_HALF_TOPIC) {
        ctx.log.error('[BUG] the real topic of schedule msg is the half topic, discard the msg', { commitLogOffset: unit.commitLogOffset });
        continue;
      }
      const result = await ctx.store.putMessage(msgInner);
      if (!isPutOk(result)) {
        // Nothing was stored: try this very message again a little later.
        ctx.log.warn('delayed message delivery refused, retrying', { delayLevel: this.delayLevel, offset: nextOffset, status: result.status });
        return { offset: nextOffset, delay: DELAY_FOR_A_WHILE };
      }
      ctx.updateOffset(this.delayLevel, nextOffset + 1);
    }
    // `i` units were handled (all of them, unless a shutdown stopped the walk).
    return { offset: this.offset + i, delay: DELAY_FOR_A_WHILE };
  }

  /** correctDeliverTimestamp: a deliver time further than one level delay ahead (clock moved back) is now. */
  private correctDeliverTimestamp(now: number, deliverTimestamp: number): number {
    return deliverTimestamp > now + this.ctx.delayMillis(this.delayLevel) ? now : deliverTimestamp;
  }

  /** Java's reset when the offset points outside the queue's units. */
  private resetOffset(cq: ScheduleConsumeQueue): number {
    const min = cq.getMinOffsetInQueue();
    if (min > this.offset) {
      this.ctx.log.error('schedule CQ offset invalid', { offset: this.offset, cqMinOffset: min, delayLevel: this.delayLevel });
      return min;
    }
    const max = cq.getMaxOffsetInQueue();
    if (max < this.offset) {
      this.ctx.log.error('schedule CQ offset invalid', { offset: this.offset, cqMaxOffset: max, delayLevel: this.delayLevel });
      return max;
    }
    return this.offset;
  }

  /** lookMessageByOffset: undefined for a record that is gone or unreadable (Java's decode returns null). */
  private async lookMessageByOffset(commitLogOffset: number, size: number): Promise<MessageExt | undefined> {
    const record = await this.ctx.store.selectOneMessageByOffset(commitLogOffset, size);
    if (record === undefined) {
      this.ctx.log.warn('delayed message record not found, skipped', { delayLevel: this.delayLevel, commitLogOffset, size });
      return undefined;
    }
    try {
      return decodeRecord(record, 0);
    } catch (e: unknown) {
      this.ctx.log.error('delayed message record unreadable, skipped', { delayLevel: this.delayLevel, commitLogOffset, error: e });
      return undefined;
    }
  }
}
