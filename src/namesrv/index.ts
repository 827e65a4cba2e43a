/**
 * `rocketmq-ts/namesrv`: the reference name server (NamesrvController). The controller lands here
 * with its issue; today this entry exports the shared error types only.
 */
export { RocketMQError } from '../common/errors.js';
