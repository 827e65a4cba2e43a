import { MessageConst } from '../../common/message/message-const.js';
import type { MessageExt } from '../../common/message/message-ext.js';
import type { ProcessQueueInfo } from '../../common/protocol/body/consumer-running-info.js';
import { OffsetTreeMap } from './offset-tree-map.js';

/** `rocketmq.client.rebalance.lockMaxLiveTime`: a client-side queue lock older than this is not trusted. */
export const REBALANCE_LOCK_MAX_LIVE_TIME = 30_000;
/** `rocketmq.client.rebalance.lockInterval`: how often orderly consumers renew their queue locks. */
export const REBALANCE_LOCK_INTERVAL = 20_000;
/** `rocketmq.client.pull.pullMaxIdleTime`: a queue not pulled for this long is dropped by rebalance. */
export const PULL_MAX_IDLE_TIME = 120_000;
/** cleanExpiredMsg looks at no more than this many of the oldest messages per run. */
export const CLEAN_EXPIRED_MSG_MAX_LOOPS = 16;
/** The delay level an expired message is sent back with (10 s). */
export const CLEAN_EXPIRED_MSG_DELAY_LEVEL = 3;
const MILLIS_PER_MINUTE = 60_000;
const BYTES_PER_MIB = 1024 * 1024;

export interface ProcessQueueOptions {
  /** The clock behind every timestamp and expiry check (tests pass a fake one). */
  clock?: () => number;
}

/** What cleanExpiredMsg needs from the push consumer (Java passes the DefaultMQPushConsumer itself). */
export interface CleanExpiredMsgContext {
  /** The consumer's consumeTimeout, in minutes (default 15). */
  consumeTimeout: number;
  /** Orderly consumers never expire messages: their order would break. */
  consumeOrderly: boolean;
  /** CONSUMER_SEND_MSG_BACK (with the client's fallback); a rejection keeps the message cached. */
  sendMessageBack(msg: MessageExt, delayLevel: number): Promise<void>;
}

/**
 * Java's ProcessQueue: the messages pulled from one queue and not yet consumed, in offset order, with the
 * state the pull, consume and rebalance services share about that queue.
 *
 * The offset to commit is always the lowest offset still cached (or, when none is, one past the highest
 * ever cached): a message consumed out of order never lets the committed offset pass one still in flight.
 * Orderly consumption moves taken messages to a second map until `commit` (done) or
 * `makeMessageToConsumeAgain`/`rollback` (retry).
 */
export class ProcessQueue {
  /** Java's `msgCount` / `msgSize`: messages cached (including orderly ones being consumed), and their body bytes. */
  private count = 0;
  private size = 0;
  private readonly msgTreeMap = new OffsetTreeMap<MessageExt>();
  /** Orderly only: taken by takeMessages, not yet committed. */
  private readonly consumingMsgOrderlyTreeMap = new OffsetTreeMap<MessageExt>();
  private readonly clock: () => number;

  /** The offset of the last message added (the highest: pulls only move forward). */
  queueOffsetMax = 0;
  /** Set by rebalance when the queue is taken away; every service stops using the queue. */
  dropped = false;
  lastPullTimestamp: number;
  lastConsumeTimestamp: number;
  /** Orderly: this client holds the broker lock of the queue (LOCK_BATCH_MQ). */
  locked = false;
  lastLockTimestamp: number;
  /** Orderly: a consume request of this queue is scheduled or running. */
  consuming = false;
  /** Messages left on the broker after the last pull (MAX_OFFSET property − last offset), for stats. */
  msgAccCnt = 0;
  tryUnlockTimes = 0;

  constructor(options: ProcessQueueOptions = {}) {
    this.clock = options.clock ?? Date.now;
    const now = this.clock();
    this.lastPullTimestamp = now;
    this.lastConsumeTimestamp = now;
    this.lastLockTimestamp = now;
  }

  get msgCount(): number {
    return this.count;
  }

  get msgSize(): number {
    return this.size;
  }

  isLockExpired(): boolean {
    return this.clock() - this.lastLockTimestamp > REBALANCE_LOCK_MAX_LIVE_TIME;
  }

  isPullExpired(): boolean {
    return this.clock() - this.lastPullTimestamp > PULL_MAX_IDLE_TIME;
  }

