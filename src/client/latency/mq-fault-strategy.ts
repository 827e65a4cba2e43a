import { createMessageQueue, type MessageQueue } from '../../common/protocol/body/message-queue.js';
import type { TopicPublishInfo } from '../route/topic-publish-info.js';
import { LatencyFaultTolerance } from './latency-fault-tolerance.js';

/** MQFaultStrategy.latencyMax (ms): a send this slow or slower … */
export const DEFAULT_LATENCY_MAX: readonly number[] = [50, 100, 550, 1000, 2000, 3000, 15000];
/** … makes its broker unavailable this long (ms), same index. */
export const DEFAULT_NOT_AVAILABLE_DURATION: readonly number[] = [0, 0, 30000, 60000, 120000, 180000, 600000];
/** The latency charged to a broker whose send failed (isolation). */
export const ISOLATION_LATENCY_MILLIS = 30000;

/**
 * Java's MQFaultStrategy (PROTOCOL.md §10.3). With sendLatencyFaultEnable off (the default) a retry only
 * avoids the broker that just failed; with it on, slow or failing brokers are skipped for a while.
 */
export class MQFaultStrategy {
  sendLatencyFaultEnable = false;
  latencyMax: readonly number[] = DEFAULT_LATENCY_MAX;
  notAvailableDuration: readonly number[] = DEFAULT_NOT_AVAILABLE_DURATION;
  readonly latencyFaultTolerance: LatencyFaultTolerance;

  constructor(now: () => number = Date.now) {
    this.latencyFaultTolerance = new LatencyFaultTolerance(now);
  }

  selectOneMessageQueue(tpInfo: TopicPublishInfo, lastBrokerName: string | undefined): MessageQueue {
    if (!this.sendLatencyFaultEnable) return tpInfo.selectOneMessageQueue(lastBrokerName);
    const list = tpInfo.messageQueueList;
    let index = tpInfo.sendWhichQueue.incrementAndGet();
    for (let i = 0; i < list.length; i++) {
      const mq = list[index++ % list.length] as MessageQueue;
      if (this.latencyFaultTolerance.isAvailable(mq.brokerName)) return mq;
    }
    const notBestBroker = this.latencyFaultTolerance.pickOneAtLeast();
    if (notBestBroker !== undefined) {
      const writeQueueNums = tpInfo.getQueueIdByBroker(notBestBroker);
      if (writeQueueNums > 0) {
        const mq = tpInfo.selectAny();
        return createMessageQueue(mq.topic, notBestBroker, tpInfo.sendWhichQueue.incrementAndGet() % writeQueueNums);
      }
      this.latencyFaultTolerance.remove(notBestBroker);
    }
    return tpInfo.selectAny();
  }

  updateFaultItem(brokerName: string, currentLatency: number, isolation: boolean): void {
    if (!this.sendLatencyFaultEnable) return;
    const duration = this.computeNotAvailableDuration(isolation ? ISOLATION_LATENCY_MILLIS : currentLatency);
    this.latencyFaultTolerance.updateFaultItem(brokerName, currentLatency, duration);
  }

  computeNotAvailableDuration(currentLatency: number): number {
    for (let i = this.latencyMax.length - 1; i >= 0; i--) {
      if (currentLatency >= (this.latencyMax[i] as number)) return this.notAvailableDuration[i] ?? 0;
    }
    return 0;
  }
}
