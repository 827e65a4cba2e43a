import { ClientErrorCode, MQClientException } from '../../common/errors.js';
import type { Logger } from '../../common/logging/logger.js';
import { MASTER_ID, selectBrokerAddr } from '../../common/protocol/body/broker-data.js';
import { ConsumerRunningInfoProps, type ConsumerRunningInfo } from '../../common/protocol/body/consumer-running-info.js';
import type { HeartbeatData } from '../../common/protocol/body/heartbeat-data.js';
import type { TopicRouteData } from '../../common/protocol/body/topic-route-data.js';
import { RemotingClient } from '../../common/remoting/remoting-client.js';
import type { ClientConfig } from '../client-config.js';
import { cloneTopicRouteData, topicRouteData2TopicPublishInfo, topicRouteData2TopicSubscribeInfo, topicRouteDataIsChange } from '../route/topic-route-info.js';
import { CLIENT_INNER_PRODUCER_GROUP, RETRY_GROUP_TOPIC_PREFIX, TopicValidator } from '../../common/protocol/topic-validator.js';
import { CLIENT_REQUEST_CODES, ClientRemotingProcessor } from './client-remoting-processor.js';
import { MQClientAPIImpl } from './mq-client-api.js';
import type { MQConsumerInner, MQProducerInner } from './mq-inner.js';
import { ScheduledTasks } from './scheduled-tasks.js';
import { SerialLock } from './serial-lock.js';

/** RebalanceService's `rocketmq.client.rebalance.waitInterval` default. */
export const REBALANCE_WAIT_INTERVAL_MILLIS = 20_000;
/** Java's LOCK_TIMEOUT_MILLIS for lockNamesrv / lockHeartbeat. */
const LOCK_TIMEOUT_MILLIS = 3000;
/** MQVersion.getVersionDesc(CURRENT_VERSION): what running info reports as the client version. */
const CLIENT_VERSION_DESC = 'V4_9_8';

export type ServiceState = 'CREATE_JUST' | 'RUNNING' | 'SHUTDOWN_ALREADY' | 'START_FAILED';

/** Where a consumer reads a queue from (Java's FindBrokerResult). */
export interface FindBrokerResult {
  brokerAddr: string;
  slave: boolean;
  brokerVersion: number;
}

/** The default-topic parameters of a producer, for routes derived from TBW102. */
export interface DefaultTopicParams {
  createTopicKey: string;
  defaultTopicQueueNums: number;
}

/**
 * Java's MQClientInstance: one per clientId in a process, shared by its producers and consumers. It owns
 * the connections (one RemotingClient), the route and broker address tables, heartbeats, the periodic
 * tasks and the processors for requests brokers send to clients.
 */
export class MQClientInstance {
  readonly mQClientAPIImpl: MQClientAPIImpl;
  readonly topicRouteTable = new Map<string, TopicRouteData>();
  /** brokerName → (brokerId → address). */
  readonly brokerAddrTable = new Map<string, Map<number, string>>();
  /** brokerName → (address → broker version, from heartbeat answers). */
  readonly brokerVersionTable = new Map<string, Map<string, number>>();
  readonly bootTimestamp = Date.now();
  private readonly producerTable = new Map<string, MQProducerInner>();
  private readonly consumerTable = new Map<string, MQConsumerInner>();
  private readonly tasks: ScheduledTasks;
  private readonly lockNamesrv = new SerialLock();
  private readonly lockHeartbeat = new SerialLock();
  private state: ServiceState = 'CREATE_JUST';
  private shuttingDown: Promise<void> | undefined;

  constructor(
    readonly clientConfig: ClientConfig,
    readonly clientId: string,
    private readonly log: Logger,
    private readonly onShutdown: (clientId: string) => void = () => undefined,
  ) {
    this.tasks = new ScheduledTasks(log);
    const remoting = new RemotingClient({ logger: log });
    // Connection problems surface as failed calls; the events are only logged (never unhandled).
    remoting.on('exception', (addr, _ch, error) => log.debug('connection exception', { addr, error: error.message }));
    this.mQClientAPIImpl = new MQClientAPIImpl(remoting, clientConfig, log);
    const processor = new ClientRemotingProcessor(this, log);
    for (const code of CLIENT_REQUEST_CODES) remoting.registerProcessor(code, processor);
    this.mQClientAPIImpl.updateNameServerAddressList(clientConfig.namesrvAddrList());
  }

