import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

import { createLogger, type LogRecord, type Logger } from '../../../common/logging/logger.js';
import type { DispatchRequest } from '../../../common/message/record-decoder.js';
import type { StoreCheckpoint } from '../checkpoint.js';
import {
  DEFAULT_MAX_HASH_SLOT_NUM,
  DEFAULT_MAX_INDEX_NUM,
  DEFAULT_MAX_MSGS_NUM_BATCH,
  indexKeyHashes,
  storeIndexCheckpoint,
  type IndexCheckpoint,
  type IndexServiceOptions,
  type MessageIndex,
  type QueryOffsetResult,
} from './index-service.js';
import { RingWriter, createRingBuffers } from './index-ring.js';
import type { FromIndexWorker, IndexWorkerData, ToIndexWorker } from './index-worker-protocol.js';

/*
 * IndexServiceWorker: the index built on a worker thread (index-worker.ts), as Java builds it on the
 * ReputMessageService thread and not on the put threads. The main thread only hashes each record's
 * keys (indexKeyHashes) into a shared ring (index-ring.ts) the worker polls; the slot table, the
 * entry writes and the commits of the file being written run on the worker.
 *
 * Queries, expiry, load and shutdown are requests; the worker drains the ring before each, so a
 * query sees every record dispatched before it. A full file's flush moves the checkpoint's
 * indexMsgTimestamp through a request to this side (the StoreCheckpoint lives here), and the worker's
 * roll-flush chain waits for it, so the ordering rule of IndexService.flushInBackground holds.
 *
 * A worker that fails or exits makes every later request fail with IndexWorkerError (logged once); it
 * never throws into the dispatch path.
 */

/** A full ring waits this long in all for the worker to make room before the worker is declared stuck. */
const RING_FULL_TIMEOUT_MS = 30_000;
/** One wait of a full ring (the worker's failure is noticed between waits). */
const RING_WAIT_SLICE_MS = 100;

export interface IndexServiceWorkerOptions extends IndexServiceOptions {
  /** The checkpoint load(false) reads and full-file flushes advance (required, unlike inline). */
  readonly storeCheckpoint: StoreCheckpoint;
}

/** A request to the index worker failed because the worker did (or was shut down). */
export class IndexWorkerError extends Error {
  override readonly name = 'IndexWorkerError';
}

interface PendingRequest {
  readonly what: string;
  readonly resolve: (value: unknown) => void;
  readonly reject: (e: unknown) => void;
}

export class IndexServiceWorker implements MessageIndex {
  private readonly worker: Worker;
  /** The StoreCheckpoint as the inline index sees it too: the worker's full-file flushes advance it here. */
  private readonly checkpoint: IndexCheckpoint;
  private readonly onIndexFileError: (() => void) | undefined;
  private readonly logger: Logger;
  private readonly workerLoggers = new Map<string, Logger>();
  private readonly pending = new Map<number, PendingRequest>();
  private nextId = 1;
  private readonly ring: RingWriter;
  /** dispatch's hashes of one record (reused). */
  private readonly keyHashes: number[] = [];
  private failure: IndexWorkerError | undefined;
  private failureBeforeShutdown: IndexWorkerError | undefined;
  private isShutdown = false;
  private terminating = false;
  private droppedLogged = false;

  constructor(options: IndexServiceWorkerOptions) {
    this.checkpoint = storeIndexCheckpoint(options.storeCheckpoint);
    this.onIndexFileError = options.onIndexFileError;
    this.logger = options.logger ?? createLogger('store').namespace('IndexService');
    const data: IndexWorkerData = {
      storePathRootDir: options.storePathRootDir,
      maxHashSlotNum: options.maxHashSlotNum ?? DEFAULT_MAX_HASH_SLOT_NUM,
      maxIndexNum: options.maxIndexNum ?? DEFAULT_MAX_INDEX_NUM,
      maxMsgsNumBatch: options.maxMsgsNumBatch ?? DEFAULT_MAX_MSGS_NUM_BATCH,
      indexCommitIntervalMs: options.indexCommitIntervalMs,
      logLevel: this.logger.level,
      ring: createRingBuffers(),
    };
    this.ring = new RingWriter(data.ring);
    this.worker = startIndexWorker(data);
    // Only outstanding requests keep the process alive (see request()).
    this.worker.unref();
    this.worker.on('message', (m: FromIndexWorker) => this.onMessage(m));
    this.worker.on('error', (e: unknown) => this.fail('index worker failed', e));
    this.worker.on('messageerror', (e: unknown) => this.fail('index worker message could not be read', e));
    this.worker.on('exit', (code: number) => {
      if (!this.terminating) this.fail(`index worker exited unexpectedly (code ${code})`, undefined);
    });
  }

