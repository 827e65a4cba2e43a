import { join } from 'node:path';

import { createLogger, type Logger } from '../common/logging/logger.js';
import type { SocketAddress } from '../common/message/index.js';
import { nextDataVersion } from '../common/protocol/body/data-version.js';
import { isReadable, isWriteable } from '../common/protocol/body/perm-name.js';
import type { TopicConfigSerializeWrapper } from '../common/protocol/body/topic-config-serialize-wrapper.js';
import { formatAddress } from '../common/remoting/address.js';
import type { RemotingChannel, RequestProcessor } from '../common/remoting/remoting-channel.js';
import { RemotingServer } from '../common/remoting/remoting-server.js';
import { createBrokerConfig, registerNameServerPeriod, type BrokerConfig } from './broker-config.js';
import { NotifyingConsumerIdsChangeListener } from './client/consumer-ids-change-listener.js';
import { ConsumerManager } from './client/consumer-manager.js';
import { ProducerManager } from './client/producer-manager.js';
import { RebalanceLockManager } from './client/rebalance-lock-manager.js';
import { LONG_POLLING_CHECK_INTERVAL_MILLIS, PullRequestHoldService } from './long-polling/pull-request-hold-service.js';
import { NamesrvRegistrar } from './namesrv-registrar.js';
import { ConsumerOffsetManager } from './offset/consumer-offset-manager.js';
import { AdminBrokerProcessor } from './processor/admin-broker-processor.js';
import { BrokerConfiguration } from './broker-configuration.js';
import { BrokerRuntimeProcessor } from './processor/broker-runtime-processor.js';
import { ConsumerAdminProcessor, readDelayOffsetFile } from './processor/consumer-admin-processor.js';
import { ConsumerRelayProcessor } from './processor/consumer-relay-processor.js';
import { EndTransactionProcessor } from './processor/end-transaction-processor.js';
import { QueryMessageProcessor } from './processor/query-message-processor.js';
import { ResetOffsetProcessor } from './processor/reset-offset-processor.js';
import { SubscriptionGroupProcessor } from './processor/subscription-group-processor.js';
import { BrokerStats } from './stats/broker-stats.js';
import { buildBrokerRuntimeInfo, storeCounters } from './stats/broker-runtime-info.js';
import { CallSnapshotSampler } from './stats/call-snapshot-sampler.js';
import { ClientManageProcessor } from './processor/client-manage-processor.js';
import { ConsumerManageProcessor } from './processor/consumer-manage-processor.js';
import { PullMessageProcessor } from './processor/pull-message-processor.js';
import { QueueOffsetProcessor } from './processor/queue-offset-processor.js';
import { RebalanceLockProcessor } from './processor/rebalance-lock-processor.js';
import { SendBackMessageProcessor } from './processor/send-back-message-processor.js';
import { SendMessageProcessor } from './processor/send-message-processor.js';
import { ViewMessageProcessor } from './processor/view-message-processor.js';
import { ScheduleMessageService } from './schedule/schedule-message-service.js';
import { BrokerReplication } from './ha/broker-replication.js';
import { DefaultMessageStore } from './store/message-store.js';
import { createMessageStoreConfig, type MessageStoreConfig } from './store/store-config.js';
import { SubscriptionGroupManager } from './subscription/subscription-group-manager.js';
import { TopicConfigManager } from './topic/topic-config-manager.js';

/** ClientHousekeepingService scans for silent clients every 10 s. */
const CLIENT_HOUSEKEEPING_INTERVAL_MILLIS = 10_000;
/** Java's first registration runs 10 s after start (the start itself registers at once too). */
const REGISTER_INITIAL_DELAY_MILLIS = 10_000;
const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::', '']);

export interface BrokerControllerOptions {
  logger?: Logger;
  /** Bound on the graceful part of the remoting server's shutdown. */
  shutdownTimeoutMillis?: number;
  /** Where UPDATE_BROKER_CONFIG persists (Java: the `-c` file); default `<store>/config/broker.properties`. */
  brokerConfigPath?: string;
}

