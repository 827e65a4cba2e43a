import { encodeFastJson } from '../json/fastjson-writer.js';
import { JsonObjectReader, keyToString, nodeToStringArray } from '../json/json-object-reader.js';
import type { JsonWritable } from '../json/json-value.js';
import { brokerDataFromJson, brokerDataToJson, type BrokerData } from './broker-data.js';

/**
 * The GET_BROKER_CLUSTER_INFO (106) body (common/protocol/body/ClusterInfo.java; PROTOCOL.md
 * §7.5). Always the legacy fastjson form: `brokerAddrs` keys unquoted.
 *   {"brokerAddrTable":{"broker-a":{"brokerAddrs":{0:"…"},"brokerName":"broker-a","cluster":"…"}},
 *    "clusterAddrTable":{"DefaultCluster":["broker-a"]}}
 */
export interface ClusterInfo {
  /** brokerName → BrokerData. */
  brokerAddrTable: Map<string, BrokerData>;
  /** clusterName → brokerNames (a Java Set). */
  clusterAddrTable: Map<string, string[]>;
}

export function encodeClusterInfo(info: ClusterInfo): Buffer {
  const brokers = new Map<string, JsonWritable>();
  for (const [name, bd] of info.brokerAddrTable) brokers.set(name, brokerDataToJson(bd));
  const clusters = new Map<string, JsonWritable>();
  for (const [name, set] of info.clusterAddrTable) clusters.set(name, new Set(set));
  return encodeFastJson({ brokerAddrTable: brokers, clusterAddrTable: clusters });
}

export function decodeClusterInfo(body: Uint8Array): ClusterInfo {
  const r = JsonObjectReader.parse(body, 'ClusterInfo');
  const brokerAddrTable = new Map<string, BrokerData>();
  const bPath = r.sub('brokerAddrTable');
  for (const [k, v] of r.entries('brokerAddrTable')) {
    const name = keyToString(k, bPath);
    brokerAddrTable.set(name, brokerDataFromJson(JsonObjectReader.of(v, `${bPath}.${name}`)));
  }
  const clusterAddrTable = new Map<string, string[]>();
  const cPath = r.sub('clusterAddrTable');
  for (const [k, v] of r.entries('clusterAddrTable')) {
    const name = keyToString(k, cPath);
    clusterAddrTable.set(name, nodeToStringArray(v, `${cPath}.${name}`));
  }
  return { brokerAddrTable, clusterAddrTable };
}

/** ClusterInfo.retrieveAllAddrByCluster: every address of every broker of a cluster. */
export function retrieveAllAddrByCluster(info: ClusterInfo, cluster: string): string[] {
  const out: string[] = [];
  for (const name of info.clusterAddrTable.get(cluster) ?? []) {
    const bd = info.brokerAddrTable.get(name);
    if (bd !== undefined) out.push(...bd.brokerAddrs.values());
  }
  return out;
}

/** ClusterInfo.retrieveAllClusterNames. */
export function retrieveAllClusterNames(info: ClusterInfo): string[] {
  return [...info.clusterAddrTable.keys()];
}
