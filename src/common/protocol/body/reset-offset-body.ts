import { encodeFastJson } from '../json/fastjson-writer.js';
import { JsonObjectReader, nodeToLong } from '../json/json-object-reader.js';
import { MessageQueueMap, messageQueueMapFromJson, messageQueueMapToJson } from './message-queue-map.js';

/**
 * ResetOffsetBody `{"offsetTable":{{"brokerName":"b","queueId":0,"topic":"t"}:42,…}}`
 * (common/protocol/body/ResetOffsetBody.java; PROTOCOL.md §11.9): the broker's
 * INVOKE_BROKER_TO_RESET_OFFSET (222) response and RESET_CONSUMER_CLIENT_OFFSET (220) request body.
 * Queues are written as object keys (fastjson's form for a Map<MessageQueue, Long>).
 */
export interface ResetOffsetBody {
  offsetTable: MessageQueueMap<number>;
}

export function encodeResetOffsetBody(body: ResetOffsetBody): Buffer {
  return encodeFastJson({ offsetTable: messageQueueMapToJson(body.offsetTable, (v) => v) });
}

export function decodeResetOffsetBody(body: Uint8Array): ResetOffsetBody {
  const r = JsonObjectReader.parse(body, 'ResetOffsetBody');
  return { offsetTable: messageQueueMapFromJson(r, 'offsetTable', nodeToLong) };
}
