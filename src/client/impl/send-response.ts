import { MQBrokerException } from '../../common/errors.js';
import { MessageConst } from '../../common/message/message-const.js';
import type { Message } from '../../common/message/message.js';
import { createMessageQueue } from '../../common/protocol/body/message-queue.js';
import { readHeader } from '../../common/protocol/headers/command-header.js';
import { SendMessageResponseHeader, readSendResponseExtras } from '../../common/protocol/headers/send-message.js';
import { ResponseCode } from '../../common/protocol/response-code.js';
import type { RemotingCommand } from '../../common/remoting/remoting-command.js';
import { withoutNamespace } from '../namespace-util.js';
import { MessageBatch } from '../producer/message-batch.js';
import { SendResult, SendStatus } from '../producer/send-result.js';

/**
 * DefaultMQProducer.retryResponseCodes of 4.9.8: broker answers after which a SYNC send tries the next
 * attempt (on another broker). SYSTEM_BUSY and MESSAGE_ILLEGAL are deliberately absent (§10.4).
 */
export const DEFAULT_RETRY_RESPONSE_CODES: ReadonlySet<number> = new Set<number>([
  ResponseCode.TOPIC_NOT_EXIST,
  ResponseCode.SERVICE_NOT_AVAILABLE,
  ResponseCode.SYSTEM_ERROR,
  ResponseCode.NO_PERMISSION,
  ResponseCode.NO_BUYER_ID,
  ResponseCode.NOT_IN_CURRENT_UNIT,
]);

const STORED_STATUS = new Map<number, SendStatus>([
  [ResponseCode.SUCCESS, SendStatus.SEND_OK],
  [ResponseCode.FLUSH_DISK_TIMEOUT, SendStatus.FLUSH_DISK_TIMEOUT],
  [ResponseCode.FLUSH_SLAVE_TIMEOUT, SendStatus.FLUSH_SLAVE_TIMEOUT],
  [ResponseCode.SLAVE_NOT_AVAILABLE, SendStatus.SLAVE_NOT_AVAILABLE],
]);

/**
 * MQClientAPIImpl.processSendResponse: the four "stored" codes become a SendResult, anything else an
 * MQBrokerException carrying the broker's code and remark.
 */
export function processSendResponse(brokerName: string, msg: Message, response: RemotingCommand, addr: string, namespace = ''): SendResult {
  const sendStatus = STORED_STATUS.get(response.code);
  if (sendStatus === undefined) {
    throw new MQBrokerException(response.code, response.remark ?? '', addr, {
      retriable: DEFAULT_RETRY_RESPONSE_CODES.has(response.code),
      context: { brokerName, topic: msg.topic },
    });
  }
  const header = readHeader(response, SendMessageResponseHeader);
  const mq = createMessageQueue(withoutNamespace(msg.topic, namespace), brokerName, header.queueId);
  const extras = readSendResponseExtras(response);
  return new SendResult({
    sendStatus,
    msgId: uniqMsgIdOf(msg),
    offsetMsgId: header.msgId,
    messageQueue: mq,
    queueOffset: header.queueOffset,
    transactionId: header.transactionId,
    regionId: extras.regionId,
    traceOn: extras.traceOn,
  });
}

/** The UNIQ_KEY of a message; for a batch, its messages' keys joined by commas (as Java builds it). */
export function uniqMsgIdOf(msg: Message): string {
  if (msg instanceof MessageBatch) {
    return msg.messages.map((m) => m.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX) ?? '').join(',');
  }
  return msg.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX) ?? '';
}