  get serviceState(): ServiceState {
    return this.state;
  }

  /** Starts the periodic tasks once; later calls (other producers/consumers) are no-ops. */
  start(): void {
    if (this.state === 'RUNNING') return;
    if (this.state !== 'CREATE_JUST') {
      throw new MQClientException(ClientErrorCode.CLIENT_STATE, `The Factory object[${this.clientId}] has been created before, and failed.`);
    }
    if (this.mQClientAPIImpl.getNameServerAddressList().length === 0) {
      this.log.warn('no name server address configured (namesrvAddr / NAMESRV_ADDR)', { clientId: this.clientId });
    }
    if (!this.producerTable.has(CLIENT_INNER_PRODUCER_GROUP)) this.producerTable.set(CLIENT_INNER_PRODUCER_GROUP, INNER_PRODUCER);
    this.startScheduledTask();
    this.state = 'RUNNING';
    this.log.info('the client factory started', { clientId: this.clientId });
  }

  /**
   * Shuts down when no producer or consumer is registered any more (reference counting by
   * registration, as Java does); otherwise returns at once.
   */
  async shutdown(): Promise<void> {
    if (this.consumerTable.size > 0) return;
    if ([...this.producerTable.keys()].some((g) => g !== CLIENT_INNER_PRODUCER_GROUP)) return;
    this.shuttingDown ??= this.doShutdown();
    await this.shuttingDown;
  }

  private async doShutdown(): Promise<void> {
    if (this.state !== 'RUNNING') {
      this.state = 'SHUTDOWN_ALREADY';
      this.onShutdown(this.clientId);
      await this.mQClientAPIImpl.shutdown();
      return;
    }
    this.state = 'SHUTDOWN_ALREADY';
    await this.tasks.cancelAll();
    if (this.producerTable.delete(CLIENT_INNER_PRODUCER_GROUP)) await this.unregisterClient(CLIENT_INNER_PRODUCER_GROUP, undefined);
    await this.mQClientAPIImpl.shutdown();
    this.onShutdown(this.clientId);
    this.log.info('the client factory shut down', { clientId: this.clientId });
  }

  // ---- registration -----------------------------------------------------------------------------

  registerProducer(group: string, producer: MQProducerInner): boolean {
    const existing = this.producerTable.get(group);
    // The CLIENT_INNER_PRODUCER placeholder gives way to a real inner producer (a push consumer's
    // send-back fallback, Java's mQClientFactory.getDefaultMQProducer()).
    if (existing !== undefined && existing !== INNER_PRODUCER) return false;
    this.producerTable.set(group, producer);
    return true;
  }

  /** Forgets the group and tells every known broker (UNREGISTER_CLIENT). */
  async unregisterProducer(group: string): Promise<void> {
    if (group === CLIENT_INNER_PRODUCER_GROUP && this.state === 'RUNNING') {
      // Every running instance has an inner producer in its heartbeats: put the placeholder back.
      this.producerTable.set(group, INNER_PRODUCER);
      return;
    }
    this.producerTable.delete(group);
    await this.unregisterClient(group, undefined);
  }

  registerConsumer(group: string, consumer: MQConsumerInner): boolean {
    if (this.consumerTable.has(group)) return false;
    this.consumerTable.set(group, consumer);
    return true;
  }

  async unregisterConsumer(group: string): Promise<void> {
    this.consumerTable.delete(group);
    await this.unregisterClient(undefined, group);
  }

  selectProducer(group: string): MQProducerInner | undefined {
    return this.producerTable.get(group);
  }

  selectConsumer(group: string): MQConsumerInner | undefined {
    return this.consumerTable.get(group);
  }

  // ---- routes -----------------------------------------------------------------------------------

