import { MQBrokerException, MQClientException } from '../../common/errors.js';
import { decodes } from '../../common/message/record-decoder.js';
import type { MessageExt } from '../../common/message/message-ext.js';
import { decodeClusterInfo, type ClusterInfo } from '../../common/protocol/body/cluster-info.js';
import { decodeConsumeStats, type ConsumeStats } from '../../common/protocol/body/consume-stats.js';
import { decodeConsumeMessageDirectlyResult, type ConsumeMessageDirectlyResult } from '../../common/protocol/body/consume-message-directly-result.js';
import { decodeConsumerConnection, type ConsumerConnection } from '../../common/protocol/body/consumer-connection.js';
import { decodeConsumerRunningInfo, type ConsumerRunningInfo } from '../../common/protocol/body/consumer-running-info.js';
import { decodeGroupList } from '../../common/protocol/body/group-list.js';
import { decodeKVTable, type KVTable } from '../../common/protocol/body/kv-table.js';
import type { MessageQueueMap } from '../../common/protocol/body/message-queue-map.js';
import { decodeResetOffsetBody } from '../../common/protocol/body/reset-offset-body.js';
import { encodeSubscriptionGroupConfig, type SubscriptionGroupConfig } from '../../common/protocol/body/subscription-group-config.js';
import type { TopicConfig } from '../../common/protocol/body/topic-config.js';
import { decodeTopicList, type TopicList } from '../../common/protocol/body/topic-list.js';
import { decodeTopicStatsTable, type TopicStatsTable } from '../../common/protocol/body/topic-stats-table.js';
import {
  CreateTopicRequestHeader,
  DeleteSubscriptionGroupRequestHeader,
  DeleteTopicRequestHeader,
  GetConsumeStatsRequestHeader,
  GetConsumerConnectionListRequestHeader,
  GetTopicStatsInfoRequestHeader,
  QueryTopicConsumeByWhoRequestHeader,
} from '../../common/protocol/headers/admin.js';
import { createRequestWithHeader, readHeader } from '../../common/protocol/headers/command-header.js';
import { ConsumeMessageDirectlyResultRequestHeader, GetConsumerRunningInfoRequestHeader, ResetOffsetRequestHeader } from '../../common/protocol/headers/consumer-control.js';
import { GetKVConfigRequestHeader, GetKVConfigResponseHeader, PutKVConfigRequestHeader } from '../../common/protocol/headers/namesrv/kv-config.js';
import { DeleteTopicFromNamesrvRequestHeader, GetTopicsByClusterRequestHeader } from '../../common/protocol/headers/namesrv/route.js';
import { QueryMessageRequestHeader, setUniqueKeyQuery } from '../../common/protocol/headers/query-message.js';
import { RequestCode } from '../../common/protocol/request-code.js';
import { ResponseCode } from '../../common/protocol/response-code.js';
import type { RemotingClient } from '../../common/remoting/remoting-client.js';
import { RemotingCommand } from '../../common/remoting/remoting-command.js';
import { formatJavaProperties, parseJavaProperties } from '../../common/util/java-properties.js';
import type { NamesrvAddressList } from '../impl/namesrv-address-list.js';

/** TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC: the `defaultTopic` every admin topic creation names. */
export const AUTO_CREATE_TOPIC_KEY_TOPIC = 'TBW102';

/**
 * The admin half of Java's MQClientAPIImpl: one method per admin request code, nothing more. Name
 * server requests go through the shared NamesrvAddressList (failover), broker requests name their
 * address. Answers other than SUCCESS throw MQBrokerException carrying the peer's code and remark.
 */
export class MQAdminAPI {
  constructor(
    private readonly remoting: RemotingClient,
    private readonly namesrv: NamesrvAddressList,
  ) {}

  // ---- name server ----------------------------------------------------------------------------

  /** GET_BROKER_CLUSTER_INFO (106). */
  async getBrokerClusterInfo(timeoutMillis: number): Promise<ClusterInfo> {
    const response = await this.namesrv.invokeSync(RemotingCommand.createRequest(RequestCode.GET_BROKER_CLUSTER_INFO), timeoutMillis);
    return decodeClusterInfo(requireBody(response, 'name server'));
  }

