/**
 * Topic names the client treats specially (common/topic/TopicValidator.java, MixAll.java).
 */
export const TopicValidator = {
  /** Route template for topics the broker creates on first send (autoCreateTopicEnable). */
  AUTO_CREATE_TOPIC_KEY_TOPIC: 'TBW102',
  RMQ_SYS_SCHEDULE_TOPIC: 'SCHEDULE_TOPIC_XXXX',
  RMQ_SYS_BENCHMARK_TOPIC: 'BenchmarkTest',
  RMQ_SYS_TRANS_HALF_TOPIC: 'RMQ_SYS_TRANS_HALF_TOPIC',
  RMQ_SYS_TRACE_TOPIC: 'RMQ_SYS_TRACE_TOPIC',
  RMQ_SYS_TRANS_OP_HALF_TOPIC: 'RMQ_SYS_TRANS_OP_HALF_TOPIC',
  RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC: 'TRANS_CHECK_MAX_TIME_TOPIC',
  RMQ_SYS_SELF_TEST_TOPIC: 'SELF_TEST_TOPIC',
  RMQ_SYS_OFFSET_MOVED_EVENT: 'OFFSET_MOVED_EVENT',
  SYSTEM_TOPIC_PREFIX: 'rmq_sys_',
} as const;

/** MixAll.RETRY_GROUP_TOPIC_PREFIX / DLQ_GROUP_TOPIC_PREFIX. */
export const RETRY_GROUP_TOPIC_PREFIX = '%RETRY%';
export const DLQ_GROUP_TOPIC_PREFIX = '%DLQ%';
/** MixAll.CLIENT_INNER_PRODUCER_GROUP: the producer every Java MQClientInstance registers for itself. */
export const CLIENT_INNER_PRODUCER_GROUP = 'CLIENT_INNER_PRODUCER';
/** MixAll.DEFAULT_PRODUCER_GROUP. */
export const DEFAULT_PRODUCER_GROUP = 'DEFAULT_PRODUCER';

const T = TopicValidator;
const SYSTEM_TOPIC_SET: ReadonlySet<string> = new Set([
  T.AUTO_CREATE_TOPIC_KEY_TOPIC,
  T.RMQ_SYS_SCHEDULE_TOPIC,
  T.RMQ_SYS_BENCHMARK_TOPIC,
  T.RMQ_SYS_TRANS_HALF_TOPIC,
  T.RMQ_SYS_TRACE_TOPIC,
  T.RMQ_SYS_TRANS_OP_HALF_TOPIC,
  T.RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC,
  T.RMQ_SYS_SELF_TEST_TOPIC,
  T.RMQ_SYS_OFFSET_MOVED_EVENT,
]);

/** Topics a producer may never send to (the broker answers NO_PERMISSION too). */
const NOT_ALLOWED_SEND_TOPIC_SET: ReadonlySet<string> = new Set([
  T.RMQ_SYS_SCHEDULE_TOPIC,
  T.RMQ_SYS_TRANS_HALF_TOPIC,
  T.RMQ_SYS_TRANS_OP_HALF_TOPIC,
  T.RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC,
  T.RMQ_SYS_SELF_TEST_TOPIC,
  T.RMQ_SYS_OFFSET_MOVED_EVENT,
]);

export function isSystemTopic(topic: string): boolean {
  return SYSTEM_TOPIC_SET.has(topic) || topic.startsWith(T.SYSTEM_TOPIC_PREFIX);
}

export function isNotAllowedSendTopic(topic: string): boolean {
  return NOT_ALLOWED_SEND_TOPIC_SET.has(topic);
}

/** `^[%|a-zA-Z0-9_-]+$` as TopicValidator.isTopicOrGroupIllegal checks it (char table, no regex). */
const VALID_CHARS = /^[%|a-zA-Z0-9_-]+$/;

export function isTopicOrGroupIllegal(name: string): boolean {
  return !VALID_CHARS.test(name);
}
