import type { MessageQueue } from '../../common/protocol/body/message-queue.js';
import { isWriteable } from '../../common/protocol/body/perm-name.js';
import type { TopicRouteData } from '../../common/protocol/body/topic-route-data.js';
import { ThreadLocalIndex } from './thread-local-index.js';

/**
 * Java's TopicPublishInfo: the writable queues of a topic (built from its route, §7.4) and the
 * round-robin counter the producer picks them with (§10.3).
 */
export class TopicPublishInfo {
  orderTopic = false;
  haveTopicRouterInfo = false;
  messageQueueList: MessageQueue[] = [];
  readonly sendWhichQueue: ThreadLocalIndex;
  topicRouteData: TopicRouteData | undefined;

  constructor(sendWhichQueue: ThreadLocalIndex = new ThreadLocalIndex()) {
    this.sendWhichQueue = sendWhichQueue;
  }

  ok(): boolean {
    return this.messageQueueList.length > 0;
  }

  /** The next queue whose broker is not `lastBrokerName` (a retry avoids the broker that failed). */
  selectOneMessageQueue(lastBrokerName?: string): MessageQueue {
    if (lastBrokerName === undefined) return this.selectAny();
    const size = this.messageQueueList.length;
    for (let i = 0; i < size; i++) {
      const mq = this.messageQueueList[this.sendWhichQueue.incrementAndGet() % size] as MessageQueue;
      if (mq.brokerName !== lastBrokerName) return mq;
    }
    return this.selectAny();
  }

  selectAny(): MessageQueue {
    const size = this.messageQueueList.length;
    return this.messageQueueList[this.sendWhichQueue.incrementAndGet() % size] as MessageQueue;
  }

  /** writeQueueNums of `brokerName` if it is writable, else -1 (Java's getQueueIdByBroker). */
  getQueueIdByBroker(brokerName: string): number {
    for (const qd of this.topicRouteData?.queueDatas ?? []) {
      if (isWriteable(qd.perm) && qd.brokerName === brokerName) return qd.writeQueueNums;
    }
    return -1;
  }
}