  /**
   * Fetches `topic`'s route and, if it changed (or a producer/consumer lacks it), updates the broker
   * address table and every producer's and consumer's queues. With `isDefault` the route of the
   * producer's createTopicKey (TBW102) stands in, its queue counts capped at defaultTopicQueueNums:
   * the first send then makes the broker create the topic. Failures are logged; resolves to whether
   * anything changed.
   */
  updateTopicRouteInfoFromNameServer(topic: string, isDefault = false, defaultProducer?: DefaultTopicParams): Promise<boolean> {
    return this.lockNamesrv.run(LOCK_TIMEOUT_MILLIS, false, async () => {
      try {
        const timeout = this.clientConfig.mqClientApiTimeout;
        let route: TopicRouteData;
        if (isDefault && defaultProducer !== undefined) {
          route = await this.mQClientAPIImpl.getDefaultTopicRouteInfoFromNameServer(defaultProducer.createTopicKey, timeout);
          for (const qd of route.queueDatas) {
            const queueNums = Math.min(defaultProducer.defaultTopicQueueNums, qd.readQueueNums);
            qd.readQueueNums = queueNums;
            qd.writeQueueNums = queueNums;
          }
        } else {
          route = await this.mQClientAPIImpl.getTopicRouteInfoFromNameServer(topic, timeout);
        }
        const old = this.topicRouteTable.get(topic);
        const changed = topicRouteDataIsChange(old, route) || this.isNeedUpdateTopicRouteInfo(topic);
        if (!changed) return false;
        this.applyRoute(topic, route);
        return true;
      } catch (e) {
        if (!topic.startsWith(RETRY_GROUP_TOPIC_PREFIX) && topic !== TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC) {
          this.log.warn('updateTopicRouteInfoFromNameServer failed', { topic, error: e instanceof Error ? e.message : String(e) });
        }
        return false;
      }
    });
  }

  private applyRoute(topic: string, route: TopicRouteData): void {
    this.log.info('the topic route info changed', { topic });
    for (const bd of route.brokerDatas) this.brokerAddrTable.set(bd.brokerName, new Map(bd.brokerAddrs));
    if (this.producerTable.size > 0) {
      const publishInfo = topicRouteData2TopicPublishInfo(topic, route);
      publishInfo.haveTopicRouterInfo = true;
      for (const p of this.producerTable.values()) p.updateTopicPublishInfo(topic, publishInfo);
    }
    if (this.consumerTable.size > 0) {
      const subscribeInfo = topicRouteData2TopicSubscribeInfo(topic, route);
      for (const c of this.consumerTable.values()) c.updateTopicSubscribeInfo(topic, subscribeInfo);
    }
    this.topicRouteTable.set(topic, cloneTopicRouteData(route));
  }

  private isNeedUpdateTopicRouteInfo(topic: string): boolean {
    for (const p of this.producerTable.values()) if (p.isPublishTopicNeedUpdate(topic)) return true;
    for (const c of this.consumerTable.values()) if (c.isSubscribeTopicNeedUpdate(topic)) return true;
    return false;
  }

  /** The periodic route refresh: every topic a producer publishes to or a consumer subscribes. */
  async updateTopicRouteInfoFromNameServerAll(): Promise<void> {
    const topics = new Set<string>();
    for (const c of this.consumerTable.values()) for (const s of c.subscriptions()) topics.add(s.topic);
    for (const p of this.producerTable.values()) for (const t of p.getPublishTopicList()) topics.add(t);
    for (const topic of topics) await this.updateTopicRouteInfoFromNameServer(topic);
  }

  findBrokerAddressInPublish(brokerName: string): string | undefined {
    return this.brokerAddrTable.get(brokerName)?.get(MASTER_ID);
  }

  findBrokerAddressInSubscribe(brokerName: string, brokerId: number, onlyThisBroker: boolean): FindBrokerResult | undefined {
    const map = this.brokerAddrTable.get(brokerName);
    if (map === undefined || map.size === 0) return undefined;
    let addr = map.get(brokerId);
    let slave = brokerId !== MASTER_ID;
    if (addr === undefined && slave) addr = map.get(brokerId + 1);
    if (addr === undefined && !onlyThisBroker) {
      const [id, a] = map.entries().next().value as [number, string];
      addr = a;
      slave = id !== MASTER_ID;
    }
    if (addr === undefined) return undefined;
    return { brokerAddr: addr, slave, brokerVersion: this.findBrokerVersion(brokerName, addr) };
  }

