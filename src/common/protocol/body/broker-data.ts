import { JsonObjectReader, keyToLong, nodeToString } from '../json/json-object-reader.js';
import type { JsonBean } from '../json/json-value.js';

/** MixAll.MASTER_ID: the brokerId of a master; slaves have ids > 0. */
export const MASTER_ID = 0;

/**
 * The addresses of one broker name (master + slaves) in one cluster
 * (common/protocol/route/BrokerData.java). `brokerAddrs` is a Java HashMap<Long, String>: fastjson
 * writes its keys unquoted (`{0:"10.0.0.1:10911"}`) except in standard-JSON routes (§7.4).
 */
export interface BrokerData {
  cluster: string;
  brokerName: string;
  brokerAddrs: Map<number, string>;
}

export function brokerDataToJson(b: BrokerData): JsonBean {
  return { brokerAddrs: b.brokerAddrs, brokerName: b.brokerName, cluster: b.cluster };
}

export function brokerDataFromJson(r: JsonObjectReader): BrokerData {
  const addrs = new Map<number, string>();
  const path = r.sub('brokerAddrs');
  for (const [k, v] of r.entries('brokerAddrs')) addrs.set(keyToLong(k, path), nodeToString(v, `${path}[${String(k)}]`));
  return { cluster: r.string('cluster', ''), brokerName: r.requiredString('brokerName'), brokerAddrs: addrs };
}

/** BrokerData.selectBrokerAddr: the master's address, else a random slave's; undefined if none. */
export function selectBrokerAddr(b: BrokerData, random: () => number = Math.random): string | undefined {
  const master = b.brokerAddrs.get(MASTER_ID);
  if (master !== undefined) return master;
  const addrs = [...b.brokerAddrs.values()];
  return addrs.length === 0 ? undefined : addrs[Math.floor(random() * addrs.length)];
}

/** BrokerData.compareTo: by brokerName. */
export function compareBrokerData(a: BrokerData, b: BrokerData): number {
  return a.brokerName < b.brokerName ? -1 : a.brokerName > b.brokerName ? 1 : 0;
}
