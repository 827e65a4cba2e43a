import type { Logger } from '../../common/logging/logger.js';
import { isReadable } from '../../common/protocol/body/perm-name.js';
import type { MessageExtBrokerInner } from '../../common/message/message-ext-broker-inner.js';
import type { SocketAddress } from '../../common/message/socket-address.js';
import { buildSubscriptionDataOfType } from '../../common/protocol/body/filter-api.js';
import { createMessageQueue } from '../../common/protocol/body/message-queue.js';
import type { OffsetMovedEvent } from '../../common/protocol/body/offset-moved-event.js';
import { SUB_ALL, isTagType, type SubscriptionData } from '../../common/protocol/body/subscription-data.js';
import { readHeader, setHeader } from '../../common/protocol/headers/command-header.js';
import { PullMessageRequestHeader, PullMessageResponseHeader } from '../../common/protocol/headers/pull-message.js';
import { RequestCode } from '../../common/protocol/request-code.js';
import { ResponseCode } from '../../common/protocol/response-code.js';
import type { RemotingChannel, RequestProcessor } from '../../common/remoting/remoting-channel.js';
import { RemotingCommand } from '../../common/remoting/remoting-command.js';
import type { BrokerConfig } from '../broker-config.js';
import type { ConsumerGroupLookup } from '../client/consumer-manager.js';
import type { PullRequestHoldService } from '../long-polling/pull-request-hold-service.js';
import type { ConsumerOffsetStore } from '../offset/consumer-offset-manager.js';
import type { GetMessageResult, MessageFilter } from '../store/get-message-result.js';
import type { PutMessageResult } from '../store/put-message-result.js';
import type { BrokerRole } from '../store/store-config.js';
import type { SubscriptionGroupLookup } from '../subscription/subscription-group-manager.js';
import type { TopicConfigLookup } from '../topic/topic-config-manager.js';
import { FAQ_URL, suggestTodo } from './broker-remarks.js';
import { offsetMovedEventMessage } from './offset-moved-event-message.js';

/** PullSysFlag bits (PROTOCOL.md §9.2). */
export const PullSysFlag = {
  FLAG_COMMIT_OFFSET: 0x1,
  FLAG_SUSPEND: 0x2,
  FLAG_SUBSCRIPTION: 0x4,
  FLAG_CLASS_FILTER: 0x8,
  FLAG_LITE_PULL_MESSAGE: 0x10,
} as const;

/** MixAll.MASTER_ID. */
const MASTER_ID = 0;

/** The store as the pull path needs it: reads, and the put of an OffsetMovedEvent. */
export interface MessageGetter {
  getMessage(group: string, topic: string, queueId: number, offset: number, maxMsgNums: number, maxTotalBytes?: number, filter?: MessageFilter): Promise<GetMessageResult>;
  putMessage(msg: MessageExtBrokerInner): Promise<PutMessageResult>;
}

export interface PullMessageProcessorDeps {
  readonly brokerConfig: Pick<BrokerConfig, 'brokerName' | 'brokerPermission' | 'brokerIP1' | 'longPollingEnable' | 'shortPollingTimeMills' | 'slaveReadEnable'>;
  readonly brokerRole: () => BrokerRole;
  /** MessageStoreConfig.offsetCheckInSlave: a slave corrects offsets (and reports them) too. */
  readonly offsetCheckInSlave: () => boolean;
  /** The broker's own address: born and store host of the OffsetMovedEvent messages. */
  readonly storeHost: () => SocketAddress;
  readonly store: MessageGetter;
  readonly topicConfigManager: TopicConfigLookup;
  readonly subscriptionGroupManager: SubscriptionGroupLookup;
  readonly consumerManager: ConsumerGroupLookup;
  readonly consumerOffsetManager: Pick<ConsumerOffsetStore, 'commitOffset'>;
  readonly pullRequestHoldService: Pick<PullRequestHoldService, 'suspendPullRequest'>;
  readonly log: Logger;
}

