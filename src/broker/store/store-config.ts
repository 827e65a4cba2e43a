import { homedir } from 'node:os';
import { join } from 'node:path';

import {
  applyConfig,
  defaultConfig,
  type ConfigKeySpec,
  type ConfigOf,
} from '../../common/util/config-schema.js';

/*
 * MessageStoreConfig (PROTOCOL.md §14): RocketMQ's key names and defaults, so broker.conf files and
 * `--key=value` arguments written for a Java broker mean the same here. Keys that only make sense
 * for Java internals (DLedger, consume-queue ext, warm-up of mmapped files) are accepted for
 * compatibility but have no effect; their doc says so.
 */

export type FlushDiskType = 'ASYNC_FLUSH' | 'SYNC_FLUSH';
export type BrokerRole = 'ASYNC_MASTER' | 'SYNC_MASTER' | 'SLAVE';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;
/** ConsumeQueue.CQ_STORE_UNIT_SIZE. */
const CQ_UNIT = 20;
/** MessageStoreConfig: 300,000 units per ConsumeQueue file. */
const CQ_UNITS_PER_FILE = 300_000;

const int = (def: number, doc: string, min?: number): ConfigKeySpec<number> => ({ type: 'int', default: def, doc, ...(min === undefined ? {} : { min }) });
const long = (def: number, doc: string, min?: number): ConfigKeySpec<number> => ({ type: 'long', default: def, doc, ...(min === undefined ? {} : { min }) });
const bool = (def: boolean, doc: string): ConfigKeySpec<boolean> => ({ type: 'boolean', default: def, doc });
const str = (def: string, doc: string): ConfigKeySpec<string> => ({ type: 'string', default: def, doc });
function oneOf<T extends string>(values: readonly T[], def: T, doc: string): ConfigKeySpec<T> {
  return { type: 'enum', default: def, values, doc };
}

export const MESSAGE_STORE_CONFIG_SCHEMA = {
  storePathRootDir: str(join(homedir(), '.rocketmq-ts', 'store'), 'root of commitlog/, consumequeue/, index/, checkpoint, abort, lock'),
  storePathCommitLog: str('', "CommitLog directory; '' means <storePathRootDir>/commitlog"),
  mappedFileSizeCommitLog: int(GiB, 'bytes per CommitLog file', 4 * KiB),
  mappedFileSizeConsumeQueue: int(CQ_UNITS_PER_FILE * CQ_UNIT, 'bytes per ConsumeQueue file (a multiple of 20)', CQ_UNIT),
  flushDiskType: oneOf<FlushDiskType>(['ASYNC_FLUSH', 'SYNC_FLUSH'], 'ASYNC_FLUSH', 'SYNC_FLUSH: a put resolves after fdatasync'),
  flushIntervalCommitLog: int(500, 'ms between FlushRealTimeService runs', 1),
  flushCommitLogTimed: bool(true, 'true: flush on a fixed interval; false: also woken by puts'),
  flushCommitLogLeastPages: int(4, 'dirty 4 KiB pages before a periodic flush', 0),
  flushCommitLogThoroughInterval: int(10_000, 'ms after which a flush ignores the least-pages rule', 0),
  commitIntervalCommitLog: int(200, 'ms between CommitRealTimeService runs (transientStorePoolEnable)', 1),
  commitCommitLogLeastPages: int(4, 'pages buffered before a periodic commit', 0),
  commitCommitLogThoroughInterval: int(200, 'ms after which a commit ignores the least-pages rule', 0),
  flushIntervalConsumeQueue: int(1000, 'ms between ConsumeQueue flushes', 1),
  flushConsumeQueueLeastPages: int(2, 'dirty pages before a periodic ConsumeQueue flush', 0),
  flushConsumeQueueThoroughInterval: int(60_000, 'ms after which a ConsumeQueue flush ignores least pages', 0),
  syncFlushTimeout: long(5000, 'ms a SYNC_FLUSH put waits before FLUSH_DISK_TIMEOUT', 1),
  slaveTimeout: int(3000, 'ms a SYNC_MASTER put waits for its slave (HA, not the store core)', 1),
  transientStorePoolEnable: bool(false, 'buffer appends and commit them periodically instead of at once'),
  transientStorePoolSize: int(5, 'write buffers per CommitLog (ours are writeBufferSize, not a whole file)', 2),
  maxMessageSize: int(4 * MiB, 'largest body accepted (bytes)', 1),
  checkCRCOnRecover: bool(true, 'verify BODYCRC of each record scanned by recovery'),
  fileReservedTime: int(72, 'hours a CommitLog file is kept (expiry)', 0),
  deleteWhen: str('04', "hours of the day when expired files are deleted, ';'-separated"),
  diskMaxUsedSpaceRatio: int(75, 'percent of disk use above which expired files are deleted at once', 10),
  cleanResourceInterval: int(10_000, 'ms between expiry checks', 1),
  deleteCommitLogFilesInterval: int(100, 'ms pause between CommitLog file deletions', 0),
  deleteConsumeQueueFilesInterval: int(100, 'ms pause between ConsumeQueue file deletions', 0),
  destroyMapedFileIntervalForcibly: int(120_000, 'ms after which a still-referenced file is deleted anyway', 0),
  redeleteHangedFileInterval: int(120_000, 'ms between retries of a hanged deletion', 0),
  cleanFileForciblyEnable: bool(true, 'delete unexpired files when the disk is nearly full'),
  maxTransferBytesOnMessageInMemory: int(256 * KiB, 'pull batch bytes for data in memory', 1),
  maxTransferCountOnMessageInMemory: int(32, 'pull batch messages for data in memory', 1),
  maxTransferBytesOnMessageInDisk: int(64 * KiB, 'pull batch bytes for data on disk', 1),
  maxTransferCountOnMessageInDisk: int(8, 'pull batch messages for data on disk', 1),
  accessMessageInMemoryMaxRatio: int(40, 'percent of RAM behind the CommitLog end still counted as in memory', 0),
  messageIndexEnable: bool(true, 'build the IndexFile (IndexService)'),
  maxHashSlotNum: int(5_000_000, 'IndexFile hash slots', 1),
  maxIndexNum: int(20_000_000, 'IndexFile entries', 1),
  maxMsgsNumBatch: int(64, 'index query hits cap', 1),
  messageIndexSafe: bool(false, 'index recovery uses the index timestamp of the checkpoint'),
  defaultQueryMaxNum: int(32, 'default index query hits', 1),
  putMsgIndexHightWater: int(600_000, 'dispatch lag (messages) above which index building is slowed'),
  brokerRole: oneOf<BrokerRole>(['ASYNC_MASTER', 'SYNC_MASTER', 'SLAVE'], 'ASYNC_MASTER', 'a SLAVE refuses puts'),
  offsetCheckInSlave: bool(false, 'a SLAVE corrects pull offsets too'),
  osPageCacheBusyTimeOutMills: long(1000, 'ms an append may hold the put path before OS_PAGECACHE_BUSY', 1),
  duplicationEnable: bool(false, 'reput replays from the CommitLog start (Java semantics, unused here)'),
  diskFallRecorded: bool(true, 'count pulls served from disk'),
  fastFailIfNoBufferInStorePool: bool(false, 'answer OS_PAGECACHE_BUSY instead of waiting for a write buffer'),
  warmMapedFileEnable: bool(false, 'Java mmap warm-up; no effect here'),
  enableDLegerCommitLog: bool(false, 'DLedger CommitLog; not supported'),
  enableConsumeQueueExt: bool(false, 'ConsumeQueue ext files; not supported'),
  useReentrantLockWhenPutMessage: bool(true, 'Java put-lock kind; ours is always one FIFO writer'),
  messageDelayLevel: str('1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h', 'delay levels (used by the broker)'),
  flushDelayOffsetInterval: long(10_000, 'ms between delayOffset.json flushes (broker)'),
  haListenPort: int(10912, 'HA port (broker)'),
  haSendHeartbeatInterval: int(5000, 'ms'),
  haHousekeepingInterval: int(20_000, 'ms'),
  haTransferBatchSize: int(32 * KiB, 'bytes per HA transfer'),
  haMasterAddress: str('', 'host:port of the master for a slave'),
  haSlaveFallbehindMax: int(256 * MiB, 'bytes a slave may lag before SLAVE_NOT_AVAILABLE'),
  // Ours, not RocketMQ's: where the index is built (Java builds it on the ReputMessageService thread,
  // off the put threads). Off by default: on a 2-core machine the worker took ~15 % off the main
  // thread's CPU per put in the store bench, but made the broker's send -> consume p99 at 10k msg/s
  // worse in 8 of 9 alternating e2e runs (median 6.8 against 3.9 ms) and adds ~25-30 MB RSS.
  messageIndexWorkerEnable: bool(
    false,
    'build and query the IndexFile on a worker thread (rocketmq-ts, not a RocketMQ key); false: inline on the main thread',
  ),
  // Ours, not RocketMQ's: the write buffer that stands in for the mmapped page.
  writeBufferSize: int(8 * MiB, 'bytes of one CommitLog write buffer (rocketmq-ts; at least maxMessageSize + 64 KiB)', 64 * KiB),
} as const;

