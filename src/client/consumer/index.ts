/** The push consumer (DefaultMQPushConsumer and its engine), PROTOCOL.md §9, §11. */
export { DefaultMQPushConsumer, type PushConsumerEvents } from './default-mq-push-consumer.js';
export { DefaultMQPushConsumerImpl, type PushConsumerParts, type PushConsumerServiceState } from './default-mq-push-consumer-impl.js';
export { defaultPushConsumerParts } from './default-push-consumer-parts.js';
export {
  ACK_INDEX_ALL,
  ConsumeConcurrentlyContext,
  ConsumeConcurrentlyStatus,
  ConsumeOrderlyContext,
  ConsumeOrderlyStatus,
  orderlyListener,
  type ConcurrentlyListenerFn,
  type MessageListener,
  type MessageListenerConcurrently,
  type MessageListenerOrderly,
  type OrderlyListenerFn,
  type SubscribeListener,
} from './listener.js';
export { PUSH_CONSUMER_DEFAULTS, type DefaultMQPushConsumerOptions, type PushConsumerSettings } from './push-consumer-options.js';
export type { RebalanceResult } from './rebalance-impl.js';
export type { ConsumerErrorReporter, PushConsumerErrorEvent, PushConsumerErrorSource } from './consumer-error-event.js';
export { ReadOffsetType, type ConsumerOffsetStore, type ConsumerProcessQueue } from './consumer-spi.js';
export { PullSysFlag, buildPullSysFlag } from './pull-sys-flag.js';
export { ConsumeFromWhere, ConsumeType, MessageModel } from './consumer-enums.js';
export {
  AllocateMachineRoomNearby,
  AllocateMessageQueueAveragely,
  AllocateMessageQueueAveragelyByCircle,
  AllocateMessageQueueByConfig,
  AllocateMessageQueueByMachineRoom,
  AllocateMessageQueueConsistentHash,
  type AllocateMessageQueueStrategy,
  type HashFunction,
  type MachineRoomResolver,
} from './allocate/index.js';
