import type { Logger } from '../../common/logging/logger.js';
import type { RemotingChannel } from '../../common/remoting/remoting-channel.js';
import { CHANNEL_EXPIRED_TIMEOUT_MILLIS, type ClientChannelInfo } from './client-channel-info.js';

/**
 * ProducerManager (broker/client/ProducerManager.java): producer groups and their channels, kept
 * fresh by heartbeats; used for transaction check-backs and GET_PRODUCER_CONNECTION_LIST.
 */
export class ProducerManager {
  /** group → channel id → info. */
  readonly groupChannelTable = new Map<string, Map<number, ClientChannelInfo>>();

  constructor(private readonly log: Logger) {}

  registerProducer(group: string, info: ClientChannelInfo): void {
    let channels = this.groupChannelTable.get(group);
    if (channels === undefined) {
      channels = new Map();
      this.groupChannelTable.set(group, channels);
    }
    const existing = channels.get(info.channel.id);
    if (existing === undefined) {
      channels.set(info.channel.id, info);
      this.log.info('new producer connected', { group, clientId: info.clientId, remoteAddr: info.channel.remoteAddress });
    } else {
      existing.lastUpdateTimestamp = info.lastUpdateTimestamp;
    }
  }

  unregisterProducer(group: string, channel: RemotingChannel): void {
    const channels = this.groupChannelTable.get(group);
    if (channels === undefined) return;
    channels.delete(channel.id);
    if (channels.size === 0) this.groupChannelTable.delete(group);
  }

  doChannelCloseEvent(channel: RemotingChannel): void {
    for (const [group, channels] of this.groupChannelTable) {
      if (channels.delete(channel.id)) this.log.info('producer channel closed', { group, remoteAddr: channel.remoteAddress });
      if (channels.size === 0) this.groupChannelTable.delete(group);
    }
  }

  /** Drops (and closes) channels without a heartbeat for 120 s. */
  scanNotActiveChannel(now = Date.now(), expiredMillis = CHANNEL_EXPIRED_TIMEOUT_MILLIS): void {
    for (const [group, channels] of this.groupChannelTable) {
      for (const [id, info] of channels) {
        if (now - info.lastUpdateTimestamp > expiredMillis) {
          channels.delete(id);
          this.log.warn('producer channel expired', { group, remoteAddr: info.channel.remoteAddress });
          info.channel.close();
        }
      }
      if (channels.size === 0) this.groupChannelTable.delete(group);
    }
  }
}
