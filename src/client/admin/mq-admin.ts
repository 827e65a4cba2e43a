import { ClientErrorCode, MQClientException } from '../../common/errors.js';
import { createLogger, type Logger } from '../../common/logging/logger.js';
import type { MessageExt } from '../../common/message/message-ext.js';
import { MASTER_ID, selectBrokerAddr } from '../../common/protocol/body/broker-data.js';
import type { ClusterInfo } from '../../common/protocol/body/cluster-info.js';
import type { ConsumeMessageDirectlyResult } from '../../common/protocol/body/consume-message-directly-result.js';
import type { ConsumerRunningInfo } from '../../common/protocol/body/consumer-running-info.js';
import { socketAddressToString } from '../../common/message/socket-address.js';
import { compareMessageQueue, messageQueueKey } from '../../common/protocol/body/message-queue.js';
import type { SubscriptionGroupConfig } from '../../common/protocol/body/subscription-group-config.js';
import type { TopicConfig } from '../../common/protocol/body/topic-config.js';
import type { TopicRouteData } from '../../common/protocol/body/topic-route-data.js';
import { ResponseCode } from '../../common/protocol/response-code.js';
import { RemotingClient } from '../../common/remoting/remoting-client.js';
import { ClientConfig } from '../client-config.js';
import { MQClientAPIImpl } from '../impl/mq-client-api.js';
import { DLQ_GROUP_TOPIC_PREFIX, RETRY_GROUP_TOPIC_PREFIX } from '../../common/protocol/topic-validator.js';
import { mqVersionDesc } from '../../common/mq-version.js';
import { javaHashMapOrder } from '../../common/util/java-hash-map-order.js';

/** NamesrvUtil.NAMESPACE_ORDER_TOPIC_CONFIG: topic → "brokerA:4;brokerB:4" (the queues of an ordered topic). */
export const NAMESPACE_ORDER_TOPIC_CONFIG = 'ORDER_TOPIC_CONFIG';
import type {
  BrokerConfigEntry,
  ClusterBrokerInfo,
  ConsumerConnectionInfo,
  ConsumerProgress,
  GroupConsumeSummary,
  MessageTrack,
  QueueProgress,
  ResetOffsetResult,
  TopicConsumers,
  TopicQueueStatus,
} from './admin-types.js';
import type { AdminContext } from './admin-context.js';
import { MessageQueries } from './message-queries.js';
import { MQAdminAPI } from './mq-admin-api.js';
import { resetOffsetByTimestamp } from './reset-offset.js';
import { messageTrackDetail } from './message-track.js';

export interface MQAdminOptions {
  /** `host:port[;host:port]`; default NAMESRV_ADDR. */
  namesrvAddr?: string;
  /** Per-request timeout (DefaultMQAdminExt's default: 5000 ms). */
  timeoutMillis?: number;
  logger?: Logger;
}

const DEFAULT_ADMIN_TIMEOUT_MILLIS = 5000;

/**
 * The admin client (Java's DefaultMQAdminExt): topics, groups, consumer progress, messages and
 * broker config, spoken to a name server and its brokers with RocketMQ 4.9's admin requests.
 * Results are typed rows (admin-types.ts), not wire bodies.
 *
 *   const admin = new MQAdmin({ namesrvAddr: '127.0.0.1:9876' });
 *   await admin.start();
 *   const progress = await admin.examineConsumeStats('my-group');
 *   await admin.shutdown();
 */
export class MQAdmin implements AdminContext {
  readonly timeoutMillis: number;
  /** The consumer-side requests (route, pull, offsets, view message) come from the client core. */
  readonly clientAPI: MQClientAPIImpl;
  readonly api: MQAdminAPI;
  readonly messages: MessageQueries;
  private readonly remoting: RemotingClient;
  private readonly log: Logger;
  private started = false;

  constructor(options: MQAdminOptions = {}) {
    const log = options.logger ?? createLogger('rocketmq').namespace('MQAdmin');
    this.log = log;
    const config = new ClientConfig(options.namesrvAddr === undefined ? {} : { namesrvAddr: options.namesrvAddr });
    this.timeoutMillis = options.timeoutMillis ?? DEFAULT_ADMIN_TIMEOUT_MILLIS;
    this.remoting = new RemotingClient({ logger: log });
    // Connection problems surface as failed calls; the events are only logged (never unhandled).
    this.remoting.on('exception', (addr, _ch, error) => log.debug('connection exception', { addr, error: error.message }));
    this.clientAPI = new MQClientAPIImpl(this.remoting, config, log);
    this.clientAPI.updateNameServerAddressList(config.namesrvAddrList());
    this.api = new MQAdminAPI(this.remoting, this.clientAPI.namesrv);
    this.messages = new MessageQueries(this);
  }

