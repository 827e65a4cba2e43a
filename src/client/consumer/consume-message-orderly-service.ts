import type { MessageExt } from '../../common/message/message-ext.js';
import type { ConsumeMessageDirectlyResult } from '../../common/protocol/body/consume-message-directly-result.js';
import { MessageQueueMap } from '../../common/protocol/body/message-queue-map.js';
import type { MessageQueue } from '../../common/protocol/body/message-queue.js';
import { MessageConst } from '../../common/message/message-const.js';
import { ConsumeExecutor } from './consume-executor.js';
import { errorText, type ConsumeMessageService, type ConsumeServiceHost } from './consume-message-service.js';
import type { ConsumerProcessQueue } from './consumer-spi.js';
import { ConsumeOrderlyContext, ConsumeOrderlyStatus, type MessageListenerOrderly } from './listener.js';
import { ORDERLY_UNLIMITED_RECONSUME_TIMES } from './push-consumer-options.js';

/** `rocketmq.client.maxTimeConsumeContinuously`: one request yields the queue after this long (ms). */
export const MAX_TIME_CONSUME_CONTINUOUSLY = 60_000;
/** `rocketmq.client.rebalance.lockInterval` and the first lockAll's delay. */
export const REBALANCE_LOCK_INTERVAL_MILLIS = 20_000;
const LOCK_ALL_INITIAL_DELAY_MILLIS = 1000;
/** submitConsumeRequestLater clamps its delay to this range (Java's literals). */
const MIN_SUSPEND_MILLIS = 10;
const MAX_SUSPEND_MILLIS = 30_000;
/** Retry delays of tryLockLaterAndReconsume (Java's literals). */
const RECONSUME_AFTER_LOCK_OK_MILLIS = 10;
const RECONSUME_AFTER_LOCK_FAILED_MILLIS = 3000;
const TRY_LOCK_LATER_WHEN_UNLOCKED_MILLIS = 10;
const TRY_LOCK_LATER_WHEN_NOT_LOCKED_MILLIS = 100;

/**
 * ConsumeMessageOrderlyService (client/impl/consumer/ConsumeMessageOrderlyService.java): one
 * listener call at a time per queue, in queue-offset order, only while this client holds the
 * broker's lock on the queue (clustering; renewed every 20 s). SUSPEND_CURRENT_QUEUE_A_MOMENT puts
 * the messages back and retries them after suspendCurrentQueueTimeMillis; after maxReconsumeTimes a
 * message is re-sent to %RETRY%<group> with its retry count exhausted, which the broker diverts to the
 * DLQ. The offset moves only on commit (§11.5).
 */
