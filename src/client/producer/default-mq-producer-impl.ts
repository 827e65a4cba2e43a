import {
  ClientErrorCode,
  MQBrokerException,
  MQClientException,
  RemotingException,
  RemotingTooMuchRequestException,
  RocketMQError,
} from '../../common/errors.js';
import type { Logger } from '../../common/logging/logger.js';
import { compressBody, shouldCompressBody } from '../../common/message/compression.js';
import { setUniqID } from '../../common/message/message-client-id.js';
import { MessageConst } from '../../common/message/message-const.js';
import { CompressionType, MessageSysFlag, compressionFlag } from '../../common/message/message-sys-flag.js';
import type { Message } from '../../common/message/message.js';
import type { MessageQueue } from '../../common/protocol/body/message-queue.js';
import type { SendMessageRequestHeader } from '../../common/protocol/headers/send-message.js';
import { ClientConfig } from '../client-config.js';
import { MQClientManager } from '../impl/mq-client-manager.js';
import type { MQClientInstance } from '../impl/mq-client-instance.js';
import type { MQProducerInner } from '../impl/mq-inner.js';
import { DEFAULT_RETRY_RESPONSE_CODES } from '../impl/send-response.js';
import { MQFaultStrategy } from '../latency/mq-fault-strategy.js';
import { TopicPublishInfo } from '../route/topic-publish-info.js';
import { CLIENT_INNER_PRODUCER_GROUP, DEFAULT_PRODUCER_GROUP, RETRY_GROUP_TOPIC_PREFIX } from '../../common/protocol/topic-validator.js';
import { checkGroup, checkMessage } from '../validators.js';
import { MessageBatch } from './message-batch.js';
import type { MessageQueueSelector } from './message-queue-selector.js';
import { PRODUCER_DEFAULTS, type DefaultMQProducerOptions } from './producer-options.js';
import type { SendMessageContext, SendMessageHook } from './send-message-hook.js';
import { SendStatus, type CommunicationMode, type SendResult } from './send-result.js';

type ProducerSettings = Required<Omit<DefaultMQProducerOptions, keyof import('../client-config.js').ClientConfigOptions | 'logger' | 'latencyMax' | 'notAvailableDuration' | 'retryResponseCodes'>>;

export type ProducerServiceState = 'CREATE_JUST' | 'RUNNING' | 'SHUTDOWN_ALREADY' | 'START_FAILED';

/**
 * Java's DefaultMQProducerImpl: the send paths (sync with retries on other brokers, async with
 * transport retries, oneway, to a selected or given queue, batches), route lookup through the shared
 * MQClientInstance, and the fault strategy.
 */
export class DefaultMQProducerImpl implements MQProducerInner {
  readonly settings: ProducerSettings;
  readonly clientConfig: ClientConfig;
  readonly mqFaultStrategy = new MQFaultStrategy();
  readonly retryResponseCodes: Set<number>;
  readonly topicPublishInfoTable = new Map<string, TopicPublishInfo>();
  private readonly hooks: SendMessageHook[] = [];
  /** Sends in flight (track) and who waits for them to settle (shutdown). */
  private inflight = 0;
  private drainWaiters: (() => void)[] = [];
  private state: ProducerServiceState = 'CREATE_JUST';
  private factory: MQClientInstance | undefined;

  constructor(
    options: DefaultMQProducerOptions,
    private readonly log: Logger,
  ) {
    const { logger: _logger, latencyMax, notAvailableDuration, retryResponseCodes, ...rest } = options;
    const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as DefaultMQProducerOptions;
    this.clientConfig = new ClientConfig(defined);
    this.settings = {
      producerGroup: defined.producerGroup ?? PRODUCER_DEFAULTS.producerGroup,
      createTopicKey: defined.createTopicKey ?? PRODUCER_DEFAULTS.createTopicKey,
      defaultTopicQueueNums: defined.defaultTopicQueueNums ?? PRODUCER_DEFAULTS.defaultTopicQueueNums,
      sendMsgTimeout: defined.sendMsgTimeout ?? PRODUCER_DEFAULTS.sendMsgTimeout,
      compressMsgBodyOverHowmuch: defined.compressMsgBodyOverHowmuch ?? PRODUCER_DEFAULTS.compressMsgBodyOverHowmuch,
      retryTimesWhenSendFailed: defined.retryTimesWhenSendFailed ?? PRODUCER_DEFAULTS.retryTimesWhenSendFailed,
      retryTimesWhenSendAsyncFailed: defined.retryTimesWhenSendAsyncFailed ?? PRODUCER_DEFAULTS.retryTimesWhenSendAsyncFailed,
      retryAnotherBrokerWhenNotStoreOK: defined.retryAnotherBrokerWhenNotStoreOK ?? PRODUCER_DEFAULTS.retryAnotherBrokerWhenNotStoreOK,
      maxMessageSize: defined.maxMessageSize ?? PRODUCER_DEFAULTS.maxMessageSize,
      sendLatencyFaultEnable: defined.sendLatencyFaultEnable ?? PRODUCER_DEFAULTS.sendLatencyFaultEnable,
      shutdownTimeoutMillis: defined.shutdownTimeoutMillis ?? PRODUCER_DEFAULTS.shutdownTimeoutMillis,
    };
    this.mqFaultStrategy.sendLatencyFaultEnable = this.settings.sendLatencyFaultEnable;
    if (latencyMax !== undefined) this.mqFaultStrategy.latencyMax = [...latencyMax];
    if (notAvailableDuration !== undefined) this.mqFaultStrategy.notAvailableDuration = [...notAvailableDuration];
    this.retryResponseCodes = new Set(retryResponseCodes ?? DEFAULT_RETRY_RESPONSE_CODES);
  }

