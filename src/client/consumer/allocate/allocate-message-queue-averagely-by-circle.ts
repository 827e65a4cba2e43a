import type { MessageQueue } from '../../../common/protocol/body/message-queue.js';
import { checkAllocateArgs, type AllocateMessageQueueStrategy } from './allocate-message-queue-strategy.js';

/**
 * AllocateMessageQueueAveragelyByCircle: round-robin, consumer i takes queues i, i+c, i+2c, …
 *   8 queues, 3 consumers: [0 3 6] [1 4 7] [2 5]
 */
export function allocateMessageQueueAveragelyByCircle(
  _consumerGroup: string,
  currentCID: string,
  mqAll: readonly MessageQueue[],
  cidAll: readonly string[],
): MessageQueue[] {
  if (!checkAllocateArgs(currentCID, mqAll, cidAll)) return [];
  const index = cidAll.indexOf(currentCID);
  const result: MessageQueue[] = [];
  for (let i = index; i < mqAll.length; i += cidAll.length) result.push(mqAll[i] as MessageQueue);
  return result;
}

/** Java's AllocateMessageQueueAveragelyByCircle (`AVG_BY_CIRCLE`). */
export class AllocateMessageQueueAveragelyByCircle implements AllocateMessageQueueStrategy {
  readonly name = 'AVG_BY_CIRCLE';

  allocate(consumerGroup: string, currentCID: string, mqAll: readonly MessageQueue[], cidAll: readonly string[]): MessageQueue[] {
    return allocateMessageQueueAveragelyByCircle(consumerGroup, currentCID, mqAll, cidAll);
  }
}
