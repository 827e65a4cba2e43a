import { open, mkdir, readFile, rename, copyFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

import { ClientErrorCode, MQClientException } from '../../../common/errors.js';
import type { Logger } from '../../../common/logging/logger.js';
import { MessageQueueMap } from '../../../common/protocol/body/message-queue-map.js';
import { messageQueueKey, messageQueueToString, type MessageQueue } from '../../../common/protocol/body/message-queue.js';
import { decodeOffsetSerializeWrapper, encodeOffsetSerializeWrapper, type OffsetSerializeWrapper } from './offset-serialize-wrapper.js';
import { OFFSET_NOT_FOUND, ReadOffsetType, type OffsetStore } from './offset-store.js';
import { OffsetTable } from './offset-table.js';
import type { ConsumerErrorReporter } from '../consumer-error-event.js';

/** Overrides the base directory, as Java's `-Drocketmq.client.localOffsetStoreDir` does. */
export const LOCAL_OFFSET_STORE_DIR_ENV = 'RMQ_CLIENT_LOCAL_OFFSET_STORE_DIR';
/** The file of one group under the base directory: `<clientId>/<group>/offsets.json`. */
export const OFFSETS_FILE_NAME = 'offsets.json';
/** MixAll.string2File: the new content goes to `.tmp` first; the previous content is kept as `.bak`. */
const TMP_SUFFIX = '.tmp';
const BAK_SUFFIX = '.bak';

/** LocalFileOffsetStore.LOCAL_OFFSET_STORE_DIR: `$RMQ_CLIENT_LOCAL_OFFSET_STORE_DIR`, else `~/.rocketmq_offsets`. */
export function defaultLocalOffsetStoreDir(): string {
  const fromEnv = process.env[LOCAL_OFFSET_STORE_DIR_ENV];
  return fromEnv !== undefined && fromEnv.length > 0 ? fromEnv : join(homedir(), '.rocketmq_offsets');
}

/**
 * Java's LocalFileOffsetStore (broadcasting: every consumer keeps its own offsets). The file is the one a
 * Java client of the same clientId and group would write, so either can take over the other's progress.
 *
 * Writes are crash-safe: new content is written and fsynced to `offsets.json.tmp`, the current file is
 * copied to `offsets.json.bak`, then the `.tmp` is renamed over the file (atomic on POSIX), so at every
 * instant `offsets.json` is a complete old or new version; reads fall back to `.bak` when the file is
 * missing, empty or unparsable. Writes are serialized: each one re-reads the file and merges, as Java's
 * persistAll does, and two never interleave their temporary files.
 */
export class LocalFileOffsetStore implements OffsetStore {
  readonly storePath: string;
  private readonly offsetTable = new OffsetTable();
  errorReporter?: ConsumerErrorReporter;
  private writeChain: Promise<void> = Promise.resolve();

  constructor(
    mQClientFactory: { readonly clientId: string },
    readonly groupName: string,
    private readonly log: Logger,
    localOffsetStoreDir: string = defaultLocalOffsetStoreDir(),
  ) {
    this.storePath = join(localOffsetStoreDir, mQClientFactory.clientId, groupName, OFFSETS_FILE_NAME);
  }

  /** Loads the file into memory; rejects (MQClientException) when both the file and `.bak` are unreadable. */
  async load(): Promise<void> {
    const wrapper = await this.readLocalOffset();
    if (wrapper === undefined) return;
    for (const [mq, offset] of wrapper.offsetTable) {
      this.offsetTable.update(mq, offset, false);
      this.log.info("load consumer's offset", { group: this.groupName, mq: messageQueueToString(mq), offset });
    }
  }

  updateOffset(mq: MessageQueue, offset: number, increaseOnly: boolean): void {
    this.offsetTable.update(mq, offset, increaseOnly);
  }

  async readOffset(mq: MessageQueue, type: ReadOffsetType): Promise<number> {
    if (type === ReadOffsetType.READ_FROM_MEMORY) return this.offsetTable.read(mq);
    const inMemory = this.offsetTable.get(mq);
    if (type === ReadOffsetType.MEMORY_FIRST_THEN_STORE && inMemory !== undefined) return inMemory;
    return this.readOffsetFromFile(mq);
  }

  persistAll(mqs: Iterable<MessageQueue>): Promise<void> {
    const wanted = new Set<string>();
    for (const mq of mqs) wanted.add(messageQueueKey(mq));
    if (wanted.size === 0) return Promise.resolve();
    return this.enqueueWrite('persistAll', () => this.offsetTable.entries().filter(([mq]) => wanted.has(messageQueueKey(mq))));
  }

  persist(mq: MessageQueue): Promise<void> {
    if (this.offsetTable.get(mq) === undefined) return Promise.resolve();
    return this.enqueueWrite('persist', () => {
      const offset = this.offsetTable.get(mq);
      return offset === undefined ? [] : [[mq, offset]];
    });
  }

  removeOffset(mq: MessageQueue): void {
    this.offsetTable.remove(mq);
    this.log.info('remove unnecessary messageQueue offset', { group: this.groupName, mq: messageQueueToString(mq), offsetTableSize: this.offsetTable.size });
  }

  cloneOffsetTable(topic?: string): MessageQueueMap<number> {
    return this.offsetTable.clone(topic);
  }

  async updateConsumeOffsetToBroker(_mq: MessageQueue, _offset: number, _isOneway: boolean): Promise<void> {
    // Broadcasting offsets are private to this consumer: the broker never sees them.
  }

  /** Resolves once every write queued so far has finished (for shutdown and tests). */
  flushed(): Promise<void> {
    return this.writeChain;
  }

  private async readOffsetFromFile(mq: MessageQueue): Promise<number> {
    let wrapper: OffsetSerializeWrapper | undefined;
    try {
      wrapper = await this.readLocalOffset();
    } catch (e: unknown) {
      this.log.warn('readLocalOffset exception', { path: this.storePath, error: errorMessage(e) });
      return OFFSET_NOT_FOUND;
    }
    const offset = wrapper?.offsetTable.get(mq);
    if (offset === undefined) return OFFSET_NOT_FOUND;
    this.offsetTable.update(mq, offset, false);
    return offset;
  }

  /**
   * Read-merge-write behind the previous write. `select` runs when the write starts, so the latest
   * in-memory offsets go out. Never rejects: a failure is logged and the next persist writes again.
   */
  private enqueueWrite(what: string, select: () => Array<[MessageQueue, number]>): Promise<void> {
    const write = async (): Promise<void> => {
      const wrapper = (await this.readLocalOffset()) ?? { offsetTable: new MessageQueueMap<number>() };
      for (const [mq, offset] of select()) wrapper.offsetTable.set(mq, offset);
      await writeFileAtomically(this.storePath, encodeOffsetSerializeWrapper(wrapper));
    };
    this.writeChain = this.writeChain.then(write).catch((e: unknown) => {
      this.log.error(`${what} consumer offset exception`, { path: this.storePath, error: errorMessage(e) });
      this.errorReporter?.('persistOffset', e);
    });
    return this.writeChain;
  }

  /** The file, else `.bak` when the file is missing, empty or unparsable; undefined when neither exists. */
  private async readLocalOffset(): Promise<OffsetSerializeWrapper | undefined> {
    const content = await readIfExists(this.storePath, this.log);
    if (content !== undefined && content.length > 0) {
      try {
        return decodeOffsetSerializeWrapper(content);
      } catch (e: unknown) {
        this.log.warn('readLocalOffset Exception, and try to correct', { path: this.storePath, error: errorMessage(e) });
      }
    }
    const bak = await readIfExists(this.storePath + BAK_SUFFIX, this.log);
    if (bak === undefined || bak.length === 0) return undefined;
    try {
      return decodeOffsetSerializeWrapper(bak);
    } catch (e: unknown) {
      throw new MQClientException(ClientErrorCode.CLIENT_STATE, `readLocalOffset Exception: ${errorMessage(e)}`, { cause: e, context: { path: this.storePath + BAK_SUFFIX } });
    }
  }
}

/** File text, or undefined when it does not exist or cannot be read (logged: Java's file2String returns null the same way). */
async function readIfExists(path: string, log: Logger): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e: unknown) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') log.warn('Load local offset store file exception', { path, error: errorMessage(e) });
    return undefined;
  }
}

/** `.tmp` written and fsynced, previous file kept as `.bak`, then the rename that makes the new one current. */
async function writeFileAtomically(path: string, content: Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = path + TMP_SUFFIX;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(content);
    // Without this a power loss after the rename could leave a renamed but empty file.
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await copyFile(path, path + BAK_SUFFIX);
  } catch (e: unknown) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await rename(tmp, path);
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
