import { randomInt } from 'node:crypto';

import type { Logger } from '../../common/logging/logger.js';
import {
  MAX_PROPERTIES_LENGTH,
  MessageConst,
  MessageExtBatch,
  MessageExtBrokerInner,
  MessageSysFlag,
  messageProperties2String,
  parseSocketAddress,
  readBatchEntries,
  string2messageProperties,
  type SocketAddress,
} from '../../common/message/index.js';
import { PermName, isWriteable } from '../../common/protocol/body/perm-name.js';
import type { TopicConfig } from '../../common/protocol/body/topic-config.js';
import { setHeader } from '../../common/protocol/headers/command-header.js';
import {
  SendMessageResponseHeader,
  readSendMessageRequestHeader,
  setSendResponseExtras,
  type SendMessageRequestHeader,
} from '../../common/protocol/headers/send-message.js';
import { RequestCode } from '../../common/protocol/request-code.js';
import { ResponseCode } from '../../common/protocol/response-code.js';
import type { RemotingChannel, RequestProcessor } from '../../common/remoting/remoting-channel.js';
import { RemotingCommand } from '../../common/remoting/remoting-command.js';
import type { BrokerConfig } from '../broker-config.js';
import type { PutMessageResult } from '../store/put-message-result.js';
import type { SubscriptionGroupLookup } from '../subscription/subscription-group-manager.js';
import type { TopicConfigManager } from '../topic/topic-config-manager.js';
import { RETRY_GROUP_TOPIC_PREFIX, notAllowedSendRemark, validateTopic } from '../../common/protocol/topic-validator.js';
import { FAQ_URL, suggestTodo, topicConfigToString } from './broker-remarks.js';
import { DLQ_NUMS_PER_GROUP, createDLQTopic, maxReconsumeTimesOf, randomQueueId } from './retry-dlq.js';

/** Response code "not decided yet", as Java's preSend marks it. */
const UNDECIDED = -1;

/** The store's put side. */
export interface MessagePutter {
  putMessage(msg: MessageExtBrokerInner): Promise<PutMessageResult>;
  putMessages(batch: MessageExtBatch): Promise<PutMessageResult>;
}

export interface SendMessageProcessorDeps {
  /** Read live: UPDATE_BROKER_CONFIG may change it. */
  readonly brokerConfig: Pick<
    BrokerConfig,
    'brokerClusterName' | 'brokerIP1' | 'brokerPermission' | 'regionId' | 'traceOn' | 'startAcceptSendRequestTimeStamp' | 'rejectTransactionMessage'
  >;
  readonly maxMessageSize: () => number;
  readonly store: MessagePutter;
  readonly topicConfigManager: Pick<TopicConfigManager, 'selectTopicConfig' | 'createTopicInSendMessageMethod' | 'createTopicInSendMessageBackMethod'>;
  readonly subscriptionGroupManager: SubscriptionGroupLookup;
  /** brokerIP1:listenPort, the STOREHOST of every record. */
  readonly storeHost: () => SocketAddress;
  /**
   * The delay hook (ScheduleMessageService.rewriteDelayed): moves a message with DELAY > 0 to
   * SCHEDULE_TOPIC_XXXX before the put. Without it delayed messages are stored as sent.
   */
  readonly rewriteDelayed?: (msg: MessageExtBrokerInner) => void;
  readonly log: Logger;
}

/**
 * SendMessageProcessor (SEND_MESSAGE, SEND_MESSAGE_V2, SEND_BATCH_MESSAGE; PROTOCOL.md §10.2):
 * msgCheck, the record the store appends (CLUSTER added, WAIT stripped from a single message's
 * stored properties, born host from the connection, store host brokerIP1:listenPort) and the
 * answer (msgId/queueId/queueOffset + MSG_REGION/TRACE_ON) mapped from the PutMessageResult.
 */
export class SendMessageProcessor implements RequestProcessor {
  static readonly CODES = [RequestCode.SEND_MESSAGE, RequestCode.SEND_MESSAGE_V2, RequestCode.SEND_BATCH_MESSAGE] as const;

  /** Each connection's remote address, parsed once (not two regular expressions per message). */
  private readonly bornHosts = new WeakMap<RemotingChannel, { readonly text: string; readonly host: SocketAddress }>();

  constructor(private readonly deps: SendMessageProcessorDeps) {}

