import { ClientErrorCode, MQClientException } from '../common/errors.js';
import type { Message } from '../common/message/message.js';
import { ResponseCode } from '../common/protocol/response-code.js';
import { isNotAllowedSendTopic, isSystemTopic, isTopicOrGroupIllegal } from '../common/protocol/topic-validator.js';

/**
 * Java's client Validators. Error codes follow Java: topic and group problems are
 * `new MQClientException(msg, null)` (code -1), body problems carry MESSAGE_ILLEGAL (13).
 */
export const CHARACTER_MAX_LENGTH = 255;
export const TOPIC_MAX_LENGTH = 127;
const VALID_PATTERN_TEXT = '^[%|a-zA-Z0-9_-]+$';

export function checkGroup(group: string | undefined): void {
  if (group === undefined || group.trim() === '') throw invalid('the specified group is blank');
  if (group.length > CHARACTER_MAX_LENGTH) throw invalid('the specified group is longer than group max length 255.');
  if (isTopicOrGroupIllegal(group)) {
    throw invalid(`the specified group[${group}] contains illegal characters, allowing only ${VALID_PATTERN_TEXT}`);
  }
}

export function checkTopic(topic: string | undefined): void {
  if (topic === undefined || topic.trim() === '') throw invalid('The specified topic is blank');
  if (topic.length > TOPIC_MAX_LENGTH) throw invalid(`The specified topic is longer than topic max length ${TOPIC_MAX_LENGTH}.`);
  if (isTopicOrGroupIllegal(topic)) {
    throw invalid(`The specified topic[${topic}] contains illegal characters, allowing only ${VALID_PATTERN_TEXT}`);
  }
}

/** Validators.isSystemTopic (used when creating topics, not when sending). */
export function checkNotSystemTopic(topic: string): void {
  if (isSystemTopic(topic)) throw invalid(`The topic[${topic}] is conflict with system topic.`);
}

export function checkNotAllowedSendTopic(topic: string): void {
  if (isNotAllowedSendTopic(topic)) throw invalid(`Sending message to topic[${topic}] is forbidden.`);
}

/** Validators.checkMessage: topic rules, forbidden system topics, a non-empty body within maxMessageSize. */
export function checkMessage(msg: Message | undefined | null, maxMessageSize: number): void {
  if (msg === undefined || msg === null) throw illegal('the message is null');
  checkTopic(msg.topic);
  checkNotAllowedSendTopic(msg.topic);
  if (msg.body === undefined || msg.body === null) throw illegal('the message body is null');
  if (msg.body.length === 0) throw illegal('the message body length is zero');
  if (msg.body.length > maxMessageSize) throw illegal(`the message body size over max value, MAX: ${maxMessageSize}`);
}

function invalid(message: string): MQClientException {
  return new MQClientException(ClientErrorCode.CLIENT_VALIDATION, message);
}

function illegal(message: string): MQClientException {
  return new MQClientException(ResponseCode.MESSAGE_ILLEGAL, message);
}
