import { MASTER_ID, type BrokerData } from '../../common/protocol/body/broker-data.js';
import type { ClusterInfo } from '../../common/protocol/body/cluster-info.js';
import { dataVersionEquals, type DataVersion } from '../../common/protocol/body/data-version.js';
import { PermName } from '../../common/protocol/body/perm-name.js';
import type { QueueData } from '../../common/protocol/body/queue-data.js';
import type { TopicConfigSerializeWrapper } from '../../common/protocol/body/topic-config-serialize-wrapper.js';
import type { TopicConfig } from '../../common/protocol/body/topic-config.js';
import type { TopicList } from '../../common/protocol/body/topic-list.js';
import type { TopicRouteData } from '../../common/protocol/body/topic-route-data.js';
import type { Logger } from '../../common/logging/logger.js';
import type { RemotingChannel } from '../../common/remoting/remoting-channel.js';
import { javaHashMapOrder } from '../../common/util/java-hash-map-order.js';
import { sortedBrokerAddrs } from './java-order.js';

/** What the name server knows about one live broker address (RouteInfoManager.BrokerLiveInfo). */
export interface BrokerLiveInfo {
  lastUpdateTimestamp: number;
  dataVersion: DataVersion;
  channel: RemotingChannel | undefined;
  haServerAddr: string;
}

/** RegisterBrokerResult: set for a slave whose master is registered and live. */
export interface RegisterBrokerResult {
  haServerAddr?: string;
  masterAddr?: string;
}

export interface RegisterBrokerArgs {
  clusterName: string;
  brokerAddr: string;
  brokerName: string;
  brokerId: number;
  haServerAddr: string;
  topicConfigWrapper: TopicConfigSerializeWrapper;
  filterServerList: string[] | undefined;
  channel: RemotingChannel | undefined;
}

/** Java's initial capacities, which decide the order Java writes these tables in. */
const BROKER_ADDR_TABLE_CAPACITY = 128;
const CLUSTER_ADDR_TABLE_CAPACITY = 32;

/**
 * The routing registry (namesrv/routeinfo/RouteInfoManager.java; PROTOCOL.md §7.2–7.4). Java guards
 * the five tables with a read-write lock; here every method runs to completion on the event loop,
 * so each is atomic by construction and no reader ever sees a half-applied registration.
 */
export class RouteInfoManager {
  readonly topicQueueTable = new Map<string, Map<string, QueueData>>();
  readonly brokerAddrTable = new Map<string, BrokerData>();
  readonly clusterAddrTable = new Map<string, Set<string>>();
  readonly brokerLiveTable = new Map<string, BrokerLiveInfo>();
  readonly filterServerTable = new Map<string, string[]>();

  constructor(
    private readonly log: Logger,
    /** Writable: UPDATE_NAMESRV_CONFIG may change it on a running name server. */
    public brokerChannelExpiredTime: number,
  ) {}

