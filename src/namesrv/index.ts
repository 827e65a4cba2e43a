/**
 * `rocketmq-ts/namesrv`: the reference name server (NamesrvController and its parts).
 */
export { NamesrvController, type NamesrvControllerOptions } from './namesrv-controller.js';
export { startNamesrv, type StartNamesrvOptions } from './start-namesrv.js';
export {
  NAMESRV_CONFIG_SCHEMA,
  DEFAULT_NAMESRV_PORT,
  BROKER_CHANNEL_EXPIRED_TIME_MILLIS,
  SCAN_NOT_ACTIVE_BROKER_INTERVAL_MILLIS,
  createNamesrvConfig,
  applyNamesrvConfig,
  type NamesrvConfig,
} from './namesrv-config.js';
export { RouteInfoManager, type BrokerLiveInfo, type RegisterBrokerResult, type RegisterBrokerArgs } from './routeinfo/route-info-manager.js';
export { NamesrvConfiguration, NamesrvConfigUpdateError, type NamesrvKey } from './namesrv-configuration.js';
export { KVConfigManager, NAMESPACE_ORDER_TOPIC_CONFIG } from './kvconfig/kv-config-manager.js';
export { DefaultRequestProcessor, APPLY_TOPIC_SUGGESTION } from './processor/default-request-processor.js';
export { RocketMQError } from '../common/errors.js';
// Data types of the protocol that the route tables hold and return.
export type { BrokerData } from '../common/protocol/body/broker-data.js';
export type { QueueData } from '../common/protocol/body/queue-data.js';
export type { DataVersion } from '../common/protocol/body/data-version.js';
export type { TopicConfigSerializeWrapper } from '../common/protocol/body/topic-config-serialize-wrapper.js';
export type { TopicConfig } from '../common/protocol/body/topic-config.js';
export type { TopicList } from '../common/protocol/body/topic-list.js';
