import type { MessageQueue } from '../../common/protocol/body/message-queue.js';

/** Which background task of a push consumer failed. */
export type PushConsumerErrorSource =
  /** A PULL_MESSAGE (or decoding its answer) failed; the queue is pulled again after pullTimeDelayMillsWhenException. */
  | 'pull'
  /** A rebalance round of a topic failed (no consumer list, allocation threw, a broker unreachable). */
  | 'rebalance'
  /** Writing consumer offsets (UPDATE_CONSUMER_OFFSET or the local offsets file) failed; the next persist retries. */
  | 'persistOffset'
  /** Reading a queue's offset from the broker failed; the queue is skipped until the next rebalance. */
  | 'readOffset'
  /**
   * A failed message could not be sent back for a later retry (CONSUMER_SEND_MSG_BACK and the re-send
   * to %RETRY%<group> both failed; orderly: the re-send of a message out of local retries): it stays
   * cached and is consumed again locally, so the queue's offset cannot pass it.
   */
  | 'sendBack'
  /**
   * Orderly (clustering): the broker lock of a queue could not be taken or renewed (LOCK_BATCH_MQ failed,
   * or the broker granted it to another client); the queue is not consumed until a later lock succeeds.
   */
  | 'lock';

/**
 * The payload of a push consumer's `error` event: a failure that the consumer recovers from by itself
 * (it retries later) and would otherwise only log. Emitted only while someone listens to `error`.
 */
export interface PushConsumerErrorEvent {
  readonly source: PushConsumerErrorSource;
  readonly error: Error;
  readonly consumerGroup: string;
  /** The queue concerned, when the failure is about one. */
  readonly messageQueue?: MessageQueue;
  /** The topic concerned (a rebalance error has a topic but no queue). */
  readonly topic?: string;
}

/** Reports a background failure; the callee decides whether anyone wants it (so it costs nothing otherwise). */
export type ConsumerErrorReporter = (source: PushConsumerErrorSource, error: unknown, where?: { messageQueue?: MessageQueue; topic?: string }) => void;

/** Any thrown value as an Error (the event's `error` is always one). */
export function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
