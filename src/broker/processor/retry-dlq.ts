import { randomInt } from 'node:crypto';

import { PermName } from '../../common/protocol/body/perm-name.js';
import type { SubscriptionGroupConfig } from '../../common/protocol/body/subscription-group-config.js';
import type { TopicConfig } from '../../common/protocol/body/topic-config.js';
import type { TopicConfigManager } from '../topic/topic-config-manager.js';
import { getDLQTopic } from '../../common/protocol/topic-validator.js';

/*
 * The retry / dead-letter decision shared by CONSUMER_SEND_MSG_BACK and sends straight to a
 * `%RETRY%<group>` topic (SendMessageProcessor.asyncConsumerSendMsgBack / handleRetryAndDLQ,
 * PROTOCOL.md §11.4).
 */

/** SendMessageProcessor.DLQ_NUMS_PER_GROUP: a DLQ has one queue. */
export const DLQ_NUMS_PER_GROUP = 1;
/**
 * MQVersion.Version.V3_4_9.ordinal(): from this client version on, a request's maxReconsumeTimes
 * overrides the group's retryMaxTimes (V4_9_8 is 409, counting the enum's entries gives 121).
 */
export const V3_4_9 = 121;
/** Java draws `nextInt(99999999) % queueNums` for a retry or DLQ queue. */
const RANDOM_QUEUE_BOUND = 99_999_999;
/** Send-back without a level: `3 + reconsumeTimes` (10 s, 30 s, 1 m … with the default table). */
export const SEND_BACK_BASE_DELAY_LEVEL = 3;

/** maxReconsumeTimes: the header's value for clients ≥ V3_4_9 that send one, else the group's retryMaxTimes. */
export function maxReconsumeTimesOf(group: SubscriptionGroupConfig, requestVersion: number, headerMaxReconsumeTimes: number | undefined): number {
  return requestVersion >= V3_4_9 && headerMaxReconsumeTimes !== undefined ? headerMaxReconsumeTimes : group.retryMaxTimes;
}

/** A random queue among `queueNums`, drawn as Java draws it. */
export function randomQueueId(queueNums: number): number {
  return randomInt(RANDOM_QUEUE_BOUND) % Math.max(1, queueNums);
}

/**
 * `%DLQ%<group>` as Java 4.9.8 creates it on the way to the dead-letter queue: one queue, PERM_WRITE |
 * PERM_READ (both asyncConsumerSendMsgBack and handleRetryAndDLQ in 4.9.8), topicSysFlag 0.
 */
export function createDLQTopic(tcm: Pick<TopicConfigManager, 'createTopicInSendMessageBackMethod'>, group: string): TopicConfig {
  return tcm.createTopicInSendMessageBackMethod(getDLQTopic(group), DLQ_NUMS_PER_GROUP, PermName.PERM_WRITE | PermName.PERM_READ, 0);
}