  /** Why the worker stopped working, if it did. */
  get error(): IndexWorkerError | undefined {
    return this.failure;
  }

  /** Why the worker stopped working before shutdown or destroy completed, if it did. */
  get failedBeforeShutdown(): IndexWorkerError | undefined {
    return this.failureBeforeShutdown;
  }

  /** Ends the thread at once, as a crash of it would (tests of the failure path). */
  async kill(): Promise<void> {
    await this.worker.terminate();
  }

  load(lastExitOK: boolean): Promise<boolean> {
    return this.request<boolean>('load', (id) => ({ op: 'load', id, lastExitOK, indexMsgTimestamp: this.checkpoint.indexMsgTimestamp }));
  }

  start(): void {
    if (this.failure === undefined) this.worker.postMessage({ op: 'start' } satisfies ToIndexWorker);
  }

  /**
   * Writes the record's key hashes into the ring the worker polls. A full ring (the worker is ~0.2 s
   * of puts behind) returns a promise the ReputMessageService awaits: dispatch waits, puts do not.
   */
  dispatch(request: DispatchRequest): Promise<void> | undefined {
    if (this.isShutdown || this.failure !== undefined) {
      this.logDropped(request.commitLogOffset);
      return undefined;
    }
    const hashes = this.keyHashes;
    const n = indexKeyHashes(request, hashes);
    if (n < 0) return undefined;
    if (n > this.ring.maxKeys) {
      this.logger.error('record has too many keys to index', { commitLogOffset: request.commitLogOffset, keys: n });
      return undefined;
    }
    if (this.ring.tryWrite(request.commitLogOffset, request.storeTimestamp, hashes, n)) return undefined;
    // keyHashes is reused by the next dispatch: the waiting write keeps its own copy.
    return this.writeWhenRoom(request.commitLogOffset, request.storeTimestamp, hashes.slice(0, n));
  }

  queryOffset(topic: string, key: string, maxNum: number, begin: number, end: number): Promise<QueryOffsetResult> {
    return this.request<QueryOffsetResult>('queryOffset', (id) => ({ op: 'query', id, topic, key, maxNum, begin, end }));
  }

  deleteExpiredFile(offset: number): Promise<void> {
    return this.request<void>('deleteExpiredFile', (id) => ({ op: 'deleteExpiredFile', id, offset }));
  }

  /**
   * Lets the worker finish what it was sent, flush and close its files, then ends the thread. Never
   * rejects: a failed worker is logged (and visible through `error`), the store's shutdown goes on.
   */
  async shutdown(): Promise<void> {
    await this.finish('shutdown');
  }

  /** Deletes every index file, then ends the thread. */
  async destroy(): Promise<void> {
    await this.finish('destroy');
  }

  // -------------------------------------------------------------------------------------------

  private async finish(op: 'shutdown' | 'destroy'): Promise<void> {
    if (this.terminating) return;
    this.isShutdown = true;
    try {
      await this.request<void>(op, (id) => ({ op, id }));
    } catch (e: unknown) {
      this.logger.error(`index worker ${op} failed`, { error: e });
    }
    this.terminating = true;
    this.failureBeforeShutdown = this.failure;
    this.failure ??= new IndexWorkerError('index worker is shut down');
    await this.worker.terminate();
  }