  /** The admin keeps no background tasks: start only checks that a name server is configured. */
  async start(): Promise<void> {
    if (this.clientAPI.getNameServerAddressList().length === 0) {
      throw new MQClientException(ClientErrorCode.CLIENT_STATE, 'No name server address: give -n / namesrvAddr or set NAMESRV_ADDR');
    }
    this.started = true;
    await Promise.resolve();
  }

  /** Closes every connection. */
  async shutdown(): Promise<void> {
    this.started = false;
    await this.clientAPI.shutdown();
  }

  get isStarted(): boolean {
    return this.started;
  }

  get namesrvAddrList(): readonly string[] {
    return this.clientAPI.getNameServerAddressList();
  }

  // ---- cluster ----------------------------------------------------------------------------------

  examineBrokerClusterInfo(): Promise<ClusterInfo> {
    return this.api.getBrokerClusterInfo(this.timeoutMillis);
  }

  async fetchBrokerRuntimeStats(brokerAddr: string): Promise<Record<string, string>> {
    return Object.fromEntries((await this.api.getBrokerRuntimeInfo(brokerAddr, this.timeoutMillis)).table);
  }

  /** Every broker address of every cluster (or of `clusterName`) with its runtime figures; a broker that does not answer gets `error`. */
  async clusterList(clusterName?: string): Promise<ClusterBrokerInfo[]> {
    const info = await this.examineBrokerClusterInfo();
    if (clusterName !== undefined && !info.clusterAddrTable.has(clusterName)) throw unknownCluster(clusterName);
    const rows: Promise<ClusterBrokerInfo>[] = [];
    for (const [cluster, names] of [...info.clusterAddrTable].sort(([a], [b]) => cmp(a, b))) {
      if (clusterName !== undefined && cluster !== clusterName) continue;
      for (const brokerName of [...names].sort(cmp)) {
        const bd = info.brokerAddrTable.get(brokerName);
        if (bd === undefined) continue;
        for (const [brokerId, addr] of [...bd.brokerAddrs].sort(([a], [b]) => a - b)) rows.push(this.brokerInfo(cluster, brokerName, brokerId, addr));
      }
    }
    return Promise.all(rows);
  }

  /** CommandUtil.fetchMasterAddrByClusterName: the masters of a cluster; an unknown cluster throws. */
  async fetchMasterAddrByClusterName(clusterName: string): Promise<string[]> {
    const info = await this.examineBrokerClusterInfo();
    const names = info.clusterAddrTable.get(clusterName);
    if (names === undefined) throw unknownCluster(clusterName);
    const out: string[] = [];
    for (const name of names) {
      const master = info.brokerAddrTable.get(name)?.brokerAddrs.get(MASTER_ID);
      if (master !== undefined) out.push(master);
    }
    return out.sort(cmp);
  }

  /** CommandUtil.fetchMasterAndSlaveAddrByClusterName: every master and slave address of a cluster, sorted; an unknown cluster throws. */
  async fetchMasterAndSlaveAddrByClusterName(clusterName: string): Promise<string[]> {
    return (await this.fetchMasterAndSlaveDistinguish(clusterName)).flatMap(({ master, slaves }) => (master === undefined ? slaves : [master, ...slaves])).sort(cmp);
  }

  /**
   * CommandUtil.fetchMasterAndSlaveDistinguish: each broker name of a cluster as its master and its
   * slaves (by broker id), sorted by master address; `master` is undefined when only slaves are registered.
   */
  async fetchMasterAndSlaveDistinguish(clusterName: string): Promise<{ brokerName: string; master: string | undefined; slaves: string[] }[]> {
    const info = await this.examineBrokerClusterInfo();
    const names = info.clusterAddrTable.get(clusterName);
    if (names === undefined) throw unknownCluster(clusterName);
    const out: { brokerName: string; master: string | undefined; slaves: string[] }[] = [];
    for (const brokerName of names) {
      const bd = info.brokerAddrTable.get(brokerName);
      if (bd === undefined) continue;
      const ids = [...bd.brokerAddrs].sort(([a], [b]) => a - b);
      out.push({ brokerName, master: bd.brokerAddrs.get(MASTER_ID), slaves: ids.filter(([id]) => id !== MASTER_ID).map(([, addr]) => addr) });
    }
    return out.sort((a, b) => cmp(a.master ?? '', b.master ?? ''));
  }

