import { encodeFastJson } from '../json/fastjson-writer.js';
import { JsonObjectReader, keyToString, nodeToString } from '../json/json-object-reader.js';
import { javaDouble, type JsonBean, type JsonWritable } from '../json/json-value.js';
import { compareMessageQueue } from './message-queue.js';
import { MessageQueueMap, messageQueueMapFromJson, messageQueueMapToJson } from './message-queue-map.js';
import {
  compareSubscriptionData,
  subscriptionDataFromJson,
  subscriptionDataToJson,
  type SubscriptionData,
} from './subscription-data.js';

/** Property names a client adds to ConsumerRunningInfo.properties (§8.4). */
export const ConsumerRunningInfoProps = {
  PROP_NAMESERVER_ADDR: 'PROP_NAMESERVER_ADDR',
  PROP_THREADPOOL_CORE_SIZE: 'PROP_THREADPOOL_CORE_SIZE',
  PROP_CONSUME_ORDERLY: 'PROP_CONSUMEORDERLY',
  PROP_CONSUME_TYPE: 'PROP_CONSUME_TYPE',
  PROP_CLIENT_VERSION: 'PROP_CLIENT_VERSION',
  PROP_CONSUMER_START_TIMESTAMP: 'PROP_CONSUMER_START_TIMESTAMP',
} as const;

/** A ProcessQueue snapshot (common/protocol/body/ProcessQueueInfo.java). `droped` is Java's spelling. */
export interface ProcessQueueInfo {
  commitOffset: number;
  cachedMsgMinOffset: number;
  cachedMsgMaxOffset: number;
  cachedMsgCount: number;
  cachedMsgSizeInMiB: number;
  transactionMsgMinOffset: number;
  transactionMsgMaxOffset: number;
  transactionMsgCount: number;
  locked: boolean;
  tryUnlockTimes: number;
  lastLockTimestamp: number;
  droped: boolean;
  lastPullTimestamp: number;
  lastConsumeTimestamp: number;
}

/** Per-topic consumption statistics (common/protocol/body/ConsumeStatus.java); RT/TPS are doubles. */
export interface ConsumeStatus {
  pullRT: number;
  pullTPS: number;
  consumeRT: number;
  consumeOKTPS: number;
  consumeFailedTPS: number;
  consumeFailedMsgs: number;
}

/**
 * The client's answer to GET_CONSUMER_RUNNING_INFO (307) (common/protocol/body/ConsumerRunningInfo.java;
 * PROTOCOL.md §8.4). Java keeps subscriptionSet, mqTable and statusTable in Tree collections, so the
 * encoder writes them sorted (SubscriptionData / MessageQueue / topic order) whatever their order here;
 * `properties` (a java.util.Properties) is written in Map order.
 */
export interface ConsumerRunningInfo {
  properties: Map<string, string>;
  subscriptionSet: SubscriptionData[];
  mqTable: MessageQueueMap<ProcessQueueInfo>;
  statusTable: Map<string, ConsumeStatus>;
  jstack?: string;
}

const PROCESS_QUEUE_INFO_LONGS = [
  'cachedMsgMaxOffset',
  'cachedMsgMinOffset',
  'commitOffset',
  'lastConsumeTimestamp',
  'lastLockTimestamp',
  'lastPullTimestamp',
  'transactionMsgMaxOffset',
  'transactionMsgMinOffset',
  'tryUnlockTimes',
] as const;
const PROCESS_QUEUE_INFO_INTS = ['cachedMsgCount', 'cachedMsgSizeInMiB', 'transactionMsgCount'] as const;
const CONSUME_STATUS_DOUBLES = ['consumeFailedTPS', 'consumeOKTPS', 'consumeRT', 'pullRT', 'pullTPS'] as const;

export function processQueueInfoToJson(p: ProcessQueueInfo): JsonBean {
  // Listed explicitly so stray runtime properties never leak into the body.
  const bean: Record<string, JsonWritable> = { droped: p.droped, locked: p.locked };
  for (const k of PROCESS_QUEUE_INFO_LONGS) bean[k] = p[k];
  for (const k of PROCESS_QUEUE_INFO_INTS) bean[k] = p[k];
  return bean;
}

export function consumeStatusToJson(s: ConsumeStatus): JsonBean {
  const bean: Record<string, JsonWritable> = { consumeFailedMsgs: s.consumeFailedMsgs };
  for (const k of CONSUME_STATUS_DOUBLES) bean[k] = javaDouble(s[k]);
  return bean;
}

export function encodeConsumerRunningInfo(info: ConsumerRunningInfo): Buffer {
  const mqTable = new MessageQueueMap<ProcessQueueInfo>(
    [...info.mqTable].sort(([a], [b]) => compareMessageQueue(a, b)),
  );
  const statusTable = new Map<string, JsonWritable>();
  for (const topic of [...info.statusTable.keys()].sort()) {
    statusTable.set(topic, consumeStatusToJson(info.statusTable.get(topic) as ConsumeStatus));
  }
  return encodeFastJson({
    jstack: info.jstack,
    mqTable: messageQueueMapToJson(mqTable, processQueueInfoToJson),
    properties: info.properties,
    statusTable,
    subscriptionSet: new Set([...info.subscriptionSet].sort(compareSubscriptionData).map(subscriptionDataToJson)),
  });
}

export function decodeConsumerRunningInfo(body: Uint8Array): ConsumerRunningInfo {
  const r = JsonObjectReader.parse(body, 'ConsumerRunningInfo');
  const properties = new Map<string, string>();
  const pPath = r.sub('properties');
  for (const [k, v] of r.entries('properties')) {
    const key = keyToString(k, pPath);
    properties.set(key, nodeToString(v, `${pPath}.${key}`));
  }
  const statusTable = new Map<string, ConsumeStatus>();
  const sPath = r.sub('statusTable');
  for (const [k, v] of r.entries('statusTable')) {
    const topic = keyToString(k, sPath);
    const s = JsonObjectReader.of(v, `${sPath}.${topic}`);
    const status = { consumeFailedMsgs: s.long('consumeFailedMsgs', 0) } as ConsumeStatus;
    for (const d of CONSUME_STATUS_DOUBLES) status[d] = s.double(d, 0);
    statusTable.set(topic, status);
  }
  const info: ConsumerRunningInfo = {
    properties,
    subscriptionSet: r.objects('subscriptionSet', subscriptionDataFromJson),
    mqTable: messageQueueMapFromJson(r, 'mqTable', (node, path) => {
      const q = JsonObjectReader.of(node, path);
      const p = { locked: q.bool('locked', false), droped: q.bool('droped', false) } as ProcessQueueInfo;
      for (const k of PROCESS_QUEUE_INFO_LONGS) p[k] = q.long(k, 0);
      for (const k of PROCESS_QUEUE_INFO_INTS) p[k] = q.int(k, 0);
      return p;
    }),
    statusTable,
  };
  const jstack = r.optString('jstack');
  if (jstack !== undefined) info.jstack = jstack;
  return info;
}
