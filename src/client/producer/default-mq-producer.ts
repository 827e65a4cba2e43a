import { ClientErrorCode, MQClientException } from '../../common/errors.js';
import { createLogger } from '../../common/logging/logger.js';
import { setUniqID } from '../../common/message/message-client-id.js';
import type { Message } from '../../common/message/message.js';
import type { MessageQueue } from '../../common/protocol/body/message-queue.js';
import { wrapNamespace } from '../namespace-util.js';
import { checkMessage } from '../validators.js';
import { DefaultMQProducerImpl } from './default-mq-producer-impl.js';
import { MessageBatch, splitMessages } from './message-batch.js';
import type { MessageQueueSelector } from './message-queue-selector.js';
import type { DefaultMQProducerOptions } from './producer-options.js';
import type { SendMessageHook } from './send-message-hook.js';
import type { SendCallback, SendResult } from './send-result.js';

/** Per-call options of a send. */
export interface SendOptions {
  /** Total budget of this send, retries included (default sendMsgTimeout). */
  timeout?: number;
}

/**
 * RocketMQ's DefaultMQProducer for Node:
 *
 *   const producer = new DefaultMQProducer({ producerGroup: 'PG', namesrvAddr: '127.0.0.1:9876' });
 *   await producer.start();
 *   const r = await producer.send(new Message('TopicTest', 'TagA', 'hello'));
 *   await producer.shutdown();
 *
 * Sync sends (`await send(msg)`) retry on another broker (retryTimesWhenSendFailed) for transport
 * failures and the broker codes of retryResponseCodes; `send(msg, callback)` has Java's async semantics
 * (transport failures retried retryTimesWhenSendAsyncFailed times; the callback, never a throw, reports
 * the outcome); `sendOneway` writes and forgets; ordered sends go to one queue without retry.
 */
export class DefaultMQProducer {
  readonly defaultMQProducerImpl: DefaultMQProducerImpl;

  constructor(options: DefaultMQProducerOptions = {}) {
    const logger = (options.logger ?? createLogger('rocketmq')).namespace('Producer');
    this.defaultMQProducerImpl = new DefaultMQProducerImpl(options, logger);
  }

  get producerGroup(): string {
    return this.defaultMQProducerImpl.settings.producerGroup;
  }
  get namesrvAddr(): string {
    return this.defaultMQProducerImpl.clientConfig.namesrvAddr;
  }
  get instanceName(): string {
    return this.defaultMQProducerImpl.clientConfig.instanceName;
  }
  get namespace(): string {
    return this.defaultMQProducerImpl.clientConfig.namespace;
  }
  get sendMsgTimeout(): number {
    return this.defaultMQProducerImpl.settings.sendMsgTimeout;
  }
  get maxMessageSize(): number {
    return this.defaultMQProducerImpl.settings.maxMessageSize;
  }
  /** `ip@instanceName[@unitName]` once started. */
  get clientId(): string | undefined {
    return this.defaultMQProducerImpl.mQClientFactory?.clientId;
  }

  start(): Promise<void> {
    return this.defaultMQProducerImpl.start();
  }

  /** Waits (bounded) for sends in flight; sends after this fail with MQClientException. */
  shutdown(): Promise<void> {
    return this.defaultMQProducerImpl.shutdown();
  }

  registerSendMessageHook(hook: SendMessageHook): void {
    this.defaultMQProducerImpl.registerSendMessageHook(hook);
  }

  /** The topic's writable queues (for `send(msg, mq)`). */
  async fetchPublishMessageQueues(topic: string): Promise<MessageQueue[]> {
    this.defaultMQProducerImpl.makeSureStateOK();
    const info = await this.defaultMQProducerImpl.tryToFindTopicPublishInfo(this.withNamespace(topic));
    return [...(info?.messageQueueList ?? [])];
  }

  /** Sync send; also a batch (`Message[]`, same topic, fits maxMessageSize), to a queue, or through a selector. */
  send(msg: Message, options?: SendOptions): Promise<SendResult>;
  send(msgs: readonly Message[], options?: SendOptions): Promise<SendResult>;
  send(msg: Message, mq: MessageQueue, options?: SendOptions): Promise<SendResult>;
  send<A>(msg: Message, selector: MessageQueueSelector<A>, arg: A, options?: SendOptions): Promise<SendResult>;
  /** Async send with RocketMQ's semantics; the outcome goes to `callback`. */
  send(msg: Message, callback: SendCallback, timeout?: number): void;
  send(
    msg: Message | readonly Message[],
    a?: SendOptions | MessageQueue | MessageQueueSelector<unknown> | SendCallback,
    b?: unknown,
    c?: SendOptions,
  ): Promise<SendResult> | void {
    const impl = this.defaultMQProducerImpl;
    if (Array.isArray(msg)) return this.sendBatch(msg, timeoutOf(a as SendOptions | undefined, impl));
    const m = msg as Message;
    if (isSendCallback(a)) {
      this.sendAsync(m, a, typeof b === 'number' ? b : impl.settings.sendMsgTimeout);
      return;
    }
    if (isSelector(a)) {
      return this.run(impl.sendSelectImpl(this.ns(m), a, b, 'SYNC', timeoutOf(c, impl)));
    }
    if (isMessageQueue(a)) {
      return this.run(impl.sendToQueue(this.ns(m), this.queueWithNamespace(a), 'SYNC', timeoutOf(b as SendOptions | undefined, impl)));
    }
    return this.run(impl.sendDefaultImpl(this.ns(m), 'SYNC', timeoutOf(a, impl)));
  }

