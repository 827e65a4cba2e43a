import { ClientErrorCode, MQBrokerException, MQClientException, RemotingException, RemotingTimeoutException } from '../../common/errors.js';
import type { Logger } from '../../common/logging/logger.js';
import type { MessageExt } from '../../common/message/message-ext.js';
import type { Message } from '../../common/message/message.js';
import { decodeRecord } from '../../common/message/record-decoder.js';
import { decodeGetConsumerListByGroupResponseBody } from '../../common/protocol/body/get-consumer-list-by-group-response-body.js';
import { encodeHeartbeatData, type HeartbeatData } from '../../common/protocol/body/heartbeat-data.js';
import { decodeLockBatchResponseBody, encodeLockBatchRequestBody, type LockBatchRequestBody } from '../../common/protocol/body/lock-batch.js';
import type { MessageQueue } from '../../common/protocol/body/message-queue.js';
import { decodeTopicRouteData, type TopicRouteData } from '../../common/protocol/body/topic-route-data.js';
import { createRequestWithHeader, readHeader } from '../../common/protocol/headers/command-header.js';
import { ConsumerSendMsgBackRequestHeader, GetConsumerListByGroupRequestHeader, UnregisterClientRequestHeader } from '../../common/protocol/headers/consumer-manage.js';
import { QueryConsumerOffsetRequestHeader, QueryConsumerOffsetResponseHeader, UpdateConsumerOffsetRequestHeader } from '../../common/protocol/headers/consumer-offset.js';
import { GetRouteInfoRequestHeader } from '../../common/protocol/headers/namesrv/route.js';
import { PullMessageRequestHeader } from '../../common/protocol/headers/pull-message.js';
import { ViewMessageRequestHeader } from '../../common/protocol/headers/query-message.js';
import {
  GetMaxOffsetRequestHeader,
  GetMaxOffsetResponseHeader,
  GetMinOffsetRequestHeader,
  GetMinOffsetResponseHeader,
  SearchOffsetRequestHeader,
  SearchOffsetResponseHeader,
} from '../../common/protocol/headers/queue-offset.js';
import { SendMessageRequestHeader, SendMessageRequestHeaderV2, createSendMessageRequestHeaderV2 } from '../../common/protocol/headers/send-message.js';
import { EndTransactionRequestHeader } from '../../common/protocol/headers/transaction.js';
import { RequestCode } from '../../common/protocol/request-code.js';
import { ResponseCode } from '../../common/protocol/response-code.js';
import type { RemotingClient } from '../../common/remoting/remoting-client.js';
import { RemotingCommand, createOpaque } from '../../common/remoting/remoting-command.js';
import type { ClientConfig } from '../client-config.js';
import type { SendResult } from '../producer/send-result.js';
import { NamesrvAddressList } from './namesrv-address-list.js';
import { processPullResponse, type PullResultExt } from './pull-result.js';
import { processSendResponse } from './send-response.js';

/**
 * Java's MQClientAPIImpl: one method per request the client makes, over one RemotingClient. Name server
 * requests go through NamesrvAddressList (failover); broker requests name their address.
 */
export class MQClientAPIImpl {
  readonly namesrv: NamesrvAddressList;
  /** `org.apache.rocketmq.client.sendSmartMsg` (default true): SEND_MESSAGE_V2 with short header keys. */
  sendSmartMsg = true;

  constructor(
    readonly remotingClient: RemotingClient,
    private readonly config: ClientConfig,
    private readonly log: Logger,
  ) {
    this.namesrv = new NamesrvAddressList(remotingClient, log);
  }

  updateNameServerAddressList(addrs: readonly string[]): void {
    this.namesrv.update(addrs);
  }

  getNameServerAddressList(): readonly string[] {
    return this.namesrv.list;
  }

  async shutdown(): Promise<void> {
    await this.remotingClient.shutdown();
  }

  // ---- send ---------------------------------------------------------------------------------

  /** The request of a send (body possibly compressed, or a batch body): V2 (310) by default, 320 for batches, 10 when sendSmartMsg is off. */
  buildSendRequest(body: Buffer, header: SendMessageRequestHeader, isBatch: boolean): RemotingCommand {
    if (isBatch || this.sendSmartMsg) {
      const code = isBatch ? RequestCode.SEND_BATCH_MESSAGE : RequestCode.SEND_MESSAGE_V2;
      return createRequestWithHeader(code, SendMessageRequestHeaderV2, createSendMessageRequestHeaderV2(header), body);
    }
    return createRequestWithHeader(RequestCode.SEND_MESSAGE, SendMessageRequestHeader, header, body);
  }

