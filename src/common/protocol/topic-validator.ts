/**
 * TopicValidator and the topic/group name constants of MixAll (common/topic/TopicValidator.java,
 * common/MixAll.java): one table shared by the client (Validators) and the broker (msgCheck), so
 * both sides refuse the same names with the same words.
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

/** TopicValidator.TOPIC_MAX_LENGTH (the record stores the topic length in a signed byte). */
export const TOPIC_MAX_LENGTH = 127;

/** MixAll.RETRY_GROUP_TOPIC_PREFIX / DLQ_GROUP_TOPIC_PREFIX / REPLY_TOPIC_POSTFIX. */
export const RETRY_GROUP_TOPIC_PREFIX = '%RETRY%';
export const DLQ_GROUP_TOPIC_PREFIX = '%DLQ%';
export const REPLY_TOPIC_POSTFIX = 'REPLY_TOPIC';
/** MixAll.CLIENT_INNER_PRODUCER_GROUP: the producer every Java MQClientInstance registers for itself. */
export const CLIENT_INNER_PRODUCER_GROUP = 'CLIENT_INNER_PRODUCER';
/** MixAll.DEFAULT_PRODUCER_GROUP. */
export const DEFAULT_PRODUCER_GROUP = 'DEFAULT_PRODUCER';

export function getRetryTopic(group: string): string {
  return RETRY_GROUP_TOPIC_PREFIX + group;
}

export function getDLQTopic(group: string): string {
  return DLQ_GROUP_TOPIC_PREFIX + group;
}

const T = TopicValidator;

/** TopicValidator.SYSTEM_TOPIC_SET, in Java's declaration order. */
export const SYSTEM_TOPICS: readonly string[] = [
  T.AUTO_CREATE_TOPIC_KEY_TOPIC,
  T.RMQ_SYS_SCHEDULE_TOPIC,
  T.RMQ_SYS_BENCHMARK_TOPIC,
  T.RMQ_SYS_TRANS_HALF_TOPIC,
  T.RMQ_SYS_TRACE_TOPIC,
  T.RMQ_SYS_TRANS_OP_HALF_TOPIC,
  T.RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC,
  T.RMQ_SYS_SELF_TEST_TOPIC,
  T.RMQ_SYS_OFFSET_MOVED_EVENT,
];
const SYSTEM_TOPIC_SET: ReadonlySet<string> = new Set(SYSTEM_TOPICS);

/** Topics no producer may send to (NOT_ALLOWED_SEND_TOPIC_SET): the broker answers NO_PERMISSION. */
export const NOT_ALLOWED_SEND_TOPICS: ReadonlySet<string> = new Set([
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
  return NOT_ALLOWED_SEND_TOPICS.has(topic);
}

/** `^[%|a-zA-Z0-9_-]+$`, as TopicValidator.isTopicOrGroupIllegal checks it. */
const VALID_PATTERN = /^[%|a-zA-Z0-9_-]+$/;

export function isTopicOrGroupIllegal(name: string): boolean {
  return !VALID_PATTERN.test(name);
}

/** The broker's validateTopic verdict: undefined when valid, else Java's remark (SYSTEM_ERROR). */
export function validateTopic(topic: string): string | undefined {
  if (topic.trim().length === 0) return 'The specified topic is blank.';
  if (isTopicOrGroupIllegal(topic)) return 'The specified topic contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$';
  if (topic.length > TOPIC_MAX_LENGTH) return 'The specified topic is longer than topic max length.';
  return undefined;
}

/** Java's isNotAllowedSendTopic remark (NO_PERMISSION), or undefined. */
export function notAllowedSendRemark(topic: string): string | undefined {
  return isNotAllowedSendTopic(topic) ? `Sending message to topic[${topic}] is forbidden.` : undefined;
}
