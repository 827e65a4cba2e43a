import { createProcessQueueInfo } from './process-queue.js';
import { ClientErrorCode, MQClientException } from '../../common/errors.js';
import type { Logger } from '../../common/logging/logger.js';
import { MessageConst } from '../../common/message/message-const.js';
import type { MessageExt } from '../../common/message/message-ext.js';
import type { ConsumeMessageDirectlyResult } from '../../common/protocol/body/consume-message-directly-result.js';
import type { ConsumeFromWhere, ConsumeType, MessageModel } from '../../common/protocol/body/consumer-enums.js';
import { ConsumerRunningInfoProps, type ConsumerRunningInfo, type ProcessQueueInfo } from '../../common/protocol/body/consumer-running-info.js';
import { buildSubscriptionData } from '../../common/protocol/body/filter-api.js';
import { MessageQueueMap } from '../../common/protocol/body/message-queue-map.js';
import type { MessageQueue } from '../../common/protocol/body/message-queue.js';
import type { SubscriptionData } from '../../common/protocol/body/subscription-data.js';
import { ClientConfig } from '../client-config.js';
import type { MQClientInstance } from '../impl/mq-client-instance.js';
import { MQClientManager } from '../impl/mq-client-manager.js';
import type { MQConsumerInner } from '../impl/mq-inner.js';
import { withoutNamespace, wrapNamespace } from '../namespace-util.js';
import { RETRY_GROUP_TOPIC_PREFIX } from '../../common/protocol/topic-validator.js';
import { ConsumeMessageConcurrentlyService } from './consume-message-concurrently-service.js';
import { ConsumeMessageOrderlyService } from './consume-message-orderly-service.js';
import { errorText, type ConsumeMessageService, type ConsumeServiceHost } from './consume-message-service.js';
import type { AllocateMessageQueueStrategy, ConsumerOffsetStore, ConsumerProcessQueue } from './consumer-spi.js';
import { ConsumerStatsManager } from './consumer-stats-manager.js';
import { isOrderlyListener, type MessageListener } from './listener.js';
import { PullMessageFlow } from './pull-message-flow.js';
import { PullMessageService } from './pull-message-service.js';
import { checkPushConsumerConfig } from './push-consumer-config-check.js';
import { DEFAULT_MAX_RECONSUME_TIMES, ORDERLY_UNLIMITED_RECONSUME_TIMES, resolvePushConsumerSettings, type DefaultMQPushConsumerOptions, type PushConsumerSettings } from './push-consumer-options.js';
import type { PullRequest } from './pull-request.js';
import type { RebalanceResult } from './rebalance-impl.js';
import { RebalancePushImpl } from './rebalance-push-impl.js';
import { RetrySender } from './retry-sender.js';
import { asError, type ConsumerErrorReporter, type PushConsumerErrorEvent } from './consumer-error-event.js';

export type PushConsumerServiceState = 'CREATE_JUST' | 'RUNNING' | 'SHUTDOWN_ALREADY' | 'START_FAILED';

/** RESET_CONSUMER_CLIENT_OFFSET: Java sleeps this long between dropping the queues and writing the offsets. */
const RESET_OFFSET_WAIT_MILLIS = 10_000;

/** The pluggable parts this consumer builds at start (the defaults come from process-queue.ts and offset-store/). */
export interface PushConsumerParts {
  createProcessQueue(): ConsumerProcessQueue;
  createOffsetStore(model: MessageModel, factory: MQClientInstance, group: string): ConsumerOffsetStore;
  defaultAllocateStrategy(): AllocateMessageQueueStrategy;
}

/** Hooks the public DefaultMQPushConsumer turns into events. */
export interface PushConsumerObserver {
  onRebalance(result: RebalanceResult): void;
  /** Whether anyone listens for errors: when not, a failure is only logged and no event is built. */
  wantsErrors?(): boolean;
  onError?(event: PushConsumerErrorEvent): void;
}

/**
 * DefaultMQPushConsumerImpl (client/impl/consumer/DefaultMQPushConsumerImpl.java): the push
 * consumer's engine. start() checks the configuration, registers with the shared MQClientInstance
 * (which drives heartbeats, rebalancing and offset persistence) and starts the pull and consume
 * services; shutdown() stops pulling, waits for running listeners, persists offsets and unregisters.
 */
