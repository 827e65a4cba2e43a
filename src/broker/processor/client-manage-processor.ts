import type { Logger } from '../../common/logging/logger.js';
import { decodeCheckClientRequestBody } from '../../common/protocol/body/check-client-request-body.js';
import { decodeHeartbeatData } from '../../common/protocol/body/heartbeat-data.js';
import { PermName } from '../../common/protocol/body/perm-name.js';
import { isTagType } from '../../common/protocol/body/subscription-data.js';
import { readHeader } from '../../common/protocol/headers/command-header.js';
import { UnregisterClientRequestHeader } from '../../common/protocol/headers/consumer-manage.js';
import { RequestCode } from '../../common/protocol/request-code.js';
import { ResponseCode } from '../../common/protocol/response-code.js';
import type { RemotingChannel, RequestProcessor } from '../../common/remoting/remoting-channel.js';
import { RemotingCommand } from '../../common/remoting/remoting-command.js';
import type { ClientChannelInfo } from '../client/client-channel-info.js';
import type { ConsumerManager } from '../client/consumer-manager.js';
import type { ProducerManager } from '../client/producer-manager.js';
import type { SubscriptionGroupLookup } from '../subscription/subscription-group-manager.js';
import type { TopicConfigManager } from '../topic/topic-config-manager.js';
import { getRetryTopic } from '../../common/protocol/topic-validator.js';

export interface ClientManageProcessorDeps {
  readonly consumerManager: Pick<ConsumerManager, 'registerConsumer' | 'unregisterConsumer'>;
  readonly producerManager: Pick<ProducerManager, 'registerProducer' | 'unregisterProducer'>;
  readonly subscriptionGroupManager: SubscriptionGroupLookup;
  readonly topicConfigManager: Pick<TopicConfigManager, 'createTopicInSendMessageBackMethod'>;
  readonly enablePropertyFilter: () => boolean;
  readonly log: Logger;
}

/**
 * ClientManageProcessor (PROTOCOL.md §8.1): HEART_BEAT registers producer and consumer groups (and
 * creates each consumer group's retry topic), UNREGISTER_CLIENT removes them, CHECK_CLIENT_CONFIG
 * tells a client whether its subscription type is supported.
 */
export class ClientManageProcessor implements RequestProcessor {
  static readonly CODES = [RequestCode.HEART_BEAT, RequestCode.UNREGISTER_CLIENT, RequestCode.CHECK_CLIENT_CONFIG] as const;

  constructor(private readonly deps: ClientManageProcessorDeps) {}

  processRequest(channel: RemotingChannel, request: RemotingCommand): RemotingCommand {
    switch (request.code) {
      case RequestCode.HEART_BEAT:
        return this.heartBeat(channel, request);
      case RequestCode.UNREGISTER_CLIENT:
        return this.unregisterClient(channel, request);
      default:
        return this.checkClientConfig(request);
    }
  }

  private heartBeat(channel: RemotingChannel, request: RemotingCommand): RemotingCommand {
    const d = this.deps;
    const hb = decodeHeartbeatData(request.body ?? Buffer.alloc(0));
    const info: ClientChannelInfo = {
      channel,
      clientId: hb.clientID,
      language: request.language,
      version: request.version,
      lastUpdateTimestamp: Date.now(),
    };
    for (const data of hb.consumerDataSet) {
      const groupConfig = d.subscriptionGroupManager.findSubscriptionGroupConfig(data.groupName);
      let notify = true;
      if (groupConfig !== undefined) {
        notify = groupConfig.notifyConsumerIdsChangedEnable;
        // TopicSysFlag.buildSysFlag(false, true) for unit-mode consumers.
        const topicSysFlag = data.unitMode ? 0x2 : 0;
        d.topicConfigManager.createTopicInSendMessageBackMethod(getRetryTopic(data.groupName), groupConfig.retryQueueNums, PermName.PERM_WRITE | PermName.PERM_READ, topicSysFlag);
      }
      const changed = d.consumerManager.registerConsumer(
        data.groupName,
        info,
        data.consumeType,
        data.messageModel,
        data.consumeFromWhere,
        data.subscriptionDataSet,
        notify,
      );
      if (changed) d.log.info('registerConsumer info changed', { group: data.groupName, clientId: hb.clientID, remoteAddr: channel.remoteAddress });
    }
    for (const data of hb.producerDataSet) d.producerManager.registerProducer(data.groupName, info);
    return RemotingCommand.createResponse(request, ResponseCode.SUCCESS);
  }

  private unregisterClient(channel: RemotingChannel, request: RemotingCommand): RemotingCommand {
    const h = readHeader(request, UnregisterClientRequestHeader);
    if (h.producerGroup !== undefined) this.deps.producerManager.unregisterProducer(h.producerGroup, channel);
    if (h.consumerGroup !== undefined) {
      const groupConfig = this.deps.subscriptionGroupManager.findSubscriptionGroupConfig(h.consumerGroup);
      this.deps.consumerManager.unregisterConsumer(h.consumerGroup, channel, groupConfig?.notifyConsumerIdsChangedEnable ?? true);
    }
    return RemotingCommand.createResponse(request, ResponseCode.SUCCESS, undefined, {});
  }

  private checkClientConfig(request: RemotingCommand): RemotingCommand {
    const body = decodeCheckClientRequestBody(request.body ?? Buffer.alloc(0));
    const sub = body.subscriptionData;
    if (sub !== undefined && !isTagType(sub.expressionType) && !this.deps.enablePropertyFilter()) {
      return RemotingCommand.createResponse(request, ResponseCode.SYSTEM_ERROR, `The broker does not support consumer to filter message by ${sub.expressionType}`);
    }
    // SQL92 itself is not implemented: even with enablePropertyFilter the expression is not checked.
    return RemotingCommand.createResponse(request, ResponseCode.SUCCESS);
  }
}