  /** GET_ALL_TOPIC_LIST_FROM_NAMESERVER (206). */
  async getTopicListFromNameServer(timeoutMillis: number): Promise<TopicList> {
    const response = await this.namesrv.invokeSync(RemotingCommand.createRequest(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER), timeoutMillis);
    return decodeTopicList(requireBody(response, 'name server'));
  }

  /** GET_TOPICS_BY_CLUSTER (224). */
  async getTopicsByCluster(cluster: string, timeoutMillis: number): Promise<TopicList> {
    const request = createRequestWithHeader(RequestCode.GET_TOPICS_BY_CLUSTER, GetTopicsByClusterRequestHeader, { cluster });
    return decodeTopicList(requireBody(await this.namesrv.invokeSync(request, timeoutMillis), 'name server'));
  }

  /** DELETE_TOPIC_IN_NAMESRV (216) to one name server (Java sends it to every one). */
  async deleteTopicInNameServer(namesrvAddr: string, topic: string, clusterName: string | undefined, timeoutMillis: number): Promise<void> {
    const request = createRequestWithHeader(RequestCode.DELETE_TOPIC_IN_NAMESRV, DeleteTopicFromNamesrvRequestHeader, { topic, clusterName });
    expectSuccess(await this.remoting.invokeSync(namesrvAddr, request, timeoutMillis), namesrvAddr);
  }

  /** PUT_KV_CONFIG (100) on one name server (Java's putKVConfigValue sends it to each in turn). */
  async putKVConfig(namesrvAddr: string, namespace: string, key: string, value: string, timeoutMillis: number): Promise<void> {
    const request = createRequestWithHeader(RequestCode.PUT_KV_CONFIG, PutKVConfigRequestHeader, { namespace, key, value });
    expectSuccess(await this.remoting.invokeSync(namesrvAddr, request, timeoutMillis), namesrvAddr);
  }

  /** GET_KV_CONFIG (101); undefined when the name server answers QUERY_NOT_FOUND (no such key). */
  async getKVConfig(namespace: string, key: string, timeoutMillis: number): Promise<string | undefined> {
    const request = createRequestWithHeader(RequestCode.GET_KV_CONFIG, GetKVConfigRequestHeader, { namespace, key });
    const response = await this.namesrv.invokeSync(request, timeoutMillis);
    if (response.code === ResponseCode.QUERY_NOT_FOUND) return undefined;
    expectSuccess(response, 'name server');
    return readHeader(response, GetKVConfigResponseHeader).value;
  }

  // ---- broker: topics -------------------------------------------------------------------------

  /** QUERY_TOPIC_CONSUME_BY_WHO (300): the groups with offsets or subscriptions for the topic on that broker. */
  async queryTopicConsumeByWho(addr: string, topic: string, timeoutMillis: number): Promise<string[]> {
    const request = createRequestWithHeader(RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, QueryTopicConsumeByWhoRequestHeader, { topic });
    return [...decodeGroupList(requireBody(await this.remoting.invokeSync(addr, request, timeoutMillis), addr)).groupList];
  }

  /** UPDATE_AND_CREATE_TOPIC (17): the header carries the whole TopicConfig. */
  async createTopic(addr: string, tc: TopicConfig, timeoutMillis: number): Promise<void> {
    const request = createRequestWithHeader(RequestCode.UPDATE_AND_CREATE_TOPIC, CreateTopicRequestHeader, {
      topic: tc.topicName,
      defaultTopic: AUTO_CREATE_TOPIC_KEY_TOPIC,
      readQueueNums: tc.readQueueNums,
      writeQueueNums: tc.writeQueueNums,
      perm: tc.perm,
      topicFilterType: tc.topicFilterType,
      topicSysFlag: tc.topicSysFlag,
      order: tc.order,
    });
    expectSuccess(await this.remoting.invokeSync(addr, request, timeoutMillis), addr);
  }

  /** DELETE_TOPIC_IN_BROKER (215). */
  async deleteTopicInBroker(addr: string, topic: string, timeoutMillis: number): Promise<void> {
    const request = createRequestWithHeader(RequestCode.DELETE_TOPIC_IN_BROKER, DeleteTopicRequestHeader, { topic });
    expectSuccess(await this.remoting.invokeSync(addr, request, timeoutMillis), addr);
  }

