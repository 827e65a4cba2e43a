import type { MessageQueueMap } from '../../../common/protocol/body/message-queue-map.js';
import type { MessageQueue } from '../../../common/protocol/body/message-queue.js';
import type { ConsumerErrorReporter } from '../consumer-error-event.js';

/** ReadOffsetType: where readOffset looks. */
export const ReadOffsetType = {
  /** The in-memory table only. */
  READ_FROM_MEMORY: 'READ_FROM_MEMORY',
  /** The backing store (broker or file); the answer also replaces the in-memory value. */
  READ_FROM_STORE: 'READ_FROM_STORE',
  MEMORY_FIRST_THEN_STORE: 'MEMORY_FIRST_THEN_STORE',
} as const;
export type ReadOffsetType = (typeof ReadOffsetType)[keyof typeof ReadOffsetType];

/** readOffset's "no offset known" answer (a stored offset is always >= 0). */
export const OFFSET_NOT_FOUND = -1;
/**
 * RemoteBrokerOffsetStore's readOffset answer when the broker could not be asked (no route, timeout, …):
 * RebalancePushImpl.computePullFromWhere then skips the queue this round instead of guessing a start.
 */
export const OFFSET_READ_ERROR = -2;

/**
 * Java's OffsetStore: a consumer group's next-to-consume offset per queue. Updates go to memory; a
 * persist writes them to the store (the broker in clustering mode, a local file in broadcasting mode).
 * Never throws from persist/persistAll: failures are logged and the next periodic persist retries.
 */
export interface OffsetStore {
  /** Reads the store into memory (the local file); a no-op for the broker store. */
  load(): Promise<void>;
  /** In memory; with `increaseOnly` an offset lower than the current one is ignored. */
  updateOffset(mq: MessageQueue, offset: number, increaseOnly: boolean): void;
  /**
   * The offset, or {@link OFFSET_NOT_FOUND} (-1) when none; {@link OFFSET_READ_ERROR} (-2) when the broker
   * could not be asked. (For a synchronous look at memory, e.g. running info, use cloneOffsetTable.)
   */
  readOffset(mq: MessageQueue, type: ReadOffsetType): Promise<number>;
  /** Persists the in-memory offsets of `mqs`; the broker store also forgets queues not in `mqs`. */
  persistAll(mqs: Iterable<MessageQueue>): Promise<void>;
  persist(mq: MessageQueue): Promise<void>;
  /**
   * Told of each persist/read failure the store logs and recovers from (the push consumer's `error`
   * event); the store keeps its never-throw contract either way.
   */
  errorReporter?: ConsumerErrorReporter;
  /** Forgets a queue (in memory only). */
  removeOffset(mq: MessageQueue): void;
  /** A copy of the in-memory offsets, of one topic (or all when `topic` is blank). */
  cloneOffsetTable(topic?: string): MessageQueueMap<number>;
  /** Writes one offset to the broker now (admin reset); a no-op for the local store. */
  updateConsumeOffsetToBroker(mq: MessageQueue, offset: number, isOneway: boolean): Promise<void>;
}
