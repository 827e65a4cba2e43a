import { createMessageQueue } from '../../common/protocol/body/message-queue.js';
import { MessageQueueMap } from '../../common/protocol/body/message-queue-map.js';
import { createTopicConfig, TOPIC_FILTER_TYPES, type TopicConfig, type TopicFilterType } from '../../common/protocol/body/topic-config.js';
import { encodeTopicList } from '../../common/protocol/body/topic-list.js';
import { encodeTopicStatsTable, type TopicOffset } from '../../common/protocol/body/topic-stats-table.js';
import { CreateTopicRequestHeader, DeleteTopicRequestHeader, GetBrokerConfigResponseHeader, GetTopicStatsInfoRequestHeader } from '../../common/protocol/headers/admin.js';
import { readHeader, setHeader } from '../../common/protocol/headers/command-header.js';
import { RequestCode } from '../../common/protocol/request-code.js';
import { ResponseCode } from '../../common/protocol/response-code.js';
import type { RemotingChannel, RequestProcessor } from '../../common/remoting/remoting-channel.js';
import { RemotingCommand } from '../../common/remoting/remoting-command.js';
import { parseJavaProperties } from '../../common/util/java-properties.js';
import type { Logger } from '../../common/logging/logger.js';
import type { BrokerConfiguration } from '../broker-configuration.js';
import type { BrokerRole } from '../store/store-config.js';
import type { TopicConfigManager } from '../topic/topic-config-manager.js';
import { SYSTEM_TOPICS, validateTopic } from '../../common/protocol/topic-validator.js';
import { getMessageStoreTimeStamp, refuseOnSlave, successWithBody, unsetResponse, type AdminStoreView } from './admin-support.js';

export { NOT_SET_REMARK } from './admin-support.js';

/** A store that drops the consume queues of topics no longer configured (Java's cleanUnusedTopic). */
export interface UnusedTopicCleaner {
  /** Resolves to the topics whose queues were destroyed (for logs). */
  cleanUnusedTopic(keepTopics: ReadonlySet<string>): Promise<readonly string[]>;
}

export interface AdminBrokerProcessorDeps {
  readonly topicConfigManager: Pick<TopicConfigManager, 'updateTopicConfig' | 'deleteTopicConfig' | 'isSystemTopic' | 'encode' | 'selectTopicConfig' | 'topicConfigTable'>;
  readonly brokerRole: () => BrokerRole;
  readonly brokerName: () => string;
  readonly store: AdminStoreView & UnusedTopicCleaner;
  /** registerIncrementBrokerData: tell the name servers about the changed topic. */
  readonly onTopicUpdated: (tc: TopicConfig) => void;
  readonly configuration: Pick<BrokerConfiguration, 'allConfigsFormatString' | 'dataVersionJson' | 'blackList' | 'update'>;
  /** UPDATE_BROKER_CONFIG changed brokerPermission: bump the topic DataVersion and re-register. */
  readonly onBrokerPermissionChanged: () => void;
  readonly log: Logger;
}

/**
 * AdminBrokerProcessor, topics and broker configuration (PROTOCOL.md §2.4): UPDATE_AND_CREATE_TOPIC,
 * DELETE_TOPIC_IN_BROKER, GET_ALL_TOPIC_CONFIG, GET_TOPIC_STATS_INFO, GET_SYSTEM_TOPIC_LIST_FROM_BROKER,
 * GET_BROKER_CONFIG, UPDATE_BROKER_CONFIG. Groups, consumers and runtime stats live in their own
 * processors beside this one.
 */
export class AdminBrokerProcessor implements RequestProcessor {
  static readonly CODES = [
    RequestCode.UPDATE_AND_CREATE_TOPIC,
    RequestCode.DELETE_TOPIC_IN_BROKER,
    RequestCode.GET_ALL_TOPIC_CONFIG,
    RequestCode.GET_TOPIC_STATS_INFO,
    RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_BROKER,
    RequestCode.GET_BROKER_CONFIG,
    RequestCode.UPDATE_BROKER_CONFIG,
  ] as const;

  constructor(private readonly deps: AdminBrokerProcessorDeps) {}

  async processRequest(channel: RemotingChannel, request: RemotingCommand): Promise<RemotingCommand> {
    switch (request.code) {
      case RequestCode.UPDATE_AND_CREATE_TOPIC:
        return this.updateAndCreateTopic(request);
      case RequestCode.DELETE_TOPIC_IN_BROKER:
        return this.deleteTopic(channel, request);
      case RequestCode.GET_ALL_TOPIC_CONFIG: {
        const response = RemotingCommand.createResponse(request, ResponseCode.SUCCESS, undefined, {});
        response.body = this.deps.topicConfigManager.encode();
        return response;
      }
      case RequestCode.GET_TOPIC_STATS_INFO:
        return this.getTopicStatsInfo(request);
      case RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_BROKER:
        return successWithBody(request, encodeTopicList({ topicList: [...SYSTEM_TOPICS] }));
      case RequestCode.UPDATE_BROKER_CONFIG:
        return this.updateBrokerConfig(channel, request);
      default: {
        const response = successWithBody(request, Buffer.from(this.deps.configuration.allConfigsFormatString(), 'utf8'));
        return setHeader(response, GetBrokerConfigResponseHeader, { version: this.deps.configuration.dataVersionJson() });
      }
    }
  }

