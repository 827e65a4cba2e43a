import type { ConsumeFromWhere, ConsumeType, MessageModel } from '../../common/protocol/body/consumer-enums.js';
import type { SubscriptionData } from '../../common/protocol/body/subscription-data.js';
import type { RemotingChannel } from '../../common/remoting/remoting-channel.js';
import type { ClientChannelInfo } from './client-channel-info.js';

/**
 * One consumer group on the broker (broker/client/ConsumerGroupInfo.java): its live channels and
 * the subscriptions from the latest heartbeats.
 */
export class ConsumerGroupInfo {
  /** channel id → info, in arrival order. */
  readonly channelInfoTable = new Map<number, ClientChannelInfo>();
  /** topic → subscription. */
  readonly subscriptionTable = new Map<string, SubscriptionData>();
  lastUpdateTimestamp = Date.now();

  constructor(
    readonly groupName: string,
    public consumeType: ConsumeType,
    public messageModel: MessageModel,
    public consumeFromWhere: ConsumeFromWhere,
  ) {}

  findSubscriptionData(topic: string): SubscriptionData | undefined {
    return this.subscriptionTable.get(topic);
  }

  allChannels(): RemotingChannel[] {
    return [...this.channelInfoTable.values()].map((i) => i.channel);
  }

  allClientIds(): string[] {
    return [...this.channelInfoTable.values()].map((i) => i.clientId);
  }

  /** updateChannel: true when the channel is new (membership changed). */
  updateChannel(info: ClientChannelInfo, consumeType: ConsumeType, messageModel: MessageModel, consumeFromWhere: ConsumeFromWhere): boolean {
    this.consumeType = consumeType;
    this.messageModel = messageModel;
    this.consumeFromWhere = consumeFromWhere;
    const now = Date.now();
    this.lastUpdateTimestamp = now;
    const existing = this.channelInfoTable.get(info.channel.id);
    if (existing === undefined || existing.clientId !== info.clientId) {
      this.channelInfoTable.set(info.channel.id, { ...info, lastUpdateTimestamp: now });
      return existing === undefined;
    }
    existing.lastUpdateTimestamp = now;
    return false;
  }

  /**
   * updateSubscription: a new topic, or a topic no longer subscribed, is a change; a newer subVersion
   * of a known topic replaces it silently (Java does not notify for it).
   */
  updateSubscription(subList: readonly SubscriptionData[]): boolean {
    let updated = false;
    for (const sub of subList) {
      const old = this.subscriptionTable.get(sub.topic);
      if (old === undefined) {
        this.subscriptionTable.set(sub.topic, sub);
        updated = true;
      } else if (sub.subVersion > old.subVersion) {
        this.subscriptionTable.set(sub.topic, sub);
      }
    }
    const topics = new Set(subList.map((s) => s.topic));
    for (const topic of [...this.subscriptionTable.keys()]) {
      if (!topics.has(topic)) {
        this.subscriptionTable.delete(topic);
        updated = true;
      }
    }
    this.lastUpdateTimestamp = Date.now();
    return updated;
  }

  unregisterChannel(channel: RemotingChannel): boolean {
    return this.channelInfoTable.delete(channel.id);
  }
}
