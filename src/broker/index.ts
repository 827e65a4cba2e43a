/**
 * `rocketmq-ts/broker`: the reference broker (BrokerController, LocalCluster). The store and broker
 * services land here as their issues are built; today this entry exports the shared error types only.
 */
export { RocketMQError } from '../common/errors.js';
