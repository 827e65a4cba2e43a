import { MAX_PROPERTIES_LENGTH, MAX_TOPIC_LENGTH, type MessageExtBrokerInner } from '../../common/message/index.js';
import { refused, type PutMessageResult } from './put-message-result.js';

/** Java's checkMessage: topic length, body size, properties length; the store stays untouched. */
export function checkMessage(msg: MessageExtBrokerInner, maxMessageSize: number): PutMessageResult | undefined {
  const topicLength = utf8LengthAbove(msg.topic, MAX_TOPIC_LENGTH);
  if (topicLength > MAX_TOPIC_LENGTH) return refused('MESSAGE_ILLEGAL', `topic is ${topicLength} bytes, more than ${MAX_TOPIC_LENGTH}`);
  if (msg.body.length > maxMessageSize) return refused('MESSAGE_ILLEGAL', `body of ${msg.body.length} bytes exceeds maxMessageSize ${maxMessageSize}`);
  const propertiesLength = utf8LengthAbove(msg.propertiesString(), MAX_PROPERTIES_LENGTH);
  if (propertiesLength > MAX_PROPERTIES_LENGTH) {
    return refused('PROPERTIES_SIZE_EXCEEDED', `properties are ${propertiesLength} bytes, more than ${MAX_PROPERTIES_LENGTH}`);
  }
  return undefined;
}

/** UTF-8 writes at most 3 bytes per UTF-16 code unit (a surrogate pair: 4 for 2). */
const MAX_UTF8_BYTES_PER_UNIT = 3;

/**
 * The UTF-8 byte length of `s` when it might exceed `limit`, else 0: a string short enough cannot, and
 * then the encoder's own measure is the only one (this check runs on every put).
 */
function utf8LengthAbove(s: string, limit: number): number {
  return s.length * MAX_UTF8_BYTES_PER_UNIT <= limit ? 0 : Buffer.byteLength(s, 'utf8');
}