/**
 * PullMessageProcessor (PROTOCOL.md §9.3–9.5): permission, group, topic and queue checks; the
 * subscription from the request or the heartbeats; the store read with the tag filter; the
 * GetMessageStatus → code mapping with every header field set; PULL_NOT_FOUND with FLAG_SUSPEND
 * held in the PullRequestHoldService (long polling) and answered later through
 * `channel.writeResponse`; the consumer's commit offset stored on the first execution.
 */
export class PullMessageProcessor implements RequestProcessor {
  static readonly CODES = [RequestCode.PULL_MESSAGE] as const;

  constructor(private readonly deps: PullMessageProcessorDeps) {}

  processRequest(channel: RemotingChannel, request: RemotingCommand): Promise<RemotingCommand | null> {
    return this.process(channel, request, true);
  }

  /** A held pull woke up (message arrived or timeout): answer whatever the queue holds now. */
  executeRequestWhenWakeup(channel: RemotingChannel, request: RemotingCommand): void {
    this.process(channel, request, false).then(
      (response) => {
        if (response !== null && !channel.writeResponse(response)) {
          this.deps.log.debug('pull answer dropped: channel closed', { remoteAddr: channel.remoteAddress });
        }
      },
      (e: unknown) => {
        this.deps.log.error('execute request when wakeup failed', { remoteAddr: channel.remoteAddress, error: e });
        channel.writeResponse(RemotingCommand.createResponse(request, ResponseCode.SYSTEM_ERROR, e instanceof Error ? e.message : String(e)));
      },
    );
  }

