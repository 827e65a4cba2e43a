import type { MessageQueue } from '../../common/protocol/body/message-queue.js';

/**
 * Java's SendStatus: every value is a stored message; only SEND_OK means every guarantee asked for
 * (sync flush, sync replication) was met.
 */
export const SendStatus = {
  SEND_OK: 'SEND_OK',
  FLUSH_DISK_TIMEOUT: 'FLUSH_DISK_TIMEOUT',
  FLUSH_SLAVE_TIMEOUT: 'FLUSH_SLAVE_TIMEOUT',
  SLAVE_NOT_AVAILABLE: 'SLAVE_NOT_AVAILABLE',
} as const;
export type SendStatus = (typeof SendStatus)[keyof typeof SendStatus];

/** Java's SendResult. */
export class SendResult {
  sendStatus: SendStatus;
  /** The message's UNIQ_KEY (for a batch: the messages' keys joined by commas). */
  msgId: string;
  /** The broker's offset msgId(s): store host + commitlog offset (§4.6); comma-joined for a batch. */
  offsetMsgId: string;
  messageQueue: MessageQueue;
  /** Logical offset in the queue (for a batch: of its first message). */
  queueOffset: number;
  transactionId: string | undefined;
  /** MSG_REGION of the broker's answer. */
  regionId: string;
  /** TRACE_ON of the broker's answer. */
  traceOn: boolean;

  constructor(init: {
    sendStatus: SendStatus;
    msgId: string;
    offsetMsgId: string;
    messageQueue: MessageQueue;
    queueOffset: number;
    transactionId?: string | undefined;
    regionId?: string;
    traceOn?: boolean;
  }) {
    this.sendStatus = init.sendStatus;
    this.msgId = init.msgId;
    this.offsetMsgId = init.offsetMsgId;
    this.messageQueue = init.messageQueue;
    this.queueOffset = init.queueOffset;
    this.transactionId = init.transactionId;
    this.regionId = init.regionId ?? 'DefaultRegion';
    this.traceOn = init.traceOn ?? true;
  }

  toString(): string {
    const mq = this.messageQueue;
    return `SendResult [sendStatus=${this.sendStatus}, msgId=${this.msgId}, offsetMsgId=${this.offsetMsgId}, messageQueue=MessageQueue [topic=${mq.topic}, brokerName=${mq.brokerName}, queueId=${mq.queueId}], queueOffset=${this.queueOffset}]`;
  }
}

/** RocketMQ's SendCallback: exactly one of the two is called for each async send. */
export interface SendCallback {
  onSuccess(result: SendResult): void;
  onException(error: Error): void;
}

/** Java's CommunicationMode. */
export type CommunicationMode = 'SYNC' | 'ASYNC' | 'ONEWAY';