  findBrokerVersion(brokerName: string, addr: string): number {
    return this.brokerVersionTable.get(brokerName)?.get(addr) ?? 0;
  }

  /** Any broker serving `topic` (a random one), for group-level requests. */
  findBrokerAddrByTopic(topic: string): string | undefined {
    const brokers = this.topicRouteTable.get(topic)?.brokerDatas ?? [];
    if (brokers.length === 0) return undefined;
    const bd = brokers[Math.floor(Math.random() * brokers.length)];
    return bd === undefined ? undefined : selectBrokerAddr(bd);
  }

  /** GET_CONSUMER_LIST_BY_GROUP on a broker of `topic`; undefined (logged) when none answers. */
  async findConsumerIdList(topic: string, group: string): Promise<string[] | undefined> {
    let addr = this.findBrokerAddrByTopic(topic);
    if (addr === undefined) {
      await this.updateTopicRouteInfoFromNameServer(topic);
      addr = this.findBrokerAddrByTopic(topic);
    }
    if (addr === undefined) return undefined;
    try {
      return await this.mQClientAPIImpl.getConsumerIdListByGroup(addr, group, this.clientConfig.mqClientApiTimeout);
    } catch (e) {
      this.log.warn('getConsumerIdListByGroup failed', { addr, group, error: e instanceof Error ? e.message : String(e) });
      return undefined;
    }
  }

  /** MQClientInstance.cleanOfflineBroker: drop addresses no route mentions any more. */
  cleanOfflineBroker(): void {
    for (const [brokerName, addrs] of this.brokerAddrTable) {
      for (const [id, addr] of addrs) {
        if (!this.isBrokerAddrExistInTopicRouteTable(addr)) {
          addrs.delete(id);
          this.log.info('the broker addr is offline, remove it', { brokerName, addr });
        }
      }
      if (addrs.size === 0) this.brokerAddrTable.delete(brokerName);
    }
  }

  private isBrokerAddrExistInTopicRouteTable(addr: string): boolean {
    for (const route of this.topicRouteTable.values()) {
      for (const bd of route.brokerDatas) for (const a of bd.brokerAddrs.values()) if (a === addr) return true;
    }
    return false;
  }

  // ---- heartbeats -------------------------------------------------------------------------------

  /** Heartbeat to every broker now (masters only when there is no consumer); failures are logged. */
  sendHeartbeatToAllBrokerWithLock(): Promise<void> {
    return this.lockHeartbeat.run(LOCK_TIMEOUT_MILLIS, undefined, () => this.sendHeartbeatToAllBroker());
  }

  private async sendHeartbeatToAllBroker(): Promise<void> {
    const hb = this.prepareHeartbeatData();
    if (hb.producerDataSet.length === 0 && hb.consumerDataSet.length === 0) return;
    const consumerEmpty = hb.consumerDataSet.length === 0;
    const sends: Promise<void>[] = [];
    for (const [brokerName, addrs] of this.brokerAddrTable) {
      for (const [id, addr] of addrs) {
        if (consumerEmpty && id !== MASTER_ID) continue;
        sends.push(this.sendHeartbeat(brokerName, addr, hb));
      }
    }
    await Promise.all(sends);
  }

  private async sendHeartbeat(brokerName: string, addr: string, hb: HeartbeatData): Promise<void> {
    try {
      const version = await this.mQClientAPIImpl.sendHeartbeat(addr, hb, this.clientConfig.mqClientApiTimeout);
      let versions = this.brokerVersionTable.get(brokerName);
      if (versions === undefined) this.brokerVersionTable.set(brokerName, (versions = new Map()));
      versions.set(addr, version);
    } catch (e) {
      this.log.warn('send heart beat to broker failed', { brokerName, addr, error: e instanceof Error ? e.message : String(e) });
    }
  }

  prepareHeartbeatData(): HeartbeatData {
    return {
      clientID: this.clientId,
      producerDataSet: [...this.producerTable.keys()].map((groupName) => ({ groupName })),
      consumerDataSet: [...this.consumerTable.values()].map((c) => ({
        groupName: c.groupName(),
        consumeType: c.consumeType(),
        messageModel: c.messageModel(),
        consumeFromWhere: c.consumeFromWhere(),
        subscriptionDataSet: c.subscriptions(),
        unitMode: c.isUnitMode(),
      })),
    };
  }