  private async process(channel: RemotingChannel, request: RemotingCommand, brokerAllowSuspend: boolean): Promise<RemotingCommand | null> {
    const header = readHeader(request, PullMessageRequestHeader);
    const d = this.deps;
    // Early refusals carry the (empty) PullMessageResponseHeader: `"extFields":{}` as Java writes it.
    const response = RemotingCommand.createResponse(request, ResponseCode.SYSTEM_ERROR, undefined, {});
    if (!isReadable(d.brokerConfig.brokerPermission)) {
      return refuse(response, ResponseCode.NO_PERMISSION, `the broker[${d.brokerConfig.brokerIP1}] pulling message is forbidden`);
    }
    const groupConfig = d.subscriptionGroupManager.findSubscriptionGroupConfig(header.consumerGroup);
    if (groupConfig === undefined) {
      return refuse(response, ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, `subscription group [${header.consumerGroup}] does not exist, ${suggestTodo(FAQ_URL)}`);
    }
    if (!groupConfig.consumeEnable) return refuse(response, ResponseCode.NO_PERMISSION, `subscription group no permission, ${header.consumerGroup}`);

    const hasCommitOffsetFlag = (header.sysFlag & PullSysFlag.FLAG_COMMIT_OFFSET) !== 0;
    const hasSuspendFlag = (header.sysFlag & PullSysFlag.FLAG_SUSPEND) !== 0;
    const hasSubscriptionFlag = (header.sysFlag & PullSysFlag.FLAG_SUBSCRIPTION) !== 0;

    const topicConfig = d.topicConfigManager.selectTopicConfig(header.topic);
    if (topicConfig === undefined) {
      return refuse(response, ResponseCode.TOPIC_NOT_EXIST, `topic[${header.topic}] not exist, apply first please! ${suggestTodo(FAQ_URL)}`);
    }
    if (!isReadable(topicConfig.perm)) return refuse(response, ResponseCode.NO_PERMISSION, `the topic[${header.topic}] pulling message is forbidden`);
    if (header.queueId < 0 || header.queueId >= topicConfig.readQueueNums) {
      return refuse(
        response,
        ResponseCode.SYSTEM_ERROR,
        `queueId[${header.queueId}] is illegal, topic:[${header.topic}] topicConfig.readQueueNums:[${topicConfig.readQueueNums}] consumer:[${channel.remoteAddress}]`,
      );
    }

    let subscriptionData: SubscriptionData | undefined;
    if (hasSubscriptionFlag) {
      try {
        subscriptionData = buildSubscriptionDataOfType(header.topic, header.subscription, header.expressionType, header.subVersion);
      } catch (e: unknown) {
        d.log.warn('parse the consumer subscription failed', { group: header.consumerGroup, subscription: header.subscription, error: e });
        return refuse(response, ResponseCode.SUBSCRIPTION_PARSE_FAILED, 'parse the consumer\'s subscription failed');
      }
    } else {
      const groupInfo = d.consumerManager.getConsumerGroupInfo(header.consumerGroup);
      if (groupInfo === undefined) {
        return refuse(response, ResponseCode.SUBSCRIPTION_NOT_EXIST, `the consumer's group info not exist${suggestTodo(FAQ_URL)}`);
      }
      if (!groupConfig.consumeBroadcastEnable && groupInfo.messageModel === 'BROADCASTING') {
        return refuse(response, ResponseCode.NO_PERMISSION, `the consumer group[${header.consumerGroup}] can not consume by broadcast way`);
      }
      subscriptionData = groupInfo.findSubscriptionData(header.topic);
      if (subscriptionData === undefined) {
        return refuse(response, ResponseCode.SUBSCRIPTION_NOT_EXIST, `the consumer's subscription not exist${suggestTodo(FAQ_URL)}`);
      }
      if (subscriptionData.subVersion < header.subVersion) return refuse(response, ResponseCode.SUBSCRIPTION_NOT_LATEST, "the consumer's subscription not latest");
    }
    if (!isTagType(subscriptionData.expressionType)) {
      // SQL92 needs enablePropertyFilter and the filter machinery, which this broker does not have.
      return refuse(response, ResponseCode.SYSTEM_ERROR, `The broker does not support consumer to filter message by ${subscriptionData.expressionType}`);
    }

    const filter = createTagFilter(subscriptionData);
    const r = await d.store.getMessage(header.consumerGroup, header.topic, header.queueId, header.queueOffset, header.maxMsgNums, undefined, filter);
    const role = d.brokerRole();
    let suggestWhichBrokerId = MASTER_ID;
    if (d.brokerConfig.slaveReadEnable) {
      suggestWhichBrokerId = r.suggestPullingFromSlave ? groupConfig.whichBrokerWhenConsumeSlowly : groupConfig.brokerId;
    }
    response.remark = r.status;
    response.code = pullResponseCode(r, header.queueOffset);
    if (response.code === ResponseCode.PULL_OFFSET_MOVED && role === 'SLAVE' && !d.offsetCheckInSlave()) {
      // nextOffsetCorrection on a slave: no correction, try again (at the group's broker).
      response.code = ResponseCode.PULL_RETRY_IMMEDIATELY;
      suggestWhichBrokerId = groupConfig.brokerId;
    }
    setHeader(response, PullMessageResponseHeader, {
      suggestWhichBrokerId,
      nextBeginOffset: r.nextBeginOffset,
      minOffset: r.minOffset,
      maxOffset: r.maxOffset,
    });

    let answer: RemotingCommand | null = response;
    if (r.status === 'FOUND') {
      response.body = r.messageBufferList.length === 1 ? r.messageBufferList[0] : Buffer.concat(r.messageBufferList as Buffer[], r.bufferTotalSize);
    } else if (response.code === ResponseCode.PULL_NOT_FOUND && brokerAllowSuspend && hasSuspendFlag) {
      const timeoutMillis = d.brokerConfig.longPollingEnable ? header.suspendTimeoutMillis : d.brokerConfig.shortPollingTimeMills;
      const held = d.pullRequestHoldService.suspendPullRequest(header.topic, header.queueId, {
        channel,
        request,
        suspendTimestamp: Date.now(),
        timeoutMillis,
        pullFromThisOffset: header.queueOffset,
        filter,
      });
      if (held) answer = null;
    } else if (response.code === ResponseCode.PULL_OFFSET_MOVED) {
      const event: OffsetMovedEvent = {
        consumerGroup: header.consumerGroup,
        messageQueue: createMessageQueue(header.topic, d.brokerConfig.brokerName, header.queueId),
        offsetRequest: header.queueOffset,
        offsetNew: r.nextBeginOffset,
      };
      await this.generateOffsetMovedEvent(event);
      d.log.warn('PULL_OFFSET_MOVED: correction offset', {
        topic: header.topic,
        group: header.consumerGroup,
        requestOffset: header.queueOffset,
        newOffset: r.nextBeginOffset,
        suggestBrokerId: suggestWhichBrokerId,
      });
    }

    if (brokerAllowSuspend && hasCommitOffsetFlag && role !== 'SLAVE') {
      d.consumerOffsetManager.commitOffset(channel.remoteAddress, header.consumerGroup, header.topic, header.queueId, header.commitOffset);
    }
    return answer;
  }

