import { MessageConst } from '../../common/message/message-const.js';
import type { MessageExt } from '../../common/message/message-ext.js';
import type { ConsumeMessageDirectlyResult } from '../../common/protocol/body/consume-message-directly-result.js';
import type { MessageQueue } from '../../common/protocol/body/message-queue.js';
import { ConsumeExecutor } from './consume-executor.js';
import { CONSUME_CONSTANTS, errorText, type ConsumeMessageService, type ConsumeServiceHost } from './consume-message-service.js';
import type { ConsumerProcessQueue } from './consumer-spi.js';
import { ConsumeConcurrentlyContext, ConsumeConcurrentlyStatus, type MessageListenerConcurrently } from './listener.js';

const MILLIS_PER_MINUTE = 60_000;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** One batch of up to consumeMessageBatchMaxSize messages of one queue (Java's inner ConsumeRequest). */
export interface ConcurrentlyConsumeRequest {
  msgs: MessageExt[];
  readonly processQueue: ConsumerProcessQueue;
  readonly messageQueue: MessageQueue;
}

/**
 * ConsumeMessageConcurrentlyService (client/impl/consumer/ConsumeMessageConcurrentlyService.java):
 * pulled messages are cut into batches and handed to the listener by a bounded pool
 * (consumeThreadMax calls at once, any order). processConsumeResult then acknowledges up to
 * ackIndex, sends the rest back to the broker for a later retry, and moves the queue's offset to
 * the lowest message still in flight (§11.5).
 */
export class ConsumeMessageConcurrentlyService implements ConsumeMessageService {
  private readonly consumeExecutor: ConsumeExecutor<ConcurrentlyConsumeRequest>;
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly host: ConsumeServiceHost,
    private readonly messageListener: MessageListenerConcurrently,
  ) {
    this.consumeExecutor = new ConsumeExecutor(host.settings.consumeThreadMax, (request) => this.run(request), host.log);
  }

  start(): void {
    // cleanExpireMsg every consumeTimeout minutes (first run after one period, as Java).
    const period = this.host.settings.consumeTimeout * MILLIS_PER_MINUTE;
    const arm = (): void => {
      if (this.stopped) return;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.cleanExpireMsg().then(arm, (e: unknown) => {
          this.host.log.error('cleanExpireMsg failed', { error: errorText(e) });
          arm();
        });
      }, period);
      timer.unref();
      this.timers.add(timer);
    };
    arm();
  }

  async shutdown(awaitTerminateMillis: number): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.consumeExecutor.shutdown(awaitTerminateMillis);
  }

  updateCorePoolSize(corePoolSize: number): void {
    if (corePoolSize > 0 && corePoolSize <= Number.MAX_SAFE_INTEGER) this.consumeExecutor.setMaxConcurrency(corePoolSize);
  }

  getCorePoolSize(): number {
    return this.host.settings.consumeThreadMax;
  }

  /** Cuts `msgs` into consumeMessageBatchMaxSize batches, each a listener call (dispatchToConsume is for orderly). */
  submitConsumeRequest(msgs: MessageExt[], processQueue: ConsumerProcessQueue, messageQueue: MessageQueue, _dispatchToConsume: boolean): void {
    const batchSize = Math.max(1, this.host.settings.consumeMessageBatchMaxSize);
    for (let i = 0; i < msgs.length; i += batchSize) {
      const request: ConcurrentlyConsumeRequest = { msgs: msgs.slice(i, i + batchSize), processQueue, messageQueue };
      if (!this.consumeExecutor.submit(request)) {
        // Shut down: the messages stay in the ProcessQueue, whose offset therefore stays below them.
        this.host.log.debug('consume request rejected (service stopped)', { mq: messageQueue.topic, queueId: messageQueue.queueId });
        return;
      }
    }
  }

  async consumeMessageDirectly(msg: MessageExt, brokerName: string | undefined): Promise<ConsumeMessageDirectlyResult> {
    const result: ConsumeMessageDirectlyResult = { order: false, autoCommit: true, spentTimeMills: 0 };
    const mq: MessageQueue = { topic: msg.topic, brokerName: brokerName ?? '', queueId: msg.queueId };
    const context = new ConsumeConcurrentlyContext(mq);
    this.host.resetRetryAndNamespace([msg]);
    const begin = Date.now();
    try {
      const status = await this.messageListener.consumeMessage([msg], context);
      if (status === ConsumeConcurrentlyStatus.CONSUME_SUCCESS) result.consumeResult = 'CR_SUCCESS';
      else if (status === ConsumeConcurrentlyStatus.RECONSUME_LATER) result.consumeResult = 'CR_LATER';
      else result.consumeResult = 'CR_RETURN_NULL';
    } catch (e) {
      result.consumeResult = 'CR_THROW_EXCEPTION';
      result.remark = errorText(e);
    }
    result.spentTimeMills = Date.now() - begin;
    return result;
  }

  /**
   * ConsumeRequest.run: call the listener (a throw or an unknown answer = RECONSUME_LATER), then
   * processConsumeResult. A listener that answers synchronously and a batch that needs no send-back
   * finish synchronously (undefined): no promise, no microtask per message on the common path.
   */
  run(request: ConcurrentlyConsumeRequest): Promise<void> | undefined {
    const { processQueue, messageQueue, msgs } = request;
    if (processQueue.dropped) {
      this.host.log.info('the message queue not be able to consume, because it is dropped', { topic: messageQueue.topic, queueId: messageQueue.queueId });
      return undefined;
    }
    const context = new ConsumeConcurrentlyContext(messageQueue);
    this.host.resetRetryAndNamespace(msgs);
    const begin = Date.now();
    const startText = this.timestampText(begin);
    for (const msg of msgs) msg.putProperty(MessageConst.PROPERTY_CONSUME_START_TIMESTAMP, startText);
    let answer: unknown;
    try {
      answer = this.messageListener.consumeMessage(msgs, context);
    } catch (e) {
      this.warnListenerThrew(e, messageQueue);
      return this.afterListener(undefined, begin, context, request);
    }
    if (isThenable(answer)) return this.awaitListener(answer, begin, context, request);
    return this.afterListener(answer, begin, context, request);
  }

  private async awaitListener(answer: PromiseLike<unknown>, begin: number, context: ConsumeConcurrentlyContext, request: ConcurrentlyConsumeRequest): Promise<void> {
    let settled: unknown;
    try {
      settled = await answer;
    } catch (e) {
      this.warnListenerThrew(e, request.messageQueue);
      settled = undefined;
    }
    await this.afterListener(settled, begin, context, request);
  }

  private afterListener(answer: unknown, begin: number, context: ConsumeConcurrentlyContext, request: ConcurrentlyConsumeRequest): Promise<void> | undefined {
    const { processQueue, messageQueue } = request;
    let status: ConsumeConcurrentlyStatus | undefined;
    if (answer === ConsumeConcurrentlyStatus.CONSUME_SUCCESS || answer === ConsumeConcurrentlyStatus.RECONSUME_LATER) status = answer;
    const consumeRT = Date.now() - begin;
    if (status === undefined) {
      this.host.log.warn('consumeMessage return null or threw, Group: RECONSUME_LATER', { group: this.host.settings.consumerGroup, topic: messageQueue.topic });
      status = ConsumeConcurrentlyStatus.RECONSUME_LATER;
    }
    this.host.consumerStatsManager.incConsumeRT(messageQueue.topic, consumeRT);
    if (!processQueue.dropped) return this.processConsumeResult(status, context, request);
    this.host.log.warn('processQueue is dropped without process consume result', { topic: messageQueue.topic, queueId: messageQueue.queueId });
    return undefined;
  }

  private warnListenerThrew(e: unknown, messageQueue: MessageQueue): void {
    this.host.log.warn('consumeMessage exception', { group: this.host.settings.consumerGroup, topic: messageQueue.topic, queueId: messageQueue.queueId, error: errorText(e) });
  }

  /** String(millis), the same string again while the clock stays on one millisecond. */
  private timestampText(millis: number): string {
    if (millis !== this.lastTimestamp) {
      this.lastTimestamp = millis;
      this.lastTimestampText = String(millis);
    }
    return this.lastTimestampText;
  }

  private lastTimestamp = Number.NaN;
  private lastTimestampText = '';

  /**
   * processConsumeResult (§11.5): messages after ackIndex failed. Broadcasting drops them (logged);
   * clustering sends each back — a message whose send-back fails is retried locally after 5 s with
   * reconsumeTimes + 1 and kept out of this removal, so the offset cannot pass it. The rest leave
   * the ProcessQueue and the offset moves (increase only) to the lowest message still cached.
   * Synchronous (undefined) when nothing is sent back.
   */
  processConsumeResult(status: ConsumeConcurrentlyStatus, context: ConsumeConcurrentlyContext, request: ConcurrentlyConsumeRequest): Promise<void> | undefined {
    const msgs = request.msgs;
    if (msgs.length === 0) return undefined;
    const topic = request.messageQueue.topic;
    const stats = this.host.consumerStatsManager;
    let ackIndex = context.ackIndex;
    if (status === ConsumeConcurrentlyStatus.CONSUME_SUCCESS) {
      if (ackIndex >= msgs.length) ackIndex = msgs.length - 1;
      const ok = ackIndex + 1;
      stats.incConsumeOKTPS(topic, ok);
      stats.incConsumeFailedTPS(topic, msgs.length - ok);
    } else {
      ackIndex = -1;
      stats.incConsumeFailedTPS(topic, msgs.length);
    }

    if (this.host.messageModel() === 'BROADCASTING') {
      for (let i = ackIndex + 1; i < msgs.length; i++) {
        this.host.log.warn('BROADCASTING, the message consume failed, drop it', { msgId: msgs[i]?.msgId, topic });
      }
    } else if (ackIndex + 1 < msgs.length) {
      return this.sendBackFailed(ackIndex, context, request);
    }
    this.removeConsumed(request);
    return undefined;
  }

  /** The clustering send-back of msgs[ackIndex + 1 ..], then the removal. */
  private async sendBackFailed(ackIndex: number, context: ConsumeConcurrentlyContext, request: ConcurrentlyConsumeRequest): Promise<void> {
    const msgs = request.msgs;
    const msgBackFailed: MessageExt[] = [];
    for (let i = ackIndex + 1; i < msgs.length; i++) {
      const msg = msgs[i] as MessageExt;
      if (!(await this.sendMessageBack(msg, context))) {
        msg.reconsumeTimes = msg.reconsumeTimes + 1;
        msgBackFailed.push(msg);
      }
    }
    if (msgBackFailed.length > 0) {
      const failed = new Set(msgBackFailed);
      request.msgs = msgs.filter((m) => !failed.has(m));
      this.submitConsumeRequestLater(msgBackFailed, request.processQueue, request.messageQueue);
    }
    this.removeConsumed(request);
  }

  private removeConsumed(request: ConcurrentlyConsumeRequest): void {
    const offset = request.processQueue.removeMessage(request.msgs);
    if (offset >= 0 && !request.processQueue.dropped) {
      this.host.getOffsetStore().updateOffset(request.messageQueue, offset, true);
    }
  }

  /** sendMessageBack with the context's delay level; false when neither the send-back nor the fallback worked. */
  async sendMessageBack(msg: MessageExt, context: ConsumeConcurrentlyContext): Promise<boolean> {
    try {
      await this.host.sendMessageBack(msg, context.delayLevelWhenNextConsume, context.messageQueue.brokerName);
      return true;
    } catch (e) {
      this.host.log.error('sendMessageBack exception', { group: this.host.settings.consumerGroup, msgId: msg.msgId, error: errorText(e) });
      this.host.reportError?.('sendBack', e, { messageQueue: context.messageQueue });
      return false;
    }
  }

  private submitConsumeRequestLater(msgs: MessageExt[], processQueue: ConsumerProcessQueue, messageQueue: MessageQueue): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.submitConsumeRequest(msgs, processQueue, messageQueue, true);
    }, CONSUME_CONSTANTS.SUBMIT_CONSUME_REQUEST_LATER_MILLIS);
    this.timers.add(timer);
  }

  /**
   * ProcessQueue.cleanExpiredMsg for every queue: up to 16 of the oldest messages whose listener call
   * started more than consumeTimeout minutes ago are sent back (delay level 3) and removed, so one
   * stuck listener cannot hold the offset (and, through the span limit, the queue) forever.
   */
  async cleanExpireMsg(now = Date.now()): Promise<void> {
    const timeoutMillis = this.host.settings.consumeTimeout * MILLIS_PER_MINUTE;
    for (const [mq, pq] of this.host.processQueueTable()) {
      if (pq.cleanExpiredMsg !== undefined) {
        await pq.cleanExpiredMsg(
          { consumeTimeout: this.host.settings.consumeTimeout, consumeOrderly: false, sendMessageBack: (msg, delayLevel) => this.host.sendMessageBack(msg, delayLevel, mq.brokerName) },
          (msg, e) => {
            this.host.log.error('send expired msg exception', { msgId: msg.msgId, error: errorText(e) });
            this.host.reportError?.('sendBack', e, { messageQueue: mq });
          },
        );
        continue;
      }
      if (pq.firstMessage === undefined) continue;
      const loops = Math.min(pq.msgCount, CONSUME_CONSTANTS.CLEAN_EXPIRED_MSG_MAX_LOOPS);
      for (let i = 0; i < loops; i++) {
        const msg = pq.firstMessage();
        const started = msg?.getProperty(MessageConst.PROPERTY_CONSUME_START_TIMESTAMP);
        if (msg === undefined || started === undefined || started === '' || now - Number(started) <= timeoutMillis) break;
        try {
          await this.host.sendMessageBack(msg, CONSUME_CONSTANTS.CLEAN_EXPIRED_MSG_DELAY_LEVEL, mq.brokerName);
          this.host.log.info('send expire msg back', { topic: msg.topic, msgId: msg.msgId, storeHost: msg.storeHost.host, queueId: msg.queueId, queueOffset: msg.queueOffset });
          if (pq.firstMessage()?.queueOffset === msg.queueOffset) pq.removeMessage([msg]);
        } catch (e) {
          this.host.log.error('send expired msg exception', { msgId: msg.msgId, error: errorText(e) });
          this.host.reportError?.('sendBack', e, { messageQueue: mq });
        }
      }
    }
  }
}
