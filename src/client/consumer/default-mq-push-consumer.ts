import { EventEmitter } from 'eventemitter3';

import { ClientErrorCode, MQClientException } from '../../common/errors.js';
import { createLogger } from '../../common/logging/logger.js';
import type { MessageExt } from '../../common/message/message-ext.js';
import type { ConsumeFromWhere, MessageModel } from '../../common/protocol/body/consumer-enums.js';
import { defaultPushConsumerParts } from './default-push-consumer-parts.js';
import { DefaultMQPushConsumerImpl, type PushConsumerParts } from './default-mq-push-consumer-impl.js';
import type { AllocateMessageQueueStrategy } from './consumer-spi.js';
import type { PushConsumerErrorEvent } from './consumer-error-event.js';
import {
  ConsumeConcurrentlyStatus,
  isOrderlyListener,
  toMessageListener,
  type ConsumeConcurrentlyContext,
  type ConsumeOrderlyContext,
  type ConsumeOrderlyStatus,
  type MessageListener,
  type SubscribeListener,
} from './listener.js';
import type { DefaultMQPushConsumerOptions, PushConsumerSettings } from './push-consumer-options.js';
import type { RebalanceResult } from './rebalance-impl.js';

/** Events of a push consumer (typed; emitted only to whoever listens). */
export interface PushConsumerEvents {
  /** A rebalance round changed the queues this client owns for a topic. */
  rebalance: (event: RebalanceResult) => void;
  /**
   * A background failure the consumer recovers from by itself (pull, rebalance, offset read/persist,
   * a send-back that failed so the message is retried locally, an orderly queue lock not obtained);
   * emitted only while someone listens, so an unwatched consumer never throws EventEmitter's
   * unhandled 'error'.
   */
  error: (event: PushConsumerErrorEvent) => void;
}

/**
 * RocketMQ's DefaultMQPushConsumer for Node:
 *
 *   const consumer = new DefaultMQPushConsumer({ consumerGroup: 'CG', namesrvAddr: '127.0.0.1:9876' });
 *   consumer.subscribe('TopicTest', 'TagA || TagB', async (msgs) => ConsumeConcurrentlyStatus.CONSUME_SUCCESS);
 *   await consumer.start();
 *   …
 *   await consumer.shutdown();
 *
 * Every message is delivered at least once; a listener that throws (or rejects) asks for a retry
 * (RECONSUME_LATER, or SUSPEND_CURRENT_QUEUE_A_MOMENT for orderly listeners). Orderly listeners
 * (`orderlyListener(fn)` or an object with `orderly: true`) get one queue's messages in order, one
 * call at a time. Options and semantics are the Java client's (PROTOCOL.md §11).
 */
export class DefaultMQPushConsumer extends EventEmitter<PushConsumerEvents> {
  readonly defaultMQPushConsumerImpl: DefaultMQPushConsumerImpl;
  /** topic (as given) → its listener, when subscribe() carried one. */
  private readonly topicListeners = new Map<string, MessageListener>();
  private registeredListener: MessageListener | undefined;

  constructor(options: DefaultMQPushConsumerOptions = {}, parts: PushConsumerParts = defaultPushConsumerParts) {
    super();
    const logger = (options.logger ?? createLogger('rocketmq')).namespace('PushConsumer');
    this.defaultMQPushConsumerImpl = new DefaultMQPushConsumerImpl(options, logger, parts, {
      onRebalance: (event) => {
        if (this.listenerCount('rebalance') > 0) this.emit('rebalance', event);
      },
      wantsErrors: () => this.listenerCount('error') > 0,
      onError: (event) => {
        this.emit('error', event);
      },
    });
  }

  get consumerGroup(): string {
    return this.defaultMQPushConsumerImpl.settings.consumerGroup;
  }
  get namesrvAddr(): string {
    return this.defaultMQPushConsumerImpl.clientConfig.namesrvAddr;
  }
  get instanceName(): string {
    return this.defaultMQPushConsumerImpl.clientConfig.instanceName;
  }
  get namespace(): string {
    return this.defaultMQPushConsumerImpl.clientConfig.namespace;
  }
  get messageModel(): MessageModel {
    return this.defaultMQPushConsumerImpl.settings.messageModel;
  }
  get consumeFromWhere(): ConsumeFromWhere {
    return this.defaultMQPushConsumerImpl.settings.consumeFromWhere;
  }
  get allocateMessageQueueStrategy(): AllocateMessageQueueStrategy {
    return this.defaultMQPushConsumerImpl.allocateMessageQueueStrategy;
  }
  set allocateMessageQueueStrategy(strategy: AllocateMessageQueueStrategy) {
    this.defaultMQPushConsumerImpl.allocateMessageQueueStrategy = strategy;
  }
  /** Every resolved option (Java's getters); changing one acts like its Java setter. */
  get settings(): PushConsumerSettings {
    return this.defaultMQPushConsumerImpl.settings;
  }
  /** `ip@instanceName[@unitName]` once started. */
  get clientId(): string | undefined {
    return this.defaultMQPushConsumerImpl.mQClientFactory?.clientId;
  }