export class DefaultMQPushConsumerImpl implements MQConsumerInner, ConsumeServiceHost {
  readonly settings: PushConsumerSettings;
  readonly clientConfig: ClientConfig;
  readonly consumerStatsManager = new ConsumerStatsManager();
  private state: PushConsumerServiceState = 'CREATE_JUST';
  private readonly pendingSubscriptions = new Map<string, SubscriptionData>();
  private messageListener: MessageListener | undefined;
  private consumeOrderly = false;
  private pause = false;
  private allocateStrategy: AllocateMessageQueueStrategy | undefined;
  private offsetStore: ConsumerOffsetStore | undefined;
  private factory: MQClientInstance | undefined;
  private rebalance: RebalancePushImpl | undefined;
  private consumeService: ConsumeMessageService | undefined;
  private pullService: PullMessageService | undefined;
  private pullFlow: PullMessageFlow | undefined;
  private retrySender: RetrySender | undefined;
  private consumerStartTimestamp = 0;

  constructor(
    options: DefaultMQPushConsumerOptions,
    readonly log: Logger,
    private readonly parts: PushConsumerParts,
    private readonly observer: PushConsumerObserver,
  ) {
    const { logger: _logger, allocateMessageQueueStrategy, offsetStore, ...rest } = options;
    const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as DefaultMQPushConsumerOptions;
    this.clientConfig = new ClientConfig(defined);
    this.settings = resolvePushConsumerSettings(defined);
    this.allocateStrategy = allocateMessageQueueStrategy;
    this.offsetStore = offsetStore;
  }

  /**
   * A background failure (already logged where it happened) → the observer's `error` event, built
   * only when someone listens. An arrow: it is handed to the rebalance and offset store as is.
   */
  readonly reportError: ConsumerErrorReporter = (source, error, where) => {
    const observer = this.observer;
    if (observer.onError === undefined || observer.wantsErrors?.() !== true) return;
    try {
      observer.onError({ source, error: asError(error), consumerGroup: this.settings.consumerGroup, messageQueue: where?.messageQueue, topic: where?.topic ?? where?.messageQueue?.topic });
    } catch (e) {
      // A throwing 'error' listener must not break the task that reported (e.g. the re-pull after a failed pull).
      this.log.error("an 'error' event listener threw", { source, error: errorText(e) });
    }
  };

  get serviceState(): PushConsumerServiceState {
    return this.state;
  }

  get mQClientFactory(): MQClientInstance | undefined {
    return this.factory;
  }

  get rebalanceImpl(): RebalancePushImpl | undefined {
    return this.rebalance;
  }

  get allocateMessageQueueStrategy(): AllocateMessageQueueStrategy {
    this.allocateStrategy ??= this.parts.defaultAllocateStrategy();
    return this.allocateStrategy;
  }

  set allocateMessageQueueStrategy(strategy: AllocateMessageQueueStrategy) {
    this.allocateStrategy = strategy;
    if (this.rebalance !== undefined) this.rebalance.allocateMessageQueueStrategy = strategy;
  }

  // ---- subscriptions and listener -------------------------------------------------------------

  registerMessageListener(listener: MessageListener): void {
    this.messageListener = listener;
  }

  /** Subscribes `topic` (namespace applied) with a TAG expression; after start, tells the brokers at once. */
  subscribe(topic: string, subExpression = '*'): void {
    const fullTopic = this.withNamespace(topic);
    let sd: SubscriptionData;
    try {
      sd = buildSubscriptionData(fullTopic, subExpression);
    } catch (e) {
      throw new MQClientException(ClientErrorCode.CLIENT_VALIDATION, `subscription exception: ${errorText(e)}`, { cause: e });
    }
    this.subscriptionTable().set(fullTopic, sd);
    if (this.factory !== undefined && this.state === 'RUNNING') {
      const factory = this.factory;
      factory
        .updateTopicRouteInfoFromNameServer(fullTopic)
        .then(() => factory.sendHeartbeatToAllBrokerWithLock())
        .catch((e: unknown) => this.log.warn('heartbeat after subscribe failed', { topic: fullTopic, error: errorText(e) }));
    }
  }

