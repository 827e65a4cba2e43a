import type { MessageQueue } from '../../../common/protocol/body/message-queue.js';
import type { AllocateMessageQueueStrategy } from './allocate-message-queue-strategy.js';

/**
 * Java's AllocateMessageQueueByConfig (`CONFIG`): a fixed list of queues, whatever the group looks like.
 * As in Java there is no `check`: the list is returned even when this consumer is not in cidAll, and it
 * may name queues outside mqAll (RebalanceImpl pulls what it is given).
 */
export class AllocateMessageQueueByConfig implements AllocateMessageQueueStrategy {
  readonly name = 'CONFIG';
  private messageQueueList: readonly MessageQueue[];

  constructor(messageQueueList: readonly MessageQueue[] = []) {
    this.messageQueueList = [...messageQueueList];
  }

  getMessageQueueList(): MessageQueue[] {
    return [...this.messageQueueList];
  }

  setMessageQueueList(messageQueueList: readonly MessageQueue[]): void {
    this.messageQueueList = [...messageQueueList];
  }

  allocate(_consumerGroup: string, _currentCID: string, _mqAll: readonly MessageQueue[], _cidAll: readonly string[]): MessageQueue[] {
    // A copy: the caller (RebalanceImpl) owns what it gets and may change it.
    return [...this.messageQueueList];
  }
}