  async processRequest(channel: RemotingChannel, request: RemotingCommand): Promise<RemotingCommand> {
    const header = readSendMessageRequestHeader(request);
    const response = this.preSend(channel, request, header);
    if (response.code !== UNDECIDED) return response;
    return header.batch === true || request.code === RequestCode.SEND_BATCH_MESSAGE
      ? this.sendBatchMessage(channel, request, header, response)
      : this.sendMessage(channel, request, header, response);
  }

  private async sendMessage(channel: RemotingChannel, request: RemotingCommand, header: SendMessageRequestHeader, response: RemotingCommand): Promise<RemotingCommand> {
    const topicConfig = this.deps.topicConfigManager.selectTopicConfig(header.topic)!;
    const queueId = header.queueId < 0 ? randomInt(Math.max(1, topicConfig.writeQueueNums)) : header.queueId;
    const msg = new MessageExtBrokerInner(header.topic, request.body ?? Buffer.alloc(0));
    msg.queueId = queueId;
    const target = this.handleRetryAndDLQ(header, request, response, msg, topicConfig);
    if (target === undefined) return response;
    msg.sysFlag = sysFlagFor(header.sysFlag, target);
    msg.flag = header.flag;
    const props = string2messageProperties(header.properties);
    props.set(MessageConst.PROPERTY_CLUSTER, this.deps.brokerConfig.brokerClusterName);
    // Java stores a single message without WAIT (9 bytes saved) but keeps it in the map, where the
    // flush decision reads it.
    const wait = props.get(MessageConst.PROPERTY_WAIT_STORE_MSG_OK);
    if (wait !== undefined) props.delete(MessageConst.PROPERTY_WAIT_STORE_MSG_OK);
    msg.propertiesStringOverride = messageProperties2String(props);
    if (wait !== undefined) props.set(MessageConst.PROPERTY_WAIT_STORE_MSG_OK, wait);
    msg.adoptProperties(props);
    this.fillHosts(msg, channel, header);
    msg.computeTagsCode();
    if (props.get(MessageConst.PROPERTY_TRANSACTION_PREPARED)?.toLowerCase() === 'true') {
      // Half messages (issue: transactions) are not supported yet: refuse rather than deliver them.
      response.code = ResponseCode.NO_PERMISSION;
      response.remark = `the broker[${this.deps.brokerConfig.brokerIP1}] sending transaction message is forbidden`;
      return response;
    }
    if (msg.delayTimeLevel > 0) this.deps.rewriteDelayed?.(msg);
    const result = await this.deps.store.putMessage(msg);
    return this.handlePutMessageResult(result, response, queueId);
  }

  private async sendBatchMessage(channel: RemotingChannel, request: RemotingCommand, header: SendMessageRequestHeader, response: RemotingCommand): Promise<RemotingCommand> {
    const topicConfig = this.deps.topicConfigManager.selectTopicConfig(header.topic)!;
    const queueId = header.queueId < 0 ? randomInt(Math.max(1, topicConfig.writeQueueNums)) : header.queueId;
    if (header.topic.length > 127) {
      response.code = ResponseCode.MESSAGE_ILLEGAL;
      response.remark = `message topic length too long ${header.topic.length}`;
      return response;
    }
    const body = request.body ?? Buffer.alloc(0);
    // Validate the body before it reaches the append path: a malformed or oversized entry is the
    // sender's error and must never stop the CommitLog writer.
    const illegal = this.checkBatchBody(body);
    if (illegal !== undefined) {
      response.code = ResponseCode.MESSAGE_ILLEGAL;
      response.remark = illegal;
      return response;
    }
    const batch = new MessageExtBatch(header.topic, body);
    batch.queueId = queueId;
    batch.sysFlag = sysFlagFor(header.sysFlag, topicConfig);
    batch.flag = header.flag;
    const props = string2messageProperties(header.properties);
    props.set(MessageConst.PROPERTY_CLUSTER, this.deps.brokerConfig.brokerClusterName);
    batch.adoptProperties(props);
    // CommitLog.asyncPutMessages refuses a delayed batch (the delay rewrite is per message).
    if (batch.delayTimeLevel > 0) return this.handlePutMessageResult({ status: 'MESSAGE_ILLEGAL', reason: 'delayed batch' }, response, queueId);
    this.fillHosts(batch, channel, header);
    const result = await this.deps.store.putMessages(batch);
    return this.handlePutMessageResult(result, response, queueId);
  }