/**
 * The broker (broker/BrokerController.java): wires the store, the managers, the processors (each
 * given only the narrow interfaces it uses) and the remoting server, registers with the name servers
 * and runs the periodic tasks (registration, consumer offset persistence, client housekeeping).
 */
export class BrokerController {
  readonly brokerConfig: BrokerConfig;
  readonly messageStoreConfig: MessageStoreConfig;
  readonly messageStore: DefaultMessageStore;
  readonly topicConfigManager: TopicConfigManager;
  readonly subscriptionGroupManager: SubscriptionGroupManager;
  readonly consumerOffsetManager: ConsumerOffsetManager;
  readonly producerManager: ProducerManager;
  readonly consumerManager: ConsumerManager;
  readonly rebalanceLockManager = new RebalanceLockManager();
  readonly pullRequestHoldService: PullRequestHoldService;
  readonly pullMessageProcessor: PullMessageProcessor;
  readonly scheduleMessageService: ScheduleMessageService;
  readonly remotingServer: RemotingServer;
  /** HA (issue 8): HAService, slave role wiring. */
  readonly replication: BrokerReplication;
  private readonly registrar: NamesrvRegistrar;
  private readonly log: Logger;
  /** GET/UPDATE_BROKER_CONFIG over the config objects (Java's Configuration). */
  readonly configuration: BrokerConfiguration;
  /** Put/get totals at midnight and the per-second samples of GET_BROKER_RUNTIME_INFO. */
  readonly brokerStats: BrokerStats;
  readonly storeStatsSampler: CallSnapshotSampler;
  private readonly timers = new Set<NodeJS.Timeout>();
  private state: 'new' | 'started' | 'stopped' = 'new';

