/**
 * `rocketmq-ts/broker`: the reference broker — BrokerController, LocalCluster (an in-process name
 * server + broker for tests and CI), and its configuration.
 */
export { RocketMQError } from '../common/errors.js';
export { BrokerController, type BrokerControllerOptions } from './broker-controller.js';
export { LocalCluster, type LocalClusterOptions, RMQ_LOCAL_BROKER_PORT_ENV, RMQ_LOCAL_NAMESRV_PORT_ENV } from './local-cluster.js';
export {
  BROKER_CONFIG_SCHEMA,
  createBrokerConfig,
  loadBrokerConfigs,
  type BrokerConfig,
  type BrokerConfigs,
} from './broker-config.js';
export {
  createMessageStoreConfig,
  MESSAGE_STORE_CONFIG_SCHEMA,
  type BrokerRole,
  type FlushDiskType,
  type MessageStoreConfig,
} from './store/store-config.js';
export type { ConfigKeySpec, ConfigOf, ConfigSchema, ConfigValueType } from '../common/util/config-schema.js';
