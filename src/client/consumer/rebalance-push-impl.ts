import { ClientErrorCode, MQClientException } from '../../common/errors.js';
import type { Logger } from '../../common/logging/logger.js';
import type { ConsumeFromWhere, ConsumeType, MessageModel } from '../../common/protocol/body/consumer-enums.js';
import type { MessageQueue } from '../../common/protocol/body/message-queue.js';
import type { MQClientInstance } from '../impl/mq-client-instance.js';
import { RETRY_GROUP_TOPIC_PREFIX } from '../../common/protocol/topic-validator.js';
import { errorText } from './consume-message-service.js';
import { ReadOffsetType, type AllocateMessageQueueStrategy, type ConsumerOffsetStore, type ConsumerProcessQueue } from './consumer-spi.js';
import { parseConsumeTimestamp, type PushConsumerSettings } from './push-consumer-options.js';
import type { PullRequest } from './pull-request.js';
import { RebalanceImpl, type RebalanceResult } from './rebalance-impl.js';
import type { ConsumerErrorReporter } from './consumer-error-event.js';

/** RebalancePushImpl.UNLOCK_DELAY_TIME_MILLS (`rocketmq.client.unlockDelayTimeMills`): unlock later while messages are cached. */
export const UNLOCK_DELAY_TIME_MILLIS = 20_000;

/** What RebalancePushImpl needs from DefaultMQPushConsumerImpl. */
export interface RebalancePushHost {
  readonly settings: PushConsumerSettings;
  getOffsetStore(): ConsumerOffsetStore;
  isConsumeOrderly(): boolean;
  /** Orderly: a listener call of this queue is running (Java's pq.getConsumeLock() held). */
  isConsumeLockHeld(pq: ConsumerProcessQueue): boolean;
  executePullRequestImmediately(request: PullRequest): void;
  createProcessQueue(): ConsumerProcessQueue;
  /** Owned timers (cleared at shutdown). */
  executeTaskLater(task: () => Promise<void> | void, delayMillis: number): void;
  onRebalance(result: RebalanceResult): void;
  /** Optional: hosts without events (tests, tools) only log. */
  reportError?: ConsumerErrorReporter;
}

/**
 * RebalancePushImpl (client/impl/consumer/RebalancePushImpl.java): the push consumer's side of a
 * rebalance — where a new queue starts (ConsumeFromWhere, §11.2), what happens to a queue given up
 * (offset persisted, orderly lock released), and the per-queue share of the topic thresholds.
 */
export class RebalancePushImpl extends RebalanceImpl {
  constructor(
    consumerGroup: string,
    messageModel: MessageModel,
    strategy: AllocateMessageQueueStrategy,
    mQClientFactory: MQClientInstance,
    log: Logger,
    private readonly host: RebalancePushHost,
  ) {
    super(consumerGroup, messageModel, strategy, mQClientFactory, log);
  }

  protected override onRebalanceError(topic: string, error: unknown): void {
    this.host.reportError?.('rebalance', error, { topic });
  }

  protected override onLockError(mq: MessageQueue, error: unknown): void {
    this.host.reportError?.('lock', error, { messageQueue: mq });
  }

  consumeType(): ConsumeType {
    return 'CONSUME_PASSIVELY';
  }

  createProcessQueue(): ConsumerProcessQueue {
    return this.host.createProcessQueue();
  }

  messageQueueChanged(topic: string, mqAll: MessageQueue[], mqDivided: MessageQueue[]): void {
    // A new subVersion makes the broker take the next heartbeat's subscription as the latest
    // (fixes a stale subscription making a member miss messages).
    const sd = this.subscriptionInner.get(topic);
    if (sd !== undefined) sd.subVersion = Date.now();
    const s = this.host.settings;
    const currentQueueCount = this.processQueueTable.size;
    if (currentQueueCount !== 0) {
      if (s.pullThresholdForTopic !== -1) {
        const newVal = Math.max(1, Math.floor(s.pullThresholdForTopic / currentQueueCount));
        this.log.info('The pullThresholdForQueue is changed', { from: s.pullThresholdForQueue, to: newVal });
        s.pullThresholdForQueue = newVal;
      }
      if (s.pullThresholdSizeForTopic !== -1) {
        const newVal = Math.max(1, Math.floor(s.pullThresholdSizeForTopic / currentQueueCount));
        this.log.info('The pullThresholdSizeForQueue is changed', { from: s.pullThresholdSizeForQueue, to: newVal });
        s.pullThresholdSizeForQueue = newVal;
      }
    }
    this.host.onRebalance({ topic, mqAll, mqDivided });
    // Tell the brokers now (Java does it synchronously inside the rebalance thread).
    this.mQClientFactory.sendHeartbeatToAllBrokerWithLock().catch((e: unknown) => this.log.warn('heartbeat after rebalance failed', { error: errorText(e) }));
  }

