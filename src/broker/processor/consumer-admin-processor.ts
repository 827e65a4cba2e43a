import { readFile } from 'node:fs/promises';

import type { Connection } from '../../common/protocol/body/connection.js';
import { encodeProducerConnection } from '../../common/protocol/body/connection.js';
import { encodeConsumeStats, type OffsetWrapper } from '../../common/protocol/body/consume-stats.js';
import { encodeConsumerConnection } from '../../common/protocol/body/consumer-connection.js';
import { decodeDelayOffsetSerializeWrapper, encodeDelayOffsetSerializeWrapper } from '../../common/protocol/body/delay-offset-serialize-wrapper.js';
import { encodeGroupList } from '../../common/protocol/body/group-list.js';
import { createMessageQueue } from '../../common/protocol/body/message-queue.js';
import { MessageQueueMap } from '../../common/protocol/body/message-queue-map.js';
import {
  GetConsumeStatsRequestHeader,
  GetConsumerConnectionListRequestHeader,
  GetProducerConnectionListRequestHeader,
  QueryTopicConsumeByWhoRequestHeader,
} from '../../common/protocol/headers/admin.js';
import { readHeader } from '../../common/protocol/headers/command-header.js';
import { RequestCode } from '../../common/protocol/request-code.js';
import { ResponseCode } from '../../common/protocol/response-code.js';
import type { Logger } from '../../common/logging/logger.js';
import type { RemotingChannel, RequestProcessor } from '../../common/remoting/remoting-channel.js';
import { RemotingCommand } from '../../common/remoting/remoting-command.js';
import type { ClientChannelInfo } from '../client/client-channel-info.js';
import type { ConsumerManager } from '../client/consumer-manager.js';
import type { ProducerManager } from '../client/producer-manager.js';
import type { ConsumerOffsetManager } from '../offset/consumer-offset-manager.js';
import type { TopicConfigLookup } from '../topic/topic-config-manager.js';
import { getMessageStoreTimeStamp, successWithBody, type AdminStoreView } from './admin-support.js';

export interface ConsumerAdminProcessorDeps {
  readonly consumerManager: Pick<ConsumerManager, 'getConsumerGroupInfo' | 'findSubscriptionData' | 'consumerTable'>;
  readonly producerManager: Pick<ProducerManager, 'groupChannelTable'>;
  readonly consumerOffsetManager: Pick<ConsumerOffsetManager, 'queryOffset' | 'whichTopicByConsumer' | 'whichGroupByTopic' | 'encode'>;
  readonly topicConfigManager: TopicConfigLookup;
  readonly store: AdminStoreView;
  readonly brokerName: () => string;
  /** ScheduleMessageService.encode (compact delayOffset JSON). */
  readonly delayOffsetJson: () => Promise<Buffer>;
  /** BrokerStatsManager.tpsGroupGetNums: messages a group pulled per second from a topic. */
  readonly groupGetTps?: (group: string, topic: string) => number;
  readonly log: Logger;
}

/**
 * AdminBrokerProcessor, consumers and producers (PROTOCOL.md §2.4): GET_CONSUMER_CONNECTION_LIST,
 * GET_PRODUCER_CONNECTION_LIST, GET_CONSUME_STATS, GET_ALL_CONSUMER_OFFSET, GET_ALL_DELAY_OFFSET and
 * QUERY_TOPIC_CONSUME_BY_WHO — what mqadmin consumerConnection / producerConnection / consumerProgress
 * / topicStatus read.
 */
export class ConsumerAdminProcessor implements RequestProcessor {
  static readonly CODES = [
    RequestCode.GET_CONSUMER_CONNECTION_LIST,
    RequestCode.GET_PRODUCER_CONNECTION_LIST,
    RequestCode.GET_CONSUME_STATS,
    RequestCode.GET_ALL_CONSUMER_OFFSET,
    RequestCode.GET_ALL_DELAY_OFFSET,
    RequestCode.QUERY_TOPIC_CONSUME_BY_WHO,
  ] as const;

  constructor(private readonly deps: ConsumerAdminProcessorDeps) {}

  async processRequest(_channel: RemotingChannel, request: RemotingCommand): Promise<RemotingCommand> {
    switch (request.code) {
      case RequestCode.GET_CONSUMER_CONNECTION_LIST:
        return this.getConsumerConnectionList(request);
      case RequestCode.GET_PRODUCER_CONNECTION_LIST:
        return this.getProducerConnectionList(request);
      case RequestCode.GET_CONSUME_STATS:
        return this.getConsumeStats(request);
      case RequestCode.GET_ALL_CONSUMER_OFFSET:
        return successWithBody(request, this.deps.consumerOffsetManager.encode());
      case RequestCode.GET_ALL_DELAY_OFFSET:
        return successWithBody(request, await this.deps.delayOffsetJson());
      default:
        return this.queryTopicConsumeByWho(request);
    }
  }