  /** Oneway: resolves once the request is written; no result, no retry. */
  sendOneway(msg: Message): Promise<void>;
  sendOneway(msg: Message, mq: MessageQueue): Promise<void>;
  sendOneway<A>(msg: Message, selector: MessageQueueSelector<A>, arg: A): Promise<void>;
  async sendOneway(msg: Message, a?: MessageQueue | MessageQueueSelector<unknown>, b?: unknown): Promise<void> {
    const impl = this.defaultMQProducerImpl;
    const timeout = impl.settings.sendMsgTimeout;
    const p = isSelector(a)
      ? impl.sendSelectImpl(this.ns(msg), a, b, 'ONEWAY', timeout)
      : isMessageQueue(a)
        ? impl.sendToQueue(this.ns(msg), this.queueWithNamespace(a), 'ONEWAY', timeout)
        : impl.sendDefaultImpl(this.ns(msg), 'ONEWAY', timeout);
    await impl.track(p);
  }

  /**
   * Sends any number of messages of one topic as batches that each fit maxMessageSize (in order, one
   * SEND_BATCH_MESSAGE per batch); resolves to one SendResult per batch.
   */
  async sendInBatches(msgs: readonly Message[], options?: SendOptions): Promise<SendResult[]> {
    const results: SendResult[] = [];
    for (const part of splitMessages(msgs, this.defaultMQProducerImpl.settings.maxMessageSize)) {
      results.push(await this.send(part, options));
    }
    return results;
  }

  // ---------------------------------------------------------------------------------------------

  private sendBatch(msgs: readonly Message[], timeout: number): Promise<SendResult> {
    return this.run(this.sendBatchImpl(msgs, timeout));
  }

  /** Async, so a batch that fails validation rejects rather than throws. */
  private async sendBatchImpl(msgs: readonly Message[], timeout: number): Promise<SendResult | undefined> {
    return this.defaultMQProducerImpl.sendDefaultImpl(this.batch(msgs), 'SYNC', timeout);
  }

  /**
   * DefaultMQProducer.batch: validate each message, give each its UNIQ_KEY, encode. The batch itself gets
   * no UNIQ_KEY: the broker appends the batch's properties to every stored message, so one there would
   * override each message's own key (as the real 4.9.8 broker showed).
   */
  private batch(msgs: readonly Message[]): MessageBatch {
    const max = this.defaultMQProducerImpl.settings.maxMessageSize;
    const batch = MessageBatch.generateFromList(msgs);
    for (const m of batch.messages) {
      checkMessage(m, max);
      setUniqID(m);
      this.ns(m);
    }
    batch.encode();
    return this.ns(batch);
  }

  private sendAsync(msg: Message, callback: SendCallback, timeout: number): void {
    const impl = this.defaultMQProducerImpl;
    const p = (async () => impl.sendDefaultImpl(this.ns(msg), 'ASYNC', timeout))();
    void impl.track(p).then(
      (r) => {
        if (r === undefined) return;
        safeCallback(() => callback.onSuccess(r));
      },
      (e: unknown) => safeCallback(() => callback.onException(e instanceof Error ? e : new Error(String(e)))),
    );
  }

  /** A sync send's outcome, tracked for shutdown (no closure per send: this is the hot path). */
  private async run(pending: Promise<SendResult | undefined>): Promise<SendResult> {
    const r = await this.defaultMQProducerImpl.track(pending);
    if (r === undefined) throw new MQClientException(ClientErrorCode.CLIENT_STATE, 'no send result');
    return r;
  }

  private ns<M extends Message>(msg: M): M {
    const namespace = this.namespace;
    if (namespace !== '') msg.topic = wrapNamespace(namespace, msg.topic);
    return msg;
  }

  private withNamespace(resource: string): string {
    return wrapNamespace(this.namespace, resource);
  }

  private queueWithNamespace(mq: MessageQueue): MessageQueue {
    return { topic: this.withNamespace(mq.topic), brokerName: mq.brokerName, queueId: mq.queueId };
  }
}

function timeoutOf(options: SendOptions | undefined, impl: DefaultMQProducerImpl): number {
  return options?.timeout ?? impl.settings.sendMsgTimeout;
}

function isSendCallback(x: unknown): x is SendCallback {
  return typeof x === 'object' && x !== null && typeof (x as SendCallback).onSuccess === 'function';
}

function isSelector(x: unknown): x is MessageQueueSelector<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as MessageQueueSelector<unknown>).select === 'function';
}

function isMessageQueue(x: unknown): x is MessageQueue {
  return typeof x === 'object' && x !== null && typeof (x as MessageQueue).brokerName === 'string' && typeof (x as MessageQueue).queueId === 'number';
}

/** A callback that throws must not turn into an unhandled rejection (Java ignores it too). */
function safeCallback(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    process.emitWarning(`rocketmq send callback threw: ${e instanceof Error ? e.message : String(e)}`);
  }
}
