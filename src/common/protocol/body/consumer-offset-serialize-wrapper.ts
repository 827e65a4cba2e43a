import { encodeFastJson } from '../json/fastjson-writer.js';
import { JsonObjectReader, keyToLong, keyToString, nodeToLong } from '../json/json-object-reader.js';
import type { JsonWritable } from '../json/json-value.js';

/** The separator of consumerOffset.json keys: `"<topic>@<group>"` (ConsumerOffsetManager.TOPIC_GROUP_SEPARATOR). */
export const TOPIC_GROUP_SEPARATOR = '@';

/**
 * consumerOffset.json (pretty, §6.7) and the GET_ALL_CONSUMER_OFFSET (43) body
 * (ConsumerOffsetManager / common/protocol/body/ConsumerOffsetSerializeWrapper.java):
 *   {"offsetTable":{"FixT@FixG":{0:3,1:3,2:2,3:3},…}}
 * The inner maps are ConcurrentMap<Integer, Long>: queueId keys unquoted.
 */
export interface ConsumerOffsetSerializeWrapper {
  /** `topic@group` → queueId → next offset to consume. */
  offsetTable: Map<string, Map<number, number>>;
}

export function encodeConsumerOffsetSerializeWrapper(w: ConsumerOffsetSerializeWrapper, pretty = false): Buffer {
  const table = new Map<string, JsonWritable>();
  for (const [key, offsets] of w.offsetTable) table.set(key, offsets);
  return encodeFastJson({ offsetTable: table }, { pretty });
}

export function decodeConsumerOffsetSerializeWrapper(body: Uint8Array | string): ConsumerOffsetSerializeWrapper {
  const r = JsonObjectReader.parse(body, 'ConsumerOffsetSerializeWrapper');
  const offsetTable = new Map<string, Map<number, number>>();
  const path = r.sub('offsetTable');
  for (const [k, v] of r.entries('offsetTable')) {
    const key = keyToString(k, path);
    const inner = JsonObjectReader.of(v, `${path}.${key}`);
    const offsets = new Map<number, number>();
    for (const [qk, qv] of inner.node) {
      if (qv === null) continue;
      offsets.set(keyToLong(qk, inner.path), nodeToLong(qv, `${inner.path}[${String(qk)}]`));
    }
    offsetTable.set(key, offsets);
  }
  return { offsetTable };
}

/** Splits a `topic@group` key; like ConsumerOffsetManager, anything but exactly two parts is rejected. */
export function splitTopicAtGroup(key: string): { topic: string; group: string } | undefined {
  const parts = key.split(TOPIC_GROUP_SEPARATOR);
  return parts.length === 2 ? { topic: parts[0] as string, group: parts[1] as string } : undefined;
}
