/** rocketmq-ts: the client SDK entry point. */
export * from './common/errors.js';
export * from './common/logging/logger.js';
