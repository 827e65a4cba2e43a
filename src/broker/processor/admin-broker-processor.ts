import { createTopicConfig, TOPIC_FILTER_TYPES, type TopicConfig, type TopicFilterType } from '../../common/protocol/body/topic-config.js';
import { CreateTopicRequestHeader, GetBrokerConfigResponseHeader } from '../../common/protocol/headers/admin.js';
import { readHeader, setHeader } from '../../common/protocol/headers/command-header.js';
import { RequestCode } from '../../common/protocol/request-code.js';
import { ResponseCode } from '../../common/protocol/response-code.js';
import type { RemotingChannel, RequestProcessor } from '../../common/remoting/remoting-channel.js';
import { RemotingCommand } from '../../common/remoting/remoting-command.js';
import type { BrokerRole } from '../store/store-config.js';
import type { TopicConfigManager } from '../topic/topic-config-manager.js';
import { validateTopic } from '../topic/topic-validator.js';

/** RemotingCommand.createResponseCommand's initial remark; Java leaves it on some successes. */
export const NOT_SET_REMARK = 'not set any response code';
const SLAVE_REMARK = "Can't modify topic or subscription group from slave broker, please execute it from master broker.";

export interface AdminBrokerProcessorDeps {
  readonly topicConfigManager: Pick<TopicConfigManager, 'updateTopicConfig' | 'isSystemTopic' | 'encode'>;
  readonly brokerRole: () => BrokerRole;
  /** registerIncrementBrokerData: tell the name servers about the changed topic. */
  readonly onTopicUpdated: (tc: TopicConfig) => void;
  /** Configuration.getAllConfigsFormatString: every key of the broker's config objects, `k=v\n`. */
  readonly allConfigsFormatString: () => string;
  /** Configuration.getDataVersionJson. */
  readonly configDataVersionJson: () => string;
}

/**
 * The part of AdminBrokerProcessor tools and tests need today (PROTOCOL.md §2.4): UPDATE_AND_CREATE_TOPIC,
 * GET_ALL_TOPIC_CONFIG, GET_BROKER_CONFIG. The other admin codes answer REQUEST_CODE_NOT_SUPPORTED
 * until they are built.
 */
export class AdminBrokerProcessor implements RequestProcessor {
  static readonly CODES = [RequestCode.UPDATE_AND_CREATE_TOPIC, RequestCode.GET_ALL_TOPIC_CONFIG, RequestCode.GET_BROKER_CONFIG] as const;

  constructor(private readonly deps: AdminBrokerProcessorDeps) {}

  processRequest(_channel: RemotingChannel, request: RemotingCommand): RemotingCommand {
    switch (request.code) {
      case RequestCode.UPDATE_AND_CREATE_TOPIC:
        return this.updateAndCreateTopic(request);
      case RequestCode.GET_ALL_TOPIC_CONFIG: {
        const response = RemotingCommand.createResponse(request, ResponseCode.SUCCESS, undefined, {});
        response.body = this.deps.topicConfigManager.encode();
        return response;
      }
      default: {
        const response = RemotingCommand.createResponse(request, ResponseCode.SUCCESS);
        response.body = Buffer.from(this.deps.allConfigsFormatString(), 'utf8');
        return setHeader(response, GetBrokerConfigResponseHeader, { version: this.deps.configDataVersionJson() });
      }
    }
  }

  private updateAndCreateTopic(request: RemotingCommand): RemotingCommand {
    const response = RemotingCommand.createResponse(request, ResponseCode.SYSTEM_ERROR, NOT_SET_REMARK);
    if (this.deps.brokerRole() === 'SLAVE') {
      response.remark = SLAVE_REMARK;
      return response;
    }
    const h = readHeader(request, CreateTopicRequestHeader);
    const invalid = validateTopic(h.topic);
    if (invalid !== undefined) {
      response.remark = invalid;
      return response;
    }
    if (this.deps.topicConfigManager.isSystemTopic(h.topic)) {
      response.remark = `The topic[${h.topic}] is conflict with system topic.`;
      return response;
    }
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
    response.code = ResponseCode.SUCCESS;
    return response;
  }
}
