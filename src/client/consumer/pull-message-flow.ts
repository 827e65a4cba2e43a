import { MQBrokerException } from '../../common/errors.js';
import type { Logger } from '../../common/logging/logger.js';
import type { MessageModel } from '../../common/protocol/body/consumer-enums.js';
import { ResponseCode } from '../../common/protocol/response-code.js';
import type { ClientConfig } from '../client-config.js';
import type { MQClientInstance } from '../impl/mq-client-instance.js';
import { PullStatus, type PullResultExt } from '../impl/pull-result.js';
import { RETRY_GROUP_TOPIC_PREFIX } from '../../common/protocol/topic-validator.js';
import type { ConsumeMessageService } from './consume-message-service.js';
import type { ConsumerErrorReporter } from './consumer-error-event.js';
import { errorText } from './consume-message-service.js';
import type { ConsumerStatsManager } from './consumer-stats-manager.js';
import { ReadOffsetType, type ConsumerOffsetStore } from './consumer-spi.js';
import { PullAPIWrapper, type PullResult } from './pull-api-wrapper.js';
import type { PullMessageService } from './pull-message-service.js';
import type { PullRequest } from './pull-request.js';
import { buildPullSysFlag } from './pull-sys-flag.js';
import type { PushConsumerSettings } from './push-consumer-options.js';
import type { RebalanceImpl } from './rebalance-impl.js';

/** DefaultMQPushConsumerImpl's pull timing constants (4.9.8). */
export const PullTiming = {
  /** Re-pull delay while a queue is over its count/size/span thresholds. */
  PULL_TIME_DELAY_MILLS_WHEN_CACHE_FLOW_CONTROL: 50,
  /** Re-pull delay while the consumer is suspended. */
  PULL_TIME_DELAY_MILLS_WHEN_SUSPEND: 1000,
  /** Re-pull delay after the broker answered FLOW_CONTROL. */
  PULL_TIME_DELAY_MILLS_WHEN_BROKER_FLOW_CONTROL: 20,
  /** How long the broker may hold a pull (long polling). */
  BROKER_SUSPEND_MAX_TIME_MILLIS: 15_000,
  /** RPC timeout of a long-polling pull: comfortably above the hold time. */
  CONSUMER_TIMEOUT_MILLIS_WHEN_SUSPEND: 30_000,
  /** OFFSET_ILLEGAL: the corrected offset is written this long after the queue is dropped. */
  OFFSET_ILLEGAL_FIX_DELAY_MILLIS: 10_000,
} as const;
const BYTES_PER_MIB = 1024 * 1024;
/** Java logs flow control once every this many occurrences. */
const FLOW_CONTROL_LOG_EVERY = 1000;

/** What the pull flow needs from DefaultMQPushConsumerImpl. */
export interface PullFlowHost {
  readonly settings: PushConsumerSettings;
  readonly clientConfig: ClientConfig;
  readonly log: Logger;
  readonly consumerStatsManager: ConsumerStatsManager;
  makeSureStateOK(): void;
  isPause(): boolean;
  messageModel(): MessageModel;
  getOffsetStore(): ConsumerOffsetStore;
  /** Optional: hosts without events (tests, tools) only log. */
  readonly reportError?: ConsumerErrorReporter;
}

/**
 * DefaultMQPushConsumerImpl.pullMessage and its PullCallback (§9.5): flow control first (cached count,
 * size, offset span; orderly: the broker lock), then one long-polling PULL_MESSAGE, then by status —
 * FOUND: cache, hand to the consume service, pull again; NO_NEW_MSG / NO_MATCHED_MSG: move the cursor
 * (and the offset of an empty queue) and pull again; OFFSET_ILLEGAL: drop the queue and write the
 * broker's corrected offset 10 s later so the next rebalance restarts it there.
 */
export class PullMessageFlow {
  readonly pullAPIWrapper: PullAPIWrapper;
  private queueFlowControlTimes = 0;
  private queueMaxSpanFlowControlTimes = 0;

  constructor(
    private readonly host: PullFlowHost,
    factory: MQClientInstance,
    private readonly rebalanceImpl: RebalanceImpl,
    private readonly consumeMessageService: ConsumeMessageService,
    private readonly pullService: PullMessageService,
    private readonly consumeOrderly: boolean,
  ) {
    this.pullAPIWrapper = new PullAPIWrapper(factory, host.settings.consumerGroup);
  }

