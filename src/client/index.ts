/** The client SDK: client core (MQClientInstance and friends) and the producer. */
export { ClientConfig, CLIENT_CONFIG_DEFAULTS, DEFAULT_INSTANCE_NAME, getLocalAddress, parseNamesrvAddr, type ClientConfigOptions } from './client-config.js';
export { DefaultMQProducer, type SendOptions } from './producer/default-mq-producer.js';
export { DefaultMQProducerImpl, brokerVIPChannel, type ProducerServiceState } from './producer/default-mq-producer-impl.js';
export { PRODUCER_DEFAULTS, type DefaultMQProducerOptions } from './producer/producer-options.js';
export { SendResult, SendStatus, type SendCallback, type CommunicationMode } from './producer/send-result.js';
export {
  SelectMessageQueueByHash,
  SelectMessageQueueByMachineRoom,
  SelectMessageQueueByRandom,
  javaHashCode,
  type MessageQueueSelector,
} from './producer/message-queue-selector.js';
export { MessageBatch, splitMessages, batchEntrySize } from './producer/message-batch.js';
export type { SendMessageContext, SendMessageHook } from './producer/send-message-hook.js';
export { MQClientInstance, REBALANCE_WAIT_INTERVAL_MILLIS, type FindBrokerResult, type ServiceState, type DefaultTopicParams } from './impl/mq-client-instance.js';
export { MQClientManager } from './impl/mq-client-manager.js';
export { MQClientAPIImpl, type AsyncSendRetry } from './impl/mq-client-api.js';
export { PullStatus, processPullResponse, type PullResultExt } from './impl/pull-result.js';
export { DEFAULT_RETRY_RESPONSE_CODES, processSendResponse } from './impl/send-response.js';
export type { MQConsumerInner, MQProducerInner } from './impl/mq-inner.js';
export { ClientRemotingProcessor, CLIENT_REQUEST_CODES, type ClientRemotingHost } from './impl/client-remoting-processor.js';
export { MQFaultStrategy, DEFAULT_LATENCY_MAX, DEFAULT_NOT_AVAILABLE_DURATION } from './latency/mq-fault-strategy.js';
export { LatencyFaultTolerance } from './latency/latency-fault-tolerance.js';
export { TopicPublishInfo } from './route/topic-publish-info.js';
export { topicRouteData2TopicPublishInfo, topicRouteData2TopicSubscribeInfo, topicRouteDataIsChange } from './route/topic-route-info.js';
export * as Validators from './validators.js';
export { TopicValidator, RETRY_GROUP_TOPIC_PREFIX, DLQ_GROUP_TOPIC_PREFIX, CLIENT_INNER_PRODUCER_GROUP } from '../common/protocol/topic-validator.js';
export { wrapNamespace, withoutNamespace } from './namespace-util.js';