  registerBroker(a: RegisterBrokerArgs, now = Date.now()): RegisterBrokerResult {
    const result: RegisterBrokerResult = {};
    let brokerNames = this.clusterAddrTable.get(a.clusterName);
    if (brokerNames === undefined) this.clusterAddrTable.set(a.clusterName, (brokerNames = new Set()));
    brokerNames.add(a.brokerName);

    let registerFirst = false;
    let brokerData = this.brokerAddrTable.get(a.brokerName);
    if (brokerData === undefined) {
      registerFirst = true;
      brokerData = { cluster: a.clusterName, brokerName: a.brokerName, brokerAddrs: new Map() };
      this.brokerAddrTable.set(a.brokerName, brokerData);
    }
    // Slave switched to master: the same ip:port must appear under one brokerId only.
    for (const [id, addr] of brokerData.brokerAddrs) {
      if (addr === a.brokerAddr && id !== a.brokerId) brokerData.brokerAddrs.delete(id);
    }
    const oldAddr = brokerData.brokerAddrs.get(a.brokerId);
    brokerData.brokerAddrs.set(a.brokerId, a.brokerAddr);
    if (a.brokerId === MASTER_ID && oldAddr !== undefined && oldAddr !== a.brokerAddr) {
      this.log.info('master address changed', { brokerName: a.brokerName, oldAddr, newAddr: a.brokerAddr });
    }
    registerFirst = registerFirst || oldAddr === undefined;

    // Only a master's topic table makes routes, and only when it changed (or on first sight).
    if (a.brokerId === MASTER_ID) {
      const dv = a.topicConfigWrapper.dataVersion;
      if (this.isBrokerTopicConfigChanged(a.brokerAddr, dv) || registerFirst) {
        for (const tc of a.topicConfigWrapper.topicConfigTable.values()) this.createAndUpdateQueueData(a.brokerName, tc);
      }
    }

    const prev = this.brokerLiveTable.get(a.brokerAddr);
    this.brokerLiveTable.set(a.brokerAddr, {
      lastUpdateTimestamp: now,
      dataVersion: a.topicConfigWrapper.dataVersion,
      channel: a.channel,
      haServerAddr: a.haServerAddr,
    });
    if (prev === undefined) this.log.info('new broker registered', { brokerAddr: a.brokerAddr, haServerAddr: a.haServerAddr });

    if (a.filterServerList !== undefined) {
      if (a.filterServerList.length === 0) this.filterServerTable.delete(a.brokerAddr);
      else this.filterServerTable.set(a.brokerAddr, a.filterServerList);
    }

    if (a.brokerId !== MASTER_ID) {
      const masterAddr = brokerData.brokerAddrs.get(MASTER_ID);
      const masterLive = masterAddr === undefined ? undefined : this.brokerLiveTable.get(masterAddr);
      if (masterAddr !== undefined && masterLive !== undefined) {
        result.haServerAddr = masterLive.haServerAddr;
        result.masterAddr = masterAddr;
      }
    }
    return result;
  }

  isBrokerTopicConfigChanged(brokerAddr: string, dataVersion: DataVersion): boolean {
    const prev = this.queryBrokerTopicConfig(brokerAddr);
    return prev === undefined || !dataVersionEquals(prev, dataVersion);
  }

  queryBrokerTopicConfig(brokerAddr: string): DataVersion | undefined {
    return this.brokerLiveTable.get(brokerAddr)?.dataVersion;
  }

  updateBrokerInfoUpdateTimestamp(brokerAddr: string, timestamp: number): void {
    const live = this.brokerLiveTable.get(brokerAddr);
    if (live !== undefined) live.lastUpdateTimestamp = timestamp;
  }

  unregisterBroker(clusterName: string, brokerAddr: string, brokerName: string, brokerId: number): void {
    const live = this.brokerLiveTable.delete(brokerAddr);
    this.log.info('unregisterBroker, remove from brokerLiveTable', { result: live ? 'OK' : 'Failed', brokerAddr });
    this.filterServerTable.delete(brokerAddr);
    const brokerData = this.brokerAddrTable.get(brokerName);
    if (brokerData === undefined) return;
    brokerData.brokerAddrs.delete(brokerId);
    if (brokerData.brokerAddrs.size > 0) return;
    this.brokerAddrTable.delete(brokerName);
    const names = this.clusterAddrTable.get(clusterName);
    if (names !== undefined) {
      names.delete(brokerName);
      if (names.size === 0) this.clusterAddrTable.delete(clusterName);
    }
    this.removeTopicByBrokerName(brokerName);
  }