  async pullMessage(pullRequest: PullRequest): Promise<void> {
    const pq = pullRequest.processQueue;
    const log = this.host.log;
    if (pq.dropped) {
      log.info('the pull request is dropped', { request: pullRequest.toString() });
      return;
    }
    pq.lastPullTimestamp = Date.now();
    const exceptionDelay = this.host.clientConfig.pullTimeDelayMillsWhenException;
    try {
      this.host.makeSureStateOK();
    } catch (e) {
      log.warn('pullMessage exception, consumer state not ok', { error: errorText(e) });
      this.later(pullRequest, exceptionDelay);
      return;
    }
    if (this.host.isPause()) {
      this.later(pullRequest, PullTiming.PULL_TIME_DELAY_MILLS_WHEN_SUSPEND);
      return;
    }
    if (this.isFlowControlled(pullRequest)) return;
    if (this.consumeOrderly) {
      if (!pq.locked) {
        this.later(pullRequest, exceptionDelay);
        log.info('pull message later because not locked in broker', { request: pullRequest.toString() });
        return;
      }
      if (!pullRequest.previouslyLocked) {
        // First pull since the lock: the broker's offset is the truth (another owner may have moved it).
        let offset: number;
        try {
          offset = await this.rebalanceImpl.computePullFromWhereWithException(pullRequest.messageQueue);
        } catch (e) {
          this.later(pullRequest, exceptionDelay);
          log.error('Failed to compute pull offset', { request: pullRequest.toString(), error: errorText(e) });
          this.host.reportError?.('readOffset', e, { messageQueue: pullRequest.messageQueue });
          return;
        }
        if (offset < pullRequest.nextOffset) log.info('[NOTIFYME]the first time to pull message, but pull request offset larger than broker consume offset', { offset });
        pullRequest.previouslyLocked = true;
        pullRequest.nextOffset = offset;
      }
    }
    const mq = pullRequest.messageQueue;
    const subscriptionData = this.rebalanceImpl.subscriptionInner.get(mq.topic);
    if (subscriptionData === undefined) {
      this.later(pullRequest, exceptionDelay);
      log.warn('find the consumer subscription failed', { request: pullRequest.toString() });
      return;
    }

    let commitOffsetEnable = false;
    let commitOffsetValue = 0;
    if (this.host.messageModel() === 'CLUSTERING') {
      commitOffsetValue = await this.host.getOffsetStore().readOffset(mq, ReadOffsetType.READ_FROM_MEMORY);
      if (commitOffsetValue > 0) commitOffsetEnable = true;
      else commitOffsetValue = Math.max(0, commitOffsetValue);
    }
    const subExpression = this.host.settings.postSubscriptionWhenPull && !subscriptionData.classFilterMode ? subscriptionData.subString : undefined;
    const sysFlag = buildPullSysFlag(commitOffsetEnable, true, subExpression !== undefined, subscriptionData.classFilterMode);

    const beginTimestamp = Date.now();
    let raw: PullResultExt;
    try {
      raw = await this.pullAPIWrapper.pullKernelImpl({
        mq,
        subExpression,
        expressionType: subscriptionData.expressionType,
        subVersion: subscriptionData.subVersion,
        offset: pullRequest.nextOffset,
        maxNums: this.host.settings.pullBatchSize,
        sysFlag,
        commitOffset: commitOffsetValue,
        brokerSuspendMaxTimeMillis: PullTiming.BROKER_SUSPEND_MAX_TIME_MILLIS,
        timeoutMillis: PullTiming.CONSUMER_TIMEOUT_MILLIS_WHEN_SUSPEND,
      });
    } catch (e) {
      this.onException(pullRequest, e);
      return;
    }
    let result: PullResult;
    try {
      result = this.pullAPIWrapper.processPullResult(mq, raw, subscriptionData);
    } catch (e) {
      // Undecodable records: try again later rather than leave the queue without a pull request.
      this.onException(pullRequest, e);
      return;
    }
    this.onSuccess(pullRequest, result, beginTimestamp);
  }

  /** The count / size / span thresholds (re-pull after 50 ms when over). */
  private isFlowControlled(pullRequest: PullRequest): boolean {
    const s = this.host.settings;
    const pq = pullRequest.processQueue;
    const cachedMessageCount = pq.msgCount;
    const cachedMessageSizeInMiB = Math.floor(pq.msgSize / BYTES_PER_MIB);
    const delay = PullTiming.PULL_TIME_DELAY_MILLS_WHEN_CACHE_FLOW_CONTROL;
    if (cachedMessageCount > s.pullThresholdForQueue) {
      this.later(pullRequest, delay);
      if (this.queueFlowControlTimes++ % FLOW_CONTROL_LOG_EVERY === 0) {
        this.host.log.warn('the cached message count exceeds the threshold, so do flow control', { threshold: s.pullThresholdForQueue, count: cachedMessageCount, request: pullRequest.toString() });
      }
      return true;
    }
    if (cachedMessageSizeInMiB > s.pullThresholdSizeForQueue) {
      this.later(pullRequest, delay);
      if (this.queueFlowControlTimes++ % FLOW_CONTROL_LOG_EVERY === 0) {
        this.host.log.warn('the cached message size exceeds the threshold, so do flow control', { thresholdMiB: s.pullThresholdSizeForQueue, sizeMiB: cachedMessageSizeInMiB, request: pullRequest.toString() });
      }
      return true;
    }
    if (!this.consumeOrderly && pq.getMaxSpan() > s.consumeConcurrentlyMaxSpan) {
      this.later(pullRequest, delay);
      if (this.queueMaxSpanFlowControlTimes++ % FLOW_CONTROL_LOG_EVERY === 0) {
        this.host.log.warn('the queue messages span too long, so do flow control', { maxSpan: pq.getMaxSpan(), request: pullRequest.toString() });
      }
      return true;
    }
    return false;
  }