  get serviceState(): ProducerServiceState {
    return this.state;
  }

  get mQClientFactory(): MQClientInstance | undefined {
    return this.factory;
  }

  registerSendMessageHook(hook: SendMessageHook): void {
    this.hooks.push(hook);
  }

  // ---- lifecycle --------------------------------------------------------------------------------

  async start(): Promise<void> {
    if (this.state !== 'CREATE_JUST') {
      throw new MQClientException(ClientErrorCode.CLIENT_STATE, `The producer service state not OK, maybe started once, ${this.state}`);
    }
    this.state = 'START_FAILED';
    const group = this.settings.producerGroup;
    checkGroup(group);
    if (group === DEFAULT_PRODUCER_GROUP) {
      throw new MQClientException(ClientErrorCode.CLIENT_VALIDATION, `producerGroup can not equal ${DEFAULT_PRODUCER_GROUP}, please specify another one.`);
    }
    if (group !== CLIENT_INNER_PRODUCER_GROUP) this.clientConfig.changeInstanceNameToPID();
    const factory = MQClientManager.getInstance().getOrCreateMQClientInstance(this.clientConfig, this.log);
    if (!factory.registerProducer(group, this)) {
      this.state = 'CREATE_JUST';
      throw new MQClientException(ClientErrorCode.CLIENT_VALIDATION, `The producer group[${group}] has been created before, specify another name please.`);
    }
    this.factory = factory;
    this.topicPublishInfoTable.set(this.settings.createTopicKey, new TopicPublishInfo());
    factory.start();
    this.state = 'RUNNING';
    this.log.info('the producer started', { group, clientId: factory.clientId });
    await factory.sendHeartbeatToAllBrokerWithLock();
  }

  /**
   * Refuses new sends at once, waits up to shutdownTimeoutMillis for sends in flight, then
   * unregisters the group and releases the client instance (shut down when nobody else uses it).
   */
  async shutdown(): Promise<void> {
    if (this.state !== 'RUNNING') {
      this.state = 'SHUTDOWN_ALREADY';
      return;
    }
    this.state = 'SHUTDOWN_ALREADY';
    await this.awaitInflight(this.settings.shutdownTimeoutMillis);
    const factory = this.factory;
    if (factory === undefined) return;
    await factory.unregisterProducer(this.settings.producerGroup);
    await factory.shutdown();
    this.log.info('the producer shut down', { group: this.settings.producerGroup });
  }