  async sendMessageSync(addr: string, brokerName: string, msg: Message, request: RemotingCommand, timeoutMillis: number): Promise<SendResult> {
    const response = await this.remotingClient.invokeSync(addr, request, timeoutMillis);
    return processSendResponse(brokerName, msg, response, addr, this.config.namespace);
  }

  async sendMessageOneway(addr: string, request: RemotingCommand, timeoutMillis: number): Promise<void> {
    await this.remotingClient.invokeOneway(addr, request, timeoutMillis);
  }

  /**
   * MQClientAPIImpl.sendMessageAsync with its onExceptionImpl: a transport failure (no answer, timeout,
   * connection lost) is retried up to `retry.retryTimesWhenSendFailed` times on a broker chosen by the
   * producer, with a new opaque and the time left; a broker's error answer is not retried.
   */
  async sendMessageAsync(addr: string, brokerName: string, msg: Message, request: RemotingCommand, timeoutMillis: number, retry: AsyncSendRetry): Promise<SendResult> {
    let curAddr: string | undefined = addr;
    let curBroker = brokerName;
    let remaining = timeoutMillis;
    for (let times = 0; ; ) {
      const begin = Date.now();
      let error: unknown;
      try {
        if (curAddr === undefined) throw new MQClientException(ClientErrorCode.CLIENT_STATE, `The broker[${curBroker}] not exist`, { retriable: true });
        if (remaining <= 0) throw new RemotingTimeoutException(`wait response timeout ${timeoutMillis}ms`, { context: { addr: curAddr } });
        const response = await this.remotingClient.invokeAsync(curAddr, request, remaining);
        try {
          const result = processSendResponse(curBroker, msg, response, curAddr, this.config.namespace);
          retry.updateFaultItem(curBroker, Date.now() - begin, false);
          return result;
        } catch (e) {
          retry.updateFaultItem(curBroker, Date.now() - begin, true);
          throw e; // an answer from the broker: not retried (needRetry = false)
        }
      } catch (e) {
        if (e instanceof MQBrokerException) throw e;
        error = e;
      }
      const cost = Date.now() - begin;
      retry.updateFaultItem(curBroker, cost, true);
      times++;
      if (times > retry.retryTimesWhenSendFailed || !isTransportFailure(error)) throw error;
      remaining -= cost;
      const next = retry.selectRetryBroker(curBroker);
      this.log.warn('async send msg by retry', { times, topic: msg.topic, brokerName: next.brokerName, addr: next.addr, error: errorText(error) });
      curBroker = next.brokerName;
      curAddr = next.addr;
      request.opaque = createOpaque();
    }
  }

  // ---- name server ----------------------------------------------------------------------------

  /**
   * GET_ROUTEINFO_BY_TOPIC. Sent with version 409, so a 4.9.4+ name server answers standard JSON; the
   * legacy form (older name servers) parses too. TOPIC_NOT_EXIST and other codes throw
   * MQClientException with the name server's code.
   */
  async getTopicRouteInfoFromNameServer(topic: string, timeoutMillis: number, allowTopicNotExist = true): Promise<TopicRouteData> {
    const request = createRequestWithHeader(RequestCode.GET_ROUTEINFO_BY_TOPIC, GetRouteInfoRequestHeader, { topic });
    const response = await this.namesrv.invokeSync(request, timeoutMillis);
    if (response.code === ResponseCode.SUCCESS && response.body !== undefined) return decodeTopicRouteData(response.body);
    if (response.code === ResponseCode.TOPIC_NOT_EXIST && allowTopicNotExist) this.log.debug('topic route not exist', { topic });
    throw new MQClientException(response.code, response.remark ?? `get route of ${topic} failed`, { context: { topic } });
  }

  getDefaultTopicRouteInfoFromNameServer(topic: string, timeoutMillis: number): Promise<TopicRouteData> {
    return this.getTopicRouteInfoFromNameServer(topic, timeoutMillis, false);
  }

  // ---- client management ------------------------------------------------------------------------