  /** GET_TOPIC_STATS_INFO (202): min/max offset and last update time of each of the broker's queues. */
  async getTopicStatsInfo(addr: string, topic: string, timeoutMillis: number): Promise<TopicStatsTable> {
    const request = createRequestWithHeader(RequestCode.GET_TOPIC_STATS_INFO, GetTopicStatsInfoRequestHeader, { topic });
    return decodeTopicStatsTable(requireBody(await this.remoting.invokeSync(addr, request, timeoutMillis), addr));
  }

  // ---- broker: runtime and config -------------------------------------------------------------

  /** GET_BROKER_RUNTIME_INFO (28): every value is a string (putTps "12.5 11.0 10.9", brokerVersionDesc …). */
  async getBrokerRuntimeInfo(addr: string, timeoutMillis: number): Promise<KVTable> {
    const response = await this.remoting.invokeSync(addr, RemotingCommand.createRequest(RequestCode.GET_BROKER_RUNTIME_INFO), timeoutMillis);
    return decodeKVTable(requireBody(response, addr));
  }

  /** GET_BROKER_CONFIG (26): the body is java.util.Properties text of every broker/store key. */
  async getBrokerConfig(addr: string, timeoutMillis: number): Promise<Map<string, string>> {
    const response = await this.remoting.invokeSync(addr, RemotingCommand.createRequest(RequestCode.GET_BROKER_CONFIG), timeoutMillis);
    expectSuccess(response, addr);
    return parseJavaProperties(response.body === undefined ? '' : response.body.toString('utf8'));
  }

  /** UPDATE_BROKER_CONFIG (25): the body is `key=value\n` lines (MixAll.properties2String). */
  async updateBrokerConfig(addr: string, entries: ReadonlyMap<string, string>, timeoutMillis: number): Promise<void> {
    const body = Buffer.from(formatJavaProperties(entries), 'utf8');
    const request = RemotingCommand.createRequest(RequestCode.UPDATE_BROKER_CONFIG, undefined, body);
    expectSuccess(await this.remoting.invokeSync(addr, request, timeoutMillis), addr);
  }

  // ---- broker: groups and consumers -----------------------------------------------------------

  /** UPDATE_AND_CREATE_SUBSCRIPTIONGROUP (200): the body is the SubscriptionGroupConfig. */
  async createSubscriptionGroup(addr: string, config: SubscriptionGroupConfig, timeoutMillis: number): Promise<void> {
    const request = RemotingCommand.createRequest(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, undefined, encodeSubscriptionGroupConfig(config));
    expectSuccess(await this.remoting.invokeSync(addr, request, timeoutMillis), addr);
  }

  /** DELETE_SUBSCRIPTIONGROUP (207); `removeOffset` also drops the group's committed offsets. */
  async deleteSubscriptionGroup(addr: string, groupName: string, removeOffset: boolean, timeoutMillis: number): Promise<void> {
    const request = createRequestWithHeader(RequestCode.DELETE_SUBSCRIPTIONGROUP, DeleteSubscriptionGroupRequestHeader, { groupName, removeOffset });
    expectSuccess(await this.remoting.invokeSync(addr, request, timeoutMillis), addr);
  }

  /** GET_CONSUME_STATS (208); `topic` absent ⇒ every topic the group has offsets for on that broker. */
  async getConsumeStats(addr: string, consumerGroup: string, topic: string | undefined, timeoutMillis: number): Promise<ConsumeStats> {
    const request = createRequestWithHeader(RequestCode.GET_CONSUME_STATS, GetConsumeStatsRequestHeader, { consumerGroup, topic });
    return decodeConsumeStats(requireBody(await this.remoting.invokeSync(addr, request, timeoutMillis), addr));
  }

  /** GET_CONSUMER_CONNECTION_LIST (203); CONSUMER_NOT_ONLINE (206) when no client of the group is connected. */
  async getConsumerConnectionList(addr: string, consumerGroup: string, timeoutMillis: number): Promise<ConsumerConnection> {
    const request = createRequestWithHeader(RequestCode.GET_CONSUMER_CONNECTION_LIST, GetConsumerConnectionListRequestHeader, { consumerGroup });
    return decodeConsumerConnection(requireBody(await this.remoting.invokeSync(addr, request, timeoutMillis), addr));
  }

