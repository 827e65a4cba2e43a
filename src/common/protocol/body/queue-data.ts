import type { JsonObjectReader } from '../json/json-object-reader.js';
import type { JsonBean } from '../json/json-value.js';

/** One broker's queues of a topic, as the name server holds them (common/protocol/route/QueueData.java). */
export interface QueueData {
  brokerName: string;
  readQueueNums: number;
  writeQueueNums: number;
  perm: number;
  topicSysFlag: number;
}

export function queueDataToJson(q: QueueData): JsonBean {
  return {
    brokerName: q.brokerName,
    perm: q.perm,
    readQueueNums: q.readQueueNums,
    topicSysFlag: q.topicSysFlag,
    writeQueueNums: q.writeQueueNums,
  };
}

export function queueDataFromJson(r: JsonObjectReader): QueueData {
  return {
    brokerName: r.requiredString('brokerName'),
    readQueueNums: r.int('readQueueNums', 0),
    writeQueueNums: r.int('writeQueueNums', 0),
    perm: r.int('perm', 0),
    topicSysFlag: r.int('topicSysFlag', 0),
  };
}

/** QueueData.compareTo: by brokerName (the Java client sorts route lists before diffing). */
export function compareQueueData(a: QueueData, b: QueueData): number {
  return a.brokerName < b.brokerName ? -1 : a.brokerName > b.brokerName ? 1 : 0;
}