  unsubscribe(topic: string): void {
    this.subscriptionTable().delete(this.withNamespace(topic));
  }

  private subscriptionTable(): Map<string, SubscriptionData> {
    return this.rebalance?.subscriptionInner ?? this.pendingSubscriptions;
  }

  // ---- lifecycle --------------------------------------------------------------------------------

  async start(): Promise<void> {
    if (this.state !== 'CREATE_JUST') {
      throw new MQClientException(ClientErrorCode.CLIENT_STATE, `The PushConsumer service state not OK, maybe started once, ${this.state}`);
    }
    this.state = 'START_FAILED';
    const s = this.settings;
    const listener = this.messageListener;
    checkPushConsumerConfig(s, this.pendingSubscriptions, listener);
    this.settings.consumerGroup = this.withNamespace(s.consumerGroup);
    const group = s.consumerGroup;
    if (s.messageModel === 'CLUSTERING') {
      this.clientConfig.changeInstanceNameToPID();
      const retryTopic = RETRY_GROUP_TOPIC_PREFIX + group;
      this.pendingSubscriptions.set(retryTopic, buildSubscriptionData(retryTopic, '*'));
    }
    const factory = MQClientManager.getInstance().getOrCreateMQClientInstance(this.clientConfig, this.log);
    const rebalance = new RebalancePushImpl(group, s.messageModel, this.allocateMessageQueueStrategy, factory, this.log.namespace('Rebalance'), {
      settings: s,
      getOffsetStore: () => this.getOffsetStore(),
      isConsumeOrderly: () => this.consumeOrderly,
      isConsumeLockHeld: (pq) => this.consumeService instanceof ConsumeMessageOrderlyService && this.consumeService.isConsumeLockHeld(pq),
      executePullRequestImmediately: (r) => this.executePullRequestImmediately(r),
      createProcessQueue: () => this.parts.createProcessQueue(),
      executeTaskLater: (task, delay) => this.pullService?.executeTaskLater(task, delay),
      onRebalance: (result) => this.observer.onRebalance(result),
      reportError: this.reportError,
    });
    for (const [topic, sd] of this.pendingSubscriptions) rebalance.subscriptionInner.set(topic, sd);
    this.pendingSubscriptions.clear();
    this.offsetStore ??= this.parts.createOffsetStore(s.messageModel, factory, group);
    this.offsetStore.errorReporter = this.reportError;
    await this.offsetStore.load();

    const orderly = listener !== undefined && isOrderlyListener(listener);
    this.consumeOrderly = orderly;
    const consumeService: ConsumeMessageService =
      listener !== undefined && isOrderlyListener(listener) ? new ConsumeMessageOrderlyService(this, listener) : new ConsumeMessageConcurrentlyService(this, listener as Exclude<MessageListener, { orderly: true }>);
    const pullService = new PullMessageService({ pullMessage: (r) => this.pullMessage(r) }, this.log);
    this.pullFlow = new PullMessageFlow(this, factory, rebalance, consumeService, pullService, orderly);
    this.retrySender = new RetrySender(factory, this.clientConfig, this.log);

    if (!factory.registerConsumer(group, this)) {
      this.state = 'CREATE_JUST';
      rebalance.subscriptionInner.forEach((sd, topic) => this.pendingSubscriptions.set(topic, sd));
      await consumeService.shutdown(0);
      throw new MQClientException(ClientErrorCode.CLIENT_VALIDATION, `The consumer group[${group}] has been created before, specify another name please.`);
    }
    this.factory = factory;
    this.rebalance = rebalance;
    this.consumeService = consumeService;
    this.pullService = pullService;
    consumeService.start();
    factory.start();
    this.consumerStartTimestamp = Date.now();
    this.state = 'RUNNING';
    this.log.info('the consumer started', { group, clientId: factory.clientId, messageModel: s.messageModel, orderly });

    for (const topic of rebalance.subscriptionInner.keys()) await factory.updateTopicRouteInfoFromNameServer(topic);
    await factory.sendHeartbeatToAllBrokerWithLock();
    factory.rebalanceImmediately();
  }

