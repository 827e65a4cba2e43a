/**
 * TopicValidator (common/topic/TopicValidator.java): topic name rules and the system topics. The
 * system-topic set is per broker here (Java keeps one static set), since several brokers may share a
 * process (LocalCluster, tests) and each adds its own cluster and broker names.
 */
export const TopicValidator = {
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

/** TopicValidator.TOPIC_MAX_LENGTH. */
export const TOPIC_MAX_LENGTH = 127;
const VALID_PATTERN = /^[%|a-zA-Z0-9_-]+$/;

/** MixAll.RETRY_GROUP_TOPIC_PREFIX / DLQ_GROUP_TOPIC_PREFIX / REPLY_TOPIC_POSTFIX. */
export const RETRY_GROUP_TOPIC_PREFIX = '%RETRY%';
export const DLQ_GROUP_TOPIC_PREFIX = '%DLQ%';
export const REPLY_TOPIC_POSTFIX = 'REPLY_TOPIC';

export function getRetryTopic(group: string): string {
  return RETRY_GROUP_TOPIC_PREFIX + group;
}

export function getDLQTopic(group: string): string {
  return DLQ_GROUP_TOPIC_PREFIX + group;
}

export const SYSTEM_TOPICS: readonly string[] = [
  TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC,
  TopicValidator.RMQ_SYS_SCHEDULE_TOPIC,
  TopicValidator.RMQ_SYS_BENCHMARK_TOPIC,
  TopicValidator.RMQ_SYS_TRANS_HALF_TOPIC,
  TopicValidator.RMQ_SYS_TRACE_TOPIC,
  TopicValidator.RMQ_SYS_TRANS_OP_HALF_TOPIC,
  TopicValidator.RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC,
  TopicValidator.RMQ_SYS_SELF_TEST_TOPIC,
  TopicValidator.RMQ_SYS_OFFSET_MOVED_EVENT,
];

/** Topics no producer may send to (NOT_ALLOWED_SEND_TOPIC_SET). */
export const NOT_ALLOWED_SEND_TOPICS: ReadonlySet<string> = new Set([
  TopicValidator.RMQ_SYS_SCHEDULE_TOPIC,
  TopicValidator.RMQ_SYS_TRANS_HALF_TOPIC,
  TopicValidator.RMQ_SYS_TRANS_OP_HALF_TOPIC,
  TopicValidator.RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC,
  TopicValidator.RMQ_SYS_SELF_TEST_TOPIC,
  TopicValidator.RMQ_SYS_OFFSET_MOVED_EVENT,
]);

/** validateTopic's verdict: undefined when valid, else Java's remark (answered with SYSTEM_ERROR). */
export function validateTopic(topic: string): string | undefined {
  if (topic.trim().length === 0) return 'The specified topic is blank.';
  if (!VALID_PATTERN.test(topic)) return 'The specified topic contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$';
  if (topic.length > TOPIC_MAX_LENGTH) return 'The specified topic is longer than topic max length.';
  return undefined;
}

/** Java's isNotAllowedSendTopic remark (NO_PERMISSION), or undefined. */
export function notAllowedSendRemark(topic: string): string | undefined {
  return NOT_ALLOWED_SEND_TOPICS.has(topic) ? `Sending message to topic[${topic}] is forbidden.` : undefined;
}
