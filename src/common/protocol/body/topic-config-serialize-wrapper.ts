import { encodeFastJson } from '../json/fastjson-writer.js';
import { JsonObjectReader, keyToString } from '../json/json-object-reader.js';
import type { JsonBean, JsonWritable } from '../json/json-value.js';
import { createDataVersion, dataVersionFromJson, dataVersionToJson, type DataVersion } from './data-version.js';
import { topicConfigFromJson, topicConfigToJson, type TopicConfig } from './topic-config.js';

/**
 * TopicConfigSerializeWrapper: the broker's topic table with its DataVersion. It is topics.json
 * (pretty, §6.7), the GET_ALL_TOPIC_CONFIG body (compact, §2.4) and the heart of RegisterBrokerBody.
 * `topicConfigTable` iterates in the order it is written (Java: ConcurrentHashMap order); decoded
 * tables keep the peer's order so they re-encode byte for byte.
 */
export interface TopicConfigSerializeWrapper {
  topicConfigTable: Map<string, TopicConfig>;
  dataVersion: DataVersion;
}

export function createTopicConfigSerializeWrapper(): TopicConfigSerializeWrapper {
  return { topicConfigTable: new Map(), dataVersion: createDataVersion() };
}

export function topicConfigSerializeWrapperToJson(w: TopicConfigSerializeWrapper): JsonBean {
  const table = new Map<string, JsonWritable>();
  for (const [name, tc] of w.topicConfigTable) table.set(name, topicConfigToJson(tc));
  return { dataVersion: dataVersionToJson(w.dataVersion), topicConfigTable: table };
}

export function topicConfigSerializeWrapperFromJson(r: JsonObjectReader): TopicConfigSerializeWrapper {
  const table = new Map<string, TopicConfig>();
  const path = r.sub('topicConfigTable');
  for (const [k, v] of r.entries('topicConfigTable')) {
    const name = keyToString(k, path);
    table.set(name, topicConfigFromJson(JsonObjectReader.of(v, `${path}.${name}`)));
  }
  const dv = r.optObject('dataVersion');
  return { topicConfigTable: table, dataVersion: dv === undefined ? createDataVersion(0, 0) : dataVersionFromJson(dv) };
}

/** Compact for the wire; `pretty` for topics.json. */
export function encodeTopicConfigSerializeWrapper(w: TopicConfigSerializeWrapper, pretty = false): Buffer {
  return encodeFastJson(topicConfigSerializeWrapperToJson(w), { pretty });
}

export function decodeTopicConfigSerializeWrapper(body: Uint8Array | string): TopicConfigSerializeWrapper {
  return topicConfigSerializeWrapperFromJson(JsonObjectReader.parse(body, 'TopicConfigSerializeWrapper'));
}