  /** Stores the event in OFFSET_MOVED_EVENT; a failed put is logged, the pull is answered regardless (as in Java). */
  private async generateOffsetMovedEvent(event: OffsetMovedEvent): Promise<void> {
    try {
      const r = await this.deps.store.putMessage(offsetMovedEventMessage(event, this.deps.storeHost(), Date.now()));
      if (r.status !== 'PUT_OK') this.deps.log.warn('generateOffsetMovedEvent: put failed', { status: r.status, group: event.consumerGroup, topic: event.messageQueue.topic });
    } catch (e: unknown) {
      this.deps.log.warn('generateOffsetMovedEvent exception', { group: event.consumerGroup, topic: event.messageQueue.topic, error: e });
    }
  }
}

/** An early refusal: `response` with `code` and `remark` (a module function: no closure per pull). */
function refuse(response: RemotingCommand, code: number, remark: string): RemotingCommand {
  response.code = code;
  response.remark = remark;
  return response;
}

/** GetMessageStatus → response code on a master (PROTOCOL.md §9.4). */
export function pullResponseCode(r: GetMessageResult, requestOffset: number): number {
  switch (r.status) {
    case 'FOUND':
      return ResponseCode.SUCCESS;
    case 'MESSAGE_WAS_REMOVING':
    case 'NO_MATCHED_MESSAGE':
      return ResponseCode.PULL_RETRY_IMMEDIATELY;
    case 'NO_MATCHED_LOGIC_QUEUE':
    case 'NO_MESSAGE_IN_QUEUE':
      return requestOffset !== 0 ? ResponseCode.PULL_OFFSET_MOVED : ResponseCode.PULL_NOT_FOUND;
    case 'OFFSET_FOUND_NULL':
    case 'OFFSET_OVERFLOW_ONE':
      return ResponseCode.PULL_NOT_FOUND;
    case 'OFFSET_OVERFLOW_BADLY':
    case 'OFFSET_TOO_SMALL':
      return ResponseCode.PULL_OFFSET_MOVED;
  }
}

/** The filter of `*` subscriptions: one shared object, not one per pull. */
const MATCH_ALL: MessageFilter = { isMatchedByConsumeQueue: () => true };

/**
 * ExpressionMessageFilter for TAG subscriptions: everything for `*` or class-filter mode, else the
 * ConsumeQueue tagsCode (as a Java int) must be one of the subscription's tag hashes.
 */
export function createTagFilter(sub: SubscriptionData | undefined): MessageFilter {
  if (sub === undefined || sub.classFilterMode || sub.subString === SUB_ALL) return MATCH_ALL;
  const codes = new Set(sub.codeSet);
  return { isMatchedByConsumeQueue: (tagsCode) => codes.has(tagsCode | 0) };
}