export class ConsumeMessageOrderlyService implements ConsumeMessageService {
  private readonly consumeExecutor: ConsumeExecutor<{ readonly pq: ConsumerProcessQueue; readonly mq: MessageQueue }>;
  /** Java's MessageQueueLock: the tail of each queue's chain of consume requests. */
  private readonly messageQueueLock = new MessageQueueMap<Promise<void>>();
  /** Process queues whose listener call is running (Java's pq.getConsumeLock() held). */
  private readonly consumeLockHeld = new WeakSet<ConsumerProcessQueue>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly host: ConsumeServiceHost,
    private readonly messageListener: MessageListenerOrderly,
  ) {
    this.consumeExecutor = new ConsumeExecutor(host.settings.consumeThreadMax, (t) => this.runSerialized(t.pq, t.mq), host.log);
  }

  start(): void {
    if (this.host.messageModel() !== 'CLUSTERING') return;
    const arm = (delay: number): void => {
      this.schedule(async () => {
        await this.lockMQPeriodically();
        arm(REBALANCE_LOCK_INTERVAL_MILLIS);
      }, delay);
    };
    arm(LOCK_ALL_INITIAL_DELAY_MILLIS);
  }

  async shutdown(awaitTerminateMillis: number): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.consumeExecutor.shutdown(awaitTerminateMillis);
  }

  isConsumeLockHeld(pq: ConsumerProcessQueue): boolean {
    return this.consumeLockHeld.has(pq);
  }

  updateCorePoolSize(corePoolSize: number): void {
    if (corePoolSize > 0) this.consumeExecutor.setMaxConcurrency(corePoolSize);
  }

  getCorePoolSize(): number {
    return this.host.settings.consumeThreadMax;
  }

  async consumeMessageDirectly(msg: MessageExt, brokerName: string | undefined): Promise<ConsumeMessageDirectlyResult> {
    const result: ConsumeMessageDirectlyResult = { order: true, autoCommit: true, spentTimeMills: 0 };
    const context = new ConsumeOrderlyContext({ topic: msg.topic, brokerName: brokerName ?? '', queueId: msg.queueId });
    this.host.resetRetryAndNamespace([msg]);
    const begin = Date.now();
    try {
      const status = await this.messageListener.consumeMessage([msg], context);
      result.consumeResult =
        status === ConsumeOrderlyStatus.SUCCESS || status === ConsumeOrderlyStatus.COMMIT
          ? 'CR_SUCCESS'
          : status === ConsumeOrderlyStatus.ROLLBACK
            ? 'CR_ROLLBACK'
            : status === ConsumeOrderlyStatus.SUSPEND_CURRENT_QUEUE_A_MOMENT
              ? 'CR_LATER'
              : 'CR_RETURN_NULL';
    } catch (e) {
      result.consumeResult = 'CR_THROW_EXCEPTION';
      result.remark = errorText(e);
    }
    result.spentTimeMills = Date.now() - begin;
    return result;
  }

  /** Only when the ProcessQueue said so (no request of this queue is pending): one request drains it. */
  submitConsumeRequest(_msgs: MessageExt[], processQueue: ConsumerProcessQueue, messageQueue: MessageQueue, dispatchToConsume: boolean): void {
    if (!dispatchToConsume) return;
    this.consumeExecutor.submit({ pq: processQueue, mq: messageQueue });
  }

  async lockMQPeriodically(): Promise<void> {
    if (!this.stopped && this.host.lockAll !== undefined) await this.host.lockAll();
  }

  /** Java's `synchronized (messageQueueLock.fetchLockObject(mq))`: requests of one queue never overlap. */
  private runSerialized(pq: ConsumerProcessQueue, mq: MessageQueue): Promise<void> {
    const previous = this.messageQueueLock.get(mq) ?? Promise.resolve();
    const next = previous.then(() => this.run(pq, mq));
    this.messageQueueLock.set(mq, next);
    void next.finally(() => {
      if (this.messageQueueLock.get(mq) === next) this.messageQueueLock.delete(mq);
    });
    return next;
  }

  /** ConsumeRequest.run: consume the queue's messages batch by batch while the lock holds. */
  private async run(pq: ConsumerProcessQueue, mq: MessageQueue): Promise<void> {
    if (pq.dropped) return;
    const clustering = this.host.messageModel() === 'CLUSTERING';
    if (clustering && (!pq.locked || pq.isLockExpired())) {
      if (!pq.dropped) this.tryLockLaterAndReconsume(mq, pq, TRY_LOCK_LATER_WHEN_NOT_LOCKED_MILLIS);
      return;
    }
    const beginTime = Date.now();
    for (let continueConsume = true; continueConsume && !this.stopped; ) {
      if (pq.dropped) break;
      if (clustering && (!pq.locked || pq.isLockExpired())) {
        this.tryLockLaterAndReconsume(mq, pq, TRY_LOCK_LATER_WHEN_UNLOCKED_MILLIS);
        break;
      }
      if (Date.now() - beginTime > MAX_TIME_CONSUME_CONTINUOUSLY) {
        this.submitConsumeRequestLater(pq, mq, MIN_SUSPEND_MILLIS);
        break;
      }
      const msgs = pq.takeMessages(Math.max(1, this.host.settings.consumeMessageBatchMaxSize));
      this.host.resetRetryAndNamespace(msgs);
      if (msgs.length === 0) break;
      const context = new ConsumeOrderlyContext(mq);
      let status: ConsumeOrderlyStatus | undefined;
      const begin = Date.now();
      this.consumeLockHeld.add(pq);
      try {
        if (pq.dropped) break;
        const answer: unknown = await this.messageListener.consumeMessage(msgs, context);
        if (typeof answer === 'string' && Object.values<string>(ConsumeOrderlyStatus).includes(answer)) status = answer as ConsumeOrderlyStatus;
      } catch (e) {
        this.host.log.warn('consumeMessage exception', { group: this.host.settings.consumerGroup, topic: mq.topic, queueId: mq.queueId, error: errorText(e) });
      } finally {
        this.consumeLockHeld.delete(pq);
      }
      if (status === undefined || status === ConsumeOrderlyStatus.ROLLBACK || status === ConsumeOrderlyStatus.SUSPEND_CURRENT_QUEUE_A_MOMENT) {
        this.host.log.warn('consumeMessage Orderly return not OK', { group: this.host.settings.consumerGroup, topic: mq.topic, queueId: mq.queueId, status });
      }
      this.host.consumerStatsManager.incConsumeRT(mq.topic, Date.now() - begin);
      continueConsume = await this.processConsumeResult(msgs, status ?? ConsumeOrderlyStatus.SUSPEND_CURRENT_QUEUE_A_MOMENT, context, pq, mq);
    }
  }

  /** processConsumeResult (orderly): commit on success; suspend and retry locally on failure. Returns whether to go on. */
  async processConsumeResult(
    msgs: MessageExt[],
    status: ConsumeOrderlyStatus,
    context: ConsumeOrderlyContext,
    pq: ConsumerProcessQueue,
    mq: MessageQueue,
  ): Promise<boolean> {
    const stats = this.host.consumerStatsManager;
    let continueConsume = true;
    let commitOffset = -1;
    const suspend = async (): Promise<boolean> => {
      stats.incConsumeFailedTPS(mq.topic, msgs.length);
      if (await this.checkReconsumeTimes(msgs, mq)) {
        pq.makeMessageToConsumeAgain(msgs);
        this.submitConsumeRequestLater(pq, mq, context.suspendCurrentQueueTimeMillis);
        return true;
      }
      return false;
    };
    if (context.autoCommit) {
      switch (status) {
        case ConsumeOrderlyStatus.COMMIT:
        case ConsumeOrderlyStatus.ROLLBACK:
          this.host.log.warn('the message queue consume result is illegal, we think you want to ack these message', { topic: mq.topic, queueId: mq.queueId });
          commitOffset = pq.commit();
          stats.incConsumeOKTPS(mq.topic, msgs.length);
          break;
        case ConsumeOrderlyStatus.SUCCESS:
          commitOffset = pq.commit();
          stats.incConsumeOKTPS(mq.topic, msgs.length);
          break;
        case ConsumeOrderlyStatus.SUSPEND_CURRENT_QUEUE_A_MOMENT:
          if (await suspend()) continueConsume = false;
          else commitOffset = pq.commit();
          break;
      }
    } else {
      switch (status) {
        case ConsumeOrderlyStatus.SUCCESS:
          stats.incConsumeOKTPS(mq.topic, msgs.length);
          break;
        case ConsumeOrderlyStatus.COMMIT:
          commitOffset = pq.commit();
          break;
        case ConsumeOrderlyStatus.ROLLBACK:
          // Java's rollback(): every consuming message goes back, which makeMessageToConsumeAgain does for these.
          pq.makeMessageToConsumeAgain(msgs);
          this.submitConsumeRequestLater(pq, mq, context.suspendCurrentQueueTimeMillis);
          continueConsume = false;
          break;
        case ConsumeOrderlyStatus.SUSPEND_CURRENT_QUEUE_A_MOMENT:
          if (await suspend()) continueConsume = false;
          break;
      }
    }
    if (commitOffset >= 0 && !pq.dropped) this.host.getOffsetStore().updateOffset(mq, commitOffset, false);
    return continueConsume;
  }

  private getMaxReconsumeTimes(): number {
    const m = this.host.settings.maxReconsumeTimes;
    return m === -1 ? ORDERLY_UNLIMITED_RECONSUME_TIMES : m;
  }

  /** True when some message must be retried locally (each such gets reconsumeTimes + 1). */
  private async checkReconsumeTimes(msgs: MessageExt[], mq: MessageQueue): Promise<boolean> {
    let suspend = false;
    for (const msg of msgs) {
      if (msg.reconsumeTimes >= this.getMaxReconsumeTimes()) {
        msg.putProperty(MessageConst.PROPERTY_RECONSUME_TIME, String(msg.reconsumeTimes));
        const sent = await this.sendMessageBackAsNewMessage(msg, mq);
        if (!sent) {
          suspend = true;
          msg.reconsumeTimes = msg.reconsumeTimes + 1;
        }
      } else {
        suspend = true;
        msg.reconsumeTimes = msg.reconsumeTimes + 1;
      }
    }
    return suspend;
  }

  /** The re-send to %RETRY% of a message out of local retries; false (logged and reported) when it failed. */
  private async sendMessageBackAsNewMessage(msg: MessageExt, mq: MessageQueue): Promise<boolean> {
    if (this.host.sendMessageBackAsNewMessage === undefined) return false;
    try {
      await this.host.sendMessageBackAsNewMessage(msg);
      return true;
    } catch (e) {
      this.host.log.error('sendMessageBack exception', { group: this.host.settings.consumerGroup, msgId: msg.msgId, error: errorText(e) });
      this.host.reportError?.('sendBack', e, { messageQueue: mq });
      return false;
    }
  }

  private tryLockLaterAndReconsume(mq: MessageQueue, pq: ConsumerProcessQueue, delayMillis: number): void {
    this.schedule(async () => {
      const lockOK = !this.stopped && this.host.lockQueue !== undefined && (await this.host.lockQueue(mq));
      this.submitConsumeRequestLater(pq, mq, lockOK ? RECONSUME_AFTER_LOCK_OK_MILLIS : RECONSUME_AFTER_LOCK_FAILED_MILLIS);
    }, delayMillis);
  }

  private submitConsumeRequestLater(pq: ConsumerProcessQueue, mq: MessageQueue, suspendTimeMillis: number): void {
    let t = suspendTimeMillis === -1 ? this.host.settings.suspendCurrentQueueTimeMillis : suspendTimeMillis;
    t = Math.min(MAX_SUSPEND_MILLIS, Math.max(MIN_SUSPEND_MILLIS, t));
    this.schedule(() => this.submitConsumeRequest([], pq, mq, true), t);
  }

  private schedule(task: () => Promise<void> | void, delayMillis: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.stopped) return;
      (async () => task())().catch((e: unknown) => this.host.log.error('orderly scheduled task failed', { error: errorText(e) }));
    }, delayMillis);
    this.timers.add(timer);
  }
}