  /**
   * INVOKE_BROKER_TO_RESET_OFFSET (222): the broker computes each queue's offset for `timestamp`
   * (−1 = max offset) and tells the group's online clients to move there; CONSUMER_NOT_ONLINE (206)
   * when none is connected (the caller then falls back to committing offsets itself, as mqadmin does).
   * `isC` marks the request as coming from a C++ client (Java sets the request language to CPP).
   */
  async invokeBrokerToResetOffset(
    addr: string,
    topic: string,
    group: string,
    timestamp: number,
    isForce: boolean,
    timeoutMillis: number,
    isC = false,
  ): Promise<MessageQueueMap<number> | undefined> {
    const request = createRequestWithHeader(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, ResetOffsetRequestHeader, { topic, group, timestamp, isForce });
    if (isC) request.language = 'CPP';
    const response = await this.remoting.invokeSync(addr, request, timeoutMillis);
    if (response.code !== ResponseCode.SUCCESS) throw new MQClientException(response.code, response.remark ?? `reset offset of ${group} failed`, { context: { addr, topic, group } });
    return response.body === undefined ? undefined : decodeResetOffsetBody(response.body).offsetTable;
  }

  /**
   * GET_CONSUMER_RUNNING_INFO (307), relayed by the broker to the client `clientId` of the group: its
   * subscriptions, the queues it holds (mqTable) and its consume figures.
   */
  async getConsumerRunningInfo(addr: string, consumerGroup: string, clientId: string, jstackEnable: boolean, timeoutMillis: number): Promise<ConsumerRunningInfo> {
    const request = createRequestWithHeader(RequestCode.GET_CONSUMER_RUNNING_INFO, GetConsumerRunningInfoRequestHeader, { consumerGroup, clientId, jstackEnable });
    return decodeConsumerRunningInfo(requireClientBody(await this.remoting.invokeSync(addr, request, timeoutMillis), addr));
  }

  /**
   * CONSUME_MESSAGE_DIRECTLY (309): the broker loads the message at the offset `msgId` encodes (an
   * offset msgId) and hands it to the client `clientId`, which runs its listener on it once.
   */
  async consumeMessageDirectly(addr: string, consumerGroup: string, clientId: string, msgId: string, timeoutMillis: number): Promise<ConsumeMessageDirectlyResult> {
    const request = createRequestWithHeader(RequestCode.CONSUME_MESSAGE_DIRECTLY, ConsumeMessageDirectlyResultRequestHeader, { consumerGroup, clientId, msgId });
    return decodeConsumeMessageDirectlyResult(requireClientBody(await this.remoting.invokeSync(addr, request, timeoutMillis), addr));
  }

  // ---- broker: messages -----------------------------------------------------------------------

  /**
   * QUERY_MESSAGE (12) on one broker: the messages the index holds for `key` (or, with `unique`, for a
   * UNIQ_KEY) in [begin, end]. QUERY_NOT_FOUND is an empty answer, not an error.
   */
  async queryMessage(addr: string, header: QueryMessageRequestHeader, unique: boolean, timeoutMillis: number): Promise<MessageExt[]> {
    const request = createRequestWithHeader(RequestCode.QUERY_MESSAGE, QueryMessageRequestHeader, header);
    setUniqueKeyQuery(request, unique);
    const response = await this.remoting.invokeSync(addr, request, timeoutMillis);
    if (response.code === ResponseCode.QUERY_NOT_FOUND) return [];
    expectSuccess(response, addr);
    return response.body === undefined ? [] : decodes(response.body, { decompressBody: true });
  }
}

function expectSuccess(response: RemotingCommand, addr: string): void {
  if (response.code !== ResponseCode.SUCCESS) throw new MQBrokerException(response.code, response.remark ?? '', addr);
}

/** MQClientAPIImpl throws MQClientException (not MQBrokerException) for the relayed consumer requests. */
function requireClientBody(response: RemotingCommand, addr: string): Buffer {
  if (response.code !== ResponseCode.SUCCESS || response.body === undefined) {
    throw new MQClientException(response.code, response.remark ?? `no answer body from ${addr}`, { context: { addr } });
  }
  return response.body;
}

function requireBody(response: RemotingCommand, addr: string): Buffer {
  expectSuccess(response, addr);
  if (response.body === undefined) throw new MQBrokerException(response.code, 'empty body in a SUCCESS answer', addr);
  return response.body;
}
