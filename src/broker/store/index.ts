/** The message store core (issue 5): what the broker wires. */
export { DefaultMessageStore, type DefaultMessageStoreOptions } from './message-store.js';
export {
  MESSAGE_STORE_CONFIG_SCHEMA,
  applyMessageStoreConfig,
  commitLogDir,
  consumeQueueRootDir,
  createMessageStoreConfig,
  type BrokerRole,
  type FlushDiskType,
  type MessageStoreConfig,
} from './store-config.js';
export type { AppendMessageResult, PutMessageResult, PutMessageStatus } from './put-message-result.js';
export { isPutOk } from './put-message-result.js';
export type { GetMessageResult, GetMessageStatus, MessageFilter } from './get-message-result.js';
export type { CommitLogDispatcher, MessageArrivingListener, TagsCodeResolver } from './dispatcher.js';
export { CQ_STORE_UNIT_SIZE } from './consume-queue.js';
export { offset2FileName } from './mapped-file.js';
export type { QueryMessageResult } from './query-message.js';
export type { StoreRecoveryResult } from './store-recovery.js';
export { MAX_MANUAL_DELETE_FILE_TIMES, diskPartitionSpaceUsedRatio, type DiskUsedRatio } from './clean-commit-log-service.js';
export { StoreCheckpoint } from './checkpoint.js';
export { IndexService, type IndexCheckpoint, type MessageIndex, type QueryOffsetResult } from './index/index-service.js';
export { IndexServiceWorker, IndexWorkerError } from './index/index-service-worker.js';