  /**
   * Drops what a closed (or expired) connection registered. The broker is found by its channel;
   * failing that, `remoteAddr` is taken as the broker address (what scanNotActiveBroker passes).
   * A master going away leaves its slaves' BrokerData and the topic's QueueData in place, as Java
   * does: clients then read from the slave and have no queue to write to.
   */
  onChannelDestroy(remoteAddr: string | undefined, channel: RemotingChannel | undefined): void {
    let brokerAddrFound: string | undefined;
    if (channel !== undefined) {
      for (const [addr, live] of this.brokerLiveTable) {
        if (live.channel === channel) {
          brokerAddrFound = addr;
          break;
        }
      }
    }
    brokerAddrFound ??= remoteAddr;
    if (brokerAddrFound === undefined || brokerAddrFound.length === 0) return;
    if (!this.brokerLiveTable.delete(brokerAddrFound) && !this.isKnownBrokerAddr(brokerAddrFound)) return;
    this.filterServerTable.delete(brokerAddrFound);

    let brokerNameFound: string | undefined;
    let removeBrokerName = false;
    for (const [name, bd] of this.brokerAddrTable) {
      for (const [id, addr] of bd.brokerAddrs) {
        if (addr === brokerAddrFound) {
          brokerNameFound = bd.brokerName;
          bd.brokerAddrs.delete(id);
          this.log.info('remove brokerAddr from brokerAddrTable, because channel destroyed', { brokerId: id, brokerAddr: addr });
          break;
        }
      }
      if (bd.brokerAddrs.size === 0) {
        removeBrokerName = true;
        this.brokerAddrTable.delete(name);
      }
      if (brokerNameFound !== undefined) break;
    }
    if (brokerNameFound === undefined || !removeBrokerName) return;
    for (const [cluster, names] of this.clusterAddrTable) {
      if (names.delete(brokerNameFound)) {
        if (names.size === 0) this.clusterAddrTable.delete(cluster);
        break;
      }
    }
    this.removeTopicByBrokerName(brokerNameFound);
  }

  /** Closes and removes every broker silent for longer than the expiry time; returns how many. */
  scanNotActiveBroker(now = Date.now()): number {
    let removed = 0;
    for (const [addr, live] of [...this.brokerLiveTable]) {
      if (live.lastUpdateTimestamp + this.brokerChannelExpiredTime >= now) continue;
      this.log.warn('The broker channel expired', { brokerAddr: addr, expiredMillis: this.brokerChannelExpiredTime });
      this.brokerLiveTable.delete(addr);
      live.channel?.close();
      this.onChannelDestroy(addr, live.channel);
      removed++;
    }
    return removed;
  }

  /** null when the topic has no queues or none of its brokers is known (⇒ TOPIC_NOT_EXIST). */
  pickupTopicRouteData(topic: string): TopicRouteData | undefined {
    const queueDataMap = this.topicQueueTable.get(topic);
    if (queueDataMap === undefined) return undefined;
    const names = javaHashMapOrder(queueDataMap.keys());
    const route: TopicRouteData = {
      queueDatas: names.map((n) => ({ ...queueDataMap.get(n)! })),
      brokerDatas: [],
      filterServerTable: new Map(),
    };
    for (const name of names) {
      const bd = this.brokerAddrTable.get(name);
      if (bd === undefined) continue;
      const clone: BrokerData = { cluster: bd.cluster, brokerName: bd.brokerName, brokerAddrs: sortedBrokerAddrs(bd.brokerAddrs) };
      route.brokerDatas.push(clone);
      if (this.filterServerTable.size === 0) continue;
      for (const addr of clone.brokerAddrs.values()) {
        const servers = this.filterServerTable.get(addr);
        if (servers !== undefined) route.filterServerTable.set(addr, [...servers]);
      }
    }
    return route.brokerDatas.length > 0 ? route : undefined;
  }

  /** A snapshot in Java's HashMap order (ClusterInfo is always written in the legacy form). */
  getAllClusterInfo(): ClusterInfo {
    const brokerAddrTable = new Map<string, BrokerData>();
    for (const name of javaHashMapOrder(this.brokerAddrTable.keys(), BROKER_ADDR_TABLE_CAPACITY)) {
      const bd = this.brokerAddrTable.get(name)!;
      brokerAddrTable.set(name, { cluster: bd.cluster, brokerName: bd.brokerName, brokerAddrs: sortedBrokerAddrs(bd.brokerAddrs) });
    }
    const clusterAddrTable = new Map<string, string[]>();
    for (const cluster of javaHashMapOrder(this.clusterAddrTable.keys(), CLUSTER_ADDR_TABLE_CAPACITY)) {
      clusterAddrTable.set(cluster, javaHashMapOrder(this.clusterAddrTable.get(cluster)!));
    }
    return { brokerAddrTable, clusterAddrTable };
  }