  /**
   * Stops pulling, waits up to awaitTerminationMillisWhenShutdown for listener calls in progress,
   * persists the offsets, releases orderly locks and unregisters from the brokers.
   */
  async shutdown(awaitTerminateMillis = this.settings.awaitTerminationMillisWhenShutdown): Promise<void> {
    if (this.state !== 'RUNNING') {
      if (this.state === 'CREATE_JUST') this.state = 'SHUTDOWN_ALREADY';
      return;
    }
    this.state = 'SHUTDOWN_ALREADY';
    const factory = this.factory as MQClientInstance;
    const group = this.settings.consumerGroup;
    // Long-polling pulls in flight are not waited for: their answers are ignored once stopped.
    await this.pullService?.shutdown(0);
    await this.consumeService?.shutdown(awaitTerminateMillis);
    if (this.consumeOrderly && this.settings.messageModel === 'CLUSTERING') await this.rebalance?.unlockAll(false);
    await this.persistConsumerOffsetNow();
    for (const pq of this.rebalance?.processQueueTable.values() ?? []) pq.dropped = true;
    this.rebalance?.processQueueTable.clear();
    await this.retrySender?.shutdown();
    await factory.unregisterConsumer(group);
    await factory.shutdown();
    this.log.info('the consumer shut down', { group });
  }

  suspend(): void {
    this.pause = true;
    this.log.info('suspend this consumer', { group: this.settings.consumerGroup });
  }

  resume(): void {
    this.pause = false;
    this.log.info('resume this consumer', { group: this.settings.consumerGroup });
    this.doRebalance().catch((e: unknown) => this.log.warn('doRebalance after resume failed', { error: errorText(e) }));
  }

  isPause(): boolean {
    return this.pause;
  }

  isConsumeOrderly(): boolean {
    return this.consumeOrderly;
  }

  makeSureStateOK(): void {
    if (this.state !== 'RUNNING') {
      throw new MQClientException(ClientErrorCode.CLIENT_STATE, `The consumer service state not OK, ${this.state}`);
    }
  }

  // ---- pulling ----------------------------------------------------------------------------------

  executePullRequestImmediately(request: PullRequest): void {
    this.pullService?.executePullRequestImmediately(request);
  }

  pullMessage(request: PullRequest): Promise<void> {
    return this.pullFlow?.pullMessage(request) ?? Promise.resolve();
  }

  // ---- MQConsumerInner --------------------------------------------------------------------------

  groupName(): string {
    return this.settings.consumerGroup;
  }

  messageModel(): MessageModel {
    return this.settings.messageModel;
  }

  consumeType(): ConsumeType {
    return 'CONSUME_PASSIVELY';
  }

  consumeFromWhere(): ConsumeFromWhere {
    return this.settings.consumeFromWhere;
  }

  subscriptions(): SubscriptionData[] {
    return [...this.subscriptionTable().values()];
  }

  isUnitMode(): boolean {
    return this.clientConfig.unitMode;
  }

  async doRebalance(): Promise<void> {
    if (!this.pause && this.rebalance !== undefined && this.state === 'RUNNING') await this.rebalance.doRebalance(this.consumeOrderly);
  }

  async persistConsumerOffset(): Promise<void> {
    this.makeSureStateOK();
    await this.persistConsumerOffsetNow();
  }

  private async persistConsumerOffsetNow(): Promise<void> {
    if (this.offsetStore === undefined || this.rebalance === undefined) return;
    await this.offsetStore.persistAll([...this.rebalance.processQueueTable.keys()]);
  }

  updateTopicSubscribeInfo(topic: string, info: MessageQueue[]): void {
    if (this.rebalance?.subscriptionInner.has(topic)) this.rebalance.topicSubscribeInfoTable.set(topic, info);
  }

  isSubscribeTopicNeedUpdate(topic: string): boolean {
    const r = this.rebalance;
    return r !== undefined && r.subscriptionInner.has(topic) && !r.topicSubscribeInfoTable.has(topic);
  }

