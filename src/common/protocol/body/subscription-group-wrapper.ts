import { encodeFastJson } from '../json/fastjson-writer.js';
import { JsonObjectReader, keyToString } from '../json/json-object-reader.js';
import type { JsonWritable } from '../json/json-value.js';
import { createDataVersion, dataVersionFromJson, dataVersionToJson, type DataVersion } from './data-version.js';
import {
  subscriptionGroupConfigFromJson,
  subscriptionGroupConfigToJson,
  type SubscriptionGroupConfig,
} from './subscription-group-config.js';

/**
 * subscriptionGroup.json (pretty, §6.7) and the GET_ALL_SUBSCRIPTIONGROUP_CONFIG (201) body
 * (common/protocol/body/SubscriptionGroupWrapper.java):
 * `{"dataVersion":{…},"subscriptionGroupTable":{"group":{SubscriptionGroupConfig}…}}`.
 */
export interface SubscriptionGroupWrapper {
  subscriptionGroupTable: Map<string, SubscriptionGroupConfig>;
  dataVersion: DataVersion;
}

export function encodeSubscriptionGroupWrapper(w: SubscriptionGroupWrapper, pretty = false): Buffer {
  const table = new Map<string, JsonWritable>();
  for (const [name, c] of w.subscriptionGroupTable) table.set(name, subscriptionGroupConfigToJson(c));
  return encodeFastJson({ dataVersion: dataVersionToJson(w.dataVersion), subscriptionGroupTable: table }, { pretty });
}

export function decodeSubscriptionGroupWrapper(body: Uint8Array | string): SubscriptionGroupWrapper {
  const r = JsonObjectReader.parse(body, 'SubscriptionGroupWrapper');
  const table = new Map<string, SubscriptionGroupConfig>();
  const path = r.sub('subscriptionGroupTable');
  for (const [k, v] of r.entries('subscriptionGroupTable')) {
    const name = keyToString(k, path);
    table.set(name, subscriptionGroupConfigFromJson(JsonObjectReader.of(v, `${path}.${name}`)));
  }
  const dv = r.optObject('dataVersion');
  return { subscriptionGroupTable: table, dataVersion: dv === undefined ? createDataVersion(0, 0) : dataVersionFromJson(dv) };
}
