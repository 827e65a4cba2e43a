import type { Logger } from '../../common/logging/logger.js';
import { MessageConst } from '../../common/message/message-const.js';
import type { MessageExt } from '../../common/message/message-ext.js';
import { decodeRecord } from '../../common/message/record-decoder.js';
import { encodeConsumeMessageDirectlyResult } from '../../common/protocol/body/consume-message-directly-result.js';
import { encodeConsumerRunningInfo, type ConsumerRunningInfo } from '../../common/protocol/body/consumer-running-info.js';
import { MessageQueueMap } from '../../common/protocol/body/message-queue-map.js';
import { decodeResetOffsetBody } from '../../common/protocol/body/reset-offset-body.js';
import { readHeader } from '../../common/protocol/headers/command-header.js';
import { ConsumeMessageDirectlyResultRequestHeader, GetConsumerRunningInfoRequestHeader, ResetOffsetRequestHeader } from '../../common/protocol/headers/consumer-control.js';
import { NotifyConsumerIdsChangedRequestHeader } from '../../common/protocol/headers/consumer-manage.js';
import { CheckTransactionStateRequestHeader } from '../../common/protocol/headers/transaction.js';
import { RequestCode } from '../../common/protocol/request-code.js';
import { ResponseCode } from '../../common/protocol/response-code.js';
import type { RemotingChannel, RequestProcessor } from '../../common/remoting/remoting-channel.js';
import { RemotingCommand } from '../../common/remoting/remoting-command.js';
import type { MQConsumerInner, MQProducerInner } from './mq-inner.js';

/** The part of MQClientInstance the processor reaches (narrow, so it can be tested alone). */
export interface ClientRemotingHost {
  selectProducer(group: string): MQProducerInner | undefined;
  selectConsumer(group: string): MQConsumerInner | undefined;
  rebalanceImmediately(): void;
  consumerRunningInfo(group: string): ConsumerRunningInfo | undefined;
}

/** The requests a broker sends to a client (Java's ClientRemotingProcessor). */
export const CLIENT_REQUEST_CODES = [
  RequestCode.CHECK_TRANSACTION_STATE,
  RequestCode.NOTIFY_CONSUMER_IDS_CHANGED,
  RequestCode.RESET_CONSUMER_CLIENT_OFFSET,
  RequestCode.GET_CONSUMER_RUNNING_INFO,
  RequestCode.CONSUME_MESSAGE_DIRECTLY,
] as const;

export class ClientRemotingProcessor implements RequestProcessor {
  constructor(
    private readonly host: ClientRemotingHost,
    private readonly log: Logger,
  ) {}

  async processRequest(channel: RemotingChannel, request: RemotingCommand): Promise<RemotingCommand | null> {
    switch (request.code) {
      case RequestCode.CHECK_TRANSACTION_STATE:
        return this.checkTransactionState(channel, request);
      case RequestCode.NOTIFY_CONSUMER_IDS_CHANGED: {
        const h = readHeader(request, NotifyConsumerIdsChangedRequestHeader);
        this.log.info('receive broker notification: consumer ids changed, rebalance immediately', { group: h.consumerGroup, broker: channel.remoteAddress });
        this.host.rebalanceImmediately();
        return null;
      }
      case RequestCode.RESET_CONSUMER_CLIENT_OFFSET:
        await this.resetOffset(request);
        return null;
      case RequestCode.GET_CONSUMER_RUNNING_INFO:
        return this.getConsumerRunningInfo(request);
      case RequestCode.CONSUME_MESSAGE_DIRECTLY:
        return this.consumeMessageDirectly(request);
      default:
        return RemotingCommand.createResponse(request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, ` request type ${request.code} not supported`);
    }
  }

  private checkTransactionState(channel: RemotingChannel, request: RemotingCommand): null {
    const header = readHeader(request, CheckTransactionStateRequestHeader);
    const msg = request.body === undefined ? undefined : decodeRecord(request.body, 0, { decompressBody: true });
    if (msg === undefined) {
      this.log.warn('checkTransactionState: no message in the request', { broker: channel.remoteAddress });
      return null;
    }
    const uniq = msg.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX);
    if (uniq !== undefined && uniq !== '') msg.transactionId = uniq;
    const group = msg.getProperty(MessageConst.PROPERTY_PRODUCER_GROUP);
    const producer = group === undefined ? undefined : this.host.selectProducer(group);
    if (producer?.checkTransactionState === undefined) {
      this.log.debug('checkTransactionState: no transactional producer for the group', { group });
      return null;
    }
    producer.checkTransactionState(channel.remoteAddress, msg, header);
    return null;
  }

  private async resetOffset(request: RemotingCommand): Promise<void> {
    const h = readHeader(request, ResetOffsetRequestHeader);
    const offsetTable = request.body === undefined ? new MessageQueueMap<number>() : decodeResetOffsetBody(request.body).offsetTable;
    const consumer = this.host.selectConsumer(h.group);
    if (consumer?.resetOffset === undefined) {
      this.log.info('resetOffset: consumer group not in this client', { group: h.group, topic: h.topic });
      return;
    }
    await consumer.resetOffset(h.topic, offsetTable);
  }

  private getConsumerRunningInfo(request: RemotingCommand): RemotingCommand {
    const h = readHeader(request, GetConsumerRunningInfoRequestHeader);
    const info = this.host.consumerRunningInfo(h.consumerGroup);
    if (info === undefined) {
      return RemotingCommand.createResponse(request, ResponseCode.SYSTEM_ERROR, `The Consumer Group <${h.consumerGroup}> not exist in this consumer`);
    }
    const response = RemotingCommand.createResponse(request, ResponseCode.SUCCESS);
    response.body = encodeConsumerRunningInfo(info);
    return response;
  }

  private async consumeMessageDirectly(request: RemotingCommand): Promise<RemotingCommand> {
    const h = readHeader(request, ConsumeMessageDirectlyResultRequestHeader);
    const consumer = this.host.selectConsumer(h.consumerGroup);
    let msg: MessageExt | undefined;
    if (request.body !== undefined) msg = decodeRecord(request.body, 0, { decompressBody: true });
    if (consumer?.consumeMessageDirectly === undefined || msg === undefined) {
      return RemotingCommand.createResponse(request, ResponseCode.SYSTEM_ERROR, `The Consumer Group <${h.consumerGroup}> not exist in this consumer`);
    }
    const result = await consumer.consumeMessageDirectly(msg, h.brokerName);
    const response = RemotingCommand.createResponse(request, ResponseCode.SUCCESS);
    response.body = encodeConsumeMessageDirectlyResult(result);
    return response;
  }
}
