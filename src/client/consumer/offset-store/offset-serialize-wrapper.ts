import { MessageQueueMap, messageQueueMapFromJson, messageQueueMapToJson } from '../../../common/protocol/body/message-queue-map.js';
import { encodeFastJson } from '../../../common/protocol/json/fastjson-writer.js';
import { JsonObjectReader, nodeToLong } from '../../../common/protocol/json/json-object-reader.js';

/**
 * The client's OffsetSerializeWrapper (client/consumer/store), LocalFileOffsetStore's offsets.json.
 * Java writes it with `toJson(true)` — fastjson pretty, tab-indented, queues as object keys:
 *
 *   {
 *   →"offsetTable":{{
 *   →→→"brokerName":"broker-a",
 *   →→→"queueId":0,
 *   →→→"topic":"TopicTest"
 *   →→}:42
 *   →}
 *   }
 */
export interface OffsetSerializeWrapper {
  offsetTable: MessageQueueMap<number>;
}

export function encodeOffsetSerializeWrapper(w: OffsetSerializeWrapper): Buffer {
  return encodeFastJson({ offsetTable: messageQueueMapToJson(w.offsetTable, (v) => v) }, { pretty: true });
}

/** Throws (RemotingCommandException) on text that is not such a document. */
export function decodeOffsetSerializeWrapper(text: Uint8Array | string): OffsetSerializeWrapper {
  const r = JsonObjectReader.parse(text, 'OffsetSerializeWrapper');
  return { offsetTable: messageQueueMapFromJson(r, 'offsetTable', nodeToLong) };
}
