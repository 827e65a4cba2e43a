import { encodeFastJson } from '../json/fastjson-writer.js';
import { JsonObjectReader } from '../json/json-object-reader.js';
import { javaDouble, type JsonBean } from '../json/json-value.js';
import { MessageQueueMap, messageQueueMapFromJson, messageQueueMapToJson } from './message-queue-map.js';

/** Per-queue progress of a group (common/admin/OffsetWrapper.java). */
export interface OffsetWrapper {
  brokerOffset: number;
  consumerOffset: number;
  /** Store timestamp of the last consumed message (0 if unknown). */
  lastTimestamp: number;
}

/**
 * GET_CONSUME_STATS (208) response (common/admin/ConsumeStats.java; PROTOCOL.md §2.4):
 * `{"consumeTps":0.0,"offsetTable":{{MessageQueue}:{"brokerOffset":…,"consumerOffset":…,"lastTimestamp":…}}}`.
 */
export interface ConsumeStats {
  offsetTable: MessageQueueMap<OffsetWrapper>;
  /** A Java double: written `0.0`, `12.5`. */
  consumeTps: number;
}

export function offsetWrapperToJson(o: OffsetWrapper): JsonBean {
  return { brokerOffset: o.brokerOffset, consumerOffset: o.consumerOffset, lastTimestamp: o.lastTimestamp };
}

export function encodeConsumeStats(cs: ConsumeStats): Buffer {
  return encodeFastJson({
    consumeTps: javaDouble(cs.consumeTps),
    offsetTable: messageQueueMapToJson(cs.offsetTable, offsetWrapperToJson),
  });
}

export function decodeConsumeStats(body: Uint8Array): ConsumeStats {
  const r = JsonObjectReader.parse(body, 'ConsumeStats');
  return {
    consumeTps: r.double('consumeTps', 0),
    offsetTable: messageQueueMapFromJson(r, 'offsetTable', (node, path) => {
      const o = JsonObjectReader.of(node, path);
      return {
        brokerOffset: o.long('brokerOffset', 0),
        consumerOffset: o.long('consumerOffset', 0),
        lastTimestamp: o.long('lastTimestamp', 0),
      };
    }),
  };
}

/** ConsumeStats.computeTotalDiff: Σ (brokerOffset − consumerOffset), the group's lag. */
export function computeTotalDiff(cs: ConsumeStats): number {
  let diff = 0;
  for (const o of cs.offsetTable.values()) diff += o.brokerOffset - o.consumerOffset;
  return diff;
}
