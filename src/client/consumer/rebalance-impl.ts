import { ClientErrorCode, MQClientException } from '../../common/errors.js';
import type { Logger } from '../../common/logging/logger.js';
import { MASTER_ID } from '../../common/protocol/body/broker-data.js';
import type { ConsumeType, MessageModel } from '../../common/protocol/body/consumer-enums.js';
import { MessageQueueMap } from '../../common/protocol/body/message-queue-map.js';
import { compareMessageQueue, type MessageQueue } from '../../common/protocol/body/message-queue.js';
import type { SubscriptionData } from '../../common/protocol/body/subscription-data.js';
import type { MQClientInstance } from '../impl/mq-client-instance.js';
import { RETRY_GROUP_TOPIC_PREFIX } from '../../common/protocol/topic-validator.js';
import { errorText } from './consume-message-service.js';
import type { AllocateMessageQueueStrategy, ConsumerProcessQueue } from './consumer-spi.js';
import { PullRequest } from './pull-request.js';

/** RPC timeout of LOCK_BATCH_MQ / UNLOCK_BATCH_MQ in RebalanceImpl (Java's literal 1000). */
export const REBALANCE_LOCK_TIMEOUT_MILLIS = 1000;

/** What a rebalance round changed for one topic (the payload of the consumer's 'rebalance' event). */
export interface RebalanceResult {
  topic: string;
  /** Every queue of the topic this round saw. */
  mqAll: MessageQueue[];
  /** The queues this client owns after the round. */
  mqDivided: MessageQueue[];
}

/**
 * RebalanceImpl (client/impl/consumer/RebalanceImpl.java; §11.7): decides which queues of each
 * subscribed topic this client consumes, keeps one ProcessQueue per owned queue, and starts or stops
 * pulling as ownership moves. Clustering splits the topic's queues among the group's client ids with
 * the allocation strategy (both lists sorted, so every member computes the same split); broadcasting
 * takes every queue. Orderly consumers must win the broker's queue lock before pulling.
 */
export abstract class RebalanceImpl {
  readonly processQueueTable = new MessageQueueMap<ConsumerProcessQueue>();
  /** topic → the readable queues of its route. */
  readonly topicSubscribeInfoTable = new Map<string, MessageQueue[]>();
  /** topic → subscription, %RETRY%<group> included in clustering. */
  readonly subscriptionInner = new Map<string, SubscriptionData>();
  private running: Promise<void> | undefined;

  constructor(
    readonly consumerGroup: string,
    public messageModel: MessageModel,
    public allocateMessageQueueStrategy: AllocateMessageQueueStrategy,
    readonly mQClientFactory: MQClientInstance,
    protected readonly log: Logger,
  ) {}

  abstract consumeType(): ConsumeType;
  /** A round of `topic` failed (already logged); the push consumer turns it into an `error` event. */
  protected onRebalanceError(_topic: string, _error: unknown): void {
    // Nothing by default: the log line is the whole report for consumers without events.
  }

  /** The broker lock of `mq` could not be taken or renewed (already logged); the push consumer turns it into an `error` event. */
  protected onLockError(_mq: MessageQueue, _error: unknown): void {
    // Nothing by default, as onRebalanceError.
  }
  /** Called when a round changed the owned queues of `topic`. */
  abstract messageQueueChanged(topic: string, mqAll: MessageQueue[], mqDivided: MessageQueue[]): void;
  /** Persists and forgets the queue's offset (and unlocks it, orderly); false keeps the queue for the next round. */
  abstract removeUnnecessaryMessageQueue(mq: MessageQueue, pq: ConsumerProcessQueue): Promise<boolean>;
  abstract removeDirtyOffset(mq: MessageQueue): void;
  /** The offset to start pulling a newly owned queue from; -1 to skip it this round. Throws when the broker cannot say. */
  abstract computePullFromWhereWithException(mq: MessageQueue): Promise<number>;
  abstract dispatchPullRequest(pullRequests: PullRequest[]): void;
  abstract createProcessQueue(): ConsumerProcessQueue;

  /** One round over every subscribed topic; rounds never overlap (a second call waits for the first). */
  doRebalance(isOrder: boolean): Promise<void> {
    const previous = this.running ?? Promise.resolve();
    const next = previous.then(() => this.doRebalanceOnce(isOrder));
    this.running = next;
    void next.finally(() => {
      if (this.running === next) this.running = undefined;
    });
    return next;
  }