  private request<T>(what: string, build: (id: number) => ToIndexWorker): Promise<T> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { what, resolve: resolve as (value: unknown) => void, reject });
      if (this.pending.size === 1) this.worker.ref();
      this.worker.postMessage(build(id));
    });
  }

  /** The ring is full: the worker fell ~0.2 s of puts behind. Waits for room without blocking the event loop. */
  private async writeWhenRoom(commitLogOffset: number, storeTimestamp: number, hashes: readonly number[]): Promise<void> {
    this.worker.postMessage({ op: 'drain' } satisfies ToIndexWorker);
    const deadline = Date.now() + RING_FULL_TIMEOUT_MS;
    while (!this.ring.tryWrite(commitLogOffset, storeTimestamp, hashes, hashes.length)) {
      if (this.failure !== undefined) {
        this.logDropped(commitLogOffset);
        return;
      }
      if (Date.now() >= deadline) {
        this.fail(`index worker made no room in its ring for ${RING_FULL_TIMEOUT_MS} ms`, undefined);
        this.logDropped(commitLogOffset);
        return;
      }
      await this.ring.waitForRoom(RING_WAIT_SLICE_MS);
    }
  }

  private logDropped(commitLogOffset: number): void {
    if (this.droppedLogged) return;
    this.droppedLogged = true;
    this.logger.error('index worker is shut down or failed: records are not indexed', { commitLogOffset });
  }

  private onMessage(m: FromIndexWorker): void {
    switch (m.op) {
      case 'reply': {
        const p = this.pending.get(m.id);
        if (p === undefined) return;
        this.pending.delete(m.id);
        if (this.pending.size === 0) this.worker.unref();
        if (m.error === undefined) p.resolve(m.value);
        else p.reject(new IndexWorkerError(`index worker ${p.what} failed: ${errorMessage(m.error)}`, { cause: m.error }));
        return;
      }
      case 'checkpoint':
        void this.advanceCheckpoint(m.id, m.indexMsgTimestamp);
        return;
      case 'log':
        this.forwardLog(m.record);
        return;
      case 'indexFileError':
        this.onIndexFileError?.();
        return;
    }
  }

  private async advanceCheckpoint(id: number, indexMsgTimestamp: number): Promise<void> {
    let error: unknown;
    try {
      await this.checkpoint.advanceIndexMsgTimestamp(indexMsgTimestamp);
    } catch (e: unknown) {
      error = e;
    }
    if (!this.terminating) this.worker.postMessage({ op: 'checkpointDone', id, error } satisfies ToIndexWorker);
  }

  private forwardLog(record: LogRecord): void {
    let logger = this.workerLoggers.get(record.namespace);
    if (logger === undefined) {
      // The worker's root logger is 'IndexService'; deeper ones (IndexFile) keep their suffix.
      const sub = record.namespace.split(':').slice(1).join(':');
      logger = sub === '' ? this.logger : this.logger.namespace(sub);
      this.workerLoggers.set(record.namespace, logger);
    }
    logger[record.level](record.message, record.fields === undefined ? undefined : { ...record.fields });
  }

  private fail(message: string, cause: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = new IndexWorkerError(cause === undefined ? message : `${message}: ${errorMessage(cause)}`, { cause });
    this.logger.error('index worker failed: index queries fail and records are not indexed until restart', { error: this.failure });
    const pending = [...this.pending.values()];
    this.pending.clear();
    this.worker.unref();
    for (const p of pending) p.reject(this.failure);
  }
}

/**
 * Starts index-worker. From the compiled package that is index-worker.js next to this file; from
 * source under tsx (tests, benches, `tsx src/cli/main.ts`) it is the .ts file, and tsx, which does not
 * install its loader in worker threads by itself, is registered first.
 */
function startIndexWorker(workerData: IndexWorkerData): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new Worker(new URL('./index-worker.js', self), { workerData });
  const entry = new URL('./index-worker.ts', self).href;
  const tsxApi = tsxEsmApiUrl(self);
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/**
 * tsx's ESM register API, resolved from this file through tsx's export map. Under mocha tsx compiles
 * this file to CommonJS, where import.meta.resolve is missing, and the export's CommonJS variant
 * cannot register the loader in a worker: so the `import` condition, read from the package.json.
 */
function tsxEsmApiUrl(from: string): string {
  const pkgPath = createRequire(from).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(join(dirname(pkgPath), pkg.exports['./esm/api']!.import.default)).href;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
