import type { MessageQueue } from '../../common/protocol/body/message-queue.js';
import type { ConsumerProcessQueue } from './consumer-spi.js';

/**
 * PullRequest (client/impl/consumer/PullRequest.java): one queue's pull cursor. Exactly one exists
 * per ProcessQueue; it travels between PullMessageService and the pull callback, never duplicated.
 */
export class PullRequest {
  /** Orderly: the first pull after locking re-reads the offset from the broker (previouslyLocked). */
  previouslyLocked = false;

  constructor(
    readonly consumerGroup: string,
    readonly messageQueue: MessageQueue,
    readonly processQueue: ConsumerProcessQueue,
    public nextOffset: number,
  ) {}

  toString(): string {
    const mq = this.messageQueue;
    return `PullRequest [consumerGroup=${this.consumerGroup}, messageQueue=${mq.topic}@${mq.brokerName}:${mq.queueId}, nextOffset=${this.nextOffset}]`;
  }
}
