import type { MessageExt } from '../../common/message/message-ext.js';
import type { ProcessQueueInfo } from '../../common/protocol/body/consumer-running-info.js';
import type { MessageQueueMap } from '../../common/protocol/body/message-queue-map.js';
import type { MessageQueue } from '../../common/protocol/body/message-queue.js';
import type { ConsumerErrorReporter } from './consumer-error-event.js';

/**
 * The parts of the push consumer that live in their own modules (ProcessQueue, offset stores,
 * allocation strategies), as the consume/pull/rebalance services use them. Declared here so those
 * services depend on behaviour, not on one implementation: unit tests hand in fakes, and the
 * implementations in `process-queue.ts`, `offset-store/` and `allocate/` satisfy them structurally.
 */

/** ReadOffsetType (client/consumer/store/ReadOffsetType.java). */
export const ReadOffsetType = {
  READ_FROM_MEMORY: 'READ_FROM_MEMORY',
  READ_FROM_STORE: 'READ_FROM_STORE',
  MEMORY_FIRST_THEN_STORE: 'MEMORY_FIRST_THEN_STORE',
} as const;
export type ReadOffsetType = (typeof ReadOffsetType)[keyof typeof ReadOffsetType];

/** OffsetStore as the consumer uses it; readOffset resolves -1 for "none", -2 for "could not ask". */
export interface ConsumerOffsetStore {
  load(): Promise<void> | void;
  updateOffset(mq: MessageQueue, offset: number, increaseOnly: boolean): void;
  readOffset(mq: MessageQueue, type: ReadOffsetType): Promise<number>;
  persistAll(mqs: Iterable<MessageQueue>): Promise<void>;
  persist(mq: MessageQueue): Promise<void>;
  removeOffset(mq: MessageQueue): void;
  /** A copy of the in-memory offsets (running info). */
  cloneOffsetTable?(topic?: string): MessageQueueMap<number>;
  /** Set by the consumer at start: the store's recovered failures become `error` events. */
  errorReporter?: ConsumerErrorReporter;
}

/** Declared with the strategies (allocate/), named here beside the other parts a consumer is built from. */
export type { AllocateMessageQueueStrategy } from './allocate/allocate-message-queue-strategy.js';

/** ProcessQueue as the pull, consume and rebalance services use it (§11.6). */
export interface ConsumerProcessQueue {
  dropped: boolean;
  locked: boolean;
  lastLockTimestamp: number;
  lastPullTimestamp: number;
  lastConsumeTimestamp: number;
  tryUnlockTimes: number;
  readonly msgCount: number;
  /** Sum of body lengths of the cached messages. */
  readonly msgSize: number;
  /** Adds pulled messages; true when an orderly consumer should start a consume request. */
  putMessage(msgs: readonly MessageExt[]): boolean;
  /** Removes consumed messages; the offset to commit next, or -1 when the queue was empty. */
  removeMessage(msgs: readonly MessageExt[]): number;
  getMaxSpan(): number;
  isPullExpired(): boolean;
  isLockExpired(): boolean;
  hasTempMessage(): boolean;
  /** Orderly: the next `batchSize` messages in offset order (moved to the consuming map). */
  takeMessages(batchSize: number): MessageExt[];
  /** Orderly: the consuming messages are done; the offset to commit, or -1. */
  commit(): number;
  /** Orderly: put the consuming messages back to be taken again. */
  makeMessageToConsumeAgain(msgs: readonly MessageExt[]): void;
  /** The oldest cached message (lowest offset), if any: cleanExpiredMsg's candidate. */
  firstMessage?(): MessageExt | undefined;
  /** ProcessQueue.cleanExpiredMsg (§11.5), when the implementation has its own. */
  cleanExpiredMsg?(ctx: { consumeTimeout: number; consumeOrderly: boolean; sendMessageBack(msg: MessageExt, delayLevel: number): Promise<void> }, onError: (msg: MessageExt, error: unknown) => void): Promise<void>;
  /** GET_CONSUMER_RUNNING_INFO: fill the queue's part of a ProcessQueueInfo. */
  fillProcessQueueInfo?(info: ProcessQueueInfo): void;
}
