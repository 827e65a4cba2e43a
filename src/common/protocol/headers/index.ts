/** Every typed custom header of RocketMQ 4.9.8 this SDK speaks, and the helpers to use them. */
export * from './command-header.js';
export * from './rpc-request-header.js';
export * from './send-message.js';
export * from './pull-message.js';
export * from './consumer-offset.js';
export * from './queue-offset.js';
export * from './consumer-manage.js';
export * from './consumer-control.js';
export * from './query-message.js';
export * from './admin.js';
export * from './transaction.js';
export * from './namesrv/register-broker.js';
export * from './namesrv/route.js';
export * from './namesrv/kv-config.js';
