import type { Logger } from '../../common/logging/logger.js';
import { createMessageQueue } from '../../common/protocol/body/message-queue.js';
import { MessageQueueMap } from '../../common/protocol/body/message-queue-map.js';
import { encodeResetOffsetBody } from '../../common/protocol/body/reset-offset-body.js';
import { encodeFastJson } from '../../common/protocol/json/fastjson-writer.js';
import { createRequestWithHeader, readHeader } from '../../common/protocol/headers/command-header.js';
import { ResetOffsetRequestHeader } from '../../common/protocol/headers/consumer-control.js';
import { RequestCode } from '../../common/protocol/request-code.js';
import { ResponseCode } from '../../common/protocol/response-code.js';
import type { RemotingChannel, RequestProcessor } from '../../common/remoting/remoting-channel.js';
import { RemotingCommand } from '../../common/remoting/remoting-command.js';
import type { ConsumerManager } from '../client/consumer-manager.js';
import type { ConsumerOffsetManager } from '../offset/consumer-offset-manager.js';
import type { DefaultMessageStore } from '../store/message-store.js';
import type { TopicConfigLookup } from '../topic/topic-config-manager.js';

/** MQVersion.Version.V3_0_7_SNAPSHOT.ordinal(): older clients cannot reset offsets. */
export const V3_0_7_SNAPSHOT = 28;
/** ResetOffsetRequestHeader.timestamp −1: reset to the max offset instead of a time. */
const TIMESTAMP_MAX_OFFSET = -1;

export interface ResetOffsetProcessorDeps {
  readonly topicConfigManager: TopicConfigLookup;
  readonly consumerOffsetManager: Pick<ConsumerOffsetManager, 'queryOffset'>;
  readonly consumerManager: Pick<ConsumerManager, 'getConsumerGroupInfo'>;
  readonly store: Pick<DefaultMessageStore, 'getMaxOffsetInQueue' | 'getOffsetInQueueByTime'>;
  readonly brokerName: () => string;
  readonly log: Logger;
}

/**
 * INVOKE_BROKER_TO_RESET_OFFSET (222) — AdminBrokerProcessor.resetOffset → Broker2Client.resetOffset
 * (PROTOCOL.md §11.9): per write queue, the offset at `timestamp` (or the max offset for −1), kept
 * only if `isForce` or it moves the group back; then a oneway RESET_CONSUMER_CLIENT_OFFSET (220) with
 * that table to every online member. As in Java the broker does not write the offsets itself: the
 * consumers do, after dropping their process queues.
 */
export class ResetOffsetProcessor implements RequestProcessor {
  static readonly CODES = [RequestCode.INVOKE_BROKER_TO_RESET_OFFSET] as const;

  constructor(private readonly deps: ResetOffsetProcessorDeps) {}

  async processRequest(channel: RemotingChannel, request: RemotingCommand): Promise<RemotingCommand> {
    const h = readHeader(request, ResetOffsetRequestHeader);
    const { topic, group, timestamp, isForce } = h;
    this.deps.log.info('[reset-offset] reset offset started', { remoteAddr: channel.remoteAddress, topic, group, timestamp, isForce });
    const tc = this.deps.topicConfigManager.selectTopicConfig(topic);
    if (tc === undefined) {
      return RemotingCommand.createResponse(request, ResponseCode.SYSTEM_ERROR, `[reset-offset] reset offset failed, no topic in this broker. topic=${topic}`);
    }
    const offsetTable = new MessageQueueMap<number>();
    for (let i = 0; i < tc.writeQueueNums; i++) {
      const consumerOffset = this.deps.consumerOffsetManager.queryOffset(group, topic, i);
      if (consumerOffset === -1) return RemotingCommand.createResponse(request, ResponseCode.SYSTEM_ERROR, `THe consumer group <${group}> not exist`);
      let target = timestamp === TIMESTAMP_MAX_OFFSET ? this.deps.store.getMaxOffsetInQueue(topic, i) : await this.deps.store.getOffsetInQueueByTime(topic, i, timestamp);
      if (target < 0) {
        this.deps.log.warn('reset offset is invalid', { topic, queueId: i, timeStampOffset: target });
        target = 0;
      }
      offsetTable.set(createMessageQueue(topic, this.deps.brokerName(), i), isForce || target < consumerOffset ? target : consumerOffset);
    }

    const info = this.deps.consumerManager.getConsumerGroupInfo(group);
    if (info === undefined || info.channelInfoTable.size === 0) {
      return RemotingCommand.createResponse(
        request,
        ResponseCode.CONSUMER_NOT_ONLINE,
        `Consumer not online, so can not reset offset, Group: ${group} Topic: ${topic} Timestamp: ${timestamp}`,
      );
    }
    // C++ clients read a list instead of a map keyed by queue objects (ResetOffsetBodyForC).
    const body = request.language === 'CPP' ? encodeResetOffsetBodyForC(offsetTable) : encodeResetOffsetBody({ offsetTable });
    for (const client of info.channelInfoTable.values()) {
      if (client.version < V3_0_7_SNAPSHOT) {
        this.deps.log.warn('[reset-offset] the client does not support this feature', { remoteAddr: client.channel.remoteAddress, version: client.version });
        return RemotingCommand.createResponse(request, ResponseCode.SYSTEM_ERROR, `the client does not support this feature. version=${client.version}`);
      }
      const notify = createRequestWithHeader(RequestCode.RESET_CONSUMER_CLIENT_OFFSET, ResetOffsetRequestHeader, { topic, group, timestamp, isForce: false }, body);
      client.channel.invokeOneway(notify.markOneway()).then(
        () => this.deps.log.info('[reset-offset] reset offset success', { topic, group, clientId: client.clientId }),
        (e: unknown) => this.deps.log.error('[reset-offset] reset offset exception', { topic, group, clientId: client.clientId, error: e }),
      );
    }
    const response = RemotingCommand.createResponse(request, ResponseCode.SUCCESS, undefined);
    response.body = encodeResetOffsetBody({ offsetTable });
    return response;
  }
}

/** ResetOffsetBodyForC `{"offsetTable":[{"brokerName":…,"offset":…,"queueId":…,"topic":…}]}`. */
function encodeResetOffsetBodyForC(table: MessageQueueMap<number>): Buffer {
  const list = [...table].map(([mq, offset]) => ({ brokerName: mq.brokerName, offset, queueId: mq.queueId, topic: mq.topic }));
  return encodeFastJson({ offsetTable: list });
}
