import { hostname, networkInterfaces } from 'node:os';

import { PermName } from '../common/protocol/body/perm-name.js';
import { ConfigError, applyConfig, defaultConfig, type ConfigKeySpec, type ConfigOf } from '../common/util/config-schema.js';
import { applyMessageStoreConfig, createMessageStoreConfig, type MessageStoreConfig } from './store/store-config.js';

/*
 * BrokerConfig + NettyServerConfig (PROTOCOL.md §15) under RocketMQ's key names and defaults, so a
 * broker.conf written for a Java broker means the same here. Keys that tune Java internals (thread
 * pools, commercial stats, bloom filters) are accepted and documented as without effect, so such a
 * file still loads; a key none of BrokerConfig, NettyServerConfig and MessageStoreConfig knows is a
 * startup error naming it (Java silently ignores it — the CLI contract asks for strictness).
 */

/** BrokerStartup sets NettyServerConfig.listenPort to 10911 before reading the file. */
export const DEFAULT_BROKER_LISTEN_PORT = 10911;
/** MixAll.DEFAULT_TRACE_REGION_ID. */
export const DEFAULT_REGION_ID = 'DefaultRegion';
/** TopicValidator.RMQ_SYS_TRACE_TOPIC. */
export const RMQ_SYS_TRACE_TOPIC = 'RMQ_SYS_TRACE_TOPIC';
/** BrokerController clamps registerNameServerPeriod to [10 s, 60 s]. */
export const REGISTER_NAMESRV_PERIOD_MIN_MILLIS = 10_000;
export const REGISTER_NAMESRV_PERIOD_MAX_MILLIS = 60_000;

const NO_EFFECT = '(accepted for broker.conf compatibility; no effect here)';
const int = (def: number, doc: string, min?: number, max?: number): ConfigKeySpec<number> => ({
  type: 'int',
  default: def,
  doc,
  ...(min === undefined ? {} : { min }),
  ...(max === undefined ? {} : { max }),
});
const long = (def: number, doc: string, min?: number): ConfigKeySpec<number> => ({ type: 'long', default: def, doc, ...(min === undefined ? {} : { min }) });
const bool = (def: boolean, doc: string): ConfigKeySpec<boolean> => ({ type: 'boolean', default: def, doc });
const str = (def: string, doc: string): ConfigKeySpec<string> => ({ type: 'string', default: def, doc });

