import { MASTER_ID, compareBrokerData, type BrokerData } from '../../common/protocol/body/broker-data.js';
import { createMessageQueue, type MessageQueue } from '../../common/protocol/body/message-queue.js';
import { isReadable, isWriteable } from '../../common/protocol/body/perm-name.js';
import { compareQueueData, type QueueData } from '../../common/protocol/body/queue-data.js';
import type { TopicRouteData } from '../../common/protocol/body/topic-route-data.js';
import { TopicPublishInfo } from './topic-publish-info.js';

/**
 * Route → queues (MQClientInstance.topicRouteData2TopicPublishInfo / topicRouteData2TopicSubscribeInfo,
 * PROTOCOL.md §7.4).
 */

/**
 * Publish queues: the `orderTopicConf` ("brokerA:4;brokerB:4") when present, else for each writable
 * QueueData (sorted by brokerName) whose broker has a master, queues 0..writeQueueNums-1.
 */
export function topicRouteData2TopicPublishInfo(topic: string, route: TopicRouteData): TopicPublishInfo {
  const info = new TopicPublishInfo();
  info.topicRouteData = route;
  const conf = route.orderTopicConf;
  if (conf !== undefined && conf.length > 0) {
    for (const item of conf.split(';')) {
      const [brokerName, nums] = item.split(':');
      const n = Number.parseInt(nums ?? '', 10);
      if (brokerName === undefined || !Number.isInteger(n)) continue;
      for (let i = 0; i < n; i++) info.messageQueueList.push(createMessageQueue(topic, brokerName, i));
    }
    info.orderTopic = true;
    return info;
  }
  for (const qd of [...route.queueDatas].sort(compareQueueData)) {
    if (!isWriteable(qd.perm)) continue;
    const brokerData = route.brokerDatas.find((b) => b.brokerName === qd.brokerName);
    if (brokerData === undefined || !brokerData.brokerAddrs.has(MASTER_ID)) continue;
    for (let i = 0; i < qd.writeQueueNums; i++) info.messageQueueList.push(createMessageQueue(topic, qd.brokerName, i));
  }
  info.orderTopic = false;
  return info;
}

/** Subscribe queues: readQueueNums of every readable QueueData. */
export function topicRouteData2TopicSubscribeInfo(topic: string, route: TopicRouteData): MessageQueue[] {
  const out: MessageQueue[] = [];
  for (const qd of route.queueDatas) {
    if (!isReadable(qd.perm)) continue;
    for (let i = 0; i < qd.readQueueNums; i++) out.push(createMessageQueue(topic, qd.brokerName, i));
  }
  return out;
}

/** MQClientInstance.topicRouteDataIsChange: compare after sorting both lists by brokerName. */
export function topicRouteDataIsChange(olddata: TopicRouteData | undefined, nowdata: TopicRouteData | undefined): boolean {
  if (olddata === undefined || nowdata === undefined) return true;
  return canonicalRoute(olddata) !== canonicalRoute(nowdata);
}

/** The route's content as a string that ignores list order, for comparisons. */
function canonicalRoute(r: TopicRouteData): string {
  const q = [...r.queueDatas].sort(compareQueueData).map((d: QueueData) => [d.brokerName, d.readQueueNums, d.writeQueueNums, d.perm, d.topicSysFlag]);
  const b = [...r.brokerDatas]
    .sort(compareBrokerData)
    .map((d: BrokerData) => [d.cluster, d.brokerName, [...d.brokerAddrs.entries()].sort((x, y) => x[0] - y[0])]);
  return JSON.stringify([r.orderTopicConf ?? null, q, b]);
}

/** A deep copy, so the route table and the publish info never share mutable lists. */
export function cloneTopicRouteData(r: TopicRouteData): TopicRouteData {
  const copy: TopicRouteData = {
    queueDatas: r.queueDatas.map((q) => ({ ...q })),
    brokerDatas: r.brokerDatas.map((b) => ({ ...b, brokerAddrs: new Map(b.brokerAddrs) })),
    filterServerTable: new Map([...r.filterServerTable].map(([k, v]) => [k, [...v]])),
  };
  if (r.orderTopicConf !== undefined) copy.orderTopicConf = r.orderTopicConf;
  return copy;
}
