import { ClientErrorCode, MQClientException } from '../../../common/errors.js';
import type { MessageQueue } from '../../../common/protocol/body/message-queue.js';

/**
 * Java's AllocateMessageQueueStrategy: which of a topic's queues this consumer pulls. RebalanceImpl calls
 * it with `mqAll` sorted (MessageQueue.compareTo) and `cidAll` sorted (String.compareTo), so every member
 * of a group computes the same split independently; a strategy must be deterministic in its inputs.
 */
export interface AllocateMessageQueueStrategy {
  /** Java's getName(): `AVG`, `AVG_BY_CIRCLE`, `CONFIG`, `MACHINE_ROOM`, `CONSISTENT_HASH`, … */
  readonly name: string;
  allocate(consumerGroup: string, currentCID: string, mqAll: readonly MessageQueue[], cidAll: readonly string[]): MessageQueue[];
}

/** A strategy as a pure function (the shape of every built-in algorithm). */
export type AllocateFunction = (
  consumerGroup: string,
  currentCID: string,
  mqAll: readonly MessageQueue[],
  cidAll: readonly string[],
) => MessageQueue[];

/**
 * AbstractAllocateMessageQueueStrategy.check: empty inputs are caller bugs (thrown, as Java's
 * IllegalArgumentException; RebalanceImpl logs and skips the topic); a currentCID missing from cidAll is
 * the normal window before the broker has our heartbeat, so it allocates nothing (false).
 */
export function checkAllocateArgs(currentCID: string, mqAll: readonly MessageQueue[], cidAll: readonly string[]): boolean {
  if (currentCID.length === 0) throw illegalArgument('currentCID is empty');
  if (mqAll.length === 0) throw illegalArgument('mqAll is null or mqAll empty');
  if (cidAll.length === 0) throw illegalArgument('cidAll is null or cidAll empty');
  return cidAll.includes(currentCID);
}

/** Java's IllegalArgumentException, in our error family. */
export function illegalArgument(message: string): MQClientException {
  return new MQClientException(ClientErrorCode.CLIENT_VALIDATION, message);
}
