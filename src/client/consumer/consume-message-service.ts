import type { Logger } from '../../common/logging/logger.js';
import type { MessageExt } from '../../common/message/message-ext.js';
import type { ConsumeMessageDirectlyResult } from '../../common/protocol/body/consume-message-directly-result.js';
import type { MessageModel } from '../../common/protocol/body/consumer-enums.js';
import type { MessageQueueMap } from '../../common/protocol/body/message-queue-map.js';
import type { MessageQueue } from '../../common/protocol/body/message-queue.js';
import type { ConsumerErrorReporter } from './consumer-error-event.js';
import type { ConsumerOffsetStore, ConsumerProcessQueue } from './consumer-spi.js';
import type { ConsumerStatsManager } from './consumer-stats-manager.js';
import type { PushConsumerSettings } from './push-consumer-options.js';

/** ConsumeMessageService (client/impl/consumer/ConsumeMessageService.java). */
export interface ConsumeMessageService {
  start(): void;
  /** Stops taking requests and waits up to `awaitTerminateMillis` for running listeners. */
  shutdown(awaitTerminateMillis: number): Promise<void>;
  updateCorePoolSize(corePoolSize: number): void;
  getCorePoolSize(): number;
  consumeMessageDirectly(msg: MessageExt, brokerName: string | undefined): Promise<ConsumeMessageDirectlyResult>;
  submitConsumeRequest(msgs: MessageExt[], processQueue: ConsumerProcessQueue, messageQueue: MessageQueue, dispatchToConsume: boolean): void;
}

/** What the consume services need from DefaultMQPushConsumerImpl (kept narrow so tests can fake it). */
export interface ConsumeServiceHost {
  readonly settings: PushConsumerSettings;
  readonly log: Logger;
  readonly consumerStatsManager: ConsumerStatsManager;
  messageModel(): MessageModel;
  getOffsetStore(): ConsumerOffsetStore;
  processQueueTable(): MessageQueueMap<ConsumerProcessQueue>;
  /** CONSUMER_SEND_MSG_BACK, falling back to a re-send to %RETRY%<group>; throws when both fail. */
  sendMessageBack(msg: MessageExt, delayLevel: number, brokerName: string | undefined): Promise<void>;
  /** Restores the original topic of %RETRY% messages and strips the namespace. */
  resetRetryAndNamespace(msgs: readonly MessageExt[]): void;
  /** maxReconsumeTimes with -1 resolved (16 concurrently). */
  getMaxReconsumeTimes(): number;
  /** Orderly (clustering): ask the broker to lock `mq` for this client now. */
  lockQueue?(mq: MessageQueue): Promise<boolean>;
  /** Orderly: lock every owned queue (periodic). */
  lockAll?(): Promise<void>;
  /** Orderly: resend a message that exhausted its local retries, to %RETRY% (diverted to the DLQ); throws when that failed. */
  sendMessageBackAsNewMessage?(msg: MessageExt): Promise<void>;
  /** Optional: hosts without events (tests, tools) only log. */
  readonly reportError?: ConsumerErrorReporter;
}

/** Java's MixAll / ConsumeMessage*Service constants. */
export const CONSUME_CONSTANTS = {
  /** Re-submit of messages whose send-back failed (ms). */
  SUBMIT_CONSUME_REQUEST_LATER_MILLIS: 5000,
  /** Delay level cleanExpiredMsg sends expired messages back with. */
  CLEAN_EXPIRED_MSG_DELAY_LEVEL: 3,
  /** At most this many expired messages are sent back per queue per run. */
  CLEAN_EXPIRED_MSG_MAX_LOOPS: 16,
} as const;

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