  /** HEART_BEAT; resolves to the broker's version (response.version). */
  async sendHeartbeat(addr: string, heartbeatData: HeartbeatData, timeoutMillis: number): Promise<number> {
    const request = RemotingCommand.createRequest(RequestCode.HEART_BEAT, undefined, encodeHeartbeatData(heartbeatData));
    const response = await this.remotingClient.invokeSync(addr, request, timeoutMillis);
    expectSuccess(response, addr);
    return response.version;
  }

  async unregisterClient(addr: string, clientID: string, producerGroup: string | undefined, consumerGroup: string | undefined, timeoutMillis: number): Promise<void> {
    const request = createRequestWithHeader(RequestCode.UNREGISTER_CLIENT, UnregisterClientRequestHeader, { clientID, producerGroup, consumerGroup });
    expectSuccess(await this.remotingClient.invokeSync(addr, request, timeoutMillis), addr);
  }

  async getConsumerIdListByGroup(addr: string, consumerGroup: string, timeoutMillis: number): Promise<string[]> {
    const request = createRequestWithHeader(RequestCode.GET_CONSUMER_LIST_BY_GROUP, GetConsumerListByGroupRequestHeader, { consumerGroup });
    const response = await this.remotingClient.invokeSync(addr, request, timeoutMillis);
    expectSuccess(response, addr);
    return response.body === undefined ? [] : decodeGetConsumerListByGroupResponseBody(response.body).consumerIdList;
  }

  // ---- consumer ---------------------------------------------------------------------------------

  /** QUERY_CONSUMER_OFFSET; QUERY_NOT_FOUND (no stored offset) throws MQBrokerException code 22. */
  async queryConsumerOffset(addr: string, header: QueryConsumerOffsetRequestHeader, timeoutMillis: number): Promise<number> {
    const request = createRequestWithHeader(RequestCode.QUERY_CONSUMER_OFFSET, QueryConsumerOffsetRequestHeader, header);
    const response = await this.remotingClient.invokeSync(addr, request, timeoutMillis);
    expectSuccess(response, addr);
    return readHeader(response, QueryConsumerOffsetResponseHeader).offset;
  }

  async updateConsumerOffset(addr: string, header: UpdateConsumerOffsetRequestHeader, timeoutMillis: number): Promise<void> {
    const request = createRequestWithHeader(RequestCode.UPDATE_CONSUMER_OFFSET, UpdateConsumerOffsetRequestHeader, header);
    expectSuccess(await this.remotingClient.invokeSync(addr, request, timeoutMillis), addr);
  }

  async updateConsumerOffsetOneway(addr: string, header: UpdateConsumerOffsetRequestHeader, timeoutMillis: number): Promise<void> {
    const request = createRequestWithHeader(RequestCode.UPDATE_CONSUMER_OFFSET, UpdateConsumerOffsetRequestHeader, header);
    await this.remotingClient.invokeOneway(addr, request, timeoutMillis);
  }

  /** PULL_MESSAGE (async, may be held by the broker up to suspendTimeoutMillis). */
  async pullMessage(addr: string, header: PullMessageRequestHeader, timeoutMillis: number): Promise<PullResultExt> {
    const request = createRequestWithHeader(RequestCode.PULL_MESSAGE, PullMessageRequestHeader, header);
    const response = await this.remotingClient.invokeAsync(addr, request, timeoutMillis);
    return processPullResponse(response, addr);
  }

  /** CONSUMER_SEND_MSG_BACK: the broker re-queues `msg` to %RETRY%group (or the DLQ). */
  async consumerSendMessageBack(
    addr: string,
    msg: MessageExt,
    consumerGroup: string,
    delayLevel: number,
    timeoutMillis: number,
    maxConsumeRetryTimes: number,
    brokerName?: string,
  ): Promise<void> {
    const request = createRequestWithHeader(RequestCode.CONSUMER_SEND_MSG_BACK, ConsumerSendMsgBackRequestHeader, {
      offset: msg.commitLogOffset,
      group: consumerGroup,
      delayLevel,
      originMsgId: msg.msgId,
      originTopic: msg.topic,
      unitMode: false,
      maxReconsumeTimes: maxConsumeRetryTimes,
      // 4.9.8 (RpcRequestHeader) names the target broker, as the captured Java frame shows.
      bname: brokerName,
    });
    expectSuccess(await this.remotingClient.invokeSync(addr, request, timeoutMillis), addr);
  }