  /** Java's preSend + msgCheck; the response stays UNDECIDED when the send may proceed. */
  private preSend(channel: RemotingChannel, request: RemotingCommand, header: SendMessageRequestHeader): RemotingCommand {
    const c = this.deps.brokerConfig;
    const response = RemotingCommand.createResponse(request, UNDECIDED);
    setSendResponseExtras(response, { regionId: c.regionId, traceOn: c.traceOn });
    if (Date.now() < c.startAcceptSendRequestTimeStamp) {
      return fail(response, ResponseCode.SYSTEM_ERROR, `broker unable to service, until ${new Date(c.startAcceptSendRequestTimeStamp).toISOString()}`);
    }
    // Java refuses only ordered topics here and lets the client's route (no writable queue) keep
    // producers away; we refuse every send to a broker without PERM_WRITE (issue 6: never store
    // what the broker's permission forbids).
    if (!isWriteable(c.brokerPermission)) {
      return fail(response, ResponseCode.NO_PERMISSION, `the broker[${c.brokerIP1}] sending message is forbidden`);
    }
    const invalid = validateTopic(header.topic);
    if (invalid !== undefined) return fail(response, ResponseCode.SYSTEM_ERROR, invalid);
    const forbidden = notAllowedSendRemark(header.topic);
    if (forbidden !== undefined) return fail(response, ResponseCode.NO_PERMISSION, forbidden);

    const tcm = this.deps.topicConfigManager;
    let topicConfig = tcm.selectTopicConfig(header.topic);
    if (topicConfig === undefined) {
      const isRetry = header.topic.startsWith(RETRY_GROUP_TOPIC_PREFIX);
      // TopicSysFlag.buildSysFlag(unit, hasUnitSub): bit 0 = unit, bit 1 = unit subscription.
      const topicSysFlag = header.unitMode === true ? (isRetry ? 0x2 : 0x1) : 0;
      this.deps.log.warn('the topic does not exist', { topic: header.topic, producer: channel.remoteAddress });
      topicConfig = tcm.createTopicInSendMessageMethod(header.topic, header.defaultTopic, channel.remoteAddress, header.defaultTopicQueueNums, topicSysFlag);
      if (topicConfig === undefined && isRetry) {
        topicConfig = tcm.createTopicInSendMessageBackMethod(header.topic, 1, PermName.PERM_WRITE | PermName.PERM_READ, topicSysFlag);
      }
      if (topicConfig === undefined) {
        return fail(response, ResponseCode.TOPIC_NOT_EXIST, `topic[${header.topic}] not exist, apply first please!${suggestTodo(FAQ_URL)}`);
      }
    }
    // Not in Java's msgCheck either (see above): a read-only topic takes no messages.
    if (!isWriteable(topicConfig.perm)) {
      return fail(response, ResponseCode.NO_PERMISSION, `the topic[${header.topic}] sending message is forbidden`);
    }
    const idValid = Math.max(topicConfig.writeQueueNums, topicConfig.readQueueNums);
    if (header.queueId >= idValid) {
      return fail(response, ResponseCode.SYSTEM_ERROR, `request queueId[${header.queueId}] is illegal, ${topicConfigToString(topicConfig)} Producer: ${channel.remoteAddress}`);
    }
    return response;
  }

  /**
   * handleRetryAndDLQ: a send to `%RETRY%<group>` needs the group; once reconsumeTimes reaches the
   * maximum (header value from V3_4_9 on, else the group's retryMaxTimes) the message goes to
   * `%DLQ%<group>` instead. Returns the topic config that decides the sysFlag, or undefined when the
   * response is already decided.
   */
  private handleRetryAndDLQ(header: SendMessageRequestHeader, request: RemotingCommand, response: RemotingCommand, msg: MessageExtBrokerInner, topicConfig: TopicConfig): TopicConfig | undefined {
    if (!header.topic.startsWith(RETRY_GROUP_TOPIC_PREFIX)) return topicConfig;
    const group = header.topic.slice(RETRY_GROUP_TOPIC_PREFIX.length);
    const groupConfig = this.deps.subscriptionGroupManager.findSubscriptionGroupConfig(group);
    if (groupConfig === undefined) {
      fail(response, ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, `subscription group not exist, ${group} ${suggestTodo(FAQ_URL)}`);
      return undefined;
    }
    const maxReconsumeTimes = maxReconsumeTimesOf(groupConfig, request.version, header.maxReconsumeTimes);
    const reconsumeTimes = header.reconsumeTimes ?? 0;
    if (reconsumeTimes < maxReconsumeTimes) return topicConfig;
    // Java also sets DELAY=0 here, on a property map the header's properties then replace: a
    // dead letter sent with DELAY > 0 still waits in SCHEDULE_TOPIC_XXXX, headed for the DLQ.
    const dlq = createDLQTopic(this.deps.topicConfigManager, group);
    msg.topic = dlq.topicName;
    msg.queueId = randomQueueId(DLQ_NUMS_PER_GROUP);
    return dlq;
  }

