import type { Logger } from '../../common/logging/logger.js';
import type { ConsumeFromWhere, ConsumeType, MessageModel } from '../../common/protocol/body/consumer-enums.js';
import type { SubscriptionData } from '../../common/protocol/body/subscription-data.js';
import type { RemotingChannel } from '../../common/remoting/remoting-channel.js';
import { CHANNEL_EXPIRED_TIMEOUT_MILLIS, type ClientChannelInfo } from './client-channel-info.js';
import { ConsumerGroupInfo } from './consumer-group-info.js';
import type { ConsumerIdsChangeListener } from './consumer-ids-change-listener.js';

/** What the pull and consumer-manage processors read. */
export interface ConsumerGroupLookup {
  getConsumerGroupInfo(group: string): ConsumerGroupInfo | undefined;
  findSubscriptionData(group: string, topic: string): SubscriptionData | undefined;
}

/**
 * ConsumerManager (broker/client/ConsumerManager.java): consumer groups from heartbeats. Membership or
 * subscription-set changes are reported to the ConsumerIdsChangeListener (which notifies members).
 */
export class ConsumerManager implements ConsumerGroupLookup {
  readonly consumerTable = new Map<string, ConsumerGroupInfo>();

  constructor(
    private readonly listener: ConsumerIdsChangeListener,
    private readonly log: Logger,
  ) {}

  getConsumerGroupInfo(group: string): ConsumerGroupInfo | undefined {
    return this.consumerTable.get(group);
  }

  findSubscriptionData(group: string, topic: string): SubscriptionData | undefined {
    return this.consumerTable.get(group)?.findSubscriptionData(topic);
  }

  /** registerConsumer: true when the group's members or topics changed. */
  registerConsumer(
    group: string,
    info: ClientChannelInfo,
    consumeType: ConsumeType,
    messageModel: MessageModel,
    consumeFromWhere: ConsumeFromWhere,
    subList: readonly SubscriptionData[],
    isNotifyConsumerIdsChangedEnable: boolean,
  ): boolean {
    let groupInfo = this.consumerTable.get(group);
    if (groupInfo === undefined) {
      groupInfo = new ConsumerGroupInfo(group, consumeType, messageModel, consumeFromWhere);
      this.consumerTable.set(group, groupInfo);
    }
    const r1 = groupInfo.updateChannel(info, consumeType, messageModel, consumeFromWhere);
    const r2 = groupInfo.updateSubscription(subList);
    if ((r1 || r2) && isNotifyConsumerIdsChangedEnable) this.listener.handle('CHANGE', group, groupInfo.allChannels());
    this.listener.handle('REGISTER', group, []);
    return r1 || r2;
  }

  unregisterConsumer(group: string, channel: RemotingChannel, isNotifyConsumerIdsChangedEnable: boolean): void {
    const groupInfo = this.consumerTable.get(group);
    if (groupInfo === undefined) return;
    groupInfo.unregisterChannel(channel);
    if (groupInfo.channelInfoTable.size === 0) {
      this.consumerTable.delete(group);
      this.listener.handle('UNREGISTER', group, []);
    }
    if (isNotifyConsumerIdsChangedEnable) this.listener.handle('CHANGE', group, groupInfo.allChannels());
  }

  /** A client connection closed, failed or idled out: leave every group it was in and tell the rest. */
  doChannelCloseEvent(channel: RemotingChannel): void {
    for (const [group, groupInfo] of [...this.consumerTable]) {
      if (!groupInfo.unregisterChannel(channel)) continue;
      this.log.info('consumer channel closed', { group, remoteAddr: channel.remoteAddress });
      if (groupInfo.channelInfoTable.size === 0) {
        this.consumerTable.delete(group);
        this.listener.handle('UNREGISTER', group, []);
      }
      this.listener.handle('CHANGE', group, groupInfo.allChannels());
    }
  }

  /** Closes channels without a heartbeat for 120 s; their close event then unregisters them. */
  scanNotActiveChannel(now = Date.now(), expiredMillis = CHANNEL_EXPIRED_TIMEOUT_MILLIS): void {
    for (const groupInfo of this.consumerTable.values()) {
      for (const info of groupInfo.channelInfoTable.values()) {
        if (now - info.lastUpdateTimestamp > expiredMillis) {
          this.log.warn('consumer channel expired', { group: groupInfo.groupName, remoteAddr: info.channel.remoteAddress });
          info.channel.close();
          this.doChannelCloseEvent(info.channel);
        }
      }
    }
  }
}
