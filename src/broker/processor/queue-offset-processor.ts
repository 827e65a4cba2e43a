import { readHeader, setHeader } from '../../common/protocol/headers/command-header.js';
import {
  GetEarliestMsgStoretimeRequestHeader,
  GetEarliestMsgStoretimeResponseHeader,
  GetMaxOffsetRequestHeader,
  GetMaxOffsetResponseHeader,
  GetMinOffsetRequestHeader,
  GetMinOffsetResponseHeader,
  SearchOffsetRequestHeader,
  SearchOffsetResponseHeader,
} from '../../common/protocol/headers/queue-offset.js';
import { RequestCode } from '../../common/protocol/request-code.js';
import { ResponseCode } from '../../common/protocol/response-code.js';
import type { RemotingChannel, RequestProcessor } from '../../common/remoting/remoting-channel.js';
import { RemotingCommand } from '../../common/remoting/remoting-command.js';
import type { DefaultMessageStore } from '../store/message-store.js';

/** Java answers this when a queue has no message to date. */
const NO_TIMESTAMP = -1;

export type QueueOffsetStore = Pick<
  DefaultMessageStore,
  'getMaxOffsetInQueue' | 'getMinOffsetInQueue' | 'getOffsetInQueueByTime' | 'getCommitLogOffsetInQueue' | 'lookMessageByOffset'
>;

/**
 * The queue-offset requests of AdminBrokerProcessor (PROTOCOL.md §2.4): GET_MAX_OFFSET, GET_MIN_OFFSET,
 * SEARCH_OFFSET_BY_TIMESTAMP, GET_EARLIEST_MSG_STORETIME.
 */
export class QueueOffsetProcessor implements RequestProcessor {
  static readonly CODES = [
    RequestCode.GET_MAX_OFFSET,
    RequestCode.GET_MIN_OFFSET,
    RequestCode.SEARCH_OFFSET_BY_TIMESTAMP,
    RequestCode.GET_EARLIEST_MSG_STORETIME,
  ] as const;

  constructor(private readonly store: QueueOffsetStore) {}

  async processRequest(_channel: RemotingChannel, request: RemotingCommand): Promise<RemotingCommand> {
    const response = RemotingCommand.createResponse(request, ResponseCode.SUCCESS, undefined, {});
    switch (request.code) {
      case RequestCode.GET_MAX_OFFSET: {
        const h = readHeader(request, GetMaxOffsetRequestHeader);
        return setHeader(response, GetMaxOffsetResponseHeader, { offset: this.store.getMaxOffsetInQueue(h.topic, h.queueId) });
      }
      case RequestCode.GET_MIN_OFFSET: {
        const h = readHeader(request, GetMinOffsetRequestHeader);
        // Java creates the missing ConsumeQueue on lookup and answers its min offset, 0.
        return setHeader(response, GetMinOffsetResponseHeader, { offset: Math.max(0, this.store.getMinOffsetInQueue(h.topic, h.queueId)) });
      }
      case RequestCode.SEARCH_OFFSET_BY_TIMESTAMP: {
        const h = readHeader(request, SearchOffsetRequestHeader);
        return setHeader(response, SearchOffsetResponseHeader, { offset: await this.store.getOffsetInQueueByTime(h.topic, h.queueId, h.timestamp) });
      }
      default: {
        const h = readHeader(request, GetEarliestMsgStoretimeRequestHeader);
        return setHeader(response, GetEarliestMsgStoretimeResponseHeader, { timestamp: await this.earliestMsgStoreTime(h.topic, h.queueId) });
      }
    }
  }

  private async earliestMsgStoreTime(topic: string, queueId: number): Promise<number> {
    const min = this.store.getMinOffsetInQueue(topic, queueId);
    if (min < 0 || min >= this.store.getMaxOffsetInQueue(topic, queueId)) return NO_TIMESTAMP;
    const phy = await this.store.getCommitLogOffsetInQueue(topic, queueId, min);
    const msg = await this.store.lookMessageByOffset(phy);
    return msg?.storeTimestamp ?? NO_TIMESTAMP;
  }
}