  async getMaxOffset(addr: string, topic: string, queueId: number, timeoutMillis: number): Promise<number> {
    const request = createRequestWithHeader(RequestCode.GET_MAX_OFFSET, GetMaxOffsetRequestHeader, { topic, queueId });
    const response = await this.remotingClient.invokeSync(addr, request, timeoutMillis);
    expectSuccess(response, addr);
    return readHeader(response, GetMaxOffsetResponseHeader).offset;
  }

  async getMinOffset(addr: string, topic: string, queueId: number, timeoutMillis: number): Promise<number> {
    const request = createRequestWithHeader(RequestCode.GET_MIN_OFFSET, GetMinOffsetRequestHeader, { topic, queueId });
    const response = await this.remotingClient.invokeSync(addr, request, timeoutMillis);
    expectSuccess(response, addr);
    return readHeader(response, GetMinOffsetResponseHeader).offset;
  }

  async searchOffset(addr: string, topic: string, queueId: number, timestamp: number, timeoutMillis: number): Promise<number> {
    const request = createRequestWithHeader(RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, SearchOffsetRequestHeader, { topic, queueId, timestamp });
    const response = await this.remotingClient.invokeSync(addr, request, timeoutMillis);
    expectSuccess(response, addr);
    return readHeader(response, SearchOffsetResponseHeader).offset;
  }

  /** LOCK_BATCH_MQ: the queues the broker locked for this client (orderly consumption). */
  async lockBatchMQ(addr: string, body: LockBatchRequestBody, timeoutMillis: number): Promise<MessageQueue[]> {
    const request = RemotingCommand.createRequest(RequestCode.LOCK_BATCH_MQ, undefined, encodeLockBatchRequestBody(body));
    const response = await this.remotingClient.invokeSync(addr, request, timeoutMillis);
    expectSuccess(response, addr);
    return response.body === undefined ? [] : decodeLockBatchResponseBody(response.body).lockOKMQSet;
  }

  async unlockBatchMQ(addr: string, body: LockBatchRequestBody, timeoutMillis: number, oneway = false): Promise<void> {
    const request = RemotingCommand.createRequest(RequestCode.UNLOCK_BATCH_MQ, undefined, encodeLockBatchRequestBody(body));
    if (oneway) {
      await this.remotingClient.invokeOneway(addr, request, timeoutMillis);
      return;
    }
    expectSuccess(await this.remotingClient.invokeSync(addr, request, timeoutMillis), addr);
  }

  /** VIEW_MESSAGE_BY_ID: the record at commitlog offset `phyoffset`, decoded with its body inflated. */
  async viewMessage(addr: string, phyoffset: number, timeoutMillis: number): Promise<MessageExt> {
    const request = createRequestWithHeader(RequestCode.VIEW_MESSAGE_BY_ID, ViewMessageRequestHeader, { offset: phyoffset });
    const response = await this.remotingClient.invokeSync(addr, request, timeoutMillis);
    expectSuccess(response, addr);
    if (response.body === undefined) throw new MQBrokerException(response.code, 'empty body', addr);
    return decodeRecord(response.body, 0, { decompressBody: true });
  }

  /** END_TRANSACTION (oneway), for transactional producers. */
  async endTransactionOneway(addr: string, header: EndTransactionRequestHeader, remark: string | undefined, timeoutMillis: number): Promise<void> {
    const request = createRequestWithHeader(RequestCode.END_TRANSACTION, EndTransactionRequestHeader, header);
    request.remark = remark;
    await this.remotingClient.invokeOneway(addr, request, timeoutMillis);
  }
}

/** What an async send needs from its producer to retry (DefaultMQProducerImpl's part of onExceptionImpl). */
export interface AsyncSendRetry {
  readonly retryTimesWhenSendFailed: number;
  /** The broker for the next attempt after `failedBrokerName` failed (MQFaultStrategy), with its address. */
  selectRetryBroker(failedBrokerName: string): { brokerName: string; addr: string | undefined };
  updateFaultItem(brokerName: string, currentLatency: number, isolation: boolean): void;
}

function expectSuccess(response: RemotingCommand, addr: string): void {
  if (response.code !== ResponseCode.SUCCESS) throw new MQBrokerException(response.code, response.remark ?? '', addr);
}

/** Send failed, no answer in time, connection lost: the request may not have reached a broker. */
function isTransportFailure(e: unknown): boolean {
  return e instanceof RemotingException || (e instanceof MQClientException && e.retriable);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
