import type { Logger } from '../../common/logging/logger.js';
import { decodeSubscriptionGroupConfig } from '../../common/protocol/body/subscription-group-config.js';
import { DeleteSubscriptionGroupRequestHeader } from '../../common/protocol/headers/admin.js';
import { readHeader } from '../../common/protocol/headers/command-header.js';
import { RequestCode } from '../../common/protocol/request-code.js';
import type { RemotingChannel, RequestProcessor } from '../../common/remoting/remoting-channel.js';
import type { RemotingCommand } from '../../common/remoting/remoting-command.js';
import type { ConsumerOffsetManager } from '../offset/consumer-offset-manager.js';
import type { BrokerRole } from '../store/store-config.js';
import type { SubscriptionGroupManager } from '../subscription/subscription-group-manager.js';
import { refuseOnSlave, successWithBody } from './admin-support.js';

export interface SubscriptionGroupProcessorDeps {
  readonly subscriptionGroupManager: Pick<SubscriptionGroupManager, 'updateSubscriptionGroupConfig' | 'deleteSubscriptionGroupConfig' | 'encode'>;
  readonly consumerOffsetManager: Pick<ConsumerOffsetManager, 'removeOffset'>;
  readonly brokerRole: () => BrokerRole;
  readonly log: Logger;
}

/**
 * AdminBrokerProcessor, subscription groups (PROTOCOL.md §2.4): UPDATE_AND_CREATE_SUBSCRIPTIONGROUP
 * (body = SubscriptionGroupConfig JSON, replaces the group's settings), GET_ALL_SUBSCRIPTIONGROUP_CONFIG
 * (the subscriptionGroup.json wrapper, compact) and DELETE_SUBSCRIPTIONGROUP (optionally with its
 * offsets). Changes are refused on a slave, as Java's validateSlave does.
 */
export class SubscriptionGroupProcessor implements RequestProcessor {
  static readonly CODES = [
    RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP,
    RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG,
    RequestCode.DELETE_SUBSCRIPTIONGROUP,
  ] as const;

  constructor(private readonly deps: SubscriptionGroupProcessorDeps) {}

  processRequest(channel: RemotingChannel, request: RemotingCommand): RemotingCommand {
    switch (request.code) {
      case RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP:
        return this.updateAndCreateSubscriptionGroup(channel, request);
      case RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG:
        return successWithBody(request, this.deps.subscriptionGroupManager.encode());
      default:
        return this.deleteSubscriptionGroup(channel, request);
    }
  }

  private updateAndCreateSubscriptionGroup(channel: RemotingChannel, request: RemotingCommand): RemotingCommand {
    const refused = refuseOnSlave(request, this.deps.brokerRole());
    if (refused !== undefined) return refused;
    // Java decodes a missing body to null and answers SUCCESS without a change.
    if (request.body !== undefined && request.body.length > 0) {
      const config = decodeSubscriptionGroupConfig(request.body);
      this.deps.log.info('updateAndCreateSubscriptionGroup', { group: config.groupName, remoteAddr: channel.remoteAddress });
      this.deps.subscriptionGroupManager.updateSubscriptionGroupConfig(config);
    }
    return successWithBody(request);
  }

  private deleteSubscriptionGroup(channel: RemotingChannel, request: RemotingCommand): RemotingCommand {
    const refused = refuseOnSlave(request, this.deps.brokerRole());
    if (refused !== undefined) return refused;
    const h = readHeader(request, DeleteSubscriptionGroupRequestHeader);
    this.deps.log.info('deleteSubscriptionGroup', { group: h.groupName, removeOffset: h.removeOffset, remoteAddr: channel.remoteAddress });
    if (!this.deps.subscriptionGroupManager.deleteSubscriptionGroupConfig(h.groupName)) {
      this.deps.log.warn('delete subscription group failed, the group does not exist', { group: h.groupName });
    }
    if (h.removeOffset) this.deps.consumerOffsetManager.removeOffset(h.groupName);
    return successWithBody(request);
  }
}