export const BROKER_CONFIG_SCHEMA = {
  // --- BrokerConfig -------------------------------------------------------------------------
  rocketmqHome: str(process.env['ROCKETMQ_HOME'] ?? '', NO_EFFECT),
  namesrvAddr: str(process.env['NAMESRV_ADDR'] ?? '', "name servers, 'host:port;host:port'"),
  brokerIP1: str(getLocalAddress(), 'address advertised to clients and name servers'),
  brokerIP2: str(getLocalAddress(), 'HA address advertised to slaves'),
  brokerName: str(hostname(), 'broker name (master and slaves share it)'),
  brokerClusterName: str('DefaultCluster', 'cluster name'),
  brokerId: long(0, '0 = master', 0),
  brokerPermission: int(PermName.PERM_READ | PermName.PERM_WRITE, 'PermName bits of the whole broker'),
  defaultTopicQueueNums: int(8, 'queues of TBW102, hence the cap of auto-created topics', 1),
  autoCreateTopicEnable: bool(true, 'create TBW102 (perm 7) so a first send creates its topic'),
  clusterTopicEnable: bool(true, 'the topic named after the cluster is R/W'),
  brokerTopicEnable: bool(true, 'the topic named after the broker is R/W'),
  autoCreateSubscriptionGroup: bool(true, 'create a subscription group on first use'),
  messageStorePlugIn: str('', NO_EFFECT),
  msgTraceTopicName: str(RMQ_SYS_TRACE_TOPIC, 'trace topic created when traceTopicEnable'),
  traceTopicEnable: bool(false, 'create the trace topic at start'),
  sendMessageThreadPoolNums: int(4, 'sends processed at once (Java: threads)', 1),
  putMessageFutureThreadPoolNums: int(4, NO_EFFECT),
  pullMessageThreadPoolNums: int(32, 'pulls processed at once (Java: threads)', 1),
  processReplyMessageThreadPoolNums: int(32, NO_EFFECT),
  queryMessageThreadPoolNums: int(16, NO_EFFECT),
  adminBrokerThreadPoolNums: int(16, NO_EFFECT),
  clientManageThreadPoolNums: int(32, NO_EFFECT),
  consumerManageThreadPoolNums: int(32, NO_EFFECT),
  heartbeatThreadPoolNums: int(8, NO_EFFECT),
  endTransactionThreadPoolNums: int(16, NO_EFFECT),
  flushConsumerOffsetInterval: int(5000, 'ms between consumerOffset.json writes', 1),
  flushConsumerOffsetHistoryInterval: int(60_000, NO_EFFECT),
  rejectTransactionMessage: bool(false, 'answer NO_PERMISSION to prepared transaction messages'),
  fetchNamesrvAddrByAddressServer: bool(false, NO_EFFECT),
  sendThreadPoolQueueCapacity: int(10_000, 'sends waiting beyond sendMessageThreadPoolNums', 0),
  putThreadPoolQueueCapacity: int(10_000, NO_EFFECT),
  pullThreadPoolQueueCapacity: int(100_000, 'pulls waiting beyond pullMessageThreadPoolNums', 0),
  replyThreadPoolQueueCapacity: int(10_000, NO_EFFECT),
  queryThreadPoolQueueCapacity: int(20_000, NO_EFFECT),
  clientManagerThreadPoolQueueCapacity: int(1_000_000, NO_EFFECT),
  consumerManagerThreadPoolQueueCapacity: int(1_000_000, NO_EFFECT),
  heartbeatThreadPoolQueueCapacity: int(50_000, NO_EFFECT),
  endTransactionPoolQueueCapacity: int(100_000, NO_EFFECT),
  filterServerNums: int(0, NO_EFFECT),
  longPollingEnable: bool(true, 'hold PULL_NOT_FOUND pulls up to suspendTimeoutMillis'),
  shortPollingTimeMills: long(1000, 'hold time when long polling is off', 0),
  notifyConsumerIdsChangedEnable: bool(true, 'send NOTIFY_CONSUMER_IDS_CHANGED to a group on membership changes'),
  highSpeedMode: bool(false, NO_EFFECT),
  commercialEnable: bool(true, NO_EFFECT),
  commercialTimerCount: int(1, NO_EFFECT),
  commercialTransCount: int(1, NO_EFFECT),
  commercialBigCount: int(1, NO_EFFECT),
  commercialBaseCount: int(1, NO_EFFECT),
  transferMsgByHeap: bool(true, 'pull bodies are copied (always true here)'),
  maxDelayTime: int(40, NO_EFFECT),
  regionId: str(DEFAULT_REGION_ID, 'MSG_REGION of send responses'),
  registerBrokerTimeoutMills: int(6000, 'ms a REGISTER_BROKER may take', 1),
  slaveReadEnable: bool(false, 'let consumers read from slaves'),
  disableConsumeIfConsumerReadSlowly: bool(false, NO_EFFECT),
  consumerFallbehindThreshold: long(16 * 1024 * 1024 * 1024, NO_EFFECT),
  brokerFastFailureEnable: bool(true, NO_EFFECT),
  waitTimeMillsInSendQueue: long(200, NO_EFFECT),
  waitTimeMillsInPullQueue: long(5000, NO_EFFECT),
  waitTimeMillsInHeartbeatQueue: long(31_000, NO_EFFECT),
  waitTimeMillsInTransactionQueue: long(3000, NO_EFFECT),
  startAcceptSendRequestTimeStamp: long(0, 'sends before this ms epoch get SYSTEM_ERROR'),
  traceOn: bool(true, 'TRACE_ON of send responses'),
  enableCalcFilterBitMap: bool(false, NO_EFFECT),
  expectConsumerNumUseFilter: int(32, NO_EFFECT),
  maxErrorRateOfBloomFilter: int(20, NO_EFFECT),
  filterDataCleanTimeSpan: long(24 * 3600 * 1000, NO_EFFECT),
  filterSupportRetry: bool(false, NO_EFFECT),
  enablePropertyFilter: bool(false, 'SQL92 filtering (not supported: pulls with SQL92 get SYSTEM_ERROR)'),
  compressedRegister: bool(false, 'zlib RegisterBrokerBody'),
  forceRegister: bool(true, 'register even when the data version did not change'),
  registerNameServerPeriod: int(30_000, 'ms between registrations (clamped to 10 s..60 s)', 1),
  transactionTimeOut: long(6000, NO_EFFECT),
  transactionCheckMax: int(15, NO_EFFECT),
  transactionCheckInterval: long(60_000, NO_EFFECT),
  aclEnable: bool(false, NO_EFFECT),
  storeReplyMessageEnable: bool(true, NO_EFFECT),
  enableDetailStat: bool(true, NO_EFFECT),
  autoDeleteUnusedStats: bool(false, NO_EFFECT),
  isolateLogEnable: bool(false, NO_EFFECT),
  configBlackList: str('configBlackList;brokerConfigPath', 'keys UPDATE_BROKER_CONFIG may not change'),
  // --- NettyServerConfig --------------------------------------------------------------------
  listenPort: int(DEFAULT_BROKER_LISTEN_PORT, 'remoting port (0 = ephemeral, rocketmq-ts)', 0, 65535),
  serverWorkerThreads: int(8, NO_EFFECT),
  serverCallbackExecutorThreads: int(0, NO_EFFECT),
  serverSelectorThreads: int(3, NO_EFFECT),
  serverOnewaySemaphoreValue: int(256, NO_EFFECT),
  serverAsyncSemaphoreValue: int(64, NO_EFFECT),
  serverChannelMaxIdleTimeSeconds: int(120, 'idle connections are closed after this', 0),
  serverSocketSndBufSize: int(0, NO_EFFECT),
  serverSocketRcvBufSize: int(0, NO_EFFECT),
  writeBufferHighWaterMark: int(1024 * 1024, 'bytes queued to a connection before reading from it pauses', 1),
  writeBufferLowWaterMark: int(512 * 1024, 'bytes queued at which reading resumes', 0),
  serverSocketBacklog: int(1024, 'listen backlog', 1),
  serverPooledByteBufAllocatorEnable: bool(true, NO_EFFECT),
  useEpollNativeSelector: bool(false, NO_EFFECT),
  // --- rocketmq-ts ----------------------------------------------------------------------------
  bindAddress: str('0.0.0.0', 'interface the remoting server listens on (rocketmq-ts; Java binds all)'),
  maxPullRequestsHeld: int(100_000, 'suspended pulls held at once; beyond it a pull answers PULL_NOT_FOUND at once (rocketmq-ts)', 0),
} as const;

