import type { Logger } from '../../common/logging/logger.js';
import { RemotingTimeoutException } from '../../common/errors.js';
import { decodeMessageId } from '../../common/message/message-id.js';
import { readHeader } from '../../common/protocol/headers/command-header.js';
import { ConsumeMessageDirectlyResultRequestHeader, GetConsumerRunningInfoRequestHeader } from '../../common/protocol/headers/consumer-control.js';
import { RequestCode } from '../../common/protocol/request-code.js';
import { ResponseCode } from '../../common/protocol/response-code.js';
import type { RemotingChannel, RequestProcessor } from '../../common/remoting/remoting-channel.js';
import { RemotingCommand } from '../../common/remoting/remoting-command.js';
import type { ClientChannelInfo } from '../client/client-channel-info.js';
import type { ConsumerManager } from '../client/consumer-manager.js';
import type { DefaultMessageStore } from '../store/message-store.js';

/** Broker2Client.callClient waits this long for the consumer. */
export const CALL_CLIENT_TIMEOUT_MILLIS = 10_000;
/** MQVersion.Version.V3_1_8_SNAPSHOT.ordinal(): older consumers cannot answer these requests. */
export const V3_1_8_SNAPSHOT = 62;
/** Record TOTALSIZE is the first int32. */
const TOTAL_SIZE_BYTES = 4;

export interface ConsumerRelayProcessorDeps {
  readonly consumerManager: Pick<ConsumerManager, 'getConsumerGroupInfo'>;
  readonly store: Pick<DefaultMessageStore, 'selectOneMessageByOffset'>;
  readonly brokerName: () => string;
  readonly callClientTimeoutMillis?: number;
  readonly log: Logger;
}

/**
 * GET_CONSUMER_RUNNING_INFO (307) and CONSUME_MESSAGE_DIRECTLY (309) from an admin tool, relayed to the
 * consumer's own connection (AdminBrokerProcessor.callConsumer): the consumer's answer is returned as
 * is; a consumer that does not answer in 10 s gives CONSUME_MSG_TIMEOUT, any other failure
 * SYSTEM_ERROR, an unknown client SYSTEM_ERROR "The Consumer <g> <id> not online".
 */
export class ConsumerRelayProcessor implements RequestProcessor {
  static readonly CODES = [RequestCode.GET_CONSUMER_RUNNING_INFO, RequestCode.CONSUME_MESSAGE_DIRECTLY] as const;

  constructor(private readonly deps: ConsumerRelayProcessorDeps) {}

  async processRequest(_channel: RemotingChannel, request: RemotingCommand): Promise<RemotingCommand> {
    if (request.code === RequestCode.GET_CONSUMER_RUNNING_INFO) {
      const h = readHeader(request, GetConsumerRunningInfoRequestHeader);
      return this.callConsumer(request, h.consumerGroup, h.clientId, request.extFields, request.body);
    }
    const h = readHeader(request, ConsumeMessageDirectlyResultRequestHeader);
    // Java adds brokerName and loads the message by the offset part of msgId; a msgId that is not an
    // offset id leaves the body as sent (Java swallows only UnknownHostException there).
    const extFields = { ...request.extFields, brokerName: this.deps.brokerName() };
    let body = request.body;
    if (h.msgId !== undefined) {
      const { offset } = decodeMessageId(h.msgId);
      const head = await this.deps.store.selectOneMessageByOffset(offset, TOTAL_SIZE_BYTES);
      const record = head === undefined ? undefined : await this.deps.store.selectOneMessageByOffset(offset, head.readInt32BE(0));
      if (record === undefined) throw new Error(`can not find message by the offset, ${offset}`);
      body = record;
    }
    return this.callConsumer(request, h.consumerGroup, h.clientId ?? '', extFields, body);
  }

  private async callConsumer(
    request: RemotingCommand,
    group: string,
    clientId: string,
    extFields: RemotingCommand['extFields'],
    body: Buffer | undefined,
  ): Promise<RemotingCommand> {
    const client = this.findChannel(group, clientId);
    if (client === undefined) {
      return RemotingCommand.createResponse(request, ResponseCode.SYSTEM_ERROR, `The Consumer <${group}> <${clientId}> not online`);
    }
    if (client.version < V3_1_8_SNAPSHOT) {
      return RemotingCommand.createResponse(
        request,
        ResponseCode.SYSTEM_ERROR,
        `The Consumer <${group}> Version <${client.version}> too low to finish, please upgrade it to V3_1_8_SNAPSHOT`,
      );
    }
    const forward = RemotingCommand.createRequest(request.code, extFields === undefined ? undefined : { ...extFields }, body);
    let answer: RemotingCommand;
    try {
      answer = await client.channel.invokeSync(forward, this.deps.callClientTimeoutMillis ?? CALL_CLIENT_TIMEOUT_MILLIS);
    } catch (e: unknown) {
      const desc = e instanceof Error ? e.message : String(e);
      if (e instanceof RemotingTimeoutException) {
        return RemotingCommand.createResponse(request, ResponseCode.CONSUME_MSG_TIMEOUT, `consumer <${group}> <${clientId}> Timeout: ${desc}`);
      }
      this.deps.log.warn('invoke consumer failed', { group, clientId, error: e });
      return RemotingCommand.createResponse(request, ResponseCode.SYSTEM_ERROR, `invoke consumer <${group}> <${clientId}> Exception: ${desc}`);
    }
    // The consumer's answer goes back as it came: code, remark, header fields and body.
    const response = RemotingCommand.createResponse(request, answer.code, answer.remark, answer.extFields);
    if (answer.body !== undefined) response.body = answer.body;
    return response;
  }

  /** ConsumerManager.findChannel(group, clientId). */
  private findChannel(group: string, clientId: string): ClientChannelInfo | undefined {
    const info = this.deps.consumerManager.getConsumerGroupInfo(group);
    if (info === undefined) return undefined;
    for (const c of info.channelInfoTable.values()) if (c.clientId === clientId) return c;
    return undefined;
  }
}