  private fillHosts(msg: MessageExtBrokerInner, channel: RemotingChannel, header: SendMessageRequestHeader): void {
    msg.bornTimestamp = header.bornTimestamp;
    msg.bornHost = this.bornHostOf(channel);
    msg.storeHost = this.deps.storeHost();
    msg.reconsumeTimes = header.reconsumeTimes ?? 0;
    msg.applyHostFlags();
  }

  private bornHostOf(channel: RemotingChannel): SocketAddress {
    const text = channel.remoteAddress;
    let entry = this.bornHosts.get(channel);
    if (entry === undefined || entry.text !== text) {
      entry = { text, host: parseSocketAddress(text) };
      this.bornHosts.set(channel, entry);
    }
    return entry.host;
  }

  /** Java's batch checks, done before the put: each entry well-formed, body and properties in bounds. */
  private checkBatchBody(body: Buffer): string | undefined {
    const max = this.deps.maxMessageSize();
    try {
      for (const e of readBatchEntries(body)) {
        if (e.body.length > max) return `message body size exceeded, msg body size: ${e.body.length}, maxMessageSize: ${max}`;
        if (e.properties.length > MAX_PROPERTIES_LENGTH) return `message properties size exceeded, ${e.properties.length}`;
      }
    } catch (e: unknown) {
      return e instanceof Error ? e.message : String(e);
    }
    return undefined;
  }

  /** handlePutMessageResult: the code and remark of every PutMessageStatus. */
  private handlePutMessageResult(r: PutMessageResult, response: RemotingCommand, queueId: number): RemotingCommand {
    switch (r.status) {
      case 'PUT_OK':
        response.code = ResponseCode.SUCCESS;
        break;
      case 'FLUSH_DISK_TIMEOUT':
        response.code = ResponseCode.FLUSH_DISK_TIMEOUT;
        break;
      case 'FLUSH_SLAVE_TIMEOUT':
        response.code = ResponseCode.FLUSH_SLAVE_TIMEOUT;
        break;
      case 'SLAVE_NOT_AVAILABLE':
        response.code = ResponseCode.SLAVE_NOT_AVAILABLE;
        break;
      case 'CREATE_MAPEDFILE_FAILED':
        return fail(response, ResponseCode.SYSTEM_ERROR, 'create mapped file failed, server is busy or broken.');
      case 'MESSAGE_ILLEGAL':
      case 'PROPERTIES_SIZE_EXCEEDED':
        return fail(
          response,
          ResponseCode.MESSAGE_ILLEGAL,
          `the message is illegal, maybe msg body or properties length not matched. msg body length limit ${this.deps.maxMessageSize()}B, msg properties length limit 32KB.`,
        );
      case 'SERVICE_NOT_AVAILABLE':
        return fail(
          response,
          ResponseCode.SERVICE_NOT_AVAILABLE,
          "service not available now. It may be caused by one of the following reasons: the broker's disk is full, messages are put to the slave, message store has been shut down, etc.",
        );
      case 'OS_PAGECACHE_BUSY':
        return fail(response, ResponseCode.SYSTEM_ERROR, '[PC_SYNCHRONIZED]broker busy, start flow control for a while');
      case 'UNKNOWN_ERROR':
        return fail(response, ResponseCode.SYSTEM_ERROR, 'UNKNOWN_ERROR');
    }
    const a = r.appendMessageResult;
    response.remark = undefined;
    return setHeader(response, SendMessageResponseHeader, {
      msgId: a.msgNum > 1 ? a.msgIds.join(',') : a.msgId,
      queueId,
      queueOffset: a.logicsOffset,
    });
  }
}

function fail(response: RemotingCommand, code: number, remark: string): RemotingCommand {
  response.code = code;
  response.remark = remark;
  return response;
}

function sysFlagFor(headerSysFlag: number, topicConfig: TopicConfig): number {
  return topicConfig.topicFilterType === 'MULTI_TAG' ? headerSysFlag | MessageSysFlag.MULTI_TAGS_FLAG : headerSysFlag;
}