  private async doRebalanceOnce(isOrder: boolean): Promise<void> {
    for (const topic of [...this.subscriptionInner.keys()]) {
      try {
        await this.rebalanceByTopic(topic, isOrder);
      } catch (e) {
        if (!topic.startsWith(RETRY_GROUP_TOPIC_PREFIX)) {
          this.log.warn('rebalanceByTopic exception', { topic, error: errorText(e) });
          this.onRebalanceError(topic, e);
        }
      }
    }
    this.truncateMessageQueueNotMyTopic();
  }

  private async rebalanceByTopic(topic: string, isOrder: boolean): Promise<void> {
    let mqSet = this.topicSubscribeInfoTable.get(topic);
    if (this.messageModel === 'BROADCASTING') {
      if (mqSet === undefined) {
        this.log.warn('doRebalance, but the topic not exist', { group: this.consumerGroup, topic });
        return;
      }
      if (await this.updateProcessQueueTableInRebalance(topic, mqSet, isOrder)) this.messageQueueChanged(topic, mqSet, mqSet);
      return;
    }
    const cidAll = await this.mQClientFactory.findConsumerIdList(topic, this.consumerGroup);
    // Read again: the route may have arrived while the consumer list was asked for.
    mqSet = this.topicSubscribeInfoTable.get(topic);
    if (mqSet === undefined) {
      if (!topic.startsWith(RETRY_GROUP_TOPIC_PREFIX)) this.log.warn('doRebalance, but the topic not exist', { group: this.consumerGroup, topic });
      return;
    }
    if (cidAll === undefined) {
      this.log.warn('doRebalance, get consumer id list failed', { group: this.consumerGroup, topic });
      if (!topic.startsWith(RETRY_GROUP_TOPIC_PREFIX)) this.onRebalanceError(topic, new Error(`get consumer id list of group ${this.consumerGroup} for topic ${topic} failed`));
      return;
    }
    const mqAll = [...mqSet].sort(compareMessageQueue);
    const cids = [...cidAll].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    let allocated: MessageQueue[];
    try {
      allocated = this.allocateMessageQueueStrategy.allocate(this.consumerGroup, this.mQClientFactory.clientId, mqAll, cids);
    } catch (e) {
      this.log.error('AllocateMessageQueueStrategy.allocate Exception', { strategy: this.allocateMessageQueueStrategy.name, error: errorText(e) });
      this.onRebalanceError(topic, e);
      return;
    }
    const allocateResult = new MessageQueueMap<true>(allocated.map((mq) => [mq, true] as const));
    const mqDivided = [...allocateResult.keys()];
    if (await this.updateProcessQueueTableInRebalance(topic, mqDivided, isOrder)) {
      this.log.info('rebalanced result changed', {
        strategy: this.allocateMessageQueueStrategy.name,
        group: this.consumerGroup,
        topic,
        clientId: this.mQClientFactory.clientId,
        mqAllSize: mqAll.length,
        cidAllSize: cids.length,
        rebalanceResultSize: mqDivided.length,
      });
      this.messageQueueChanged(topic, mqAll, mqDivided);
    }
  }

  /** Queues of topics no longer subscribed are dropped without ceremony (Java does the same). */
  private truncateMessageQueueNotMyTopic(): void {
    for (const [mq, pq] of [...this.processQueueTable]) {
      if (!this.subscriptionInner.has(mq.topic)) {
        this.processQueueTable.delete(mq);
        pq.dropped = true;
        this.log.info('doRebalance, truncateMessageQueueNotMyTopic', { group: this.consumerGroup, topic: mq.topic, queueId: mq.queueId });
      }
    }
  }