  async removeUnnecessaryMessageQueue(mq: MessageQueue, pq: ConsumerProcessQueue): Promise<boolean> {
    const store = this.host.getOffsetStore();
    await store.persist(mq);
    store.removeOffset(mq);
    if (this.host.isConsumeOrderly() && this.messageModel === 'CLUSTERING') {
      // Java waits up to 1 s for the consume lock; a listener call in progress means "try next round".
      if (this.host.isConsumeLockHeld(pq)) {
        this.log.warn('[WRONG]mq is consuming, so can not unlock it', { topic: mq.topic, queueId: mq.queueId, tryUnlockTimes: pq.tryUnlockTimes });
        pq.tryUnlockTimes++;
        return false;
      }
      return this.unlockDelay(mq, pq);
    }
    return true;
  }

  /** Cached messages may still be committed: give the owner 20 s before another client may lock. */
  private unlockDelay(mq: MessageQueue, pq: ConsumerProcessQueue): boolean {
    if (pq.hasTempMessage()) {
      this.log.info('unlockDelay, begin', { group: this.consumerGroup, topic: mq.topic, queueId: mq.queueId });
      this.host.executeTaskLater(() => this.unlock(mq, true), UNLOCK_DELAY_TIME_MILLIS);
    } else {
      this.host.executeTaskLater(() => this.unlock(mq, true), 0);
    }
    return true;
  }

  removeDirtyOffset(mq: MessageQueue): void {
    this.host.getOffsetStore().removeOffset(mq);
  }

  async computePullFromWhereWithException(mq: MessageQueue): Promise<number> {
    const s = this.host.settings;
    const lastOffset = await this.host.getOffsetStore().readOffset(mq, ReadOffsetType.READ_FROM_STORE);
    if (lastOffset >= 0) return lastOffset;
    if (lastOffset !== -1) return -1;
    const isRetry = mq.topic.startsWith(RETRY_GROUP_TOPIC_PREFIX);
    const where: ConsumeFromWhere = s.consumeFromWhere;
    switch (where) {
      case 'CONSUME_FROM_FIRST_OFFSET':
        return 0;
      case 'CONSUME_FROM_TIMESTAMP': {
        if (isRetry) return this.maxOffset(mq);
        const timestamp = parseConsumeTimestamp(s.consumeTimestamp);
        if (Number.isNaN(timestamp)) throw new MQClientException(ClientErrorCode.CLIENT_VALIDATION, `consumeTimestamp ${s.consumeTimestamp} is not yyyyMMddHHmmss`);
        return this.searchOffset(mq, timestamp);
      }
      default:
        // LAST_OFFSET and the deprecated values that behave like it.
        return isRetry ? 0 : this.maxOffset(mq);
    }
  }

  dispatchPullRequest(pullRequests: PullRequest[]): void {
    for (const r of pullRequests) {
      this.host.executePullRequestImmediately(r);
      this.log.info('doRebalance, add a new pull request', { request: r.toString() });
    }
  }

  /** MQAdminImpl.maxOffset: GET_MAX_OFFSET on the queue's master (route refreshed once if unknown). */
  private async maxOffset(mq: MessageQueue): Promise<number> {
    const addr = await this.masterAddr(mq);
    return this.mQClientFactory.mQClientAPIImpl.getMaxOffset(addr, mq.topic, mq.queueId, this.mQClientFactory.clientConfig.mqClientApiTimeout);
  }

  private async searchOffset(mq: MessageQueue, timestamp: number): Promise<number> {
    const addr = await this.masterAddr(mq);
    return this.mQClientFactory.mQClientAPIImpl.searchOffset(addr, mq.topic, mq.queueId, timestamp, this.mQClientFactory.clientConfig.mqClientApiTimeout);
  }

  private async masterAddr(mq: MessageQueue): Promise<string> {
    let addr = this.mQClientFactory.findBrokerAddressInPublish(mq.brokerName);
    if (addr === undefined) {
      await this.mQClientFactory.updateTopicRouteInfoFromNameServer(mq.topic);
      addr = this.mQClientFactory.findBrokerAddressInPublish(mq.brokerName);
    }
    if (addr === undefined) throw new MQClientException(ClientErrorCode.CLIENT_STATE, `The broker[${mq.brokerName}] not exist`);
    return addr;
  }
}
