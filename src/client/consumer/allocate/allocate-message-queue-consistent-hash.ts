import { messageQueueToString, type MessageQueue } from '../../../common/protocol/body/message-queue.js';
import { checkAllocateArgs, illegalArgument, type AllocateMessageQueueStrategy } from './allocate-message-queue-strategy.js';
import { ConsistentHashRouter, md5Hash, type HashFunction } from './consistent-hash-router.js';

/** AllocateMessageQueueConsistentHash's default virtualNodeCnt. */
export const DEFAULT_VIRTUAL_NODE_CNT = 10;

/**
 * AllocateMessageQueueConsistentHash: consumers are placed on a hash ring (virtual nodes, MD5) and each
 * queue goes to the consumer after the hash of its Java `toString()`. A joining or leaving consumer moves
 * only the queues next to its ring positions, unlike Averagely where most queues move.
 */
export function allocateMessageQueueConsistentHash(
  virtualNodeCnt: number,
  hashFunction: HashFunction,
  _consumerGroup: string,
  currentCID: string,
  mqAll: readonly MessageQueue[],
  cidAll: readonly string[],
): MessageQueue[] {
  if (!checkAllocateArgs(currentCID, mqAll, cidAll)) return [];
  const router = new ConsistentHashRouter(cidAll, virtualNodeCnt, hashFunction);
  // The queue key is the Java toString, byte for byte: a Java member hashes exactly this text.
  return mqAll.filter((mq) => router.routeNode(messageQueueToString(mq)) === currentCID);
}

/** Java's AllocateMessageQueueConsistentHash (`CONSISTENT_HASH`). */
export class AllocateMessageQueueConsistentHash implements AllocateMessageQueueStrategy {
  readonly name = 'CONSISTENT_HASH';

  constructor(
    readonly virtualNodeCnt: number = DEFAULT_VIRTUAL_NODE_CNT,
    /** A custom HashFunction (Java's customHashFunction); members of one group must all use the same. */
    private readonly customHashFunction: HashFunction = md5Hash,
  ) {
    if (!Number.isInteger(virtualNodeCnt) || virtualNodeCnt < 0) throw illegalArgument(`illegal virtualNodeCnt :${virtualNodeCnt}`);
  }

  allocate(consumerGroup: string, currentCID: string, mqAll: readonly MessageQueue[], cidAll: readonly string[]): MessageQueue[] {
    return allocateMessageQueueConsistentHash(this.virtualNodeCnt, this.customHashFunction, consumerGroup, currentCID, mqAll, cidAll);
  }
}
