import type { Logger } from '../../common/logging/logger.js';
import type { ConsumeFromWhere, MessageModel } from '../../common/protocol/body/consumer-enums.js';
import type { ClientConfigOptions } from '../client-config.js';
import type { AllocateMessageQueueStrategy, ConsumerOffsetStore } from './consumer-spi.js';

/** DefaultMQPushConsumer's options: Java's field names and defaults (PROTOCOL.md §11.1). */
export interface DefaultMQPushConsumerOptions extends ClientConfigOptions {
  consumerGroup?: string;
  messageModel?: MessageModel;
  consumeFromWhere?: ConsumeFromWhere;
  /** `yyyyMMddHHmmss` (local time) for CONSUME_FROM_TIMESTAMP; default half an hour ago. */
  consumeTimestamp?: string;
  /** Default AllocateMessageQueueAveragely. */
  allocateMessageQueueStrategy?: AllocateMessageQueueStrategy;
  /** Kept for Java parity; consumeThreadMax bounds the concurrent listener calls. */
  consumeThreadMin?: number;
  /** Concurrent listener calls (Java's consume thread pool size). */
  consumeThreadMax?: number;
  /** Concurrently: pull pauses while a queue's cached offset span exceeds this. */
  consumeConcurrentlyMaxSpan?: number;
  pullThresholdForQueue?: number;
  /** MiB. */
  pullThresholdSizeForQueue?: number;
  /** -1 = off; else divided among the queues at each rebalance (overrides pullThresholdForQueue). */
  pullThresholdForTopic?: number;
  /** MiB; -1 = off. */
  pullThresholdSizeForTopic?: number;
  /** Pause between pulls of one queue (ms). */
  pullInterval?: number;
  consumeMessageBatchMaxSize?: number;
  pullBatchSize?: number;
  /** Send the expression with every pull (FLAG_SUBSCRIPTION) instead of relying on heartbeats. */
  postSubscriptionWhenPull?: boolean;
  /** -1 = 16 (concurrently) / unlimited (orderly). */
  maxReconsumeTimes?: number;
  /** Orderly: pause of a queue after SUSPEND_CURRENT_QUEUE_A_MOMENT (ms). */
  suspendCurrentQueueTimeMillis?: number;
  /** Minutes a message may stay in consumption before cleanExpiredMsg sends it back. */
  consumeTimeout?: number;
  /** How long shutdown waits for running listeners (ms); not a Java option (awaitTerminationMillisWhenShutdown). */
  awaitTerminationMillisWhenShutdown?: number;
  /** Replace the offset store (Java's setOffsetStore). */
  offsetStore?: ConsumerOffsetStore;
  logger?: Logger;
}

/** DefaultMQPushConsumer defaults of 4.9.8 (§11.1). */
export const PUSH_CONSUMER_DEFAULTS = {
  messageModel: 'CLUSTERING',
  consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
  consumeThreadMin: 20,
  consumeThreadMax: 20,
  consumeConcurrentlyMaxSpan: 2000,
  pullThresholdForQueue: 1000,
  pullThresholdSizeForQueue: 100,
  pullThresholdForTopic: -1,
  pullThresholdSizeForTopic: -1,
  pullInterval: 0,
  consumeMessageBatchMaxSize: 1,
  pullBatchSize: 32,
  postSubscriptionWhenPull: false,
  maxReconsumeTimes: -1,
  suspendCurrentQueueTimeMillis: 1000,
  consumeTimeout: 15,
  // Java defaults to 0 (do not wait); ARCHITECTURE §3.3 promises that shutdown waits for in-flight listeners.
  awaitTerminationMillisWhenShutdown: 5000,
} as const satisfies Partial<DefaultMQPushConsumerOptions>;

/** Java's default consumeTimestamp: half an hour before now. */
export const DEFAULT_CONSUME_TIMESTAMP_BACK_MILLIS = 30 * 60 * 1000;
/** Concurrently: maxReconsumeTimes -1 means this many retries (then the DLQ). */
export const DEFAULT_MAX_RECONSUME_TIMES = 16;
/** Orderly: maxReconsumeTimes -1 means Integer.MAX_VALUE (retry locally forever). */
export const ORDERLY_UNLIMITED_RECONSUME_TIMES = 2_147_483_647;

