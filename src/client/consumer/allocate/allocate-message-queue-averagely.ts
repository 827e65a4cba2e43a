import type { MessageQueue } from '../../../common/protocol/body/message-queue.js';
import { checkAllocateArgs, type AllocateMessageQueueStrategy } from './allocate-message-queue-strategy.js';

/**
 * AllocateMessageQueueAveragely (the default): contiguous blocks; the first `n % c` consumers get one
 * queue more. With more consumers than queues, consumer i gets queue i and the rest get nothing.
 *   8 queues, 3 consumers: [0 1 2] [3 4 5] [6 7]
 */
export function allocateMessageQueueAveragely(
  _consumerGroup: string,
  currentCID: string,
  mqAll: readonly MessageQueue[],
  cidAll: readonly string[],
): MessageQueue[] {
  if (!checkAllocateArgs(currentCID, mqAll, cidAll)) return [];
  const n = mqAll.length;
  const c = cidAll.length;
  const index = cidAll.indexOf(currentCID);
  const mod = n % c;
  const bigger = mod > 0 && index < mod;
  const averageSize = n <= c ? 1 : bigger ? Math.floor(n / c) + 1 : Math.floor(n / c);
  const startIndex = bigger ? index * averageSize : index * averageSize + mod;
  const range = Math.min(averageSize, n - startIndex);
  const result: MessageQueue[] = [];
  // `% n` is Java's; with startIndex < n it never wraps, kept so the arithmetic stays the same.
  for (let i = 0; i < range; i++) result.push(mqAll[(startIndex + i) % n] as MessageQueue);
  return result;
}

/** Java's AllocateMessageQueueAveragely (`AVG`). */
export class AllocateMessageQueueAveragely implements AllocateMessageQueueStrategy {
  readonly name = 'AVG';

  allocate(consumerGroup: string, currentCID: string, mqAll: readonly MessageQueue[], cidAll: readonly string[]): MessageQueue[] {
    return allocateMessageQueueAveragely(consumerGroup, currentCID, mqAll, cidAll);
  }
}
