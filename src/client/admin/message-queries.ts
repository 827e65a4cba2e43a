import { ClientErrorCode, MQClientException } from '../../common/errors.js';
import { MessageConst } from '../../common/message/message-const.js';
import type { MessageExt } from '../../common/message/message-ext.js';
import { decodeMessageId } from '../../common/message/message-id.js';
import { decodes } from '../../common/message/record-decoder.js';
import { selectBrokerAddr } from '../../common/protocol/body/broker-data.js';
import { createMessageQueue, type MessageQueue } from '../../common/protocol/body/message-queue.js';
import { ResponseCode } from '../../common/protocol/response-code.js';
import { buildPullSysFlag } from '../consumer/pull-sys-flag.js';
import { PullStatus } from '../impl/pull-result.js';
import type { AdminContext } from './admin-context.js';

/** MixAll.TOOLS_CONSUMER_GROUP: the group tools pull with (the broker never stores offsets for it here). */
export const TOOLS_CONSUMER_GROUP = 'TOOLS_CONSUMER';
/** MQAdminImpl's default `maxNum` for a unique-key query (the broker caps it at defaultQueryMaxNum). */
const UNIQ_KEY_QUERY_MAX_NUM = 32;
/** Pull batch size of consumeMessage (DefaultMQPullConsumer's 32 in mqadmin's loop). */
export const PULL_BATCH_SIZE = 32;

/** One pull by the tools (no suspension, no offset commit). */
export interface ToolsPullResult {
  status: PullStatus;
  nextBeginOffset: number;
  minOffset: number;
  maxOffset: number;
  messages: MessageExt[];
}

/**
 * The message look-ups of MQAdmin: by id (an offset msgId → VIEW_MESSAGE_BY_ID on the broker it
 * names; a UNIQ_KEY → the topic's index), by key (QUERY_MESSAGE on every broker of the topic), by
 * queue offset and plain pulls (PULL_MESSAGE as the TOOLS_CONSUMER group).
 */
export class MessageQueries {
  constructor(private readonly admin: AdminContext) {}

  /**
   * Both kinds of id are 32 hex characters (IPv4), so the text alone cannot tell them apart: an id
   * whose decoded address is a broker the name server knows is an offset msgId; anything else is
   * treated as a UNIQ_KEY, which needs the topic (the index is keyed by `topic#key`). Java tries the
   * decoded address blindly and falls back on failure; a UNIQ_KEY decodes to a random address, so
   * that could wait for a connect timeout.
   */
  async viewMessage(msgId: string, topic?: string): Promise<MessageExt> {
    const id = msgId.trim();
    const addr = await this.knownOffsetMsgIdAddr(id);
    if (addr !== undefined) {
      const { offset } = decodeMessageId(id);
      return this.admin.clientAPI.viewMessage(addr, offset, this.admin.timeoutMillis);
    }
    if (topic === undefined) {
      throw new MQClientException(
        ClientErrorCode.CLIENT_VALIDATION,
        `message id ${id} is not an offset message id of a known broker; to look it up as a unique key (UNIQ_KEY) give its topic`,
      );
    }
    return this.queryMessageByUniqKey(topic, id);
  }

  /** The first message whose UNIQ_KEY is `uniqKey` (a retried send may have stored two). */
  async queryMessageByUniqKey(topic: string, uniqKey: string): Promise<MessageExt> {
    const found = await this.queryMessage(topic, uniqKey, UNIQ_KEY_QUERY_MAX_NUM, 0, Number.MAX_SAFE_INTEGER, true);
    const first = found[0];
    if (first === undefined) throw notFound(`no message of topic ${topic} has the unique key ${uniqKey}`);
    return first;
  }

