import { closeSync, constants, existsSync, fdatasync, fstatSync, ftruncateSync, mkdirSync, openSync, readSync, write } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { readInt64BE, writeInt64BE } from '../../common/message/int64.js';
import { createLogger, type Logger } from '../../common/logging/logger.js';

/*
 * StoreCheckpoint (PROTOCOL.md §6.5): `${storePathRootDir}/checkpoint`, one OS page that Java maps.
 *
 *   0                8                16               24              4096
 *   +----------------+----------------+----------------+---- zeros ----+
 *   | physicMsgTs    | logicsMsgTs    | indexMsgTs     |               |
 *   +----------------+----------------+----------------+---------------+
 *        int64 BE, store timestamps (ms) of the last flushed record of each kind
 *
 * Abnormal recovery re-scans the CommitLog from the first file whose first record is not newer than
 * getMinTimestamp() (or getMinTimestampIndex() with messageIndexSafe), so the three values only ever
 * need to be as new as what is durably on disk.
 */

/** MappedFile.OS_PAGE_SIZE: Java maps exactly one page, so the file is always 4096 bytes long. */
export const CHECKPOINT_FILE_SIZE = 4096;
export const PHYSIC_MSG_TIMESTAMP_POSITION = 0;
export const LOGICS_MSG_TIMESTAMP_POSITION = 8;
export const INDEX_MSG_TIMESTAMP_POSITION = 16;
/** The bytes Java rewrites on flush (the three int64s); the rest of the page is never touched. */
const CHECKPOINT_DATA_LENGTH = 24;
/**
 * getMinTimestamp's back-off: records stored within this many ms before the physic/logics timestamps
 * may not be flushed in both files yet, so recovery starts that much earlier.
 */
export const MIN_TIMESTAMP_BACKOFF_MS = 1000 * 3;

const FILE_MODE = 0o644;

const writeAsync = promisify(write);
const fdatasyncAsync = promisify(fdatasync);

export class StoreCheckpoint {
  private fd: number;
  private physic: number;
  private logics: number;
  private index: number;
  /** Flushes are serialised: two positional writes of the same bytes must land in call order. */
  private flushChain: Promise<void> = Promise.resolve();
  private closed = false;

  /** Opens `scpPath`, creating it (and its directory) as a zero page when it does not exist yet. */
  static open(scpPath: string, logger: Logger = createLogger('store').namespace('StoreCheckpoint')): StoreCheckpoint {
    mkdirSync(dirname(scpPath), { recursive: true });
    const existed = existsSync(scpPath);
    // 'r+' fails on a missing file and 'w+' truncates: create without truncating an existing one.
    const fd = openSync(scpPath, constants.O_RDWR | constants.O_CREAT, FILE_MODE);
    return new StoreCheckpoint(scpPath, fd, existed, logger);
  }

  private constructor(
    readonly path: string,
    fd: number,
    existed: boolean,
    private readonly logger: Logger,
  ) {
    this.fd = fd;
    const page = Buffer.alloc(CHECKPOINT_FILE_SIZE);
    const size = fstatSync(fd).size;
    readSync(fd, page, 0, Math.min(size, CHECKPOINT_FILE_SIZE), 0);
    // Mapping one page extends a shorter file with zeros; do the same so the layout is Java's.
    if (size < CHECKPOINT_FILE_SIZE) ftruncateSync(fd, CHECKPOINT_FILE_SIZE);
    this.physic = readInt64BE(page, PHYSIC_MSG_TIMESTAMP_POSITION);
    this.logics = readInt64BE(page, LOGICS_MSG_TIMESTAMP_POSITION);
    this.index = readInt64BE(page, INDEX_MSG_TIMESTAMP_POSITION);
    logger.info(existed ? 'store checkpoint file exists' : 'store checkpoint file not exists', {
      path,
      physicMsgTimestamp: this.physic,
      logicsMsgTimestamp: this.logics,
      indexMsgTimestamp: this.index,
    });
  }

  get physicMsgTimestamp(): number {
    return this.physic;
  }
  set physicMsgTimestamp(value: number) {
    this.physic = checkTimestamp(value);
  }

  get logicsMsgTimestamp(): number {
    return this.logics;
  }
  set logicsMsgTimestamp(value: number) {
    this.logics = checkTimestamp(value);
  }

  get indexMsgTimestamp(): number {
    return this.index;
  }
  set indexMsgTimestamp(value: number) {
    this.index = checkTimestamp(value);
  }

  /** min(physic, logics) − 3 s, floored at 0 (Java's getMinTimestamp). */
  getMinTimestamp(): number {
    return Math.max(0, Math.min(this.physic, this.logics) - MIN_TIMESTAMP_BACKOFF_MS);
  }

  /** min(getMinTimestamp(), indexMsgTimestamp): the recovery start when messageIndexSafe is on. */
  getMinTimestampIndex(): number {
    return Math.min(this.getMinTimestamp(), this.index);
  }

  /** The 24 data bytes as they are now (what flush writes). */
  encode(): Buffer {
    const data = Buffer.alloc(CHECKPOINT_DATA_LENGTH);
    writeInt64BE(data, this.physic, PHYSIC_MSG_TIMESTAMP_POSITION);
    writeInt64BE(data, this.logics, LOGICS_MSG_TIMESTAMP_POSITION);
    writeInt64BE(data, this.index, INDEX_MSG_TIMESTAMP_POSITION);
    return data;
  }

  /** Writes the three timestamps at offset 0 and fdatasyncs (Java: put into the mapping + force()). */
  flush(): Promise<void> {
    const next = this.flushChain.then(() => this.doFlush());
    // The chain itself must not reject, or every later flush would fail with this error too.
    this.flushChain = next.catch((e: unknown) => {
      this.logger.error('checkpoint flush failed', { path: this.path, error: e });
    });
    return next;
  }

  /** Flushes once more and closes the file; later flushes reject. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    closeSync(this.fd);
    this.fd = -1;
  }

  private async doFlush(): Promise<void> {
    if (this.closed) throw new Error(`checkpoint ${this.path} is shut down`);
    const data = this.encode();
    await writeAsync(this.fd, data, 0, data.length, 0);
    await fdatasyncAsync(this.fd);
  }
}

function checkTimestamp(value: number): number {
  if (!Number.isSafeInteger(value)) throw new RangeError(`checkpoint timestamp ${value} is not a safe integer`);
  return value;
}