  /**
   * Caches pulled messages (an offset already cached is replaced and not counted twice). Returns true
   * when an orderly consumer must start a consume request: messages are waiting and none is running.
   */
  putMessage(msgs: readonly MessageExt[]): boolean {
    let validMsgCnt = 0;
    for (const msg of msgs) {
      if (this.msgTreeMap.set(msg.queueOffset, msg) === undefined) {
        validMsgCnt++;
        this.queueOffsetMax = msg.queueOffset;
        this.size += msg.body.length;
      }
    }
    this.count += validMsgCnt;
    let dispatchToConsume = false;
    if (!this.msgTreeMap.isEmpty() && !this.consuming) {
      dispatchToConsume = true;
      this.consuming = true;
    }
    const last = msgs[msgs.length - 1];
    const maxOffset = last?.getProperty(MessageConst.PROPERTY_MAX_OFFSET);
    if (last !== undefined && maxOffset !== undefined) {
      const accTotal = Number(maxOffset) - last.queueOffset;
      if (accTotal > 0) this.msgAccCnt = accTotal;
    }
    return dispatchToConsume;
  }

  /** Highest minus lowest cached offset (0 when empty): concurrent flow control pauses pulls above 2000. */
  getMaxSpan(): number {
    const first = this.msgTreeMap.firstKey();
    return first === undefined ? 0 : (this.msgTreeMap.lastKey() as number) - first;
  }

  /**
   * Removes consumed messages. Returns the offset to commit: the lowest offset still cached, or
   * queueOffsetMax + 1 when nothing is left; -1 when nothing was cached to begin with.
   */
  removeMessage(msgs: readonly MessageExt[]): number {
    this.lastConsumeTimestamp = this.clock();
    if (this.msgTreeMap.isEmpty()) return -1;
    let result = this.queueOffsetMax + 1;
    let removedCnt = 0;
    for (const msg of msgs) {
      if (this.msgTreeMap.delete(msg.queueOffset) !== undefined) {
        removedCnt++;
        this.size -= msg.body.length;
      }
    }
    this.count -= removedCnt;
    // Java resets the size with the count, so rounding can never leave a phantom size behind.
    if (this.count === 0) this.size = 0;
    const first = this.msgTreeMap.firstKey();
    if (first !== undefined) result = first;
    return result;
  }

  /** True while messages wait to be consumed (orderly ones being consumed do not count). */
  hasTempMessage(): boolean {
    return !this.msgTreeMap.isEmpty();
  }

  /** The oldest cached message: cleanExpiredMsg's candidate. */
  firstMessage(): MessageExt | undefined {
    return this.msgTreeMap.firstValue();
  }

  /** Cached messages in offset order (a snapshot). */
  messages(): MessageExt[] {
    return [...this.msgTreeMap.values()];
  }

  // ---- orderly ----------------------------------------------------------------------------------

  /**
   * Orderly: the next `batchSize` messages in offset order, moved to the consuming map. An empty result
   * clears `consuming`, so the next putMessage dispatches a new consume request.
   */
  takeMessages(batchSize: number): MessageExt[] {
    this.lastConsumeTimestamp = this.clock();
    const result: MessageExt[] = [];
    for (let i = 0; i < batchSize; i++) {
      const entry = this.msgTreeMap.pollFirst();
      if (entry === undefined) break;
      result.push(entry[1]);
      this.consumingMsgOrderlyTreeMap.set(entry[0], entry[1]);
    }
    if (result.length === 0) this.consuming = false;
    return result;
  }

  /** Orderly: the taken messages are consumed. Returns the offset to commit (last taken + 1), -1 if none. */
  commit(): number {
    const offset = this.consumingMsgOrderlyTreeMap.lastKey();
    this.count -= this.consumingMsgOrderlyTreeMap.size;
    if (this.count === 0) this.size = 0;
    else for (const msg of this.consumingMsgOrderlyTreeMap.values()) this.size -= msg.body.length;
    this.consumingMsgOrderlyTreeMap.clear();
    return offset === undefined ? -1 : offset + 1;
  }

  /** Orderly SUSPEND_CURRENT_QUEUE_A_MOMENT: these taken messages go back to be taken first again. */
  makeMessageToConsumeAgain(msgs: readonly MessageExt[]): void {
    for (const msg of msgs) {
      this.consumingMsgOrderlyTreeMap.delete(msg.queueOffset);
      this.msgTreeMap.set(msg.queueOffset, msg);
    }
  }

