import { encodeFastJson } from '../json/fastjson-writer.js';
import { JsonObjectReader } from '../json/json-object-reader.js';
import type { JsonBean } from '../json/json-value.js';
import { MessageQueueMap, messageQueueMapFromJson, messageQueueMapToJson } from './message-queue-map.js';

/** One queue's offsets (common/admin/TopicOffset.java). */
export interface TopicOffset {
  minOffset: number;
  maxOffset: number;
  /** Store timestamp of the message at maxOffset − 1, or 0. */
  lastUpdateTimestamp: number;
}

/**
 * GET_TOPIC_STATS_INFO (202) response (common/admin/TopicStatsTable.java; PROTOCOL.md §2.4):
 * `{"offsetTable":{{MessageQueue}:{"lastUpdateTimestamp":…,"maxOffset":…,"minOffset":…}}}`.
 */
export interface TopicStatsTable {
  offsetTable: MessageQueueMap<TopicOffset>;
}

export function topicOffsetToJson(t: TopicOffset): JsonBean {
  return { lastUpdateTimestamp: t.lastUpdateTimestamp, maxOffset: t.maxOffset, minOffset: t.minOffset };
}

export function encodeTopicStatsTable(t: TopicStatsTable): Buffer {
  return encodeFastJson({ offsetTable: messageQueueMapToJson(t.offsetTable, topicOffsetToJson) });
}

export function decodeTopicStatsTable(body: Uint8Array): TopicStatsTable {
  const r = JsonObjectReader.parse(body, 'TopicStatsTable');
  return {
    offsetTable: messageQueueMapFromJson(r, 'offsetTable', (node, path) => {
      const o = JsonObjectReader.of(node, path);
      return {
        minOffset: o.long('minOffset', 0),
        maxOffset: o.long('maxOffset', 0),
        lastUpdateTimestamp: o.long('lastUpdateTimestamp', 0),
      };
    }),
  };
}