/** The resolved settings (every option has a value); mutable like Java's setters. */
export interface PushConsumerSettings {
  consumerGroup: string;
  messageModel: MessageModel;
  consumeFromWhere: ConsumeFromWhere;
  consumeTimestamp: string;
  consumeThreadMin: number;
  consumeThreadMax: number;
  consumeConcurrentlyMaxSpan: number;
  pullThresholdForQueue: number;
  pullThresholdSizeForQueue: number;
  pullThresholdForTopic: number;
  pullThresholdSizeForTopic: number;
  pullInterval: number;
  consumeMessageBatchMaxSize: number;
  pullBatchSize: number;
  postSubscriptionWhenPull: boolean;
  maxReconsumeTimes: number;
  suspendCurrentQueueTimeMillis: number;
  consumeTimeout: number;
  awaitTerminationMillisWhenShutdown: number;
}

/** UtilAll.timeMillisToHumanString3: `yyyyMMddHHmmss` in local time. */
export function timeMillisToHumanString3(t: number): string {
  const d = new Date(t);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(d.getFullYear(), 4)}${p(d.getMonth() + 1)}${p(d.getDate())}${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** UtilAll.parseDate(…, YYYYMMDDHHMMSS) in local time; NaN when malformed. */
export function parseConsumeTimestamp(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(s);
  if (m === null) return Number.NaN;
  const [, y, mo, d, h, mi, se] = m.map(Number) as [number, number, number, number, number, number, number];
  return new Date(y, mo - 1, d, h, mi, se).getTime();
}

export function resolvePushConsumerSettings(o: DefaultMQPushConsumerOptions): PushConsumerSettings {
  const d = PUSH_CONSUMER_DEFAULTS;
  return {
    consumerGroup: o.consumerGroup ?? '',
    messageModel: o.messageModel ?? d.messageModel,
    consumeFromWhere: o.consumeFromWhere ?? d.consumeFromWhere,
    consumeTimestamp: o.consumeTimestamp ?? timeMillisToHumanString3(Date.now() - DEFAULT_CONSUME_TIMESTAMP_BACK_MILLIS),
    consumeThreadMin: o.consumeThreadMin ?? d.consumeThreadMin,
    consumeThreadMax: o.consumeThreadMax ?? d.consumeThreadMax,
    consumeConcurrentlyMaxSpan: o.consumeConcurrentlyMaxSpan ?? d.consumeConcurrentlyMaxSpan,
    pullThresholdForQueue: o.pullThresholdForQueue ?? d.pullThresholdForQueue,
    pullThresholdSizeForQueue: o.pullThresholdSizeForQueue ?? d.pullThresholdSizeForQueue,
    pullThresholdForTopic: o.pullThresholdForTopic ?? d.pullThresholdForTopic,
    pullThresholdSizeForTopic: o.pullThresholdSizeForTopic ?? d.pullThresholdSizeForTopic,
    pullInterval: o.pullInterval ?? d.pullInterval,
    consumeMessageBatchMaxSize: o.consumeMessageBatchMaxSize ?? d.consumeMessageBatchMaxSize,
    pullBatchSize: o.pullBatchSize ?? d.pullBatchSize,
    postSubscriptionWhenPull: o.postSubscriptionWhenPull ?? d.postSubscriptionWhenPull,
    maxReconsumeTimes: o.maxReconsumeTimes ?? d.maxReconsumeTimes,
    suspendCurrentQueueTimeMillis: o.suspendCurrentQueueTimeMillis ?? d.suspendCurrentQueueTimeMillis,
    consumeTimeout: o.consumeTimeout ?? d.consumeTimeout,
    awaitTerminationMillisWhenShutdown: o.awaitTerminationMillisWhenShutdown ?? d.awaitTerminationMillisWhenShutdown,
  };
}