  deleteTopic(topic: string, clusterName?: string): void {
    if (clusterName === undefined || clusterName === '') {
      this.topicQueueTable.delete(topic);
      return;
    }
    const names = this.clusterAddrTable.get(clusterName);
    const queueDataMap = this.topicQueueTable.get(topic);
    if (names === undefined || queueDataMap === undefined) return;
    for (const name of names) queueDataMap.delete(name);
    if (queueDataMap.size === 0) this.topicQueueTable.delete(topic);
  }

  getAllTopicList(): TopicList {
    return { topicList: javaHashMapOrder(this.topicQueueTable.keys()) };
  }

  getTopicsByCluster(cluster: string): TopicList {
    const topics: string[] = [];
    for (const name of this.clusterAddrTable.get(cluster) ?? []) {
      for (const [topic, queueDataMap] of this.topicQueueTable) if (queueDataMap.has(name)) topics.push(topic);
    }
    return { topicList: javaHashMapOrder(new Set(topics)) };
  }

  /** Cluster and broker names (each is a system topic on its brokers) + one broker address. */
  getSystemTopicList(): TopicList {
    const topics = new Set<string>();
    for (const [cluster, names] of this.clusterAddrTable) {
      topics.add(cluster);
      for (const n of names) topics.add(n);
    }
    const list: TopicList = { topicList: javaHashMapOrder(topics) };
    for (const bd of this.brokerAddrTable.values()) {
      const first = bd.brokerAddrs.values().next();
      if (!first.done) {
        list.brokerAddr = first.value;
        break;
      }
    }
    return list;
  }

  /** Topics whose first QueueData passes `pick` (Java looks at one QueueData per topic only). */
  topicsWhere(pick: (qd: QueueData) => boolean): TopicList {
    const topics: string[] = [];
    for (const [topic, queueDataMap] of this.topicQueueTable) {
      const first = queueDataMap.values().next();
      if (!first.done && pick(first.value)) topics.push(topic);
    }
    return { topicList: javaHashMapOrder(topics) };
  }

  wipeWritePermOfBroker(brokerName: string): number {
    return this.operateWritePermOfBroker(brokerName, (perm) => perm & ~PermName.PERM_WRITE);
  }

  addWritePermOfBroker(brokerName: string): number {
    return this.operateWritePermOfBroker(brokerName, () => PermName.PERM_READ | PermName.PERM_WRITE);
  }

  private operateWritePermOfBroker(brokerName: string, update: (perm: number) => number): number {
    let count = 0;
    for (const queueDataMap of this.topicQueueTable.values()) {
      const qd = queueDataMap.get(brokerName);
      if (qd === undefined) continue;
      qd.perm = update(qd.perm);
      count++;
    }
    return count;
  }

  private createAndUpdateQueueData(brokerName: string, tc: TopicConfig): void {
    const qd: QueueData = {
      brokerName,
      writeQueueNums: tc.writeQueueNums,
      readQueueNums: tc.readQueueNums,
      perm: tc.perm,
      topicSysFlag: tc.topicSysFlag,
    };
    let queueDataMap = this.topicQueueTable.get(tc.topicName);
    if (queueDataMap === undefined) {
      this.topicQueueTable.set(tc.topicName, (queueDataMap = new Map()));
      this.log.info('new topic registered', { topic: tc.topicName, brokerName });
    }
    queueDataMap.set(brokerName, qd);
  }

  private removeTopicByBrokerName(brokerName: string): void {
    for (const [topic, queueDataMap] of [...this.topicQueueTable]) {
      queueDataMap.delete(brokerName);
      if (queueDataMap.size === 0) {
        this.topicQueueTable.delete(topic);
        this.log.info('remove topic, no queue left', { topic });
      }
    }
  }

  private isKnownBrokerAddr(addr: string): boolean {
    for (const bd of this.brokerAddrTable.values()) for (const a of bd.brokerAddrs.values()) if (a === addr) return true;
    return false;
  }
}
