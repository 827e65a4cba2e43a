import { MAX_PROPERTIES_LENGTH, MAX_TOPIC_LENGTH, type MessageExtBrokerInner } from '../../common/message/index.js';
import { refused, type PutMessageResult } from './put-message-result.js';

/** Java's checkMessage: topic length, body size, properties length; the store stays untouched. */
export function checkMessage(msg: MessageExtBrokerInner, maxMessageSize: number): PutMessageResult | undefined {
  const topicLength = Buffer.byteLength(msg.topic, 'utf8');
  if (topicLength > MAX_TOPIC_LENGTH) return refused('MESSAGE_ILLEGAL', `topic is ${topicLength} bytes, more than ${MAX_TOPIC_LENGTH}`);
  if (msg.body.length > maxMessageSize) return refused('MESSAGE_ILLEGAL', `body of ${msg.body.length} bytes exceeds maxMessageSize ${maxMessageSize}`);
  const propertiesLength = Buffer.byteLength(msg.propertiesString(), 'utf8');
  if (propertiesLength > MAX_PROPERTIES_LENGTH) {
    return refused('PROPERTIES_SIZE_EXCEEDED', `properties are ${propertiesLength} bytes, more than ${MAX_PROPERTIES_LENGTH}`);
  }
  return undefined;
}