  consumerRunningInfo(): ConsumerRunningInfo {
    const s = this.settings;
    const properties = new Map<string, string>();
    for (const [k, v] of Object.entries(s)) properties.set(k, String(v));
    properties.set('namesrvAddr', this.clientConfig.namesrvAddr);
    properties.set('instanceName', this.clientConfig.instanceName);
    properties.set('allocateMessageQueueStrategy', this.allocateMessageQueueStrategy.name);
    properties.set(ConsumerRunningInfoProps.PROP_CONSUME_ORDERLY, String(this.consumeOrderly));
    properties.set(ConsumerRunningInfoProps.PROP_THREADPOOL_CORE_SIZE, String(this.consumeService?.getCorePoolSize() ?? s.consumeThreadMax));
    properties.set(ConsumerRunningInfoProps.PROP_CONSUMER_START_TIMESTAMP, String(this.consumerStartTimestamp));
    const mqTable = new MessageQueueMap<ProcessQueueInfo>();
    const topics = new Set<string>();
    const offsets = this.offsetStore?.cloneOffsetTable?.();
    for (const [mq, pq] of this.rebalance?.processQueueTable ?? []) {
      topics.add(mq.topic);
      const info = createProcessQueueInfo(offsets?.get(mq) ?? -1);
      if (pq.fillProcessQueueInfo !== undefined) pq.fillProcessQueueInfo(info);
      else
        Object.assign(info, {
          cachedMsgCount: pq.msgCount,
          cachedMsgSizeInMiB: Math.floor(pq.msgSize / (1024 * 1024)),
          locked: pq.locked,
          tryUnlockTimes: pq.tryUnlockTimes,
          lastLockTimestamp: pq.lastLockTimestamp,
          droped: pq.dropped,
          lastPullTimestamp: pq.lastPullTimestamp,
          lastConsumeTimestamp: pq.lastConsumeTimestamp,
        });
      mqTable.set(mq, info);
    }
    const statusTable = new Map([...topics].map((t) => [t, this.consumerStatsManager.consumeStatus(t)] as const));
    return { properties, subscriptionSet: this.subscriptions(), mqTable, statusTable };
  }

  /** RESET_CONSUMER_CLIENT_OFFSET (§11.9): drop the queues, wait, write the new offsets, let rebalance recreate them. */
  async resetOffset(topic: string, offsetTable: MessageQueueMap<number>): Promise<void> {
    const rebalance = this.rebalance;
    const store = this.offsetStore;
    if (rebalance === undefined || store === undefined) return;
    this.suspend();
    try {
      for (const [mq, pq] of rebalance.processQueueTable) {
        if (mq.topic === topic && offsetTable.has(mq)) pq.dropped = true;
      }
      // Java sleeps here so that consume calls in progress finish before the offsets are overwritten.
      // The timer belongs to the pull service: a shutdown meanwhile ends the reset (it never resolves).
      await new Promise<void>((resolve) => {
        if (this.pullService === undefined) resolve();
        else this.pullService.executeTaskLater(resolve, RESET_OFFSET_WAIT_MILLIS);
      });
      for (const [mq, offset] of offsetTable) {
        if (mq.topic !== topic) continue;
        store.updateOffset(mq, offset, false);
        await store.persist(mq);
        await rebalance.removeProcessQueue(mq);
      }
    } finally {
      this.resume();
    }
  }

  consumeMessageDirectly(msg: MessageExt, brokerName: string | undefined): Promise<ConsumeMessageDirectlyResult> {
    if (this.consumeService === undefined) throw new MQClientException(ClientErrorCode.CLIENT_STATE, 'consumer not started');
    return this.consumeService.consumeMessageDirectly(msg, brokerName);
  }

  // ---- ConsumeServiceHost -----------------------------------------------------------------------

  getOffsetStore(): ConsumerOffsetStore {
    if (this.offsetStore === undefined) throw new MQClientException(ClientErrorCode.CLIENT_STATE, 'consumer not started');
    return this.offsetStore;
  }

  processQueueTable(): MessageQueueMap<ConsumerProcessQueue> {
    return this.rebalance?.processQueueTable ?? new MessageQueueMap();
  }

