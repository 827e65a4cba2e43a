import type { MessageExt } from '../../common/message/message-ext.js';
import type { MessageQueue } from '../../common/protocol/body/message-queue.js';

/** ConsumeConcurrentlyStatus (client/consumer/listener/ConsumeConcurrentlyStatus.java). */
export const ConsumeConcurrentlyStatus = {
  /** Consumed: the offset may move past these messages. */
  CONSUME_SUCCESS: 'CONSUME_SUCCESS',
  /** Failed: in clustering mode the messages are sent back and consumed again later. */
  RECONSUME_LATER: 'RECONSUME_LATER',
} as const;
export type ConsumeConcurrentlyStatus = (typeof ConsumeConcurrentlyStatus)[keyof typeof ConsumeConcurrentlyStatus];

/** ConsumeOrderlyStatus (client/consumer/listener/ConsumeOrderlyStatus.java); the deprecated ROLLBACK/COMMIT are kept for Java parity. */
export const ConsumeOrderlyStatus = {
  SUCCESS: 'SUCCESS',
  /** @deprecated as in Java: only meaningful with autoCommit=false. */
  ROLLBACK: 'ROLLBACK',
  /** @deprecated as in Java: only meaningful with autoCommit=false. */
  COMMIT: 'COMMIT',
  /** Stop this queue for suspendCurrentQueueTimeMillis and consume the same messages again. */
  SUSPEND_CURRENT_QUEUE_A_MOMENT: 'SUSPEND_CURRENT_QUEUE_A_MOMENT',
} as const;
export type ConsumeOrderlyStatus = (typeof ConsumeOrderlyStatus)[keyof typeof ConsumeOrderlyStatus];

/** Java's Integer.MAX_VALUE: the default ackIndex ("all of the batch"). */
export const ACK_INDEX_ALL = 2_147_483_647;

/** ConsumeConcurrentlyContext: what a concurrent listener may read and steer. */
export class ConsumeConcurrentlyContext {
  /**
   * Delay level of the retry when the batch (or its tail after ackIndex) fails: 0 lets the broker pick
   * 3 + reconsumeTimes, -1 sends straight to the DLQ, > 0 is a level of the broker's messageDelayLevel.
   */
  delayLevelWhenNextConsume = 0;
  /** With CONSUME_SUCCESS: messages after this index count as failed (RECONSUME_LATER acks none). */
  ackIndex = ACK_INDEX_ALL;

  constructor(readonly messageQueue: MessageQueue) {}
}

/** ConsumeOrderlyContext: what an orderly listener may read and steer. */
export class ConsumeOrderlyContext {
  /** autoCommit=true (default): SUCCESS commits; false: only COMMIT commits (deprecated Java behaviour). */
  autoCommit = true;
  /** Overrides suspendCurrentQueueTimeMillis for this SUSPEND_CURRENT_QUEUE_A_MOMENT (-1 = the consumer's setting). */
  suspendCurrentQueueTimeMillis = -1;

  constructor(readonly messageQueue: MessageQueue) {}
}

/** A concurrent listener as a function; a thrown error or rejected promise means RECONSUME_LATER. */
export type ConcurrentlyListenerFn = (
  msgs: readonly MessageExt[],
  context: ConsumeConcurrentlyContext,
) => Promise<ConsumeConcurrentlyStatus> | ConsumeConcurrentlyStatus;

/** An orderly listener as a function; a thrown error or rejected promise means SUSPEND_CURRENT_QUEUE_A_MOMENT. */
export type OrderlyListenerFn = (msgs: readonly MessageExt[], context: ConsumeOrderlyContext) => Promise<ConsumeOrderlyStatus> | ConsumeOrderlyStatus;

/** Java-style MessageListenerConcurrently (for `registerMessageListener`). */
export interface MessageListenerConcurrently {
  consumeMessage(msgs: readonly MessageExt[], context: ConsumeConcurrentlyContext): Promise<ConsumeConcurrentlyStatus> | ConsumeConcurrentlyStatus;
}

/** Java-style MessageListenerOrderly (for `registerMessageListener`). */
export interface MessageListenerOrderly {
  /** Marks the object as orderly (an object with only `consumeMessage` cannot be told apart at run time). */
  readonly orderly: true;
  consumeMessage(msgs: readonly MessageExt[], context: ConsumeOrderlyContext): Promise<ConsumeOrderlyStatus> | ConsumeOrderlyStatus;
}

export type MessageListener = MessageListenerConcurrently | MessageListenerOrderly;

/** A listener passed to `subscribe(topic, …, listener)`: a function (concurrent) or a listener object. */
export type SubscribeListener = ConcurrentlyListenerFn | MessageListener;

/** Normalizes a function to a MessageListenerConcurrently. */
export function toMessageListener(listener: SubscribeListener): MessageListener {
  if (typeof listener === 'function') return { consumeMessage: listener };
  return listener;
}

/** Builds a MessageListenerOrderly from a function. */
export function orderlyListener(fn: OrderlyListenerFn): MessageListenerOrderly {
  return { orderly: true, consumeMessage: fn };
}

export function isOrderlyListener(listener: MessageListener): listener is MessageListenerOrderly {
  return 'orderly' in listener && listener.orderly === true;
}