  /** The master address of a broker name (then any slave), from the cluster info. */
  async findBrokerAddrByName(brokerName: string): Promise<string> {
    const bd = (await this.examineBrokerClusterInfo()).brokerAddrTable.get(brokerName);
    const addr = bd === undefined ? undefined : selectBrokerAddr(bd);
    if (addr === undefined) throw new MQClientException(ClientErrorCode.CLIENT_STATE, `broker ${brokerName} not found on the name server`);
    return addr;
  }

  /** The broker name an address is registered under (undefined if none). */
  async findBrokerNameByAddr(addr: string): Promise<string | undefined> {
    for (const bd of (await this.examineBrokerClusterInfo()).brokerAddrTable.values()) {
      for (const a of bd.brokerAddrs.values()) if (a === addr) return bd.brokerName;
    }
    return undefined;
  }

  // ---- topics -----------------------------------------------------------------------------------

  /** UPDATE_AND_CREATE_TOPIC on one broker. */
  async createAndUpdateTopicConfig(brokerAddr: string, config: TopicConfig): Promise<void> {
    await this.api.createTopic(brokerAddr, config, this.timeoutMillis);
  }

  /** Creates/updates the topic on every master of the cluster; resolves to their addresses. */
  async createAndUpdateTopicConfigOnCluster(clusterName: string, config: TopicConfig): Promise<string[]> {
    const masters = await this.fetchMasterAddrByClusterName(clusterName);
    for (const addr of masters) await this.createAndUpdateTopicConfig(addr, config);
    return masters;
  }

  /**
   * mqadmin deleteTopic: DELETE_TOPIC_IN_BROKER on every master of the cluster, then
   * DELETE_TOPIC_IN_NAMESRV on every name server. Resolves to the masters' addresses.
   */
  async deleteTopic(topic: string, clusterName: string): Promise<string[]> {
    const masters = await this.fetchMasterAddrByClusterName(clusterName);
    for (const addr of masters) await this.api.deleteTopicInBroker(addr, topic, this.timeoutMillis);
    for (const ns of this.namesrvAddrList) await this.api.deleteTopicInNameServer(ns, topic, clusterName, this.timeoutMillis);
    return masters;
  }

  /**
   * mqadmin updateTopic -o true on a cluster: ORDER_TOPIC_CONFIG[topic] = `name:writeQueueNums` for
   * every broker name of the cluster, `;`-joined in Java's HashSet order, put on every name server.
   * Resolves to the value written.
   */
  async createOrUpdateClusterOrderConf(topic: string, clusterName: string, writeQueueNums: number): Promise<string> {
    const names = (await this.examineBrokerClusterInfo()).clusterAddrTable.get(clusterName);
    if (names === undefined) throw unknownCluster(clusterName);
    const value = javaHashMapOrder(names).map((n) => `${n}:${writeQueueNums}`).join(';');
    await this.putOrderConf(topic, value);
    return value;
  }

  /**
   * mqadmin updateTopic -o true on one broker (Java's createOrUpdateOrderConf with isCluster=false):
   * the broker's `name:writeQueueNums` entry replaces its old one in the existing value, the other
   * brokers' entries stay (joined in Java's HashMap order). Resolves to the value written.
   */
  async createOrUpdateBrokerOrderConf(topic: string, brokerAddr: string, writeQueueNums: number): Promise<string> {
    const brokerName = await this.findBrokerNameByAddr(brokerAddr);
    if (brokerName === undefined) {
      throw new MQClientException(ClientErrorCode.CLIENT_STATE, `Make sure the specified broker addr exists or retry please (${brokerAddr})`);
    }
    const entries = new Map<string, string>();
    const old = await this.api.getKVConfig(NAMESPACE_ORDER_TOPIC_CONFIG, topic, this.timeoutMillis);
    for (const conf of (old ?? '').split(';')) if (conf.trim() !== '') entries.set(conf.split(':')[0]!, conf);
    entries.set(brokerName, `${brokerName}:${writeQueueNums}`);
    const value = javaHashMapOrder(entries.keys()).map((n) => entries.get(n)!).join(';');
    await this.putOrderConf(topic, value);
    return value;
  }

