import { encodeFastJson } from '../json/fastjson-writer.js';
import { JsonObjectReader } from '../json/json-object-reader.js';

/**
 * TopicList `{"brokerAddr":"…","topicList":["A","B"]}` (common/protocol/body/TopicList.java):
 * GET_ALL_TOPIC_LIST_FROM_NAMESERVER, GET_TOPICS_BY_CLUSTER, the system topic lists (which also
 * set brokerAddr). `topicList` is a Java Set.
 */
export interface TopicList {
  topicList: string[];
  brokerAddr?: string;
}

export function encodeTopicList(list: TopicList): Buffer {
  return encodeFastJson({ brokerAddr: list.brokerAddr, topicList: new Set(list.topicList) });
}

export function decodeTopicList(body: Uint8Array): TopicList {
  const r = JsonObjectReader.parse(body, 'TopicList');
  const out: TopicList = { topicList: r.strings('topicList') };
  const addr = r.optString('brokerAddr');
  if (addr !== undefined) out.brokerAddr = addr;
  return out;
}