  private async updateProcessQueueTableInRebalance(topic: string, mqSet: readonly MessageQueue[], isOrder: boolean): Promise<boolean> {
    let changed = false;
    const wanted = new MessageQueueMap<true>(mqSet.map((mq) => [mq, true] as const));
    for (const [mq, pq] of [...this.processQueueTable]) {
      if (mq.topic !== topic) continue;
      if (!wanted.has(mq)) {
        pq.dropped = true;
        if (await this.removeUnnecessaryMessageQueue(mq, pq)) {
          this.processQueueTable.delete(mq);
          changed = true;
          this.log.info('doRebalance, remove unnecessary mq', { group: this.consumerGroup, topic, queueId: mq.queueId });
        }
      } else if (pq.isPullExpired() && this.consumeType() === 'CONSUME_PASSIVELY') {
        pq.dropped = true;
        if (await this.removeUnnecessaryMessageQueue(mq, pq)) {
          this.processQueueTable.delete(mq);
          changed = true;
          this.log.error('[BUG]doRebalance, remove unnecessary mq, because pull is pause, so try to fixed it', { group: this.consumerGroup, topic, queueId: mq.queueId });
        }
      }
    }

    const pullRequests: PullRequest[] = [];
    for (const mq of mqSet) {
      if (this.processQueueTable.has(mq)) continue;
      if (isOrder && !(await this.lock(mq))) {
        this.log.warn('doRebalance, add new mq failed, because lock failed', { group: this.consumerGroup, topic, queueId: mq.queueId });
        continue;
      }
      this.removeDirtyOffset(mq);
      const pq = this.createProcessQueue();
      // 4.9.8 marks a new queue locked: an orderly queue only gets here after a successful lock.
      pq.locked = true;
      let nextOffset: number;
      try {
        nextOffset = await this.computePullFromWhereWithException(mq);
      } catch (e) {
        this.log.info('doRebalance, compute offset failed', { group: this.consumerGroup, topic, queueId: mq.queueId, error: errorText(e) });
        continue;
      }
      if (nextOffset < 0) {
        this.log.warn('doRebalance, add new mq failed', { group: this.consumerGroup, topic, queueId: mq.queueId });
        continue;
      }
      if (this.processQueueTable.has(mq)) continue;
      this.processQueueTable.set(mq, pq);
      this.log.info('doRebalance, add a new mq', { group: this.consumerGroup, topic, queueId: mq.queueId, nextOffset });
      pullRequests.push(new PullRequest(this.consumerGroup, mq, pq, nextOffset));
      changed = true;
    }
    this.dispatchPullRequest(pullRequests);
    return changed;
  }

  /** Drops a queue outside a rebalance round (offset moved, reset offset). */
  async removeProcessQueue(mq: MessageQueue): Promise<void> {
    const prev = this.processQueueTable.get(mq);
    if (prev === undefined) return;
    this.processQueueTable.delete(mq);
    const wasDropped = prev.dropped;
    prev.dropped = true;
    await this.removeUnnecessaryMessageQueue(mq, prev);
    this.log.info('Fix Offset, remove unnecessary mq', { group: this.consumerGroup, topic: mq.topic, queueId: mq.queueId, wasDropped });
  }

  // ---- broker queue locks (orderly, clustering) ---------------------------------------------------

  /** LOCK_BATCH_MQ for one queue on its master; marks every queue the broker granted. */
  async lock(mq: MessageQueue): Promise<boolean> {
    const found = this.mQClientFactory.findBrokerAddressInSubscribe(mq.brokerName, MASTER_ID, true);
    if (found === undefined) {
      this.onLockError(mq, new MQClientException(ClientErrorCode.CLIENT_STATE, `lock ${mq.topic}:${mq.queueId}: no master address for broker ${mq.brokerName}`, { retriable: true }));
      return false;
    }
    try {
      const locked = await this.lockBatch(found.brokerAddr, [mq]);
      this.markLocked(locked);
      const ok = locked.some((m) => compareMessageQueue(m, mq) === 0);
      this.log.info('message queue lock', { result: ok ? 'OK' : 'Failed', group: this.consumerGroup, topic: mq.topic, queueId: mq.queueId });
      if (!ok) this.onLockError(mq, lockRefused(mq, found.brokerAddr));
      return ok;
    } catch (e) {
      this.log.error('lockBatchMQ exception', { topic: mq.topic, queueId: mq.queueId, error: errorText(e) });
      this.onLockError(mq, e);
      return false;
    }
  }