  /** GET_KV_CONFIG ORDER_TOPIC_CONFIG[topic]: undefined when the topic has no order config. */
  getOrderConf(topic: string): Promise<string | undefined> {
    return this.api.getKVConfig(NAMESPACE_ORDER_TOPIC_CONFIG, topic, this.timeoutMillis);
  }

  private async putOrderConf(topic: string, value: string): Promise<void> {
    for (const ns of this.namesrvAddrList) await this.api.putKVConfig(ns, NAMESPACE_ORDER_TOPIC_CONFIG, topic, value, this.timeoutMillis);
  }

  /**
   * mqadmin topicList -c: every topic but %RETRY%/%DLQ% ones, with the cluster of its route's first
   * broker and the groups that broker says consume it (Java's queryTopicConsumeByWho asks the first
   * broker of the route that has an address). mqadmin swallows a failing topic and prints it with
   * an empty cluster; here the row keeps the reason in `error`.
   */
  async topicListWithConsumers(): Promise<TopicConsumers[]> {
    const info = await this.examineBrokerClusterInfo();
    const rows: TopicConsumers[] = [];
    for (const topic of await this.fetchTopicList()) {
      if (topic.startsWith(RETRY_GROUP_TOPIC_PREFIX) || topic.startsWith(DLQ_GROUP_TOPIC_PREFIX)) continue;
      const row: TopicConsumers = { clusterName: '', topic, consumerGroups: [], error: undefined };
      try {
        const route = await this.examineTopicRouteInfo(topic);
        const first = route.brokerDatas[0];
        if (first !== undefined) {
          for (const [cluster, names] of info.clusterAddrTable) if (row.clusterName === '' && names.includes(first.brokerName)) row.clusterName = cluster;
        }
        for (const bd of route.brokerDatas) {
          const addr = selectBrokerAddr(bd);
          if (addr === undefined) continue;
          row.consumerGroups = (await this.api.queryTopicConsumeByWho(addr, topic, this.timeoutMillis)).sort(cmp);
          break;
        }
      } catch (e: unknown) {
        row.error = e instanceof Error ? e.message : String(e);
      }
      rows.push(row);
    }
    return rows;
  }

  /** All topics the name server knows, or those of one cluster; sorted. */
  async fetchTopicList(clusterName?: string): Promise<string[]> {
    const list = clusterName === undefined
      ? await this.api.getTopicListFromNameServer(this.timeoutMillis)
      : await this.api.getTopicsByCluster(clusterName, this.timeoutMillis);
    return [...list.topicList].sort(cmp);
  }

  /** GET_ROUTEINFO_BY_TOPIC; an unknown topic throws MQClientException with code TOPIC_NOT_EXIST (17). */
  examineTopicRouteInfo(topic: string): Promise<TopicRouteData> {
    return this.clientAPI.getTopicRouteInfoFromNameServer(topic, this.timeoutMillis);
  }

  /** Java's examineTopicStats: GET_TOPIC_STATS_INFO from every broker of the route, queues sorted. */
  async examineTopicStats(topic: string): Promise<TopicQueueStatus[]> {
    const route = await this.examineTopicRouteInfo(topic);
    const rows: TopicQueueStatus[] = [];
    for (const bd of route.brokerDatas) {
      const addr = selectBrokerAddr(bd);
      if (addr === undefined) continue;
      const stats = await this.api.getTopicStatsInfo(addr, topic, this.timeoutMillis);
      for (const [mq, o] of stats.offsetTable) rows.push({ brokerName: mq.brokerName, queueId: mq.queueId, ...o });
    }
    if (rows.length === 0) throw new MQClientException(ClientErrorCode.CLIENT_STATE, `Not found the topic stats info of ${topic}`);
    return rows.sort((a, b) => cmp(a.brokerName, b.brokerName) || a.queueId - b.queueId);
  }

  // ---- subscription groups ----------------------------------------------------------------------

  async createAndUpdateSubscriptionGroupConfig(brokerAddr: string, config: SubscriptionGroupConfig): Promise<void> {
    await this.api.createSubscriptionGroup(brokerAddr, config, this.timeoutMillis);
  }

