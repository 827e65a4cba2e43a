import { encodeFastJson } from '../json/fastjson-writer.js';
import { JsonObjectReader } from '../json/json-object-reader.js';
import { messageQueueFromJson, messageQueueToJson, type MessageQueue } from './message-queue.js';

/**
 * OffsetMovedEvent (common/protocol/topic/OffsetMovedEvent.java): the body of the message a broker
 * stores in OFFSET_MOVED_EVENT when it corrects a consumer's pull offset (PULL_OFFSET_MOVED), as
 * fastjson writes a bean: `{"consumerGroup":"G","messageQueue":{"brokerName":"b","queueId":0,
 * "topic":"T"},"offsetNew":5,"offsetRequest":1}`.
 */
export interface OffsetMovedEvent {
  consumerGroup: string;
  messageQueue: MessageQueue;
  offsetRequest: number;
  offsetNew: number;
}

export function encodeOffsetMovedEvent(e: OffsetMovedEvent): Buffer {
  return encodeFastJson({
    consumerGroup: e.consumerGroup,
    messageQueue: messageQueueToJson(e.messageQueue),
    offsetNew: e.offsetNew,
    offsetRequest: e.offsetRequest,
  });
}

export function decodeOffsetMovedEvent(body: Uint8Array): OffsetMovedEvent {
  const r = JsonObjectReader.parse(body, 'OffsetMovedEvent');
  const mq = r.optObject('messageQueue');
  if (mq === undefined) throw new Error('OffsetMovedEvent: messageQueue is missing');
  return {
    consumerGroup: r.requiredString('consumerGroup'),
    messageQueue: messageQueueFromJson(mq),
    offsetRequest: r.long('offsetRequest', 0),
    offsetNew: r.long('offsetNew', 0),
  };
}