  /**
   * Subscribes `topic` to `subExpression` ("*" = everything, or "TagA || TagB"). A listener given here
   * handles this topic's messages (retries included); without one, the listener of
   * `registerMessageListener` does. Call before or after start().
   */
  subscribe(topic: string, listener: SubscribeListener): void;
  subscribe(topic: string, subExpression: string, listener?: SubscribeListener): void;
  subscribe(topic: string, a: string | SubscribeListener, b?: SubscribeListener): void {
    const subExpression = typeof a === 'string' ? a : '*';
    const listener = typeof a === 'string' ? b : a;
    if (listener !== undefined) {
      const l = toMessageListener(listener);
      for (const other of this.topicListeners.values()) {
        if (isOrderlyListener(other) !== isOrderlyListener(l)) {
          throw new MQClientException(ClientErrorCode.CLIENT_VALIDATION, 'a consumer cannot mix orderly and concurrent listeners');
        }
      }
      this.topicListeners.set(topic, l);
    }
    this.defaultMQPushConsumerImpl.subscribe(topic, subExpression);
    this.updateListener();
  }

  unsubscribe(topic: string): void {
    this.topicListeners.delete(topic);
    this.defaultMQPushConsumerImpl.unsubscribe(topic);
    this.updateListener();
  }

  /** Java-style: one MessageListenerConcurrently / MessageListenerOrderly (or a function) for every topic. */
  registerMessageListener(listener: SubscribeListener): void {
    this.registeredListener = toMessageListener(listener);
    this.updateListener();
  }

  start(): Promise<void> {
    return this.defaultMQPushConsumerImpl.start();
  }

  /** Stops pulling, waits (up to awaitTerminationMillisWhenShutdown) for running listeners, persists offsets, unregisters. */
  shutdown(awaitTerminateMillis?: number): Promise<void> {
    return this.defaultMQPushConsumerImpl.shutdown(awaitTerminateMillis);
  }

  /** Pauses pulling (cached messages are still consumed). */
  suspend(): void {
    this.defaultMQPushConsumerImpl.suspend();
  }

  resume(): void {
    this.defaultMQPushConsumerImpl.resume();
  }

  /** One listener for the impl: the registered one, the only topic listener, or a dispatcher by topic. */
  private updateListener(): void {
    const distinct = new Set(this.topicListeners.values());
    if (this.registeredListener !== undefined && distinct.size === 0) {
      this.defaultMQPushConsumerImpl.registerMessageListener(this.registeredListener);
      return;
    }
    if (distinct.size === 0) return;
    if (distinct.size === 1 && this.registeredListener === undefined) {
      this.defaultMQPushConsumerImpl.registerMessageListener([...distinct][0] as MessageListener);
      return;
    }
    this.defaultMQPushConsumerImpl.registerMessageListener(this.dispatcher([...distinct][0] as MessageListener));
  }

  /** Routes each batch (one queue, so one topic once retries got their topic back) to its topic's listener. */
  private dispatcher(sample: MessageListener): MessageListener {
    const pick = (msgs: readonly MessageExt[]): MessageListener | undefined => {
      const topic = msgs[0]?.topic;
      return (topic === undefined ? undefined : this.topicListeners.get(topic)) ?? this.registeredListener;
    };
    if (isOrderlyListener(sample)) {
      return {
        orderly: true,
        consumeMessage: (msgs: readonly MessageExt[], ctx: ConsumeOrderlyContext): Promise<ConsumeOrderlyStatus> | ConsumeOrderlyStatus => {
          const l = pick(msgs);
          if (l === undefined || !isOrderlyListener(l)) throw new MQClientException(ClientErrorCode.CLIENT_STATE, `no listener for topic ${msgs[0]?.topic ?? ''}`);
          return l.consumeMessage(msgs, ctx);
        },
      };
    }
    return {
      consumeMessage: (msgs: readonly MessageExt[], ctx: ConsumeConcurrentlyContext) => {
        const l = pick(msgs);
        if (l === undefined || isOrderlyListener(l)) return ConsumeConcurrentlyStatus.RECONSUME_LATER;
        return l.consumeMessage(msgs, ctx);
      },
    };
  }
}
