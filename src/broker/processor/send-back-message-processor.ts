import type { Logger } from '../../common/logging/logger.js';
import { MessageConst, MessageExtBrokerInner, decodeRecord, messageProperties2String, type MessageExt } from '../../common/message/index.js';
import { PermName, isWriteable } from '../../common/protocol/body/perm-name.js';
import { readHeader } from '../../common/protocol/headers/command-header.js';
import { ConsumerSendMsgBackRequestHeader } from '../../common/protocol/headers/consumer-manage.js';
import { RequestCode } from '../../common/protocol/request-code.js';
import { ResponseCode } from '../../common/protocol/response-code.js';
import type { RemotingChannel, RequestProcessor } from '../../common/remoting/remoting-channel.js';
import { RemotingCommand } from '../../common/remoting/remoting-command.js';
import type { BrokerConfig } from '../broker-config.js';
import type { PutMessageResult } from '../store/put-message-result.js';
import type { SubscriptionGroupLookup } from '../subscription/subscription-group-manager.js';
import type { TopicConfigManager } from '../topic/topic-config-manager.js';
import { getRetryTopic } from '../../common/protocol/topic-validator.js';
import { FAQ_URL, suggestTodo } from './broker-remarks.js';
import { DLQ_NUMS_PER_GROUP, SEND_BACK_BASE_DELAY_LEVEL, createDLQTopic, maxReconsumeTimesOf, randomQueueId } from './retry-dlq.js';

/** TopicSysFlag.buildSysFlag(false, true): a unit-mode consumer's retry topic has "unit subscription". */
const TOPIC_SYS_FLAG_UNIT_SUB = 0x2;
/** Record TOTALSIZE, read first to learn how much to read. */
const TOTAL_SIZE_BYTES = 4;

export interface SendBackMessageStore {
  selectOneMessageByOffset(commitLogOffset: number, size: number): Promise<Buffer | undefined>;
  putMessage(msg: MessageExtBrokerInner): Promise<PutMessageResult>;
}

export interface SendBackMessageProcessorDeps {
  /** Read live: UPDATE_BROKER_CONFIG may change the permission. */
  readonly brokerConfig: Pick<BrokerConfig, 'brokerPermission' | 'brokerIP1'>;
  readonly store: SendBackMessageStore;
  readonly topicConfigManager: Pick<TopicConfigManager, 'createTopicInSendMessageBackMethod'>;
  readonly subscriptionGroupManager: SubscriptionGroupLookup;
  /** The send path's delay rewrite (ScheduleMessageService): a retry waits in SCHEDULE_TOPIC_XXXX. */
  readonly rewriteDelayed: (msg: MessageExtBrokerInner) => void;
  readonly log: Logger;
}

/**
 * CONSUMER_SEND_MSG_BACK (36; SendMessageProcessor.asyncConsumerSendMsgBack, PROTOCOL.md §11.4): a
 * consumer gives a message back. The broker re-reads it by CommitLog offset and stores a copy for
 * `%RETRY%<group>` with reconsumeTimes + 1, delayed by level `3 + reconsumeTimes` (or the requested
 * level), or — past maxReconsumeTimes, or asked with a negative level — in `%DLQ%<group>`.
 */
export class SendBackMessageProcessor implements RequestProcessor {
  static readonly CODES = [RequestCode.CONSUMER_SEND_MSG_BACK] as const;

  constructor(private readonly deps: SendBackMessageProcessorDeps) {}