  getMaxReconsumeTimes(): number {
    return this.settings.maxReconsumeTimes === -1 ? DEFAULT_MAX_RECONSUME_TIMES : this.settings.maxReconsumeTimes;
  }

  /**
   * DefaultMQPushConsumerImpl.sendMessageBack: CONSUMER_SEND_MSG_BACK to the master of the broker that
   * stored the message; if that fails, the message is re-sent to %RETRY%<group> by the client's inner
   * producer (delay 3 + reconsumeTimes). Throws when both fail.
   */
  async sendMessageBack(msg: MessageExt, delayLevel: number, brokerName: string | undefined): Promise<void> {
    const factory = this.factory;
    if (factory === undefined || this.retrySender === undefined) throw new MQClientException(ClientErrorCode.CLIENT_STATE, 'consumer not started');
    const originTopic = msg.topic;
    msg.topic = this.withNamespace(originTopic);
    try {
      const addr = brokerName !== undefined && brokerName !== '' ? factory.findBrokerAddressInPublish(brokerName) : `${msg.storeHost.host}:${msg.storeHost.port}`;
      if (addr === undefined) throw new MQClientException(ClientErrorCode.CLIENT_STATE, `The broker[${brokerName ?? ''}] not exist`);
      await factory.mQClientAPIImpl.consumerSendMessageBack(addr, msg, this.settings.consumerGroup, delayLevel, SEND_MESSAGE_BACK_TIMEOUT_MILLIS, this.getMaxReconsumeTimes(), brokerName);
    } catch (e) {
      this.log.error('sendMessageBack Exception', { group: this.settings.consumerGroup, msgId: msg.msgId, error: errorText(e) });
      await this.retrySender.sendToRetryTopic(msg, this.settings.consumerGroup, this.getMaxReconsumeTimes(), msg.reconsumeTimes + 1, RETRY_DELAY_LEVEL_BASE + msg.reconsumeTimes);
    } finally {
      msg.topic = withoutNamespace(msg.topic, this.clientConfig.namespace);
    }
  }

  /** Orderly: a message out of local retries goes to %RETRY% with RECONSUME_TIME = reconsumeTimes (broker diverts it to the DLQ); throws when the send failed. */
  async sendMessageBackAsNewMessage(msg: MessageExt): Promise<void> {
    if (this.retrySender === undefined) throw new MQClientException(ClientErrorCode.CLIENT_STATE, 'consumer not started');
    await this.retrySender.sendToRetryTopic(msg, this.settings.consumerGroup, orderlyMaxReconsumeTimes(this.settings.maxReconsumeTimes), msg.reconsumeTimes, RETRY_DELAY_LEVEL_BASE + msg.reconsumeTimes);
  }

  lockQueue(mq: MessageQueue): Promise<boolean> {
    return this.rebalance?.lock(mq) ?? Promise.resolve(false);
  }

  async lockAll(): Promise<void> {
    await this.rebalance?.lockAll();
  }

  /** Messages pulled from %RETRY%<group> get their original topic back; the namespace is stripped. */
  resetRetryAndNamespace(msgs: readonly MessageExt[]): void {
    const groupTopic = RETRY_GROUP_TOPIC_PREFIX + this.settings.consumerGroup;
    const ns = this.clientConfig.namespace;
    for (const msg of msgs) {
      const retryTopic = msg.getProperty(MessageConst.PROPERTY_RETRY_TOPIC);
      if (retryTopic !== undefined && groupTopic === msg.topic) msg.topic = retryTopic;
      if (ns !== '') msg.topic = withoutNamespace(msg.topic, ns);
    }
  }

  withNamespace(resource: string): string {
    return wrapNamespace(this.clientConfig.namespace, resource);
  }
}

/** CONSUMER_SEND_MSG_BACK timeout (Java's literal 5000). */
const SEND_MESSAGE_BACK_TIMEOUT_MILLIS = 5000;
/** The first retry waits delay level 3 (10 s): level = 3 + reconsumeTimes. */
const RETRY_DELAY_LEVEL_BASE = 3;

function orderlyMaxReconsumeTimes(configured: number): number {
  return configured === -1 ? ORDERLY_UNLIMITED_RECONSUME_TIMES : configured;
}

