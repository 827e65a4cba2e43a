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