  async deleteSubscriptionGroup(brokerAddr: string, groupName: string, removeOffset = false): Promise<void> {
    await this.api.deleteSubscriptionGroup(brokerAddr, groupName, removeOffset, this.timeoutMillis);
  }

  // ---- consumers --------------------------------------------------------------------------------

  /**
   * Java's examineConsumeStats: GET_CONSUME_STATS from the brokers of %RETRY%group's route (the
   * brokers the group consumes from). When that route does not exist yet (no consumer ever connected,
   * offsets committed by tools), every master of the name server is asked instead. An empty result
   * throws CONSUMER_NOT_ONLINE (206), as Java does.
   */
  async examineConsumeStats(group: string, topic?: string): Promise<ConsumerProgress> {
    const addrs = await this.brokersOfGroup(group);
    const queues: QueueProgress[] = [];
    let consumeTps = 0;
    for (const addr of addrs) {
      const stats = await this.api.getConsumeStats(addr, group, topic, this.timeoutMillis * 3);
      consumeTps += stats.consumeTps;
      const entries = [...stats.offsetTable].sort(([a], [b]) => compareMessageQueue(a, b));
      for (const [mq, o] of entries) {
        queues.push({ topic: mq.topic, brokerName: mq.brokerName, queueId: mq.queueId, ...o, diff: o.brokerOffset - o.consumerOffset });
      }
    }
    if (queues.length === 0) {
      throw new MQClientException(
        ResponseCode.CONSUMER_NOT_ONLINE,
        `Not found the consumer group consume stats of ${group}, because return offset table is empty, maybe the consumer not consume any message`,
      );
    }
    return { group, consumeTps, totalDiff: queues.reduce((s, q) => s + q.diff, 0), queues };
  }

  /**
   * mqadmin consumerProgress without -g: every group that has a %RETRY% topic on the name server
   * (sorted), with its connection summary and lag. As mqadmin, a group whose stats or connections
   * cannot be read still gets a row (zeros / offline); the reason is kept in the row.
   */
  async examineAllGroupsConsumeInfo(): Promise<GroupConsumeSummary[]> {
    const groups = (await this.fetchTopicList()).filter((t) => t.startsWith(RETRY_GROUP_TOPIC_PREFIX)).map((t) => t.slice(RETRY_GROUP_TOPIC_PREFIX.length));
    const rows: GroupConsumeSummary[] = [];
    for (const group of groups) {
      const row: GroupConsumeSummary = { group, count: 0, version: undefined, consumeType: undefined, messageModel: undefined, consumeTps: 0, diffTotal: 0, statsError: undefined, connectionError: undefined };
      try {
        const stats = await this.examineConsumeStats(group);
        row.consumeTps = Math.trunc(stats.consumeTps);
        row.diffTotal = stats.totalDiff;
      } catch (e: unknown) {
        row.statsError = e instanceof Error ? e.message : String(e);
      }
      try {
        const cc = await this.examineConsumerConnectionInfo(group);
        row.count = cc.connections.length;
        row.version = mqVersionDesc(Math.min(...cc.connections.map((c) => c.version)));
        row.consumeType = cc.consumeType === 'CONSUME_ACTIVELY' ? 'PULL' : 'PUSH';
        row.messageModel = cc.consumeType === 'CONSUME_PASSIVELY' ? cc.messageModel : undefined;
      } catch (e: unknown) {
        row.connectionError = e instanceof Error ? e.message : String(e);
      }
      rows.push(row);
    }
    return rows;
  }

  /** GET_CONSUMER_CONNECTION_LIST on a broker of the group; nobody connected throws CONSUMER_NOT_ONLINE (206). */
  async examineConsumerConnectionInfo(group: string, brokerAddr?: string): Promise<ConsumerConnectionInfo> {
    const addrs = brokerAddr === undefined ? await this.brokersOfGroup(group) : [brokerAddr];
    let lastError: unknown;
    for (const addr of addrs) {
      try {
        const cc = await this.api.getConsumerConnectionList(addr, group, this.timeoutMillis);
        if (cc.connectionSet.length === 0) continue;
        return {
          group,
          connections: [...cc.connectionSet].sort((a, b) => cmp(a.clientId, b.clientId)),
          subscriptions: [...cc.subscriptionTable.values()]
            .map((s) => ({ topic: s.topic, subString: s.subString, expressionType: s.expressionType, tags: s.tagsSet, subVersion: s.subVersion }))
            .sort((a, b) => cmp(a.topic, b.topic)),
          consumeType: cc.consumeType,
          messageModel: cc.messageModel,
          consumeFromWhere: cc.consumeFromWhere,
        };
      } catch (e: unknown) {
        lastError = e;
      }
    }
    throw new MQClientException(ResponseCode.CONSUMER_NOT_ONLINE, `Not found the consumer group connection of ${group}`, lastError === undefined ? {} : { cause: lastError });
  }

