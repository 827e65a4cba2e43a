import type { Logger } from '../../common/logging/logger.js';
import { encodeGetConsumerListByGroupResponseBody } from '../../common/protocol/body/get-consumer-list-by-group-response-body.js';
import { readHeader, setHeader } from '../../common/protocol/headers/command-header.js';
import { GetConsumerListByGroupRequestHeader } from '../../common/protocol/headers/consumer-manage.js';
import {
  QueryConsumerOffsetRequestHeader,
  QueryConsumerOffsetResponseHeader,
  UpdateConsumerOffsetRequestHeader,
} from '../../common/protocol/headers/consumer-offset.js';
import { RequestCode } from '../../common/protocol/request-code.js';
import { ResponseCode } from '../../common/protocol/response-code.js';
import type { RemotingChannel, RequestProcessor } from '../../common/remoting/remoting-channel.js';
import { RemotingCommand } from '../../common/remoting/remoting-command.js';
import type { ConsumerGroupLookup } from '../client/consumer-manager.js';
import type { ConsumerOffsetStore } from '../offset/consumer-offset-manager.js';

export interface ConsumerManageProcessorDeps {
  readonly consumerManager: ConsumerGroupLookup;
  readonly consumerOffsetManager: ConsumerOffsetStore;
  /** The queue's min offset (-1 when the queue does not exist). */
  readonly minOffsetInQueue: (topic: string, queueId: number) => number;
  readonly log: Logger;
}

/** Java's QUERY_NOT_FOUND remark for a group without an offset on a queue whose start is gone. */
export const QUERY_OFFSET_NOT_FOUND_REMARK = 'Not found, V3_0_6_SNAPSHOT maybe this group consumer boot first';

/**
 * ConsumerManageProcessor: GET_CONSUMER_LIST_BY_GROUP (the clientIds rebalancing sorts), and the
 * remote offset store's QUERY_CONSUMER_OFFSET / UPDATE_CONSUMER_OFFSET.
 */
export class ConsumerManageProcessor implements RequestProcessor {
  static readonly CODES = [RequestCode.GET_CONSUMER_LIST_BY_GROUP, RequestCode.QUERY_CONSUMER_OFFSET, RequestCode.UPDATE_CONSUMER_OFFSET] as const;

  constructor(private readonly deps: ConsumerManageProcessorDeps) {}

  processRequest(channel: RemotingChannel, request: RemotingCommand): RemotingCommand {
    switch (request.code) {
      case RequestCode.GET_CONSUMER_LIST_BY_GROUP:
        return this.getConsumerListByGroup(channel, request);
      case RequestCode.QUERY_CONSUMER_OFFSET:
        return this.queryConsumerOffset(request);
      default:
        return this.updateConsumerOffset(channel, request);
    }
  }

  private getConsumerListByGroup(channel: RemotingChannel, request: RemotingCommand): RemotingCommand {
    const h = readHeader(request, GetConsumerListByGroupRequestHeader);
    const response = RemotingCommand.createResponse(request, ResponseCode.SUCCESS, undefined, {});
    const ids = this.deps.consumerManager.getConsumerGroupInfo(h.consumerGroup)?.allClientIds() ?? [];
    if (ids.length === 0) {
      this.deps.log.warn('getConsumerListByGroup: no consumer', { group: h.consumerGroup, remoteAddr: channel.remoteAddress });
      response.code = ResponseCode.SYSTEM_ERROR;
      response.remark = `no consumer for this group, ${h.consumerGroup}`;
      return response;
    }
    response.body = encodeGetConsumerListByGroupResponseBody({ consumerIdList: ids });
    return response;
  }

  /**
   * No stored offset: a queue that still starts at 0 answers 0 (consume from the start); otherwise
   * QUERY_NOT_FOUND and the client applies its ConsumeFromWhere. Java also answers 0 only when the
   * first message is still in memory (checkInDiskByConsumeOffset); this store always serves it.
   */
  private queryConsumerOffset(request: RemotingCommand): RemotingCommand {
    const h = readHeader(request, QueryConsumerOffsetRequestHeader);
    const response = RemotingCommand.createResponse(request, ResponseCode.SUCCESS, undefined, {});
    let offset = this.deps.consumerOffsetManager.queryOffset(h.consumerGroup, h.topic, h.queueId);
    if (offset < 0) {
      if (this.deps.minOffsetInQueue(h.topic, h.queueId) <= 0) {
        offset = 0;
      } else {
        response.code = ResponseCode.QUERY_NOT_FOUND;
        response.remark = QUERY_OFFSET_NOT_FOUND_REMARK;
        return response;
      }
    }
    return setHeader(response, QueryConsumerOffsetResponseHeader, { offset });
  }

  private updateConsumerOffset(channel: RemotingChannel, request: RemotingCommand): RemotingCommand {
    const h = readHeader(request, UpdateConsumerOffsetRequestHeader);
    this.deps.consumerOffsetManager.commitOffset(channel.remoteAddress, h.consumerGroup, h.topic, h.queueId, h.commitOffset);
    return RemotingCommand.createResponse(request, ResponseCode.SUCCESS, undefined, {});
  }
}