  private async awaitInflight(bound: number): Promise<void> {
    if (this.inflight === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), bound);
    });
    const done = new Promise<'done'>((resolve) => this.drainWaiters.push(() => resolve('done')));
    const outcome = await Promise.race([done, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') this.log.warn('shutdown: sends still in flight after the bound', { count: this.inflight, bound });
  }

  /** Counts a send as in flight until it settles (shutdown waits for these). A count, not a set: no closure per send. */
  track<T>(p: Promise<T>): Promise<T> {
    this.inflight++;
    p.then(this.untrack, this.untrack);
    return p;
  }

  private readonly untrack = (): void => {
    if (--this.inflight > 0 || this.drainWaiters.length === 0) return;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
  };

  makeSureStateOK(): void {
    if (this.state !== 'RUNNING') {
      throw new MQClientException(ClientErrorCode.CLIENT_STATE, `The producer service state not OK, ${this.state}`, { retriable: false });
    }
  }

  private get instance(): MQClientInstance {
    if (this.factory === undefined) throw new MQClientException(ClientErrorCode.CLIENT_STATE, 'The producer is not started');
    return this.factory;
  }

  // ---- MQProducerInner --------------------------------------------------------------------------

  getPublishTopicList(): Iterable<string> {
    return this.topicPublishInfoTable.keys();
  }

  isPublishTopicNeedUpdate(topic: string): boolean {
    const info = this.topicPublishInfoTable.get(topic);
    return info === undefined || !info.ok();
  }

  updateTopicPublishInfo(topic: string, info: TopicPublishInfo): void {
    if (topic !== '' && this.topicPublishInfoTable.has(topic) === false) this.log.debug('new topic publish info', { topic });
    this.topicPublishInfoTable.set(topic, info);
  }

  isUnitMode(): boolean {
    return this.clientConfig.unitMode;
  }

  // ---- routes and queues ------------------------------------------------------------------------

  /** The cached route; else the name server's; else (topic unknown) TBW102's, so the broker creates it. */
  async tryToFindTopicPublishInfo(topic: string): Promise<TopicPublishInfo | undefined> {
    let info = this.topicPublishInfoTable.get(topic);
    if (info === undefined || !info.ok()) {
      if (info === undefined) this.topicPublishInfoTable.set(topic, new TopicPublishInfo());
      await this.instance.updateTopicRouteInfoFromNameServer(topic);
      info = this.topicPublishInfoTable.get(topic);
    }
    if (info !== undefined && (info.haveTopicRouterInfo || info.ok())) return info;
    await this.instance.updateTopicRouteInfoFromNameServer(topic, true, this.settings);
    return this.topicPublishInfoTable.get(topic);
  }

  selectOneMessageQueue(tpInfo: TopicPublishInfo, lastBrokerName: string | undefined): MessageQueue {
    return this.mqFaultStrategy.selectOneMessageQueue(tpInfo, lastBrokerName);
  }

  updateFaultItem(brokerName: string, currentLatency: number, isolation: boolean): void {
    this.mqFaultStrategy.updateFaultItem(brokerName, currentLatency, isolation);
  }

  // ---- send paths -------------------------------------------------------------------------------

  /** DefaultMQProducerImpl.sendDefaultImpl (§10.4). Resolves to undefined for ONEWAY. */
  async sendDefaultImpl(msg: Message, mode: CommunicationMode, timeout: number): Promise<SendResult | undefined> {
    this.makeSureStateOK();
    checkMessage(msg, this.settings.maxMessageSize);
    const beginFirst = Date.now();
    const tpInfo = await this.tryToFindTopicPublishInfo(msg.topic);
    if (tpInfo === undefined || !tpInfo.ok()) {
      throw new MQClientException(ClientErrorCode.CLIENT_STATE, `No route info of this topic: ${msg.topic}`, { context: { topic: msg.topic } });
    }
    if (mode === 'ASYNC') {
      // One attempt here; transport failures are retried inside MQClientAPIImpl.sendMessageAsync.
      const mq = this.selectOneMessageQueue(tpInfo, undefined);
      const cost = Date.now() - beginFirst;
      if (timeout < cost) throw new RemotingTooMuchRequestException('sendDefaultImpl call timeout');
      return this.sendKernelImpl(msg, mq, mode, tpInfo, timeout - cost);
    }
    const timesTotal = mode === 'SYNC' ? 1 + this.settings.retryTimesWhenSendFailed : 1;
    const brokersSent: string[] = [];
    let mq: MessageQueue | undefined;
    let exception: unknown;
    let sendResult: SendResult | undefined;
    let callTimeout = false;
    let times = 0;
    for (; times < timesTotal; times++) {
      mq = this.selectOneMessageQueue(tpInfo, mq?.brokerName);
      brokersSent.push(mq.brokerName);
      const beginPrev = Date.now();
      const cost = beginPrev - beginFirst;
      if (timeout < cost) {
        callTimeout = true;
        break;
      }
      try {
        sendResult = await this.sendKernelImpl(msg, mq, mode, tpInfo, timeout - cost);
        this.updateFaultItem(mq.brokerName, Date.now() - beginPrev, false);
        if (mode === 'ONEWAY' || sendResult === undefined) return undefined;
        if (sendResult.sendStatus !== SendStatus.SEND_OK && this.settings.retryAnotherBrokerWhenNotStoreOK) continue;
        return sendResult;
      } catch (e) {
        this.updateFaultItem(mq.brokerName, Date.now() - beginPrev, true);
        exception = e;
        this.log.warn('sendKernelImpl exception, resend at once', { broker: mq.brokerName, error: e instanceof Error ? e.message : String(e) });
        if (e instanceof MQBrokerException) {
          if (this.retryResponseCodes.has(e.code)) continue;
          if (sendResult !== undefined) return sendResult;
          throw e;
        }
        if (e instanceof RemotingException || e instanceof MQClientException) continue;
        throw e;
      }
    }
    if (sendResult !== undefined) return sendResult;
    if (callTimeout) throw new RemotingTooMuchRequestException('sendDefaultImpl call timeout', { cause: exception });
    const info = `Send [${times}] times, still failed, cost [${Date.now() - beginFirst}]ms, Topic: ${msg.topic}, BrokersSent: [${brokersSent.join(', ')}]`;
    const code = exception instanceof RocketMQError ? exception.code : ClientErrorCode.CLIENT_STATE;
    throw new MQClientException(code, info, { cause: exception, retriable: true, context: { topic: msg.topic } });
  }

  /** Sends to `mq` once (ordered sends and the attempts of sendDefaultImpl). */
  async sendKernelImpl(msg: Message, mq: MessageQueue, mode: CommunicationMode, tpInfo: TopicPublishInfo | undefined, timeout: number): Promise<SendResult | undefined> {
    const begin = Date.now();
    const instance = this.instance;
    let brokerAddr = instance.findBrokerAddressInPublish(mq.brokerName);
    if (brokerAddr === undefined) {
      await this.tryToFindTopicPublishInfo(mq.topic);
      brokerAddr = instance.findBrokerAddressInPublish(mq.brokerName);
    }
    if (brokerAddr === undefined) {
      throw new MQClientException(ClientErrorCode.CLIENT_STATE, `The broker[${mq.brokerName}] not exist`, { retriable: true, context: { brokerName: mq.brokerName } });
    }
    brokerAddr = brokerVIPChannel(this.clientConfig.vipChannelEnabled, brokerAddr);
    const isBatch = msg instanceof MessageBatch;
    if (!isBatch) setUniqID(msg);
    if (this.clientConfig.namespace !== '') msg.instanceId = this.clientConfig.namespace;
    let sysFlag = 0;
    let body = msg.body;
    if (!isBatch && shouldCompressBody(body.length, this.settings.compressMsgBodyOverHowmuch)) {
      body = compressBody(body);
      sysFlag |= compressionFlag(CompressionType.ZLIB);
    }
    if (msg.getProperty(MessageConst.PROPERTY_TRANSACTION_PREPARED) === 'true') sysFlag |= MessageSysFlag.TRANSACTION_PREPARED_TYPE;

    const header: SendMessageRequestHeader = {
      producerGroup: this.settings.producerGroup,
      topic: msg.topic,
      defaultTopic: this.settings.createTopicKey,
      defaultTopicQueueNums: this.settings.defaultTopicQueueNums,
      queueId: mq.queueId,
      sysFlag,
      bornTimestamp: Date.now(),
      flag: msg.flag,
      properties: undefined,
      reconsumeTimes: 0,
      unitMode: this.isUnitMode(),
      batch: isBatch,
      bname: mq.brokerName,
    };
    if (msg.topic.startsWith(RETRY_GROUP_TOPIC_PREFIX)) {
      // A consumer's fallback send-back: the counters travel in the header, not the properties.
      const reconsumeTimes = msg.getProperty(MessageConst.PROPERTY_RECONSUME_TIME);
      if (reconsumeTimes !== undefined) {
        header.reconsumeTimes = Number.parseInt(reconsumeTimes, 10);
        msg.clearProperty(MessageConst.PROPERTY_RECONSUME_TIME);
      }
      const maxReconsumeTimes = msg.getProperty(MessageConst.PROPERTY_MAX_RECONSUME_TIMES);
      if (maxReconsumeTimes !== undefined) {
        header.maxReconsumeTimes = Number.parseInt(maxReconsumeTimes, 10);
        msg.clearProperty(MessageConst.PROPERTY_MAX_RECONSUME_TIMES);
      }
    }
    header.properties = msg.propertiesString();

    const context = this.hooks.length === 0 ? undefined : this.createContext(msg, mq, brokerAddr, mode);
    if (context !== undefined) this.runHooks('before', context);
    const api = instance.mQClientAPIImpl;
    const request = api.buildSendRequest(body, header, isBatch);
    const cost = Date.now() - begin;
    if (timeout < cost) throw new RemotingTooMuchRequestException('sendKernelImpl call timeout');
    try {
      let result: SendResult | undefined;
      switch (mode) {
        case 'ONEWAY':
          await api.sendMessageOneway(brokerAddr, request, timeout - cost);
          break;
        case 'SYNC':
          result = await api.sendMessageSync(brokerAddr, mq.brokerName, msg, request, timeout - cost);
          break;
        case 'ASYNC':
          result = await api.sendMessageAsync(brokerAddr, mq.brokerName, msg, request, timeout - cost, {
            retryTimesWhenSendFailed: this.settings.retryTimesWhenSendAsyncFailed,
            selectRetryBroker: (failed) => {
              const brokerName = tpInfo === undefined ? failed : this.selectOneMessageQueue(tpInfo, failed).brokerName;
              const addr = instance.findBrokerAddressInPublish(brokerName);
              return { brokerName, addr: addr === undefined ? undefined : brokerVIPChannel(this.clientConfig.vipChannelEnabled, addr) };
            },
            updateFaultItem: (b, latency, isolation) => this.updateFaultItem(b, latency, isolation),
          });
          break;
      }
      if (context !== undefined) {
        if (result !== undefined) context.sendResult = result;
        this.runHooks('after', context);
      }
      return result;
    } catch (e) {
      if (context !== undefined) {
        context.exception = e instanceof Error ? e : new Error(String(e));
        this.runHooks('after', context);
      }
      throw e;
    }
  }

  /** send(msg, selector, arg): the selector picks among the topic's queues; no retry (order matters). */
  async sendSelectImpl<A>(msg: Message, selector: MessageQueueSelector<A>, arg: A, mode: CommunicationMode, timeout: number): Promise<SendResult | undefined> {
    const begin = Date.now();
    this.makeSureStateOK();
    checkMessage(msg, this.settings.maxMessageSize);
    const tpInfo = await this.tryToFindTopicPublishInfo(msg.topic);
    if (tpInfo === undefined || !tpInfo.ok()) {
      throw new MQClientException(ClientErrorCode.CLIENT_STATE, `No route info for this topic, ${msg.topic}`, { context: { topic: msg.topic } });
    }
    let mq: MessageQueue | undefined;
    try {
      mq = selector.select(tpInfo.messageQueueList, msg, arg);
    } catch (e) {
      throw new MQClientException(ClientErrorCode.CLIENT_VALIDATION, `select message queue threw exception: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    if (mq === undefined || mq === null) throw new MQClientException(ClientErrorCode.CLIENT_VALIDATION, 'select message queue return null.');
    const cost = Date.now() - begin;
    if (timeout < cost) throw new RemotingTooMuchRequestException('sendSelectImpl call timeout');
    return this.sendKernelImpl(msg, mq, mode, undefined, timeout - cost);
  }

  /** send(msg, mq): to exactly that queue, once. */
  async sendToQueue(msg: Message, mq: MessageQueue, mode: CommunicationMode, timeout: number): Promise<SendResult | undefined> {
    const begin = Date.now();
    this.makeSureStateOK();
    checkMessage(msg, this.settings.maxMessageSize);
    if (msg.topic !== mq.topic) throw new MQClientException(ClientErrorCode.CLIENT_VALIDATION, `message's topic not equal mq's topic`);
    const cost = Date.now() - begin;
    if (timeout < cost) throw new RemotingTooMuchRequestException('call timeout');
    return this.sendKernelImpl(msg, mq, mode, undefined, timeout - cost);
  }

  // ---- hooks ------------------------------------------------------------------------------------

  private createContext(msg: Message, mq: MessageQueue, brokerAddr: string, mode: CommunicationMode): SendMessageContext {
    return {
      producerGroup: this.settings.producerGroup,
      message: msg,
      mq,
      brokerAddr,
      communicationMode: mode,
      props: new Map(),
      namespace: this.clientConfig.namespace,
    };
  }

  private runHooks(phase: 'before' | 'after', context: SendMessageContext): void {
    for (const hook of this.hooks) {
      try {
        if (phase === 'before') hook.sendMessageBefore?.(context);
        else hook.sendMessageAfter?.(context);
      } catch (e) {
        this.log.warn(`send message hook ${hook.hookName} failed`, { phase, error: e instanceof Error ? e.message : String(e) });
      }
    }
  }
}

/** MixAll.brokerVIPChannel: the VIP port is the broker's port − 2. */
export function brokerVIPChannel(isChange: boolean, brokerAddr: string): string {
  if (!isChange) return brokerAddr;
  const i = brokerAddr.lastIndexOf(':');
  return `${brokerAddr.slice(0, i)}:${Number.parseInt(brokerAddr.slice(i + 1), 10) - 2}`;
}