  /**
   * Java's getConsumerRunningInfo: GET_CONSUMER_RUNNING_INFO through the first broker of
   * %RETRY%group's route (the broker relays it to the client). No such route throws TOPIC_NOT_EXIST.
   */
  async getConsumerRunningInfo(group: string, clientId: string, jstack = false): Promise<ConsumerRunningInfo> {
    const route = await this.examineTopicRouteInfo(RETRY_GROUP_TOPIC_PREFIX + group);
    for (const bd of route.brokerDatas) {
      const addr = selectBrokerAddr(bd);
      if (addr !== undefined) return this.api.getConsumerRunningInfo(addr, group, clientId, jstack, this.timeoutMillis * 3);
    }
    throw new MQClientException(ClientErrorCode.CLIENT_STATE, `no broker serves ${RETRY_GROUP_TOPIC_PREFIX}${group}`);
  }

  /**
   * mqadmin consumerProgress -s: the client holding each queue of the group, read from every connected
   * client's running info (its mqTable). Best effort as mqadmin: a client that does not answer leaves
   * its queues out (mqadmin prints N/A for them), so one stuck client does not fail the whole table.
   */
  async examineQueueAllocation(group: string): Promise<Map<string, string>> {
    const holders = new Map<string, string>();
    let connections: ConsumerConnectionInfo['connections'];
    try {
      connections = (await this.examineConsumerConnectionInfo(group)).connections;
    } catch (e: unknown) {
      if (e instanceof MQClientException && e.code === ResponseCode.CONSUMER_NOT_ONLINE) return holders;
      throw e;
    }
    for (const { clientId } of connections) {
      try {
        const info = await this.getConsumerRunningInfo(group, clientId);
        for (const [mq] of info.mqTable) holders.set(messageQueueKey(mq), clientId);
      } catch (e: unknown) {
        this.log.debug('running info of a client not read; its queues show no holder', { group, clientId, error: e instanceof Error ? e.message : String(e) });
      }
    }
    return holders;
  }

  /**
   * Java's consumeMessageDirectly (mqadmin queryMsgById -g -d): CONSUME_MESSAGE_DIRECTLY to the broker
   * that stores the message; the client `clientId` of the group runs its listener on it once and
   * reports the outcome. The message is named by an offset msgId or, with `topic`, by its UNIQ_KEY.
   */
  async consumeMessageDirectly(group: string, clientId: string, msgId: string, topic?: string): Promise<ConsumeMessageDirectlyResult> {
    const msg = await this.viewMessage(msgId, topic);
    return this.api.consumeMessageDirectly(socketAddressToString(msg.storeHost), group, clientId, msg.offsetMsgId, this.timeoutMillis * 3);
  }

  /**
   * mqadmin resetOffsetByTime: see ResetOffsetResult; `timestamp` −1 means the end of each queue;
   * `isC` (mqadmin -c) has the broker notify the clients in the C++ client's body format.
   */
  resetOffsetByTimestamp(topic: string, group: string, timestamp: number, force = true, isC = false): Promise<ResetOffsetResult> {
    return resetOffsetByTimestamp(this, topic, group, timestamp, force, isC);
  }

  // ---- messages (MessageQueries holds the logic) ----------------------------------------------

  /** An offset msgId (VIEW_MESSAGE_BY_ID at the address it encodes) or, with `topic`, a UNIQ_KEY. */
  viewMessage(msgId: string, topic?: string): Promise<MessageExt> {
    return this.messages.viewMessage(msgId, topic);
  }

  queryMessage(topic: string, key: string, maxNum = 64, begin = 0, end = Number.MAX_SAFE_INTEGER): Promise<MessageExt[]> {
    return this.messages.queryMessage(topic, key, maxNum, begin, end, false);
  }

  queryMessageByUniqKey(topic: string, uniqKey: string): Promise<MessageExt> {
    return this.messages.queryMessageByUniqKey(topic, uniqKey);
  }