  /**
   * MQAdminImpl.queryMessage: QUERY_MESSAGE on one address of every broker of the topic, then the
   * client-side filter Java applies (the index holds hashes: other keys can collide).
   */
  async queryMessage(topic: string, key: string, maxNum: number, begin: number, end: number, unique: boolean): Promise<MessageExt[]> {
    const route = await this.admin.examineTopicRouteInfo(topic);
    const out: MessageExt[] = [];
    for (const bd of route.brokerDatas) {
      const addr = selectBrokerAddr(bd);
      if (addr === undefined) continue;
      const header = { topic, key, maxNum, beginTimestamp: begin, endTimestamp: end };
      for (const msg of await this.admin.api.queryMessage(addr, header, unique, this.admin.timeoutMillis * 3)) {
        if (msg.topic !== topic) continue;
        const matches = unique
          ? msg.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX) === key
          : (msg.keys ?? '').split(MessageConst.KEY_SEPARATOR).includes(key);
        if (matches) out.push(msg);
      }
    }
    return out.sort((a, b) => a.storeTimestamp - b.storeTimestamp || a.commitLogOffset - b.commitLogOffset);
  }

  /** mqadmin queryMsgByOffset: the message at `offset` of one queue. */
  async queryMessageByOffset(topic: string, brokerName: string, queueId: number, offset: number): Promise<MessageExt> {
    const result = await this.pull(createMessageQueue(topic, brokerName, queueId), offset, 1);
    const first = result.messages[0];
    if (result.status !== PullStatus.FOUND || first === undefined) {
      throw notFound(`no message at ${topic}/${brokerName}/${queueId} offset ${offset} (${result.status}; queue holds ${result.minOffset}..${result.maxOffset - 1})`);
    }
    return first;
  }

  /** One PULL_MESSAGE of up to `maxNums` messages from `offset` (tag `*`), answered at once. */
  async pull(mq: MessageQueue, offset: number, maxNums: number, subExpression = '*', consumerGroup = TOOLS_CONSUMER_GROUP): Promise<ToolsPullResult> {
    const addr = await this.brokerAddrOfQueue(mq);
    const result = await this.admin.clientAPI.pullMessage(
      addr,
      {
        consumerGroup,
        topic: mq.topic,
        queueId: mq.queueId,
        queueOffset: offset,
        maxMsgNums: maxNums,
        sysFlag: buildPullSysFlag(false, false, true, false),
        commitOffset: 0,
        suspendTimeoutMillis: 0,
        subscription: subExpression,
        subVersion: 0,
        expressionType: 'TAG',
        bname: mq.brokerName,
      },
      this.admin.timeoutMillis,
    );
    const messages = result.messageBinary === undefined ? [] : decodes(result.messageBinary, { decompressBody: true });
    for (const m of messages) m.brokerName = mq.brokerName;
    return { status: result.pullStatus, nextBeginOffset: result.nextBeginOffset, minOffset: result.minOffset, maxOffset: result.maxOffset, messages };
  }

  /** The topic's readable queues, from its route, sorted. */
  async fetchSubscribeMessageQueues(topic: string): Promise<MessageQueue[]> {
    const route = await this.admin.examineTopicRouteInfo(topic);
    const out: MessageQueue[] = [];
    for (const qd of route.queueDatas) for (let i = 0; i < qd.readQueueNums; i++) out.push(createMessageQueue(topic, qd.brokerName, i));
    return out.sort((a, b) => (a.brokerName < b.brokerName ? -1 : a.brokerName > b.brokerName ? 1 : a.queueId - b.queueId));
  }

  async brokerAddrOfQueue(mq: MessageQueue): Promise<string> {
    const route = await this.admin.examineTopicRouteInfo(mq.topic);
    const bd = route.brokerDatas.find((b) => b.brokerName === mq.brokerName);
    const addr = bd === undefined ? undefined : selectBrokerAddr(bd);
    if (addr === undefined) throw new MQClientException(ClientErrorCode.CLIENT_STATE, `broker ${mq.brokerName} does not serve topic ${mq.topic}`);
    return addr;
  }

  private async knownOffsetMsgIdAddr(id: string): Promise<string | undefined> {
    let decoded;
    try {
      decoded = decodeMessageId(id);
    } catch (e: unknown) {
      // Not 32/56 hex characters: cannot be an offset msgId; it may still be a unique key.
      if (e instanceof Error) return undefined;
      throw e;
    }
    const host = decoded.address.host.includes(':') ? `[${decoded.address.host}]` : decoded.address.host;
    const addr = `${host}:${decoded.address.port}`;
    const info = await this.admin.examineBrokerClusterInfo();
    for (const bd of info.brokerAddrTable.values()) for (const a of bd.brokerAddrs.values()) if (a === addr) return addr;
    return undefined;
  }
}

function notFound(message: string): MQClientException {
  return new MQClientException(ResponseCode.NO_MESSAGE, message);
}
