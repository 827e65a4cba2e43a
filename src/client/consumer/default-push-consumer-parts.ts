import type { Logger } from '../../common/logging/logger.js';
import { createLogger } from '../../common/logging/logger.js';
import { AllocateMessageQueueAveragely } from './allocate/allocate-message-queue-averagely.js';
import type { PushConsumerParts } from './default-mq-push-consumer-impl.js';
import { LocalFileOffsetStore } from './offset-store/local-file-offset-store.js';
import { RemoteBrokerOffsetStore } from './offset-store/remote-broker-offset-store.js';
import { ProcessQueue } from './process-queue.js';

const log: Logger = createLogger('rocketmq').namespace('OffsetStore');

/**
 * The parts a DefaultMQPushConsumer builds by default: Java's ProcessQueue, RemoteBrokerOffsetStore
 * (clustering) or LocalFileOffsetStore (broadcasting), and AllocateMessageQueueAveragely.
 */
export const defaultPushConsumerParts: PushConsumerParts = {
  createProcessQueue: () => new ProcessQueue(),
  createOffsetStore: (model, factory, group) => (model === 'BROADCASTING' ? new LocalFileOffsetStore(factory, group, log) : new RemoteBrokerOffsetStore(factory, group, log)),
  defaultAllocateStrategy: () => new AllocateMessageQueueAveragely(),
};