  private getConsumerConnectionList(request: RemotingCommand): RemotingCommand {
    const { consumerGroup } = readHeader(request, GetConsumerConnectionListRequestHeader);
    const info = this.deps.consumerManager.getConsumerGroupInfo(consumerGroup);
    if (info === undefined) {
      return RemotingCommand.createResponse(request, ResponseCode.CONSUMER_NOT_ONLINE, `the consumer group[${consumerGroup}] not online`);
    }
    const body = encodeConsumerConnection({
      connectionSet: [...info.channelInfoTable.values()].map(toConnection),
      subscriptionTable: new Map(info.subscriptionTable),
      consumeType: info.consumeType,
      messageModel: info.messageModel,
      consumeFromWhere: info.consumeFromWhere,
    });
    return successWithBody(request, body);
  }

  private getProducerConnectionList(request: RemotingCommand): RemotingCommand {
    const { producerGroup } = readHeader(request, GetProducerConnectionListRequestHeader);
    const channels = this.deps.producerManager.groupChannelTable.get(producerGroup);
    if (channels === undefined) {
      return RemotingCommand.createResponse(request, ResponseCode.SYSTEM_ERROR, `the producer group[${producerGroup}] not exist`);
    }
    return successWithBody(request, encodeProducerConnection({ connectionSet: [...channels.values()].map(toConnection) }));
  }

  private async getConsumeStats(request: RemotingCommand): Promise<RemotingCommand> {
    const h = readHeader(request, GetConsumeStatsRequestHeader);
    const group = h.consumerGroup;
    const topics = h.topic === undefined || h.topic.trim() === '' ? this.deps.consumerOffsetManager.whichTopicByConsumer(group) : [h.topic];
    const offsetTable = new MessageQueueMap<OffsetWrapper>();
    let consumeTps = 0;
    const subscriptionCount = this.deps.consumerManager.getConsumerGroupInfo(group)?.subscriptionTable.size ?? 0;
    for (const topic of topics) {
      const tc = this.deps.topicConfigManager.selectTopicConfig(topic);
      if (tc === undefined) {
        this.deps.log.warn('consumeStats, topic config not exist', { topic });
        continue;
      }
      // An online group that no longer subscribes the topic: its old offsets are not progress.
      if (this.deps.consumerManager.findSubscriptionData(group, topic) === undefined && subscriptionCount > 0) {
        this.deps.log.warn('consumeStats, the consumer group does not subscribe the topic', { group, topic });
        continue;
      }
      for (let i = 0; i < tc.readQueueNums; i++) {
        const brokerOffset = Math.max(0, this.deps.store.getMaxOffsetInQueue(topic, i));
        const consumerOffset = Math.max(0, this.deps.consumerOffsetManager.queryOffset(group, topic, i));
        let lastTimestamp = 0;
        if (consumerOffset - 1 >= 0) {
          const t = await getMessageStoreTimeStamp(this.deps.store, topic, i, consumerOffset - 1);
          if (t > 0) lastTimestamp = t;
        }
        offsetTable.set(createMessageQueue(topic, this.deps.brokerName(), i), { brokerOffset, consumerOffset, lastTimestamp });
      }
      consumeTps += this.deps.groupGetTps?.(group, topic) ?? 0;
    }
    return successWithBody(request, encodeConsumeStats({ offsetTable, consumeTps }));
  }

  private queryTopicConsumeByWho(request: RemotingCommand): RemotingCommand {
    const { topic } = readHeader(request, QueryTopicConsumeByWhoRequestHeader);
    const groups = new Set<string>();
    // ConsumerManager.queryTopicConsumeByWho: online groups subscribing the topic.
    for (const [group, info] of this.deps.consumerManager.consumerTable) if (info.subscriptionTable.has(topic)) groups.add(group);
    for (const group of this.deps.consumerOffsetManager.whichGroupByTopic(topic)) groups.add(group);
    return successWithBody(request, encodeGroupList({ groupList: [...groups] }));
  }
}

/** Connection of a channel: clientAddr is the peer as the broker sees it (RemotingHelper.parseChannelRemoteAddr). */
function toConnection(info: ClientChannelInfo): Connection {
  return { clientId: info.clientId, clientAddr: info.channel.remoteAddress, language: info.language, version: info.version };
}

/**
 * GET_ALL_DELAY_OFFSET without a running ScheduleMessageService: delayOffset.json re-encoded compact,
 * or an empty table (what a fresh Java broker's service encodes) when the file does not exist.
 */
export async function readDelayOffsetFile(path: string): Promise<Buffer> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e: unknown) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    return encodeDelayOffsetSerializeWrapper({ offsetTable: new Map() });
  }
  return encodeDelayOffsetSerializeWrapper(decodeDelayOffsetSerializeWrapper(text));
}
