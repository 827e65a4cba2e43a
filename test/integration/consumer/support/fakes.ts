import type { ConsumeServiceHost } from '../../../../src/client/consumer/consume-message-service.js';
import type { ConsumerErrorReporter, PushConsumerErrorSource } from '../../../../src/client/consumer/consumer-error-event.js';
import { ReadOffsetType, type ConsumerOffsetStore, type ConsumerProcessQueue } from '../../../../src/client/consumer/consumer-spi.js';
import { ConsumerStatsManager } from '../../../../src/client/consumer/consumer-stats-manager.js';
import { resolvePushConsumerSettings, type DefaultMQPushConsumerOptions, type PushConsumerSettings } from '../../../../src/client/consumer/push-consumer-options.js';
import { MessageExt } from '../../../../src/common/message/message-ext.js';
import type { MessageModel } from '../../../../src/common/protocol/body/consumer-enums.js';
import { MessageQueueMap } from '../../../../src/common/protocol/body/message-queue-map.js';
import type { MessageQueue } from '../../../../src/common/protocol/body/message-queue.js';
import { quietLogger } from './harness.js';

export const MQ: MessageQueue = { topic: 'T', brokerName: 'broker-a', queueId: 0 };

export function msg(queueOffset: number, opts: { tags?: string; key?: string; reconsumeTimes?: number } = {}): MessageExt {
  const m = new MessageExt('T', `body-${queueOffset}`);
  m.queueOffset = queueOffset;
  m.commitLogOffset = 1000 + queueOffset;
  m.reconsumeTimes = opts.reconsumeTimes ?? 0;
  if (opts.tags !== undefined) m.tags = opts.tags;
  m.keys = opts.key ?? `k${queueOffset}`;
  return m;
}

/** An offset store that records what the consumer asks of it. */
export class RecordingOffsetStore implements ConsumerOffsetStore {
  readonly updates: { mq: MessageQueue; offset: number; increaseOnly: boolean }[] = [];
  readonly persisted: MessageQueue[] = [];
  readonly removed: MessageQueue[] = [];
  readonly table = new MessageQueueMap<number>();
  stored = -1;

  load(): void {}
  updateOffset(mq: MessageQueue, offset: number, increaseOnly: boolean): void {
    this.updates.push({ mq, offset, increaseOnly });
    const cur = this.table.get(mq);
    if (!increaseOnly || cur === undefined || offset > cur) this.table.set(mq, offset);
  }
  async readOffset(mq: MessageQueue, type: ReadOffsetType): Promise<number> {
    if (type === ReadOffsetType.READ_FROM_STORE) return this.stored;
    return this.table.get(mq) ?? -1;
  }
  async persistAll(mqs: Iterable<MessageQueue>): Promise<void> {
    for (const mq of mqs) this.persisted.push(mq);
  }
  async persist(mq: MessageQueue): Promise<void> {
    this.persisted.push(mq);
  }
  removeOffset(mq: MessageQueue): void {
    this.removed.push(mq);
    this.table.delete(mq);
  }
}

/** A ConsumeServiceHost whose send-back succeeds unless the message key is in `failSendBack`. */
export class FakeConsumeHost implements ConsumeServiceHost {
  readonly settings: PushConsumerSettings;
  readonly log = quietLogger;
  readonly consumerStatsManager = new ConsumerStatsManager();
  readonly offsetStore = new RecordingOffsetStore();
  readonly table = new MessageQueueMap<ConsumerProcessQueue>();
  readonly sentBack: { key: string; delayLevel: number; brokerName: string | undefined }[] = [];
  readonly failSendBack = new Set<string>();
  /** What reached the consumer's `error` event reporter. */
  readonly errors: { source: PushConsumerErrorSource; error: unknown; messageQueue: MessageQueue | undefined }[] = [];
  model: MessageModel = 'CLUSTERING';
  readonly reportError: ConsumerErrorReporter = (source, error, where) => {
    this.errors.push({ source, error, messageQueue: where?.messageQueue });
  };

  constructor(options: DefaultMQPushConsumerOptions = {}) {
    this.settings = resolvePushConsumerSettings({ consumerGroup: 'G', ...options });
  }
  messageModel(): MessageModel {
    return this.model;
  }
  getOffsetStore(): ConsumerOffsetStore {
    return this.offsetStore;
  }
  processQueueTable(): MessageQueueMap<ConsumerProcessQueue> {
    return this.table;
  }
  async sendMessageBack(m: MessageExt, delayLevel: number, brokerName: string | undefined): Promise<void> {
    if (this.failSendBack.has(m.keys ?? '')) throw new Error('send back failed');
    this.sentBack.push({ key: m.keys ?? '', delayLevel, brokerName });
  }
  resetRetryAndNamespace(): void {}
  getMaxReconsumeTimes(): number {
    return 16;
  }
}
