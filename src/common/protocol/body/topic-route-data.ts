import { encodeFastJson, STANDARD_JSON_OPTIONS } from '../json/fastjson-writer.js';
import { JsonObjectReader, keyToString, nodeToStringArray } from '../json/json-object-reader.js';
import type { JsonBean, JsonWritable } from '../json/json-value.js';
import { brokerDataFromJson, brokerDataToJson, type BrokerData } from './broker-data.js';
import { queueDataFromJson, queueDataToJson, type QueueData } from './queue-data.js';

/**
 * The GET_ROUTEINFO_BY_TOPIC (105) response body (common/protocol/route/TopicRouteData.java;
 * PROTOCOL.md §7.4). Two textual forms, both produced by the 4.9.8 name server:
 *   - legacy (plain fastjson): `"brokerAddrs":{0:"127.0.0.2:30911"}` (unquoted Long keys);
 *   - standard (BrowserCompatible + MapSortField): `"brokerAddrs":{"0":"127.0.0.2:30911"}`, map
 *     entries sorted by key, non-ASCII and `/` escaped, longs beyond 2^53 as strings.
 * Readers accept both.
 */
export interface TopicRouteData {
  /** Only set when the name server has orderMessageEnable and a KV entry: "brokerA:4;brokerB:4". */
  orderTopicConf?: string;
  queueDatas: QueueData[];
  brokerDatas: BrokerData[];
  /** brokerAddr → filter server addresses (always empty in 4.9 deployments). */
  filterServerTable: Map<string, string[]>;
}

export type TopicRouteJsonForm = 'standard' | 'legacy';

/** MQVersion.Version.V4_9_4.ordinal(): the first client version that gets standard JSON. */
export const STANDARD_JSON_ROUTE_MIN_VERSION = 401;

/**
 * Which form the 4.9.8 name server writes (DefaultRequestProcessor.getRouteInfoByTopic): standard
 * when the request's `version` ≥ 401 (V4_9_4) or its header says `acceptStandardJsonOnly=true`,
 * legacy otherwise (ali-ons sends 121, old Java clients < 401).
 */
export function selectTopicRouteJsonForm(requestVersion: number, acceptStandardJsonOnly?: boolean): TopicRouteJsonForm {
  return requestVersion >= STANDARD_JSON_ROUTE_MIN_VERSION || acceptStandardJsonOnly === true ? 'standard' : 'legacy';
}

export function topicRouteDataToJson(route: TopicRouteData): JsonBean {
  const filter = new Map<string, JsonWritable>();
  for (const [addr, servers] of route.filterServerTable) filter.set(addr, servers);
  return {
    brokerDatas: route.brokerDatas.map(brokerDataToJson),
    filterServerTable: filter,
    orderTopicConf: route.orderTopicConf,
    queueDatas: route.queueDatas.map(queueDataToJson),
  };
}

export function topicRouteDataFromJson(r: JsonObjectReader): TopicRouteData {
  const filter = new Map<string, string[]>();
  const path = r.sub('filterServerTable');
  for (const [k, v] of r.entries('filterServerTable')) {
    const addr = keyToString(k, path);
    filter.set(addr, nodeToStringArray(v, `${path}.${addr}`));
  }
  const route: TopicRouteData = {
    queueDatas: r.objects('queueDatas', queueDataFromJson),
    brokerDatas: r.objects('brokerDatas', brokerDataFromJson),
    filterServerTable: filter,
  };
  const conf = r.optString('orderTopicConf');
  if (conf !== undefined) route.orderTopicConf = conf;
  return route;
}

export function encodeTopicRouteData(route: TopicRouteData, form: TopicRouteJsonForm): Buffer {
  return encodeFastJson(topicRouteDataToJson(route), form === 'standard' ? STANDARD_JSON_OPTIONS : {});
}

/** Accepts both the legacy and the standard form. */
export function decodeTopicRouteData(body: Uint8Array): TopicRouteData {
  return topicRouteDataFromJson(JsonObjectReader.parse(body, 'TopicRouteData'));
}