  /** Orderly: every taken message goes back (counts never dropped them, so they stay as they are). */
  rollback(): void {
    for (const [offset, msg] of this.consumingMsgOrderlyTreeMap.entries()) this.msgTreeMap.set(offset, msg);
    this.consumingMsgOrderlyTreeMap.clear();
  }

  /** Offsets taken by takeMessages and not yet committed, in order. */
  consumingOffsets(): number[] {
    return [...this.consumingMsgOrderlyTreeMap.entries()].map(([offset]) => offset);
  }

  incTryUnlockTimes(): void {
    this.tryUnlockTimes++;
  }

  /** Forgets every cached message (reset offset, queue dropped). */
  clear(): void {
    this.msgTreeMap.clear();
    this.consumingMsgOrderlyTreeMap.clear();
    this.count = 0;
    this.size = 0;
    this.queueOffsetMax = 0;
  }

  // ---- housekeeping -----------------------------------------------------------------------------

  /**
   * Sends back (delay level 3) and removes up to 16 of the oldest messages whose listener call started
   * (property CONSUME_START_TIME) more than consumeTimeout minutes ago, so one stuck listener cannot hold
   * the committed offset — and, through the span limit, the whole queue — forever. Stops at the first
   * message that has not expired, and at a failed send-back (reported to `onError`; the next run retries).
   */
  async cleanExpiredMsg(ctx: CleanExpiredMsgContext, onError: (msg: MessageExt, error: unknown) => void): Promise<void> {
    if (ctx.consumeOrderly) return;
    const loop = Math.min(this.msgTreeMap.size, CLEAN_EXPIRED_MSG_MAX_LOOPS);
    for (let i = 0; i < loop; i++) {
      const msg = this.msgTreeMap.firstValue();
      const started = msg?.getProperty(MessageConst.PROPERTY_CONSUME_START_TIMESTAMP);
      if (msg === undefined || started === undefined || started === '') break;
      if (this.clock() - Number(started) <= ctx.consumeTimeout * MILLIS_PER_MINUTE) break;
      try {
        await ctx.sendMessageBack(msg, CLEAN_EXPIRED_MSG_DELAY_LEVEL);
      } catch (e: unknown) {
        // Java retries the same head message on every remaining loop; the next run retrying is enough.
        onError(msg, e);
        break;
      }
      // The listener may have finished meanwhile and removed it: only remove what is still first.
      if (this.msgTreeMap.firstKey() === msg.queueOffset) this.removeMessage([msg]);
    }
  }

  /** GET_CONSUMER_RUNNING_INFO: this queue's state into `info` (whose commitOffset the caller sets). */
  fillProcessQueueInfo(info: ProcessQueueInfo): void {
    const first = this.msgTreeMap.firstKey();
    if (first !== undefined) {
      info.cachedMsgMinOffset = first;
      info.cachedMsgMaxOffset = this.msgTreeMap.lastKey() as number;
      info.cachedMsgCount = this.msgTreeMap.size;
    }
    info.cachedMsgSizeInMiB = Math.floor(this.size / BYTES_PER_MIB);
    const consumingFirst = this.consumingMsgOrderlyTreeMap.firstKey();
    if (consumingFirst !== undefined) {
      info.transactionMsgMinOffset = consumingFirst;
      info.transactionMsgMaxOffset = this.consumingMsgOrderlyTreeMap.lastKey() as number;
      info.transactionMsgCount = this.consumingMsgOrderlyTreeMap.size;
    }
    info.locked = this.locked;
    info.tryUnlockTimes = this.tryUnlockTimes;
    info.lastLockTimestamp = this.lastLockTimestamp;
    info.droped = this.dropped;
    info.lastPullTimestamp = this.lastPullTimestamp;
    info.lastConsumeTimestamp = this.lastConsumeTimestamp;
  }
}

/** A ProcessQueueInfo with Java's field defaults (zeros, false), ready for fillProcessQueueInfo. */
export function createProcessQueueInfo(commitOffset: number): ProcessQueueInfo {
  return {
    commitOffset,
    cachedMsgMinOffset: 0,
    cachedMsgMaxOffset: 0,
    cachedMsgCount: 0,
    cachedMsgSizeInMiB: 0,
    transactionMsgMinOffset: 0,
    transactionMsgMaxOffset: 0,
    transactionMsgCount: 0,
    locked: false,
    tryUnlockTimes: 0,
    lastLockTimestamp: 0,
    droped: false,
    lastPullTimestamp: 0,
    lastConsumeTimestamp: 0,
  };
}