  constructor(brokerConfig: Partial<BrokerConfig> | BrokerConfig = {}, messageStoreConfig: Partial<MessageStoreConfig> | MessageStoreConfig = {}, options: BrokerControllerOptions = {}) {
    this.brokerConfig = createBrokerConfig(brokerConfig);
    this.messageStoreConfig = createMessageStoreConfig(messageStoreConfig);
    const bc = this.brokerConfig;
    const root = this.log = (options.logger ?? createLogger('rocketmq')).namespace('BrokerController');
    const configDir = join(this.messageStoreConfig.storePathRootDir, 'config');

    this.topicConfigManager = new TopicConfigManager(bc, join(configDir, 'topics.json'), root.namespace('TopicConfigManager'), () => {
      // Java: registerBrokerAll(false, true, true) right after an auto-creation — oneway, forced.
      this.registerBrokerAll(true).catch((e: unknown) => this.log.warn('register after topic creation failed', { error: e }));
    });
    this.subscriptionGroupManager = new SubscriptionGroupManager(() => bc.autoCreateSubscriptionGroup, join(configDir, 'subscriptionGroup.json'), root.namespace('SubscriptionGroupManager'));
    this.consumerOffsetManager = new ConsumerOffsetManager(join(configDir, 'consumerOffset.json'), root.namespace('ConsumerOffsetManager'));
    this.producerManager = new ProducerManager(root.namespace('ProducerManager'));
    this.consumerManager = new ConsumerManager(
      new NotifyingConsumerIdsChangeListener(() => bc.notifyConsumerIdsChangedEnable, root.namespace('Broker2Client')),
      root.namespace('ConsumerManager'),
    );
    this.pullRequestHoldService = new PullRequestHoldService({
      checkIntervalMillis: bc.longPollingEnable ? LONG_POLLING_CHECK_INTERVAL_MILLIS : bc.shortPollingTimeMills,
      maxHeld: bc.maxPullRequestsHeld,
      maxOffsetInQueue: (topic, queueId) => this.messageStore.getMaxOffsetInQueue(topic, queueId),
      wakeup: (channel, request) => this.pullMessageProcessor.executeRequestWhenWakeup(channel, request),
      log: root.namespace('PullRequestHoldService'),
    });
    this.scheduleMessageService = new ScheduleMessageService({
      messageDelayLevel: this.messageStoreConfig.messageDelayLevel,
      flushDelayOffsetInterval: () => this.messageStoreConfig.flushDelayOffsetInterval,
      configPath: join(configDir, 'delayOffset.json'),
      log: root.namespace('ScheduleMessageService'),
    });
    this.messageStore = new DefaultMessageStore(this.messageStoreConfig, {
      tagsCodeResolver: this.scheduleMessageService.tagsCodeResolver(),
      // NotifyMessageArrivingListener: only with long polling, as Java's reput checks.
      messageArrivingListener: {
        arriving: (topic, queueId, logicOffset, tagsCode) => {
          if (bc.longPollingEnable) this.pullRequestHoldService.arriving(topic, queueId, logicOffset, tagsCode);
        },
      },
      logger: root.namespace('store'),
    });
    this.replication = new BrokerReplication({
      store: this.messageStore,
      storeConfig: this.messageStoreConfig,
      slaveSync: {
        brokerAddr: () => this.brokerAddr,
        topicConfigManager: this.topicConfigManager,
        consumerOffsetManager: this.consumerOffsetManager,
        subscriptionGroupManager: this.subscriptionGroupManager,
        delayOffsetPath: join(configDir, 'delayOffset.json'),
      },
      log: root.namespace('HAService'),
    });
    this.remotingServer = new RemotingServer({
      host: bc.bindAddress,
      listenPort: bc.listenPort,
      serverChannelMaxIdleTimeSeconds: bc.serverChannelMaxIdleTimeSeconds,
      serverSocketBacklog: bc.serverSocketBacklog,
      writeBufferHighWaterMark: bc.writeBufferHighWaterMark,
      writeBufferLowWaterMark: bc.writeBufferLowWaterMark,
      ...(options.shutdownTimeoutMillis === undefined ? {} : { shutdownTimeoutMillis: options.shutdownTimeoutMillis }),
      logger: options.logger ?? createLogger('rocketmq'),
    });
    this.registrar = new NamesrvRegistrar({
      namesrvAddr: () => bc.namesrvAddr,
      identity: () => ({
        clusterName: bc.brokerClusterName,
        brokerName: bc.brokerName,
        brokerId: bc.brokerId,
        brokerAddr: this.brokerAddr,
        haServerAddr: formatAddress(bc.brokerIP2, this.messageStoreConfig.haListenPort),
      }),
      registerBrokerTimeoutMills: () => bc.registerBrokerTimeoutMills,
      compressedRegister: () => bc.compressedRegister,
      log: root.namespace('BrokerOuterAPI'),
    });

    const store = this.messageStore;
    const maxMessageSize = (): number => this.messageStoreConfig.maxMessageSize;
    const brokerRole = (): MessageStoreConfig['brokerRole'] => this.messageStoreConfig.brokerRole;
    this.configuration = new BrokerConfiguration(bc, this.messageStoreConfig, options.brokerConfigPath ?? join(configDir, 'broker.properties'), root.namespace('Configuration'));
    this.storeStatsSampler = new CallSnapshotSampler(() => storeCounters(store.stats));
    this.brokerStats = new BrokerStats({ putTotal: () => store.stats.putMessageTimesTotal, getTotal: () => store.stats.getMessageTransferedMsgCount });
    this.pullMessageProcessor = new PullMessageProcessor({
      brokerConfig: bc,
      brokerRole,
      offsetCheckInSlave: () => this.messageStoreConfig.offsetCheckInSlave,
      storeHost: () => this.storeHost,
      store,
      topicConfigManager: this.topicConfigManager,
      subscriptionGroupManager: this.subscriptionGroupManager,
      consumerManager: this.consumerManager,
      consumerOffsetManager: this.consumerOffsetManager,
      pullRequestHoldService: this.pullRequestHoldService,
      log: root.namespace('PullMessageProcessor'),
    });
    const processors: [readonly number[], RequestProcessor][] = [
      [
        SendMessageProcessor.CODES,
        new SendMessageProcessor({
          brokerConfig: bc,
          maxMessageSize,
          store,
          topicConfigManager: this.topicConfigManager,
          subscriptionGroupManager: this.subscriptionGroupManager,
          storeHost: () => this.storeHost,
          rewriteDelayed: (msg) => this.scheduleMessageService.rewriteDelayed(msg),
          log: root.namespace('SendMessageProcessor'),
        }),
      ],
      [
        SendBackMessageProcessor.CODES,
        new SendBackMessageProcessor({
          brokerConfig: bc,
          store,
          topicConfigManager: this.topicConfigManager,
          subscriptionGroupManager: this.subscriptionGroupManager,
          rewriteDelayed: (msg) => this.scheduleMessageService.rewriteDelayed(msg),
          log: root.namespace('SendBackMessageProcessor'),
        }),
      ],
      [PullMessageProcessor.CODES, this.pullMessageProcessor],
      [
        ClientManageProcessor.CODES,
        new ClientManageProcessor({
          consumerManager: this.consumerManager,
          producerManager: this.producerManager,
          subscriptionGroupManager: this.subscriptionGroupManager,
          topicConfigManager: this.topicConfigManager,
          enablePropertyFilter: () => bc.enablePropertyFilter,
          log: root.namespace('ClientManageProcessor'),
        }),
      ],
      [
        ConsumerManageProcessor.CODES,
        new ConsumerManageProcessor({
          consumerManager: this.consumerManager,
          consumerOffsetManager: this.consumerOffsetManager,
          minOffsetInQueue: (topic, queueId) => store.getMinOffsetInQueue(topic, queueId),
          log: root.namespace('ConsumerManageProcessor'),
        }),
      ],
      [QueueOffsetProcessor.CODES, new QueueOffsetProcessor(store)],
      [RebalanceLockProcessor.CODES, new RebalanceLockProcessor(this.rebalanceLockManager)],
      [ViewMessageProcessor.CODES, new ViewMessageProcessor(store, maxMessageSize)],
      ...this.adminProcessors(root, configDir),
    ];
    for (const [codes, processor] of processors) for (const code of codes) this.remotingServer.registerProcessor(code, processor);

    // ClientHousekeepingService: a closed, failed or idle connection leaves every group at once.
    const channelGone = (channel: RemotingChannel): void => {
      this.producerManager.doChannelCloseEvent(channel);
      this.consumerManager.doChannelCloseEvent(channel);
    };
    this.remotingServer.on('close', channelGone);
    this.remotingServer.on('exception', channelGone);
    this.remotingServer.on('idle', channelGone);
  }

