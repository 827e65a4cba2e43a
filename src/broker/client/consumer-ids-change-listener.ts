import type { Logger } from '../../common/logging/logger.js';
import { NotifyConsumerIdsChangedRequestHeader } from '../../common/protocol/headers/consumer-manage.js';
import { createRequestWithHeader } from '../../common/protocol/headers/command-header.js';
import { RequestCode } from '../../common/protocol/request-code.js';
import type { RemotingChannel } from '../../common/remoting/remoting-channel.js';

/** What the ConsumerManager reports (Java's ConsumerGroupEvent). */
export type ConsumerGroupEvent = 'CHANGE' | 'UNREGISTER' | 'REGISTER';

export interface ConsumerIdsChangeListener {
  /** CHANGE carries the group's remaining channels. */
  handle(event: ConsumerGroupEvent, group: string, channels: readonly RemotingChannel[]): void;
}

/**
 * DefaultConsumerIdsChangeListener + Broker2Client.notifyConsumerIdsChanged: on CHANGE, a oneway
 * NOTIFY_CONSUMER_IDS_CHANGED (header consumerGroup) to every channel of the group, so each member
 * rebalances at once instead of at its next 20 s tick.
 */
export class NotifyingConsumerIdsChangeListener implements ConsumerIdsChangeListener {
  constructor(
    private readonly notifyEnabled: () => boolean,
    private readonly log: Logger,
  ) {}

  handle(event: ConsumerGroupEvent, group: string, channels: readonly RemotingChannel[]): void {
    if (event !== 'CHANGE' || !this.notifyEnabled()) return;
    for (const channel of channels) {
      if (!channel.isActive) continue;
      const request = createRequestWithHeader(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, NotifyConsumerIdsChangedRequestHeader, { consumerGroup: group });
      channel.invokeOneway(request.markOneway()).catch((e: unknown) => {
        this.log.warn('notifyConsumerIdsChanged failed', { group, remoteAddr: channel.remoteAddress, error: e });
      });
    }
  }
}
