/** rocketmq-ts: the client SDK entry point. */
export * from './common/errors.js';
export * from './common/logging/logger.js';
export * from './client/index.js';
export { Message } from './common/message/message.js';
export { MessageExt } from './common/message/message-ext.js';
export { MessageConst } from './common/message/message-const.js';
export type { MessageQueue } from './common/protocol/body/message-queue.js';
export { ResponseCode } from './common/protocol/response-code.js';
export * from './client/consumer/index.js';
export {
  MQAdmin,
  MQAdminAPI,
  MessageQueries,
  type AdminContext,
  type BrokerConfigEntry,
  type ClusterBrokerInfo,
  type ConsumerConnectionInfo,
  type ConsumerProgress,
  type GroupConsumeSummary,
  type MessageTrack,
  type MQAdminOptions,
  type QueueOffset,
  type QueueProgress,
  type ResetOffsetResult,
  type RollbackStats,
  type SubscriptionView,
  type TopicConsumers,
  type TopicQueueStatus,
  type ToolsPullResult,
  type TrackType,
} from './client/admin/index.js';
// Data types of the protocol that the API takes or returns (Java's protocol body classes).
export type { SocketAddress } from './common/message/socket-address.js';
export { createTopicConfig, type TopicConfig } from './common/protocol/body/topic-config.js';
export { createSubscriptionGroupConfig, type SubscriptionGroupConfig } from './common/protocol/body/subscription-group-config.js';
export type { ClusterInfo } from './common/protocol/body/cluster-info.js';
export type { TopicList } from './common/protocol/body/topic-list.js';
export type { TopicRouteData } from './common/protocol/body/topic-route-data.js';
export type { BrokerData } from './common/protocol/body/broker-data.js';
export type { QueueData } from './common/protocol/body/queue-data.js';
export type { Connection } from './common/protocol/body/connection.js';
export type { ConsumeMessageDirectlyResult } from './common/protocol/body/consume-message-directly-result.js';
export type { ConsumerRunningInfo, ConsumeStatus, ProcessQueueInfo } from './common/protocol/body/consumer-running-info.js';
export type { ConsumeStats, OffsetWrapper } from './common/protocol/body/consume-stats.js';
export type { ConsumerConnection } from './common/protocol/body/consumer-connection.js';
export type { KVTable } from './common/protocol/body/kv-table.js';
export type { TopicOffset, TopicStatsTable } from './common/protocol/body/topic-stats-table.js';
export type { SubscriptionData } from './common/protocol/body/subscription-data.js';
export type { ConsumerData, HeartbeatData, ProducerData } from './common/protocol/body/heartbeat-data.js';
export { MessageQueueMap } from './common/protocol/body/message-queue-map.js';
