import { statfs } from 'node:fs/promises';

import type { BrokerConfig } from '../broker-config.js';
import { diskPartitionSpaceUsedRatio, type DiskUsedRatio } from '../store/clean-commit-log-service.js';
import type { DefaultMessageStore } from '../store/message-store.js';
import type { StoreStats } from '../store/store-stats.js';
import { commitLogDir, consumeQueueRootDir, type MessageStoreConfig } from '../store/store-config.js';
import { CURRENT_VERSION } from '../../common/remoting/remoting-command.js';
import type { BrokerStats } from './broker-stats.js';
import { javaDoubleString, type CallSnapshotSampler, type StoreCounters } from './call-snapshot-sampler.js';

/** MQVersion.getVersionDesc(CURRENT_VERSION) of the release we speak. */
export const BROKER_VERSION_DESC = 'V4_9_8';
/** TransientStorePool.availableBufferNums without a pool: Integer.MAX_VALUE. */
const JAVA_INT_MAX = 2147483647;
/** Statuses Java's PutMessageStatus.isOk treats as stored: all others count as failed puts. */
const STORED_STATUSES = new Set(['PUT_OK', 'FLUSH_DISK_TIMEOUT', 'FLUSH_SLAVE_TIMEOUT', 'SLAVE_NOT_AVAILABLE']);
const MILLIS_PER = { day: 86_400_000, hour: 3_600_000, minute: 60_000, second: 1000 } as const;

export interface BrokerRuntimeInfoDeps {
  readonly brokerConfig: Pick<
    BrokerConfig,
    'sendThreadPoolQueueCapacity' | 'pullThreadPoolQueueCapacity' | 'queryThreadPoolQueueCapacity' | 'endTransactionPoolQueueCapacity' | 'startAcceptSendRequestTimeStamp'
  >;
  readonly storeConfig: MessageStoreConfig;
  readonly store: Pick<DefaultMessageStore, 'stats' | 'getMinPhyOffset' | 'getMaxPhyOffset' | 'dispatchBehindBytes' | 'lookMessageByOffset'>;
  /** CommitLog bytes appended but not flushed / not committed (transientStorePoolEnable). */
  readonly remainHowManyDataToFlush: () => number;
  readonly remainHowManyDataToCommit: () => number;
  readonly sampler: CallSnapshotSampler;
  readonly brokerStats: BrokerStats;
  /** Extra keys of other services (ScheduleMessageService.buildRunningStats). */
  readonly extraRunningStats?: (into: Map<string, string>) => void;
  readonly diskUsedRatio?: DiskUsedRatio;
}

/**
 * AdminBrokerProcessor.prepareRuntimeInfo + DefaultMessageStore.getRuntimeInfo +
 * StoreStatsService.getRuntimeInfo: the KVTable of GET_BROKER_RUNTIME_INFO (PROTOCOL.md §2.4), every
 * value a string formatted as Java formats it (mqadmin clusterList parses putTps, getTransferedTps,
 * earliestMessageTimeStamp and commitLogDiskRatio). Thread-pool figures are 0: requests here are not
 * queued in executors.
 */
