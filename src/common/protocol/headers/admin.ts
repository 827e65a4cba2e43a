import { defineHeader, type HeaderType } from '../header.js';

/** Broker admin requests (PROTOCOL.md §2.1, §2.4): topics, subscription groups, connections, stats, config. */
export const CreateTopicRequestHeader = defineHeader('CreateTopicRequestHeader', {
  topic: { type: 'string', required: true },
  defaultTopic: { type: 'string', required: true },
  readQueueNums: { type: 'int', required: true },
  writeQueueNums: { type: 'int', required: true },
  perm: { type: 'int', required: true },
  /** `SINGLE_TAG` / `MULTI_TAG`. */
  topicFilterType: { type: 'string', required: true },
  topicSysFlag: { type: 'int' },
  /** `Boolean order = false`: always sent; the broker does not apply it (§2.4). */
  order: { type: 'boolean', required: true, default: false },
});
export type CreateTopicRequestHeader = HeaderType<typeof CreateTopicRequestHeader>;

export const DeleteTopicRequestHeader = defineHeader('DeleteTopicRequestHeader', {
  topic: { type: 'string', required: true },
});
export type DeleteTopicRequestHeader = HeaderType<typeof DeleteTopicRequestHeader>;

export const GetTopicStatsInfoRequestHeader = defineHeader('GetTopicStatsInfoRequestHeader', {
  topic: { type: 'string', required: true },
});
export type GetTopicStatsInfoRequestHeader = HeaderType<typeof GetTopicStatsInfoRequestHeader>;

export const QueryTopicConsumeByWhoRequestHeader = defineHeader('QueryTopicConsumeByWhoRequestHeader', {
  topic: { type: 'string', required: true },
});
export type QueryTopicConsumeByWhoRequestHeader = HeaderType<typeof QueryTopicConsumeByWhoRequestHeader>;

export const GetConsumerConnectionListRequestHeader = defineHeader('GetConsumerConnectionListRequestHeader', {
  consumerGroup: { type: 'string', required: true },
});
export type GetConsumerConnectionListRequestHeader = HeaderType<typeof GetConsumerConnectionListRequestHeader>;

export const GetProducerConnectionListRequestHeader = defineHeader('GetProducerConnectionListRequestHeader', {
  producerGroup: { type: 'string', required: true },
});
export type GetProducerConnectionListRequestHeader = HeaderType<typeof GetProducerConnectionListRequestHeader>;

export const GetConsumeStatsRequestHeader = defineHeader('GetConsumeStatsRequestHeader', {
  consumerGroup: { type: 'string', required: true },
  /** Absent ⇒ every topic the group has offsets for. */
  topic: { type: 'string' },
});
export type GetConsumeStatsRequestHeader = HeaderType<typeof GetConsumeStatsRequestHeader>;

export const DeleteSubscriptionGroupRequestHeader = defineHeader('DeleteSubscriptionGroupRequestHeader', {
  groupName: { type: 'string', required: true },
  removeOffset: { type: 'boolean', default: false },
});
export type DeleteSubscriptionGroupRequestHeader = HeaderType<typeof DeleteSubscriptionGroupRequestHeader>;

/** GET_BROKER_CONFIG (26) answer: `version` is the broker config's DataVersion as JSON text. */
export const GetBrokerConfigResponseHeader = defineHeader('GetBrokerConfigResponseHeader', {
  version: { type: 'string', required: true },
});
export type GetBrokerConfigResponseHeader = HeaderType<typeof GetBrokerConfigResponseHeader>;
