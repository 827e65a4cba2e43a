import { ClientErrorCode, MQClientException } from '../../common/errors.js';
import { MessageConst } from '../../common/message/message-const.js';
import type { MessageExt } from '../../common/message/message-ext.js';
import { decodes } from '../../common/message/record-decoder.js';
import { MASTER_ID } from '../../common/protocol/body/broker-data.js';
import type { MessageQueue } from '../../common/protocol/body/message-queue.js';
import { isTagType, type SubscriptionData } from '../../common/protocol/body/subscription-data.js';
import type { MQClientInstance } from '../impl/mq-client-instance.js';
import { PullStatus, type PullResultExt } from '../impl/pull-result.js';
import { clearCommitOffsetFlag, hasClassFilterFlag } from './pull-sys-flag.js';
import { QueueSlotMap } from './queue-slot-map.js';

/** MQVersion.Version.V4_1_0_SNAPSHOT.ordinal(): the first broker version that filters by SQL92. */
const V4_1_0_SNAPSHOT = 238;

/** A processed pull: the status, offsets and (FOUND) the decoded, re-filtered messages. */
export interface PullResult {
  pullStatus: PullStatus;
  nextBeginOffset: number;
  minOffset: number;
  maxOffset: number;
  /** FOUND only; may be empty when every pulled message was filtered out client-side. */
  msgFoundList: MessageExt[];
}

/** The arguments of PullAPIWrapper.pullKernelImpl (Java's positional list, named). */
export interface PullKernelRequest {
  mq: MessageQueue;
  /** Only with FLAG_SUBSCRIPTION (postSubscriptionWhenPull). */
  subExpression: string | undefined;
  expressionType: string;
  subVersion: number;
  offset: number;
  maxNums: number;
  sysFlag: number;
  commitOffset: number;
  brokerSuspendMaxTimeMillis: number;
  timeoutMillis: number;
}

/**
 * PullAPIWrapper (client/impl/consumer/PullAPIWrapper.java): picks the broker to pull a queue from
 * (the broker's suggestWhichBrokerId, remembered per queue), sends PULL_MESSAGE, and turns the
 * answer into messages: decoded (bodies inflated), re-filtered by tag on the client (the broker
 * filters by tag hash only), stamped with MIN_OFFSET / MAX_OFFSET and the broker name.
 */
export class PullAPIWrapper {
  /** Written after every pull and read before the next: a QueueSlotMap. */
  private readonly pullFromWhichNodeTable = new QueueSlotMap<number>();
  /** Java's connectBrokerByUser/defaultBrokerId: pin every pull to one broker id. */
  connectBrokerByUser = false;
  defaultBrokerId = MASTER_ID;

  constructor(
    private readonly mQClientFactory: MQClientInstance,
    private readonly consumerGroup: string,
  ) {}

  async pullKernelImpl(r: PullKernelRequest): Promise<PullResultExt> {
    const { mq } = r;
    let found = this.mQClientFactory.findBrokerAddressInSubscribe(mq.brokerName, this.recalculatePullFromWhichNode(mq), false);
    if (found === undefined) {
      await this.mQClientFactory.updateTopicRouteInfoFromNameServer(mq.topic);
      found = this.mQClientFactory.findBrokerAddressInSubscribe(mq.brokerName, this.recalculatePullFromWhichNode(mq), false);
    }
    if (found === undefined) {
      throw new MQClientException(ClientErrorCode.CLIENT_STATE, `The broker[${mq.brokerName}] not exist`, { retriable: true });
    }
    if (!isTagType(r.expressionType) && found.brokerVersion < V4_1_0_SNAPSHOT) {
      throw new MQClientException(
        ClientErrorCode.CLIENT_STATE,
        `The broker[${mq.brokerName}, ${found.brokerVersion}] does not upgrade to support for filter message by ${r.expressionType}`,
      );
    }
    // A slave does not store consumer offsets: do not ask it to.
    const sysFlag = found.slave ? clearCommitOffsetFlag(r.sysFlag) : r.sysFlag;
    if (hasClassFilterFlag(sysFlag)) {
      throw new MQClientException(ClientErrorCode.CLIENT_STATE, 'class filter mode (filter servers) is not supported');
    }
    return this.mQClientFactory.mQClientAPIImpl.pullMessage(
      found.brokerAddr,
      {
        consumerGroup: this.consumerGroup,
        topic: mq.topic,
        queueId: mq.queueId,
        queueOffset: r.offset,
        maxMsgNums: r.maxNums,
        sysFlag,
        commitOffset: r.commitOffset,
        suspendTimeoutMillis: r.brokerSuspendMaxTimeMillis,
        subscription: r.subExpression,
        subVersion: r.subVersion,
        expressionType: r.expressionType,
        bname: mq.brokerName,
      },
      r.timeoutMillis,
    );
  }

  /** PullAPIWrapper.processPullResult: remember the suggested broker, decode and re-filter FOUND bodies. */
  processPullResult(mq: MessageQueue, raw: PullResultExt, subscriptionData: SubscriptionData): PullResult {
    this.updatePullFromWhichNode(mq, raw.suggestWhichBrokerId);
    const result: PullResult = {
      pullStatus: raw.pullStatus,
      nextBeginOffset: raw.nextBeginOffset,
      minOffset: raw.minOffset,
      maxOffset: raw.maxOffset,
      msgFoundList: [],
    };
    if (raw.pullStatus !== PullStatus.FOUND || raw.messageBinary === undefined) return result;
    const msgList = decodes(raw.messageBinary, { decompressBody: true });
    // The broker matched tag hash codes only; a hash collision is filtered out here.
    const filter = subscriptionData.tagsSet.length > 0 && !subscriptionData.classFilterMode ? new Set(subscriptionData.tagsSet) : undefined;
    const minOffset = String(raw.minOffset);
    const maxOffset = String(raw.maxOffset);
    for (const msg of msgList) {
      if (filter !== undefined) {
        const tags = msg.tags;
        if (tags === undefined || !filter.has(tags)) continue;
      }
      if (msg.getProperty(MessageConst.PROPERTY_TRANSACTION_PREPARED)?.toLowerCase() === 'true') {
        msg.transactionId = msg.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX);
      }
      msg.putProperty(MessageConst.PROPERTY_MIN_OFFSET, minOffset);
      msg.putProperty(MessageConst.PROPERTY_MAX_OFFSET, maxOffset);
      msg.brokerName = mq.brokerName;
      result.msgFoundList.push(msg);
    }
    return result;
  }

  updatePullFromWhichNode(mq: MessageQueue, brokerId: number): void {
    this.pullFromWhichNodeTable.set(mq, brokerId);
  }

  recalculatePullFromWhichNode(mq: MessageQueue): number {
    if (this.connectBrokerByUser) return this.defaultBrokerId;
    return this.pullFromWhichNodeTable.get(mq) ?? MASTER_ID;
  }
}
