import type { MessageExt } from '../../common/message/message-ext.js';
import type { ConsumeMessageDirectlyResult } from '../../common/protocol/body/consume-message-directly-result.js';
import type { ConsumerRunningInfo } from '../../common/protocol/body/consumer-running-info.js';
import type { ConsumeFromWhere, ConsumeType, MessageModel } from '../../common/protocol/body/consumer-enums.js';
import type { MessageQueueMap } from '../../common/protocol/body/message-queue-map.js';
import type { MessageQueue } from '../../common/protocol/body/message-queue.js';
import type { SubscriptionData } from '../../common/protocol/body/subscription-data.js';
import type { CheckTransactionStateRequestHeader } from '../../common/protocol/headers/transaction.js';
import type { TopicPublishInfo } from '../route/topic-publish-info.js';

/**
 * What MQClientInstance needs from a producer registered with it (Java's MQProducerInner): the topics
 * to keep routes for, where to put new routes, and the transaction check-back.
 */
export interface MQProducerInner {
  getPublishTopicList(): Iterable<string>;
  /** True when the producer has no usable publish info for `topic` (forces a route update). */
  isPublishTopicNeedUpdate(topic: string): boolean;
  updateTopicPublishInfo(topic: string, info: TopicPublishInfo): void;
  isUnitMode(): boolean;
  /** CHECK_TRANSACTION_STATE from a broker; only transactional producers implement it. */
  checkTransactionState?(addr: string, msg: MessageExt, header: CheckTransactionStateRequestHeader): void;
}

/**
 * What MQClientInstance needs from a consumer registered with it (Java's MQConsumerInner): its
 * heartbeat data, rebalancing, routes, offsets and the admin hooks of ClientRemotingProcessor. Methods
 * may be async; the instance awaits them and logs failures.
 */
export interface MQConsumerInner {
  groupName(): string;
  messageModel(): MessageModel;
  consumeType(): ConsumeType;
  consumeFromWhere(): ConsumeFromWhere;
  /** The subscriptions sent in heartbeats (including %RETRY%<group> for clustering push consumers). */
  subscriptions(): SubscriptionData[];
  isUnitMode(): boolean;
  /** Called by the rebalance service every 20 s and when the broker says the group changed. */
  doRebalance(): Promise<void> | void;
  /** Called every persistConsumerOffsetInterval and at shutdown. */
  persistConsumerOffset(): Promise<void> | void;
  updateTopicSubscribeInfo(topic: string, info: MessageQueue[]): void;
  isSubscribeTopicNeedUpdate(topic: string): boolean;
  /** GET_CONSUMER_RUNNING_INFO; the instance adds the client-level properties. */
  consumerRunningInfo(): ConsumerRunningInfo;
  /** RESET_CONSUMER_CLIENT_OFFSET (admin resetOffsetByTime). */
  resetOffset?(topic: string, offsetTable: MessageQueueMap<number>): Promise<void> | void;
  /** CONSUME_MESSAGE_DIRECTLY (admin consumeMessage). */
  consumeMessageDirectly?(msg: MessageExt, brokerName: string | undefined): Promise<ConsumeMessageDirectlyResult> | ConsumeMessageDirectlyResult;
}
