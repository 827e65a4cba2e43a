import type { Message } from '../../common/message/message.js';
import type { MessageQueue } from '../../common/protocol/body/message-queue.js';
import type { CommunicationMode, SendResult } from './send-result.js';

/** Java's SendMessageContext: what a hook sees before and after one send attempt. */
export interface SendMessageContext {
  producerGroup: string;
  message: Message;
  mq: MessageQueue;
  brokerAddr: string;
  communicationMode: CommunicationMode;
  /** Set for the after-hook of a successful attempt (never for oneway). */
  sendResult?: SendResult;
  /** Set for the after-hook of a failed attempt. */
  exception?: Error;
  /** Free-form data a hook may pass from before to after (tracing). */
  props: Map<string, string>;
  namespace: string;
}

/** Java's SendMessageHook. A hook that throws is logged and ignored: it never fails the send. */
export interface SendMessageHook {
  readonly hookName: string;
  sendMessageBefore?(context: SendMessageContext): void;
  sendMessageAfter?(context: SendMessageContext): void;
}
