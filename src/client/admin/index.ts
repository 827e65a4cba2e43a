/** The admin client (issue 11): MQAdmin, like Java's DefaultMQAdminExt, with typed results. */
export { MQAdmin, type MQAdminOptions } from './mq-admin.js';
export { MQAdminAPI, AUTO_CREATE_TOPIC_KEY_TOPIC } from './mq-admin-api.js';
export { MessageQueries, TOOLS_CONSUMER_GROUP, PULL_BATCH_SIZE, type ToolsPullResult } from './message-queries.js';
export { RESET_TO_MAX_OFFSET } from './reset-offset.js';
export type { AdminContext } from './admin-context.js';
export type {
  BrokerConfigEntry,
  GroupConsumeSummary,
  ClusterBrokerInfo,
  ConsumerConnectionInfo,
  ConsumerProgress,
  MessageTrack,
  QueueOffset,
  QueueProgress,
  ResetOffsetResult,
  RollbackStats,
  SubscriptionView,
  TopicConsumers,
  TopicQueueStatus,
  TrackType,
} from './admin-types.js';