export type MessageStoreConfig = ConfigOf<typeof MESSAGE_STORE_CONFIG_SCHEMA>;

/** Defaults with `overrides` (already typed values). */
export function createMessageStoreConfig(overrides: Partial<MessageStoreConfig> = {}): MessageStoreConfig {
  return { ...defaultConfig(MESSAGE_STORE_CONFIG_SCHEMA), ...overrides };
}

/**
 * Applies textual `key=value` pairs (broker.conf, `--key=value`) to `config`; returns the pairs whose
 * key is not a store key, for the broker's own schema. A bad value throws ConfigError naming the key.
 */
export function applyMessageStoreConfig(config: MessageStoreConfig, pairs: Iterable<readonly [string, string]>): [string, string][] {
  return applyConfig(MESSAGE_STORE_CONFIG_SCHEMA, config, pairs, false);
}

/** StorePathConfigHelper: the CommitLog directory. */
export function commitLogDir(config: MessageStoreConfig): string {
  return config.storePathCommitLog === '' ? join(config.storePathRootDir, 'commitlog') : config.storePathCommitLog;
}

export function consumeQueueRootDir(config: MessageStoreConfig): string {
  return join(config.storePathRootDir, 'consumequeue');
}

export function abortFilePath(config: MessageStoreConfig): string {
  return join(config.storePathRootDir, 'abort');
}

export function lockFilePath(config: MessageStoreConfig): string {
  return join(config.storePathRootDir, 'lock');
}

/** Java's encoder buffer headroom over maxMessageSize: properties, topic and fixed fields. */
export const MESSAGE_ENCODER_HEADROOM = 64 * KiB;

/** The write buffer size actually used: big enough for the largest record. */
export function effectiveWriteBufferSize(config: MessageStoreConfig): number {
  return Math.min(config.mappedFileSizeCommitLog, Math.max(config.writeBufferSize, config.maxMessageSize + MESSAGE_ENCODER_HEADROOM));
}
