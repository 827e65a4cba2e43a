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
export { MQAdmin, type MQAdminOptions, type ClusterBrokerInfo, type ConsumerConnectionInfo, type ConsumerProgress, type QueueProgress, type ResetOffsetResult, type TopicQueueStatus } from './client/admin/index.js';