  /** LOCK_BATCH_MQ for every owned queue, per broker; queues the broker refused are marked unlocked. */
  async lockAll(): Promise<void> {
    for (const [brokerName, mqs] of this.buildProcessQueueTableByBrokerName()) {
      const found = this.mQClientFactory.findBrokerAddressInSubscribe(brokerName, MASTER_ID, true);
      if (found === undefined || mqs.length === 0) continue;
      try {
        const lockOK = new MessageQueueMap<true>((await this.lockBatch(found.brokerAddr, mqs)).map((mq) => [mq, true] as const));
        this.markLocked(lockOK.keys());
        for (const mq of mqs) {
          if (lockOK.has(mq)) continue;
          const pq = this.processQueueTable.get(mq);
          if (pq !== undefined) {
            pq.locked = false;
            this.log.warn('the message queue locked Failed', { group: this.consumerGroup, topic: mq.topic, queueId: mq.queueId });
            this.onLockError(mq, lockRefused(mq, found.brokerAddr));
          }
        }
      } catch (e) {
        this.log.error('lockBatchMQ exception', { brokerName, error: errorText(e) });
        // Every queue of that broker keeps its previous lock state, which expires unless renewed.
        for (const mq of mqs) this.onLockError(mq, e);
      }
    }
  }

  async unlock(mq: MessageQueue, oneway: boolean): Promise<void> {
    const found = this.mQClientFactory.findBrokerAddressInSubscribe(mq.brokerName, MASTER_ID, true);
    if (found === undefined) return;
    try {
      await this.mQClientFactory.mQClientAPIImpl.unlockBatchMQ(
        found.brokerAddr,
        { consumerGroup: this.consumerGroup, clientId: this.mQClientFactory.clientId, mqSet: [mq] },
        REBALANCE_LOCK_TIMEOUT_MILLIS,
        oneway,
      );
      this.log.warn('unlock messageQueue', { group: this.consumerGroup, clientId: this.mQClientFactory.clientId, topic: mq.topic, queueId: mq.queueId });
    } catch (e) {
      this.log.error('unlockBatchMQ exception', { topic: mq.topic, queueId: mq.queueId, error: errorText(e) });
    }
  }

  async unlockAll(oneway: boolean): Promise<void> {
    for (const [brokerName, mqs] of this.buildProcessQueueTableByBrokerName()) {
      const found = this.mQClientFactory.findBrokerAddressInSubscribe(brokerName, MASTER_ID, true);
      if (found === undefined || mqs.length === 0) continue;
      try {
        await this.mQClientFactory.mQClientAPIImpl.unlockBatchMQ(
          found.brokerAddr,
          { consumerGroup: this.consumerGroup, clientId: this.mQClientFactory.clientId, mqSet: mqs },
          REBALANCE_LOCK_TIMEOUT_MILLIS,
          oneway,
        );
        for (const mq of mqs) {
          const pq = this.processQueueTable.get(mq);
          if (pq !== undefined) pq.locked = false;
        }
      } catch (e) {
        this.log.error('unlockBatchMQ exception', { brokerName, error: errorText(e) });
      }
    }
  }

  private lockBatch(addr: string, mqs: MessageQueue[]): Promise<MessageQueue[]> {
    return this.mQClientFactory.mQClientAPIImpl.lockBatchMQ(
      addr,
      { consumerGroup: this.consumerGroup, clientId: this.mQClientFactory.clientId, mqSet: mqs },
      REBALANCE_LOCK_TIMEOUT_MILLIS,
    );
  }

  private markLocked(mqs: Iterable<MessageQueue>): void {
    const now = Date.now();
    for (const mq of mqs) {
      const pq = this.processQueueTable.get(mq);
      if (pq === undefined) continue;
      if (!pq.locked) this.log.info('the message queue locked OK', { group: this.consumerGroup, topic: mq.topic, queueId: mq.queueId });
      pq.locked = true;
      pq.lastLockTimestamp = now;
    }
  }

  private buildProcessQueueTableByBrokerName(): Map<string, MessageQueue[]> {
    const result = new Map<string, MessageQueue[]>();
    for (const mq of this.processQueueTable.keys()) {
      let mqs = result.get(mq.brokerName);
      if (mqs === undefined) result.set(mq.brokerName, (mqs = []));
      mqs.push(mq);
    }
    return result;
  }
}

/** The broker answered LOCK_BATCH_MQ without `mq`: another client of the group holds its lock. */
function lockRefused(mq: MessageQueue, brokerAddr: string): MQClientException {
  return new MQClientException(ClientErrorCode.CLIENT_STATE, `lock ${mq.topic}:${mq.queueId} refused by ${brokerAddr}: held by another client of the group`, {
    retriable: true,
    context: { topic: mq.topic, queueId: mq.queueId, brokerAddr },
  });
}