  async processRequest(channel: RemotingChannel, request: RemotingCommand): Promise<RemotingCommand> {
    const h = readHeader(request, ConsumerSendMsgBackRequestHeader);
    const response = RemotingCommand.createResponse(request, ResponseCode.SUCCESS);
    const groupConfig = this.deps.subscriptionGroupManager.findSubscriptionGroupConfig(h.group);
    if (groupConfig === undefined) {
      return fail(response, ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, `subscription group not exist, ${h.group} ${suggestTodo(FAQ_URL)}`);
    }
    const bc = this.deps.brokerConfig;
    if (!isWriteable(bc.brokerPermission)) {
      return fail(response, ResponseCode.NO_PERMISSION, `the broker[${bc.brokerIP1}] sending message is forbidden`);
    }
    // A group without retry queues drops what its consumers give back (Java answers SUCCESS).
    if (groupConfig.retryQueueNums <= 0) return response;

    let newTopic = getRetryTopic(h.group);
    let queueId = randomQueueId(groupConfig.retryQueueNums);
    const topicSysFlag = h.unitMode === true ? TOPIC_SYS_FLAG_UNIT_SUB : 0;
    const retryConfig = this.deps.topicConfigManager.createTopicInSendMessageBackMethod(newTopic, groupConfig.retryQueueNums, PermName.PERM_WRITE | PermName.PERM_READ, topicSysFlag);
    if (!isWriteable(retryConfig.perm)) {
      return fail(response, ResponseCode.NO_PERMISSION, `the topic[${newTopic}] sending message is forbidden`);
    }
    const msgExt = await this.lookMessageByOffset(h.offset);
    if (msgExt === undefined) {
      return fail(response, ResponseCode.SYSTEM_ERROR, `look message by offset failed, ${h.offset}`);
    }

    // Java edits the looked-up message's property map (shared with the new message) in this order;
    // the order decides the stored properties string.
    if (msgExt.getProperty(MessageConst.PROPERTY_RETRY_TOPIC) === undefined) msgExt.putProperty(MessageConst.PROPERTY_RETRY_TOPIC, msgExt.topic);
    msgExt.waitStoreMsgOK = false;
    let delayLevel = h.delayLevel;
    const maxReconsumeTimes = maxReconsumeTimesOf(groupConfig, request.version, h.maxReconsumeTimes);
    if (msgExt.reconsumeTimes >= maxReconsumeTimes || delayLevel < 0) {
      newTopic = createDLQTopic(this.deps.topicConfigManager, h.group).topicName;
      queueId = randomQueueId(DLQ_NUMS_PER_GROUP);
      // DELAY=0 is stored in the dead letter (Java sets the level to 0 rather than clearing it).
      delayLevel = 0;
    } else if (delayLevel === 0) {
      delayLevel = SEND_BACK_BASE_DELAY_LEVEL + msgExt.reconsumeTimes;
    }
    msgExt.delayTimeLevel = delayLevel;

    const inner = new MessageExtBrokerInner(newTopic, msgExt.body);
    inner.flag = msgExt.flag;
    inner.queueId = queueId;
    inner.sysFlag = msgExt.sysFlag;
    inner.bornTimestamp = msgExt.bornTimestamp;
    inner.bornHost = msgExt.bornHost;
    inner.storeHost = msgExt.storeHost;
    inner.reconsumeTimes = msgExt.reconsumeTimes + 1;
    // ORIGIN_MESSAGE_ID: the first send-back's message keeps its id through every later retry; Java
    // takes the looked-up message's msgId, which is its offset msgId.
    const originMsgId = msgExt.getProperty(MessageConst.PROPERTY_ORIGIN_MESSAGE_ID);
    msgExt.putProperty(MessageConst.PROPERTY_ORIGIN_MESSAGE_ID, originMsgId === undefined || originMsgId.trim() === '' ? msgExt.offsetMsgId : originMsgId);
    inner.setProperties(msgExt.properties);
    inner.propertiesStringOverride = messageProperties2String(msgExt.properties);
    // Java: tagsString2tagsCode(null, tags) — the TAGS hash whatever the topic's filter type.
    inner.computeTagsCode();
    inner.applyHostFlags();
    this.deps.rewriteDelayed(inner);

    const r = await this.deps.store.putMessage(inner);
    if (r.status === 'PUT_OK') return response;
    this.deps.log.warn('send back put failed', { group: h.group, offset: h.offset, status: r.status, remoteAddr: channel.remoteAddress });
    return fail(response, ResponseCode.SYSTEM_ERROR, r.status);
  }

  /** lookMessageByOffset: undefined for an offset that holds no readable record (Java's decode returns null). */
  private async lookMessageByOffset(offset: number): Promise<MessageExt | undefined> {
    try {
      const head = await this.deps.store.selectOneMessageByOffset(offset, TOTAL_SIZE_BYTES);
      if (head === undefined || head.length < TOTAL_SIZE_BYTES) return undefined;
      const size = head.readInt32BE(0);
      if (size <= TOTAL_SIZE_BYTES) return undefined;
      const record = await this.deps.store.selectOneMessageByOffset(offset, size);
      return record === undefined ? undefined : decodeRecord(record, 0);
    } catch (e: unknown) {
      this.deps.log.warn('look message by offset failed', { offset, error: e });
      return undefined;
    }
  }
}

function fail(response: RemotingCommand, code: number, remark: string): RemotingCommand {
  response.code = code;
  response.remark = remark;
  return response;
}