  queryMessageByOffset(topic: string, brokerName: string, queueId: number, offset: number): Promise<MessageExt> {
    return this.messages.queryMessageByOffset(topic, brokerName, queueId, offset);
  }

  /** mqadmin's message tracking: per group of the message's topic, whether it consumed the message (see messageTrackDetail). */
  messageTrackDetail(msg: MessageExt): Promise<MessageTrack[]> {
    return messageTrackDetail(this, msg);
  }

  // ---- broker config ----------------------------------------------------------------------------

  async getBrokerConfig(brokerAddr: string): Promise<Record<string, string>> {
    const entries = [...(await this.api.getBrokerConfig(brokerAddr, this.timeoutMillis))].sort(([a], [b]) => cmp(a, b));
    return Object.fromEntries(entries);
  }

  /** getBrokerConfig of every master of a cluster, each followed by its slaves (mqadmin getBrokerConfig -c). */
  async getClusterBrokerConfig(clusterName: string): Promise<BrokerConfigEntry[]> {
    const out: BrokerConfigEntry[] = [];
    for (const { brokerName, master, slaves } of await this.fetchMasterAndSlaveDistinguish(clusterName)) {
      if (master !== undefined) out.push({ brokerName, addr: master, slave: false, config: await this.getBrokerConfig(master) });
      for (const addr of slaves) out.push({ brokerName, addr, masterAddr: master, slave: true, config: await this.getBrokerConfig(addr) });
    }
    return out;
  }

  async updateBrokerConfig(brokerAddr: string, properties: Readonly<Record<string, string>>): Promise<void> {
    await this.api.updateBrokerConfig(brokerAddr, new Map(Object.entries(properties)), this.timeoutMillis);
  }

  // ---- helpers ----------------------------------------------------------------------------------

  /** The brokers serving %RETRY%group, or (no such route yet) every master the name server knows. */
  private async brokersOfGroup(group: string): Promise<string[]> {
    try {
      const route = await this.examineTopicRouteInfo(RETRY_GROUP_TOPIC_PREFIX + group);
      return route.brokerDatas.map((bd) => selectBrokerAddr(bd)).filter((a): a is string => a !== undefined);
    } catch (e: unknown) {
      if (!(e instanceof MQClientException) || e.code !== ResponseCode.TOPIC_NOT_EXIST) throw e;
    }
    const info = await this.examineBrokerClusterInfo();
    return [...info.brokerAddrTable.values()].map((bd) => bd.brokerAddrs.get(MASTER_ID)).filter((a): a is string => a !== undefined).sort(cmp);
  }

  private async brokerInfo(clusterName: string, brokerName: string, brokerId: number, addr: string): Promise<ClusterBrokerInfo> {
    const row: ClusterBrokerInfo = { clusterName, brokerName, brokerId, addr, version: undefined, inTps: 0, outTps: 0, hours: undefined, diskRatio: undefined, runtime: undefined, error: undefined };
    try {
      const kv = await this.fetchBrokerRuntimeStats(addr);
      row.runtime = kv;
      row.version = kv.brokerVersionDesc;
      row.inTps = firstFigure(kv.putTps);
      row.outTps = firstFigure(kv.getTransferedTps);
      const earliest = Number(kv.earliestMessageTimeStamp);
      if (kv.earliestMessageTimeStamp !== undefined && Number.isFinite(earliest) && earliest > 0) row.hours = (Date.now() - earliest) / 3_600_000;
      const ratio = Number(kv.commitLogDiskRatio);
      if (kv.commitLogDiskRatio !== undefined && Number.isFinite(ratio)) row.diskRatio = ratio;
    } catch (e: unknown) {
      // clusterList keeps listing the other brokers (mqadmin prints the stack and goes on).
      row.error = e instanceof Error ? e.message : String(e);
    }
    return row;
  }
}

function unknownCluster(clusterName: string): MQClientException {
  return new MQClientException(ClientErrorCode.CLIENT_STATE, `cluster ${clusterName} not found: make sure the cluster name exists and the name server is the right one`);
}

/** "12.5 11.0 10.9" (10 s, 1 min, 10 min) → 12.5. */
function firstFigure(tps: string | undefined): number {
  const n = Number((tps ?? '').trim().split(' ')[0]);
  return Number.isFinite(n) ? n : 0;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