  private async unregisterClient(producerGroup: string | undefined, consumerGroup: string | undefined): Promise<void> {
    const sends: Promise<void>[] = [];
    for (const [brokerName, addrs] of this.brokerAddrTable) {
      for (const addr of addrs.values()) {
        sends.push(
          this.mQClientAPIImpl.unregisterClient(addr, this.clientId, producerGroup, consumerGroup, this.clientConfig.mqClientApiTimeout).then(
            () => this.log.info('unregister client', { producerGroup, consumerGroup, brokerName, addr }),
            (e: unknown) => this.log.warn('unregister client failed', { brokerName, addr, error: e instanceof Error ? e.message : String(e) }),
          ),
        );
      }
    }
    await Promise.all(sends);
  }

  // ---- consumers --------------------------------------------------------------------------------

  /** Wakes the rebalance service (NOTIFY_CONSUMER_IDS_CHANGED, a new subscription …). */
  rebalanceImmediately(): void {
    this.tasks.wakeup('rebalance');
  }

  async doRebalance(): Promise<void> {
    for (const [group, c] of this.consumerTable) {
      try {
        await c.doRebalance();
      } catch (e) {
        this.log.error('doRebalance exception', { group, error: e instanceof Error ? e.message : String(e) });
      }
    }
  }

  async persistAllConsumerOffset(): Promise<void> {
    for (const [group, c] of this.consumerTable) {
      try {
        await c.persistConsumerOffset();
      } catch (e) {
        this.log.warn('persistConsumerOffset failed', { group, error: e instanceof Error ? e.message : String(e) });
      }
    }
  }

  /** GET_CONSUMER_RUNNING_INFO: the consumer's info plus the client-level properties. */
  consumerRunningInfo(group: string): ConsumerRunningInfo | undefined {
    const c = this.consumerTable.get(group);
    if (c === undefined) return undefined;
    const info = c.consumerRunningInfo();
    info.properties.set(ConsumerRunningInfoProps.PROP_NAMESERVER_ADDR, this.mQClientAPIImpl.getNameServerAddressList().join(';'));
    info.properties.set(ConsumerRunningInfoProps.PROP_CONSUME_TYPE, c.consumeType());
    info.properties.set(ConsumerRunningInfoProps.PROP_CLIENT_VERSION, CLIENT_VERSION_DESC);
    return info;
  }

  // ---- periodic tasks ---------------------------------------------------------------------------

  /** MQClientInstance.startScheduledTask (§8.3) plus the RebalanceService loop. */
  private startScheduledTask(): void {
    const cfg = this.clientConfig;
    this.tasks.scheduleWithFixedDelay('updateTopicRouteInfoFromNameServer', 10, () => cfg.pollNameServerInterval, () =>
      this.updateTopicRouteInfoFromNameServerAll(),
    );
    this.tasks.scheduleWithFixedDelay('heartbeat', 1000, () => cfg.heartbeatBrokerInterval, async () => {
      this.cleanOfflineBroker();
      await this.sendHeartbeatToAllBrokerWithLock();
    });
    this.tasks.scheduleWithFixedDelay('persistAllConsumerOffset', 10_000, () => cfg.persistConsumerOffsetInterval, () => this.persistAllConsumerOffset());
    // RebalanceService waits its interval before the first round; a consumer's start wakes it
    // (rebalanceImmediately) once its routes and heartbeat are in place.
    this.tasks.scheduleWithFixedDelay('rebalance', REBALANCE_WAIT_INTERVAL_MILLIS, () => REBALANCE_WAIT_INTERVAL_MILLIS, () => this.doRebalance());
  }
}

/** The CLIENT_INNER_PRODUCER group every Java client instance registers: it only appears in heartbeats. */
const INNER_PRODUCER: MQProducerInner = {
  getPublishTopicList: () => [],
  isPublishTopicNeedUpdate: () => false,
  updateTopicPublishInfo: () => undefined,
  isUnitMode: () => false,
};
