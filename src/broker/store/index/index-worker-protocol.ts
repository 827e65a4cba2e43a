import type { LogLevel, LogRecord } from '../../../common/logging/logger.js';
import type { RingBuffers } from './index-ring.js';
import type { QueryOffsetResult } from './index-service.js';

/*
 * The messages between the store (main thread) and the index worker (index-worker.ts). Records do not
 * travel as messages: their key hashes go through a shared ring (index-ring.ts). Requests carry an
 * id; before each message the worker drains the ring, so a query answers after every record
 * dispatched before it.
 */

/** IndexServiceOptions that cross the thread boundary (plain values only). */
export interface IndexWorkerData {
  readonly storePathRootDir: string;
  readonly maxHashSlotNum: number;
  readonly maxIndexNum: number;
  readonly maxMsgsNumBatch: number;
  readonly indexCommitIntervalMs: number | undefined;
  /** The main thread's log level: records below it are not even posted. */
  readonly logLevel: LogLevel;
  readonly ring: RingBuffers;
}

export type ToIndexWorker =
  /** The ring is full: drain it now rather than at the next poll. */
  | { readonly op: 'drain' }
  | { readonly op: 'load'; readonly id: number; readonly lastExitOK: boolean; readonly indexMsgTimestamp: number }
  | { readonly op: 'start' }
  | {
      readonly op: 'query';
      readonly id: number;
      readonly topic: string;
      readonly key: string;
      readonly maxNum: number;
      readonly begin: number;
      readonly end: number;
    }
  | { readonly op: 'deleteExpiredFile'; readonly id: number; readonly offset: number }
  | { readonly op: 'shutdown'; readonly id: number }
  | { readonly op: 'destroy'; readonly id: number }
  /** The answer to a worker's `checkpoint` request. */
  | { readonly op: 'checkpointDone'; readonly id: number; readonly error?: unknown };

export type FromIndexWorker =
  | { readonly op: 'reply'; readonly id: number; readonly value?: boolean | QueryOffsetResult; readonly error?: unknown }
  /** A full file is flushed: set the checkpoint's indexMsgTimestamp, flush it, answer checkpointDone. */
  | { readonly op: 'checkpoint'; readonly id: number; readonly indexMsgTimestamp: number }
  | { readonly op: 'log'; readonly record: LogRecord }
  | { readonly op: 'indexFileError' };