  /** The bound remoting port (the ephemeral one when listenPort was 0). */
  get port(): number {
    return this.remotingServer.port;
  }

  /** brokerIP1:port, as clients and name servers see the broker. */
  get brokerAddr(): string {
    return formatAddress(this.advertisedHost(), this.port || this.brokerConfig.listenPort);
  }

  /** STOREHOST of every record (Java's getStoreHost: brokerIP1:listenPort). */
  get storeHost(): SocketAddress {
    return { host: this.advertisedHost(), port: this.port || this.brokerConfig.listenPort };
  }

  /** Loads the config files, starts the store and the server, registers, schedules the periodic tasks. */
  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error(`BrokerController cannot start from state ${this.state}`);
    this.state = 'started';
    await this.topicConfigManager.load();
    await this.subscriptionGroupManager.load();
    await this.consumerOffsetManager.load();
    await this.messageStore.start();
    try {
      await this.startScheduleMessageService();
      await this.remotingServer.start();
    } catch (e: unknown) {
      await this.scheduleMessageService.shutdown();
      await this.messageStore.shutdown();
      throw e;
    }
    if (this.messageStoreConfig.haListenPort === 0 || this.brokerConfig.listenPort === 0) this.messageStoreConfig.haListenPort = this.port + 1;
    await this.replication.start(this.brokerConfig.bindAddress, this.brokerConfig.listenPort === 0);
    this.pullRequestHoldService.start();
    await this.registerBrokerAll(false);
    const bc = this.brokerConfig;
    this.every(REGISTER_INITIAL_DELAY_MILLIS, registerNameServerPeriod(bc), () => this.registerBrokerAll(false));
    this.every(bc.flushConsumerOffsetInterval, bc.flushConsumerOffsetInterval, () => this.consumerOffsetManager.persist());
    this.every(CLIENT_HOUSEKEEPING_INTERVAL_MILLIS, CLIENT_HOUSEKEEPING_INTERVAL_MILLIS, () => {
      this.producerManager.scanNotActiveChannel();
      this.consumerManager.scanNotActiveChannel();
    });
    this.storeStatsSampler.start();
    this.brokerStats.start();
    this.log.info('broker started', { brokerName: bc.brokerName, brokerAddr: this.brokerAddr, namesrvAddr: bc.namesrvAddr });
  }

  /** Unregisters, closes connections, stops the store and writes the config files one last time. */
  async shutdown(): Promise<void> {
    if (this.state !== 'started') {
      this.state = 'stopped';
      return;
    }
    this.state = 'stopped';
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.storeStatsSampler.shutdown();
    this.brokerStats.shutdown();
    this.pullRequestHoldService.shutdown();
    await this.registrar.unregisterBrokerAll();
    await this.remotingServer.shutdown();
    await this.replication.shutdown();
    // As DefaultMessageStore.shutdown: deliveries stop (and delayOffset.json is written) before the store.
    await this.scheduleMessageService.shutdown();
    await this.messageStore.shutdown();
    await Promise.all([this.consumerOffsetManager.persist(), this.topicConfigManager.persist(), this.subscriptionGroupManager.persist()]);
    await this.registrar.shutdown();
    this.log.info('broker shut down', { brokerAddr: this.brokerAddr });
  }

  /**
   * registerBrokerAll: the whole topic table to every name server. A broker that is not both readable
   * and writable advertises its own permission on every topic, as Java does.
   */
  async registerBrokerAll(oneway: boolean): Promise<void> {
    if (this.state !== 'started') return;
    const wrapper: TopicConfigSerializeWrapper = this.topicConfigManager.buildTopicConfigSerializeWrapper();
    const perm = this.brokerConfig.brokerPermission;
    if (!isWriteable(perm) || !isReadable(perm)) {
      for (const tc of wrapper.topicConfigTable.values()) tc.perm = perm;
    }
    this.replication.onRegisterResults(await this.registrar.registerBrokerAll(wrapper, oneway));
  }

  /** Every key of BrokerConfig, NettyServerConfig and MessageStoreConfig as `key=value` lines. */
  allConfigsFormatString(): string {
    return this.configuration.allConfigsFormatString();
  }

  /**
   * The admin side (AdminBrokerProcessor split by concern), QUERY_MESSAGE and END_TRANSACTION, each
   * with the narrow views it reads.
   */
  private adminProcessors(root: Logger, configDir: string): [readonly number[], RequestProcessor][] {
    const store = this.messageStore;
    const brokerRole = (): MessageStoreConfig['brokerRole'] => this.messageStoreConfig.brokerRole;
    const brokerName = (): string => this.brokerConfig.brokerName;
    const reregister = (what: string): void => {
      this.registerBrokerAll(false).catch((e: unknown) => this.log.warn(`register after ${what} failed`, { error: e }));
    };
    return [
      [
        AdminBrokerProcessor.CODES,
        new AdminBrokerProcessor({
          topicConfigManager: this.topicConfigManager,
          brokerRole,
          brokerName,
          store,
          // registerIncrementBrokerData: Java sends just the changed topic; the whole table is equivalent.
          onTopicUpdated: () => reregister('topic update'),
          configuration: this.configuration,
          onBrokerPermissionChanged: () => {
            nextDataVersion(this.topicConfigManager.dataVersion);
            reregister('brokerPermission update');
          },
          log: root.namespace('AdminBrokerProcessor'),
        }),
      ],
      [
        SubscriptionGroupProcessor.CODES,
        new SubscriptionGroupProcessor({
          subscriptionGroupManager: this.subscriptionGroupManager,
          consumerOffsetManager: this.consumerOffsetManager,
          brokerRole,
          log: root.namespace('AdminBrokerProcessor'),
        }),
      ],
      [
        ConsumerAdminProcessor.CODES,
        new ConsumerAdminProcessor({
          consumerManager: this.consumerManager,
          producerManager: this.producerManager,
          consumerOffsetManager: this.consumerOffsetManager,
          topicConfigManager: this.topicConfigManager,
          store,
          brokerName,
          // The running service's table (Java: ScheduleMessageService.encode); the file before it loads.
          delayOffsetJson: () =>
            this.scheduleMessageService.isStarted() ? Promise.resolve(this.scheduleMessageService.encode()) : readDelayOffsetFile(join(configDir, 'delayOffset.json')),
          log: root.namespace('AdminBrokerProcessor'),
        }),
      ],
      [
        ResetOffsetProcessor.CODES,
        new ResetOffsetProcessor({
          topicConfigManager: this.topicConfigManager,
          consumerOffsetManager: this.consumerOffsetManager,
          consumerManager: this.consumerManager,
          store,
          brokerName,
          log: root.namespace('Broker2Client'),
        }),
      ],
      [ConsumerRelayProcessor.CODES, new ConsumerRelayProcessor({ consumerManager: this.consumerManager, store, brokerName, log: root.namespace('Broker2Client') })],
      [
        BrokerRuntimeProcessor.CODES,
        new BrokerRuntimeProcessor({
          runtimeInfo: () =>
            buildBrokerRuntimeInfo({
              brokerConfig: this.brokerConfig,
              storeConfig: this.messageStoreConfig,
              store,
              remainHowManyDataToFlush: () => store.getMaxPhyOffset() - store.commitLog.mappedFileQueue.flushedWhere,
              remainHowManyDataToCommit: () => store.getMaxPhyOffset() - store.commitLog.mappedFileQueue.committedWhere,
              sampler: this.storeStatsSampler,
              brokerStats: this.brokerStats,
              extraRunningStats: (into) => {
                for (const [k, v] of this.scheduleMessageService.buildRunningStats((t, q) => store.getMaxOffsetInQueue(t, q))) into.set(k, v);
              },
            }),
          store,
          log: root.namespace('AdminBrokerProcessor'),
        }),
      ],
      [QueryMessageProcessor.CODES, new QueryMessageProcessor({ store, defaultQueryMaxNum: () => this.messageStoreConfig.defaultQueryMaxNum })],
      [EndTransactionProcessor.CODES, new EndTransactionProcessor({ brokerRole, store, log: root.namespace('EndTransactionProcessor') })],
    ];
  }

  /**
   * Java's handleScheduleMessageService: load delayOffset.json once the ConsumeQueues are complete
   * (recovery's re-dispatch included, so no offset is clamped to a half-built queue); deliver only
   * when not a SLAVE.
   */
  private async startScheduleMessageService(): Promise<void> {
    const store = this.messageStore;
    await store.reputMessageService.waitCaughtUp();
    const scheduleStore = {
      findConsumeQueue: (topic: string, queueId: number) => store.consumeQueueTable.find(topic, queueId),
      selectOneMessageByOffset: (offset: number, size: number) => store.selectOneMessageByOffset(offset, size),
      putMessage: (msg: Parameters<DefaultMessageStore['putMessage']>[0]) => store.putMessage(msg),
    };
    await this.scheduleMessageService.load(scheduleStore);
    if (this.messageStoreConfig.brokerRole !== 'SLAVE') this.scheduleMessageService.start(scheduleStore);
  }

  private advertisedHost(): string {
    const ip = this.brokerConfig.brokerIP1;
    return WILDCARD_ADDRESSES.has(ip) ? '127.0.0.1' : ip;
  }

  /** A periodic task owned by the controller; a failing run is logged and the next one still runs. */
  private every(initialDelayMillis: number, periodMillis: number, task: () => Promise<void> | void): void {
    const schedule = (delay: number): void => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        void Promise.resolve()
          .then(task)
          .catch((e: unknown) => this.log.error('scheduled task failed', { error: e }))
          .finally(() => {
            if (this.state === 'started') schedule(periodMillis);
          });
      }, delay);
      this.timers.add(t);
    };
    schedule(initialDelayMillis);
  }
}
