import { createMessageStoreConfig, type FlushDiskType, type MessageStoreConfig } from '../../../src/broker/store/store-config.js';

export const CRASH_TOPIC = 'CrashT';
export const CRASH_QUEUES = 4;

/**
 * The store the crash child writes and the test reopens: small files so a few hundred puts roll
 * CommitLog, ConsumeQueue and index files; fast flush and thorough intervals so the checkpoint moves
 * while the child runs and abnormal recovery really starts from it.
 */
export function crashStoreConfig(root: string, flushDiskType: FlushDiskType): MessageStoreConfig {
  return createMessageStoreConfig({
    storePathRootDir: root,
    flushDiskType,
    mappedFileSizeCommitLog: 64 * 1024,
    mappedFileSizeConsumeQueue: 20 * 50,
    maxMessageSize: 8 * 1024,
    writeBufferSize: 64 * 1024,
    flushIntervalCommitLog: 10,
    flushCommitLogThoroughInterval: 50,
    flushIntervalConsumeQueue: 10,
    flushConsumeQueueThoroughInterval: 30,
    maxHashSlotNum: 512,
    maxIndexNum: 1500,
    // SYNC: every ack must be queryable, so the index is rebuilt from its own checkpoint timestamp.
    messageIndexSafe: flushDiskType === 'SYNC_FLUSH',
  });
}