  private updateAndCreateTopic(request: RemotingCommand): RemotingCommand {
    const refused = refuseOnSlave(request, this.deps.brokerRole());
    if (refused !== undefined) return refused;
    const h = readHeader(request, CreateTopicRequestHeader);
    const invalid = this.checkTopic(request, h.topic);
    if (invalid !== undefined) return invalid;
    const filterType: TopicFilterType = TOPIC_FILTER_TYPES.find((t) => t === h.topicFilterType) ?? 'SINGLE_TAG';
    const tc = createTopicConfig(h.topic, {
      readQueueNums: h.readQueueNums,
      writeQueueNums: h.writeQueueNums,
      topicFilterType: filterType,
      perm: h.perm,
      topicSysFlag: h.topicSysFlag ?? 0,
    });
    this.deps.topicConfigManager.updateTopicConfig(tc);
    this.deps.onTopicUpdated(tc);
    // Java sets only the code: the remark stays "not set any response code".
    const response = unsetResponse(request);
    response.code = ResponseCode.SUCCESS;
    return response;
  }

  /** The name server keeps the route until DELETE_TOPIC_IN_NAMESRV (216): mqadmin sends both. */
  private async deleteTopic(channel: RemotingChannel, request: RemotingCommand): Promise<RemotingCommand> {
    const refused = refuseOnSlave(request, this.deps.brokerRole());
    if (refused !== undefined) return refused;
    const { topic } = readHeader(request, DeleteTopicRequestHeader);
    this.deps.log.info('deleteTopic called', { topic, remoteAddr: channel.remoteAddress });
    const invalid = this.checkTopic(request, topic);
    if (invalid !== undefined) return invalid;
    this.deps.topicConfigManager.deleteTopicConfig(topic);
    // Java passes the remaining topic configs: every queue of a topic without one is destroyed.
    const destroyed = await this.deps.store.cleanUnusedTopic(new Set(this.deps.topicConfigManager.topicConfigTable.keys()));
    this.deps.log.info('deleteTopic: consume queues destroyed', { topic, destroyed });
    return successWithBody(request);
  }

  /** TopicValidator.validateTopic then isSystemTopic, both SYSTEM_ERROR. */
  private checkTopic(request: RemotingCommand, topic: string): RemotingCommand | undefined {
    const invalid = validateTopic(topic);
    if (invalid !== undefined) return RemotingCommand.createResponse(request, ResponseCode.SYSTEM_ERROR, invalid);
    if (this.deps.topicConfigManager.isSystemTopic(topic)) {
      return RemotingCommand.createResponse(request, ResponseCode.SYSTEM_ERROR, `The topic[${topic}] is conflict with system topic.`);
    }
    return undefined;
  }

  private async getTopicStatsInfo(request: RemotingCommand): Promise<RemotingCommand> {
    const { topic } = readHeader(request, GetTopicStatsInfoRequestHeader);
    const tc = this.deps.topicConfigManager.selectTopicConfig(topic);
    if (tc === undefined) return RemotingCommand.createResponse(request, ResponseCode.TOPIC_NOT_EXIST, `topic[${topic}] not exist`);
    const store = this.deps.store;
    const offsetTable = new MessageQueueMap<TopicOffset>();
    for (let i = 0; i < tc.writeQueueNums; i++) {
      const minOffset = Math.max(0, store.getMinOffsetInQueue(topic, i));
      const maxOffset = Math.max(0, store.getMaxOffsetInQueue(topic, i));
      const lastUpdateTimestamp = maxOffset > 0 ? await getMessageStoreTimeStamp(store, topic, i, maxOffset - 1) : 0;
      offsetTable.set(createMessageQueue(topic, this.deps.brokerName(), i), { minOffset, maxOffset, lastUpdateTimestamp });
    }
    return successWithBody(request, encodeTopicStatsTable({ offsetTable }));
  }

  private async updateBrokerConfig(channel: RemotingChannel, request: RemotingCommand): Promise<RemotingCommand> {
    if (request.body !== undefined && request.body.length > 0) {
      const properties = parseJavaProperties(request.body.toString('utf8'));
      const blackList = this.deps.configuration.blackList();
      for (const key of properties.keys()) {
        if (blackList.has(key)) return RemotingCommand.createResponse(request, ResponseCode.NO_PERMISSION, 'Can not update config in black list.');
      }
      this.deps.log.info('updateBrokerConfig', { properties: Object.fromEntries(properties), remoteAddr: channel.remoteAddress });
      await this.deps.configuration.update(properties);
      if (properties.has('brokerPermission')) this.deps.onBrokerPermissionChanged();
    }
    return successWithBody(request);
  }
}
