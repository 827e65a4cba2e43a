import { parentPort, workerData } from 'node:worker_threads';

import { createLogger, type LogRecord } from '../../../common/logging/logger.js';
import { IndexService, type IndexCheckpoint, type QueryOffsetResult } from './index-service.js';
import { RingReader } from './index-ring.js';
import type { FromIndexWorker, IndexWorkerData, ToIndexWorker } from './index-worker-protocol.js';

/*
 * The index worker's entry (started by IndexServiceWorker): one IndexService fed with the records'
 * key hashes, as Java builds the index on the ReputMessageService thread rather than the put threads.
 * Its checkpoint writes and its logs go back to the main thread, which owns both.
 */

/** Ring poll interval while records come (~3,000 records at 300k puts/s), and the longest one when idle. */
const MIN_POLL_MS = 10;
const MAX_POLL_MS = 64;

const port = parentPort;
if (port === null) throw new Error('index-worker.ts runs as a worker thread only');
const data = workerData as IndexWorkerData;

const logger = createLogger('IndexService', {
  level: data.logLevel,
  sink: (record) => post({ op: 'log', record: cloneableRecord(record) }),
});

let nextCheckpointId = 1;
const checkpointWaiters = new Map<number, { resolve: () => void; reject: (e: unknown) => void }>();
let indexMsgTimestamp = 0;
const checkpoint: IndexCheckpoint = {
  get indexMsgTimestamp() {
    return indexMsgTimestamp;
  },
  advanceIndexMsgTimestamp(ts: number): Promise<void> {
    const id = nextCheckpointId++;
    return new Promise((resolve, reject) => {
      checkpointWaiters.set(id, {
        resolve: () => {
          indexMsgTimestamp = ts;
          resolve();
        },
        reject,
      });
      post({ op: 'checkpoint', id, indexMsgTimestamp: ts });
    });
  },
};

const service = new IndexService({
  storePathRootDir: data.storePathRootDir,
  maxHashSlotNum: data.maxHashSlotNum,
  maxIndexNum: data.maxIndexNum,
  maxMsgsNumBatch: data.maxMsgsNumBatch,
  indexCommitIntervalMs: data.indexCommitIntervalMs,
  indexCheckpoint: checkpoint,
  onIndexFileError: () => post({ op: 'indexFileError' }),
  logger,
});

const ring = new RingReader(data.ring);
const putRecord = (commitLogOffset: number, storeTimestamp: number, values: Float64Array, from: number, n: number): void =>
  service.putKeyHashes(commitLogOffset, storeTimestamp, values, from, n);
let pollTimer: NodeJS.Timeout | undefined;
let pollDelay = MIN_POLL_MS;
schedulePoll();

port.on('message', (m: ToIndexWorker) => {
  // Every record dispatched before this message is in the ring: index it first.
  ring.drain(putRecord);
  switch (m.op) {
    case 'drain':
      return;
    case 'query':
      reply(m.id, () => service.queryOffset(m.topic, m.key, m.maxNum, m.begin, m.end));
      return;
    case 'load':
      indexMsgTimestamp = m.indexMsgTimestamp;
      reply(m.id, () => service.load(m.lastExitOK));
      return;
    case 'start':
      service.start();
      return;
    case 'deleteExpiredFile':
      reply(m.id, () => service.deleteExpiredFile(m.offset));
      return;
    case 'shutdown':
      stopPolling();
      reply(m.id, () => service.shutdown());
      return;
    case 'destroy':
      stopPolling();
      reply(m.id, () => service.destroy());
      return;
    case 'checkpointDone': {
      const w = checkpointWaiters.get(m.id);
      checkpointWaiters.delete(m.id);
      if (m.error === undefined) w?.resolve();
      else w?.reject(m.error);
      return;
    }
  }
});

/**
 * Polls the ring every MIN_POLL_MS while records come, backing off to MAX_POLL_MS when idle. Nothing
 * waits for a poll: every request and a full ring drain the ring at once, so polling faster (Java's
 * reput polls every 1 ms) would only wake the thread more often.
 */
function schedulePoll(): void {
  pollTimer = setTimeout(() => {
    pollDelay = ring.drain(putRecord) > 0 ? MIN_POLL_MS : Math.min(pollDelay * 2, MAX_POLL_MS);
    schedulePoll();
  }, pollDelay);
}

function stopPolling(): void {
  if (pollTimer !== undefined) clearTimeout(pollTimer);
  pollTimer = undefined;
}

/** Answers request `id` with what `op` returns or resolves to (a throw or rejection is sent as the error). */
function reply(id: number, op: () => unknown): void {
  let result: unknown;
  try {
    result = op();
  } catch (e: unknown) {
    post({ op: 'reply', id, error: e });
    return;
  }
  Promise.resolve(result).then(
    (value) => post({ op: 'reply', id, value: value as boolean | QueryOffsetResult | undefined }),
    (e: unknown) => post({ op: 'reply', id, error: e }),
  );
}

function post(m: FromIndexWorker): void {
  port!.postMessage(m);
}

/** Log fields may hold what structured clone refuses (functions, class instances with native state). */
function cloneableRecord(record: LogRecord): LogRecord {
  if (record.fields === undefined) return record;
  try {
    structuredClone(record.fields);
    return record;
  } catch {
    const fields: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record.fields)) fields[k] = v instanceof Error ? v : String(v);
    return { ...record, fields };
  }
}