  private onSuccess(pullRequest: PullRequest, pullResult: PullResult, beginTimestamp: number): void {
    const pq = pullRequest.processQueue;
    const mq = pullRequest.messageQueue;
    const stats = this.host.consumerStatsManager;
    switch (pullResult.pullStatus) {
      case PullStatus.FOUND: {
        const prevRequestOffset = pullRequest.nextOffset;
        pullRequest.nextOffset = pullResult.nextBeginOffset;
        stats.incPullRT(mq.topic, Date.now() - beginTimestamp);
        const msgs = pullResult.msgFoundList;
        let firstMsgOffset = Number.MAX_SAFE_INTEGER;
        if (msgs.length === 0) {
          this.pullService.executePullRequestImmediately(pullRequest);
        } else {
          firstMsgOffset = msgs[0]?.queueOffset ?? firstMsgOffset;
          stats.incPullTPS(mq.topic, msgs.length);
          const dispatchToConsume = pq.putMessage(msgs);
          this.consumeMessageService.submitConsumeRequest(msgs, pq, mq, dispatchToConsume);
          const pullInterval = this.host.settings.pullInterval;
          if (pullInterval > 0) this.later(pullRequest, pullInterval);
          else this.pullService.executePullRequestImmediately(pullRequest);
        }
        if (pullResult.nextBeginOffset < prevRequestOffset || firstMsgOffset < prevRequestOffset) {
          this.host.log.warn('[BUG] pull message result maybe data wrong', { nextBeginOffset: pullResult.nextBeginOffset, firstMsgOffset, prevRequestOffset });
        }
        break;
      }
      case PullStatus.NO_NEW_MSG:
      case PullStatus.NO_MATCHED_MSG:
        pullRequest.nextOffset = pullResult.nextBeginOffset;
        this.correctTagsOffset(pullRequest);
        this.pullService.executePullRequestImmediately(pullRequest);
        break;
      case PullStatus.OFFSET_ILLEGAL:
        this.host.log.warn('the pull request offset illegal', { request: pullRequest.toString(), nextBeginOffset: pullResult.nextBeginOffset, minOffset: pullResult.minOffset, maxOffset: pullResult.maxOffset });
        pullRequest.nextOffset = pullResult.nextBeginOffset;
        pq.dropped = true;
        this.pullService.executeTaskLater(async () => {
          try {
            const store = this.host.getOffsetStore();
            store.updateOffset(mq, pullRequest.nextOffset, false);
            await store.persist(mq);
            await this.rebalanceImpl.removeProcessQueue(mq);
            this.host.log.warn('fix the pull request offset', { request: pullRequest.toString() });
          } catch (e) {
            this.host.log.error('executeTaskLater Exception', { error: errorText(e) });
            this.host.reportError?.('persistOffset', e, { messageQueue: mq });
          }
        }, PullTiming.OFFSET_ILLEGAL_FIX_DELAY_MILLIS);
        break;
    }
  }

  private onException(pullRequest: PullRequest, e: unknown): void {
    // A queue dropped by rebalance or by our own shutdown sees its held pull fail as the connection
    // closes: expected, so not worth a warning.
    if (pullRequest.processQueue.dropped) {
      this.host.log.debug('pull of a dropped queue failed', { request: pullRequest.toString(), error: errorText(e) });
    } else if (!pullRequest.messageQueue.topic.startsWith(RETRY_GROUP_TOPIC_PREFIX)) {
      this.host.log.warn('execute the pull request exception', { request: pullRequest.toString(), error: errorText(e) });
    }
    // A dropped queue's failure is expected (see above); every other one, retry topic included, is news.
    if (!pullRequest.processQueue.dropped) this.host.reportError?.('pull', e, { messageQueue: pullRequest.messageQueue });
    const brokerFlowControl = e instanceof MQBrokerException && e.code === ResponseCode.FLOW_CONTROL;
    this.later(pullRequest, brokerFlowControl ? PullTiming.PULL_TIME_DELAY_MILLS_WHEN_BROKER_FLOW_CONTROL : this.host.clientConfig.pullTimeDelayMillsWhenException);
  }

  /** With nothing cached, the offset can follow the cursor past messages the filter skipped. */
  private correctTagsOffset(pullRequest: PullRequest): void {
    if (pullRequest.processQueue.msgCount === 0) this.host.getOffsetStore().updateOffset(pullRequest.messageQueue, pullRequest.nextOffset, true);
  }

  private later(pullRequest: PullRequest, delay: number): void {
    this.pullService.executePullRequestLater(pullRequest, delay);
  }
}