export type BrokerConfig = ConfigOf<typeof BROKER_CONFIG_SCHEMA>;

/** Defaults with typed `overrides`; an unknown key is a ConfigError naming it. */
export function createBrokerConfig(overrides: Partial<BrokerConfig> = {}): BrokerConfig {
  const config = defaultConfig(BROKER_CONFIG_SCHEMA);
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if (!Object.prototype.hasOwnProperty.call(BROKER_CONFIG_SCHEMA, key)) throw new ConfigError(key, `unknown config key '${key}'`);
    (config as Record<string, string | number | boolean>)[key] = value;
  }
  return config;
}

/** The two configuration objects a broker is started with. */
export interface BrokerConfigs {
  brokerConfig: BrokerConfig;
  messageStoreConfig: MessageStoreConfig;
}

/**
 * BrokerStartup's properties2Object over all objects: every pair is offered to MessageStoreConfig,
 * then to BrokerConfig + NettyServerConfig; a pair neither knows is a ConfigError naming the key.
 * Then the Java fix-ups: a master's brokerId is 0, a SLAVE needs brokerId > 0, haListenPort is
 * listenPort + 1.
 */
export function loadBrokerConfigs(
  pairs: Iterable<readonly [string, string]>,
  base: { brokerConfig?: Partial<BrokerConfig>; messageStoreConfig?: Partial<MessageStoreConfig> } = {},
): BrokerConfigs {
  const brokerConfig = createBrokerConfig(base.brokerConfig);
  const messageStoreConfig = createMessageStoreConfig(base.messageStoreConfig);
  const rest = applyMessageStoreConfig(messageStoreConfig, pairs);
  applyConfig(BROKER_CONFIG_SCHEMA, brokerConfig, rest, true);
  return finishBrokerConfigs({ brokerConfig, messageStoreConfig });
}

/** The fix-ups BrokerStartup applies after reading the properties. */
export function finishBrokerConfigs(c: BrokerConfigs): BrokerConfigs {
  const { brokerConfig, messageStoreConfig } = c;
  if (messageStoreConfig.brokerRole === 'SLAVE') {
    if (brokerConfig.brokerId <= 0) throw new ConfigError('brokerId', 'a SLAVE broker needs brokerId > 0');
  } else {
    brokerConfig.brokerId = 0;
  }
  if (brokerConfig.listenPort !== 0) messageStoreConfig.haListenPort = brokerConfig.listenPort + 1;
  return c;
}

/** registerNameServerPeriod as BrokerController uses it. */
export function registerNameServerPeriod(config: BrokerConfig): number {
  return Math.max(REGISTER_NAMESRV_PERIOD_MIN_MILLIS, Math.min(REGISTER_NAMESRV_PERIOD_MAX_MILLIS, config.registerNameServerPeriod));
}

/**
 * RemotingUtil.getLocalAddress (the default brokerIP1/brokerIP2): skip loopback; the first IPv4 not in
 * 127.0/192.168, else the last IPv4 seen, else the first IPv6, else 127.0.0.1.
 */
export function getLocalAddress(interfaces = networkInterfaces()): string {
  const v4: string[] = [];
  const v6: string[] = [];
  for (const addrs of Object.values(interfaces)) {
    for (const a of addrs ?? []) {
      if (a.internal) continue;
      if (a.family === 'IPv4') {
        if (!a.address.startsWith('127.0') && !a.address.startsWith('192.168')) return a.address;
        v4.push(a.address);
      } else {
        v6.push(a.address);
      }
    }
  }
  return v4[v4.length - 1] ?? v6[0] ?? '127.0.0.1';
}