export async function buildBrokerRuntimeInfo(d: BrokerRuntimeInfoDeps): Promise<Map<string, string>> {
  const s = d.store.stats;
  const out = new Map<string, string>();
  const put = (k: string, v: string | number): void => {
    out.set(k, String(v));
  };
  // StoreStatsService.getRuntimeInfo
  const totalTimes = s.putMessageTimesTotal === 0 ? 1 : s.putMessageTimesTotal;
  let failed = 0;
  for (const [status, n] of s.putStatusCount) if (!STORED_STATUSES.has(status)) failed += n;
  put('bootTimestamp', s.startTimestamp);
  put('runtime', formatRuntime(Date.now() - s.startTimestamp));
  put('putMessageEntireTimeMax', s.putMessageEntireTimeMax);
  put('putMessageTimesTotal', totalTimes);
  put('putMessageFailedTimes', failed);
  put('putMessageSizeTotal', s.putMessageSizeTotal);
  // Java's latency buckets need a per-put hook the store does not expose; "null" is what Java shows
  // before its first one-minute distribution exists.
  put('putMessageDistributeTime', 'null');
  put('putMessageAverageSize', javaDoubleString(s.putMessageSizeTotal / totalTimes));
  put('dispatchMaxBuffer', 0);
  put('getMessageEntireTimeMax', 0);
  put('putTps', d.sampler.tpsString('puts'));
  put('getFoundTps', d.sampler.tpsString('getFound'));
  put('getMissTps', d.sampler.tpsString('getMiss'));
  put('getTotalTps', d.sampler.totalGetTpsString());
  put('getTransferedTps', d.sampler.tpsString('transferred'));
  put('putLatency99', '0.00');
  put('putLatency999', '0.00');

  // DefaultMessageStore.getRuntimeInfo
  const ratio = d.diskUsedRatio ?? diskPartitionSpaceUsedRatio;
  const clPath = commitLogDir(d.storeConfig);
  const physic = await ratio(clPath);
  put(`commitLogDiskRatio_${clPath}`, javaDoubleString(physic));
  put('commitLogDiskRatio', javaDoubleString(physic));
  put('consumeQueueDiskRatio', javaDoubleString(await ratio(consumeQueueRootDir(d.storeConfig))));
  d.extraRunningStats?.(out);
  put('commitLogMinOffset', d.store.getMinPhyOffset());
  put('commitLogMaxOffset', d.store.getMaxPhyOffset());

  // AdminBrokerProcessor.prepareRuntimeInfo
  const bc = d.brokerConfig;
  put('brokerVersionDesc', BROKER_VERSION_DESC);
  put('brokerVersion', CURRENT_VERSION);
  put('msgPutTotalYesterdayMorning', d.brokerStats.msgPutTotalYesterdayMorning);
  put('msgPutTotalTodayMorning', d.brokerStats.msgPutTotalTodayMorning);
  put('msgPutTotalTodayNow', d.brokerStats.msgPutTotalTodayNow);
  put('msgGetTotalYesterdayMorning', d.brokerStats.msgGetTotalYesterdayMorning);
  put('msgGetTotalTodayMorning', d.brokerStats.msgGetTotalTodayMorning);
  put('msgGetTotalTodayNow', d.brokerStats.msgGetTotalTodayNow);
  put('sendThreadPoolQueueSize', 0);
  put('sendThreadPoolQueueCapacity', bc.sendThreadPoolQueueCapacity);
  put('pullThreadPoolQueueSize', 0);
  put('pullThreadPoolQueueCapacity', bc.pullThreadPoolQueueCapacity);
  put('queryThreadPoolQueueSize', 0);
  put('queryThreadPoolQueueCapacity', bc.queryThreadPoolQueueCapacity);
  put('EndTransactionQueueSize', 0);
  put('EndTransactionThreadPoolQueueCapacity', bc.endTransactionPoolQueueCapacity);
  put('dispatchBehindBytes', d.store.dispatchBehindBytes());
  put('pageCacheLockTimeMills', 0);
  put('sendThreadPoolQueueHeadWaitTimeMills', 0);
  put('pullThreadPoolQueueHeadWaitTimeMills', 0);
  put('queryThreadPoolQueueHeadWaitTimeMills', 0);
  put('earliestMessageTimeStamp', await earliestMessageTime(d.store));
  put('startAcceptSendRequestTimeStamp', bc.startAcceptSendRequestTimeStamp);
  put('remainTransientStoreBufferNumbs', d.storeConfig.transientStorePoolEnable ? d.storeConfig.transientStorePoolSize : JAVA_INT_MAX);
  if (d.storeConfig.transientStorePoolEnable) put('remainHowManyDataToCommit', humanReadableByteCount(d.remainHowManyDataToCommit()));
  put('remainHowManyDataToFlush', humanReadableByteCount(d.remainHowManyDataToFlush()));
  const capacity = await commitLogDirCapacity(d.storeConfig.storePathRootDir);
  if (capacity !== undefined) put('commitLogDirCapacity', capacity);
  return out;
}

/** DefaultMessageStore.getEarliestMessageTime: store time of the first CommitLog record, -1 if none. */
async function earliestMessageTime(store: BrokerRuntimeInfoDeps['store']): Promise<number> {
  const min = store.getMinPhyOffset();
  if (min < 0 || store.getMaxPhyOffset() <= min) return -1;
  return (await store.lookMessageByOffset(min))?.storeTimestamp ?? -1;
}

/** "Total : 1.8 TiB, Free : 1.2 TiB." for the store root (absent when it does not exist, as Java). */
async function commitLogDirCapacity(path: string): Promise<string | undefined> {
  try {
    const s = await statfs(path);
    return `Total : ${humanReadableByteCount(s.blocks * s.bsize)}, Free : ${humanReadableByteCount(s.bavail * s.bsize)}.`;
  } catch (e: unknown) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** MixAll.humanReadableByteCount(bytes, si=false): "512 B", "1.5 KiB", "3.0 GiB". */
export function humanReadableByteCount(bytes: number): string {
  const unit = 1024;
  if (bytes < unit) return `${bytes} B`;
  const exp = Math.floor(Math.log(bytes) / Math.log(unit));
  return `${(bytes / Math.pow(unit, exp)).toFixed(1)} ${'KMGTPE'.charAt(exp - 1)}iB`;
}

/** StoreStatsService.getFormatRuntime: "[ 0 days, 1 hours, 2 minutes, 3 seconds ]". */
export function formatRuntime(millis: number): string {
  const days = Math.floor(millis / MILLIS_PER.day);
  const hours = Math.floor((millis % MILLIS_PER.day) / MILLIS_PER.hour);
  const minutes = Math.floor((millis % MILLIS_PER.hour) / MILLIS_PER.minute);
  const seconds = Math.floor((millis % MILLIS_PER.minute) / MILLIS_PER.second);
  return `[ ${days} days, ${hours} hours, ${minutes} minutes, ${seconds} seconds ]`;
}

/** The counters the sampler snapshots; a miss is every get that was not FOUND (getMessageTimesTotalMiss). */
export function storeCounters(stats: StoreStats): StoreCounters {
  let getMiss = 0;
  for (const [status, n] of stats.getStatusCount) if (status !== 'FOUND') getMiss += n;
  return { puts: stats.putMessageTimesTotal, getFound: stats.getMessageTimesTotalFound, getMiss, transferred: stats.getMessageTransferedMsgCount };
}
