/**
 * Remoting body types (PROTOCOL.md §2.3, §6.7, §7, §8, §11.9). Each file holds one concept: a TS
 * shape plus `encodeX(x): Buffer` / `decodeX(body): X` (and `xToJson` / `xFromJson` for nesting).
 * Maps keep their iteration order on both sides, so decoded bodies re-encode byte for byte.
 */
export * from './data-version.js';
export * from './perm-name.js';
export * from './topic-config.js';
export * from './topic-config-serialize-wrapper.js';
export * from './register-broker-body.js';
export * from './queue-data.js';
export * from './broker-data.js';
export * from './topic-route-data.js';
export * from './cluster-info.js';
export * from './kv-table.js';
export * from './topic-list.js';
export * from './group-list.js';
export * from './message-queue.js';
export * from './message-queue-map.js';
export * from './consumer-enums.js';
export * from './subscription-data.js';
export * from './filter-api.js';
export * from './heartbeat-data.js';
export * from './lock-batch.js';
export * from './get-consumer-list-by-group-response-body.js';
export * from './reset-offset-body.js';
export * from './offset-moved-event.js';
export * from './connection.js';
export * from './consumer-connection.js';
export * from './consume-stats.js';
export * from './topic-stats-table.js';
export * from './subscription-group-config.js';
export * from './subscription-group-wrapper.js';
export * from './consumer-offset-serialize-wrapper.js';
export * from './delay-offset-serialize-wrapper.js';
export * from './consumer-running-info.js';
export * from './check-client-request-body.js';
export * from './consume-message-directly-result.js';
