import { join } from 'node:path';

import type { Logger } from '../../common/logging/logger.js';
import { readInt64BE, writeInt64BE } from '../../common/message/index.js';
import { putInt32, putInt64 } from '../../common/util/big-endian.js';
import { MappedFileQueue } from './mapped-file-queue.js';
import type { ReadAheadCache } from './read-ahead-cache.js';
import type { WriteBufferPool } from './write-buffer-pool.js';

/** ConsumeQueue.CQ_STORE_UNIT_SIZE: commitLogOffset int64, size int32, tagsCode int64. */
export const CQ_STORE_UNIT_SIZE = 20;
/** fillPreBlank's unit size: Integer.MAX_VALUE marks a unit no message occupies. */
const PRE_BLANK_SIZE = 0x7fffffff;
/** Java recovers the last 3 ConsumeQueue files. */
const RECOVER_LAST_FILES = 3;

/** One decoded 20-byte unit. */
export interface CqUnit {
  readonly commitLogOffset: number;
  readonly size: number;
  readonly tagsCode: number;
}

/**
 * The ConsumeQueue of one topic/queueId (PROTOCOL.md §6.3): 20-byte units under
 * `consumequeue/<topic>/<queueId>/`, logical offset = byte offset / 20. Derived data: written only
 * by the ReputMessageService's dispatcher, rebuilt from the CommitLog after a crash.
 */
export class ConsumeQueue {
  readonly mappedFileQueue: MappedFileQueue;
  /** CommitLog offset just past the last message indexed here (Java's maxPhysicOffset). */
  maxPhysicOffset = -1;
  /** Byte offset of the first unit still backed by the CommitLog (advanced by expiry). */
  minLogicOffset = 0;
  private readonly unit = Buffer.alloc(CQ_STORE_UNIT_SIZE);

  constructor(
    readonly topic: string,
    readonly queueId: number,
    rootDir: string,
    readonly mappedFileSize: number,
    pool: WriteBufferPool,
    private readonly log: Logger,
    /** Shared by the table's queues: a pull reads 16,000 bytes of units to use 32 × 20 of them. */
    readAhead?: ReadAheadCache,
  ) {
    this.mappedFileQueue = new MappedFileQueue(join(rootDir, topic, String(queueId)), mappedFileSize, pool, log, readAhead);
  }

  async load(): Promise<void> {
    await this.mappedFileQueue.load();
  }

  /** Finds the valid tail (units with offset >= 0 and size > 0) in the last 3 files and cuts there. */
  async recover(): Promise<void> {
    const files = this.mappedFileQueue.mappedFiles;
    if (files.length === 0) return;
    let index = Math.max(0, files.length - RECOVER_LAST_FILES);
    let processOffset = files[index]!.fileFromOffset;
    let maxPhysicOffset = -1;
    for (; index < files.length; index++) {
      const f = files[index]!;
      const data = await f.read(0, f.fileSize);
      if (data === undefined) break;
      let pos = 0;
      for (; pos + CQ_STORE_UNIT_SIZE <= data.length; pos += CQ_STORE_UNIT_SIZE) {
        const offset = unitCommitLogOffset(data, pos);
        const size = unitSize(data, pos);
        if (offset < 0 || size <= 0) break;
        if (size !== PRE_BLANK_SIZE) maxPhysicOffset = offset + size;
      }
      processOffset = f.fileFromOffset + pos;
      if (pos < f.fileSize) break;
    }
    this.maxPhysicOffset = maxPhysicOffset;
    await this.mappedFileQueue.truncateDirtyFiles(processOffset);
    this.mappedFileQueue.committedWhere = this.mappedFileQueue.flushedWhere = processOffset;
  }

  /**
   * Java's correctMinOffset: the first unit of the first file that still points at or above the
   * CommitLog's min offset becomes the queue's min (pre-blank units point at 0 and are passed over).
   * Never below the first file: its predecessors were deleted.
   */
  async correctMinOffset(phyMinOffset: number): Promise<void> {
    const first = this.mappedFileQueue.getFirstMappedFile();
    if (first === undefined) return;
    this.minLogicOffset = Math.max(this.minLogicOffset, first.fileFromOffset);
    const data = await first.read(0, first.wrotePosition);
    if (data === undefined) return;
    for (let pos = 0; pos + CQ_STORE_UNIT_SIZE <= data.length; pos += CQ_STORE_UNIT_SIZE) {
      const u = readUnit(data, pos);
      if (u.size !== PRE_BLANK_SIZE && u.commitLogOffset >= phyMinOffset) {
        this.minLogicOffset = first.fileFromOffset + pos;
        return;
      }
    }
  }

  /**
   * Java's deleteExpiredFile (MappedFileQueue.deleteExpiredFileByOffset): deletes leading files whose
   * last unit points below `phyMinOffset` (never the last file), then corrects the min offset.
   * Returns the number of files deleted.
   */
  async deleteExpiredFile(phyMinOffset: number): Promise<number> {
    const files = this.mappedFileQueue.mappedFiles;
    let expired = 0;
    for (let i = 0; i < files.length - 1; i++) {
      const f = files[i]!;
      const last = f.isAvailable() ? await f.read(f.fileSize - CQ_STORE_UNIT_SIZE, CQ_STORE_UNIT_SIZE) : undefined;
      if (last === undefined && f.isAvailable()) break;
      if (last !== undefined && readUnit(last, 0).commitLogOffset >= phyMinOffset) break;
      expired++;
    }
    const victims = new Set(files.slice(0, expired));
    const deleted = await this.mappedFileQueue.deleteFilesBefore((f) => victims.has(f));
    await this.correctMinOffset(phyMinOffset);
    return deleted;
  }

  /** Logical offset of the first unit (Java's getMinOffsetInQueue). */
  getMinOffsetInQueue(): number {
    return Math.floor(this.minLogicOffset / CQ_STORE_UNIT_SIZE);
  }

  /** Logical offset of the next unit to write (Java's getMaxOffsetInQueue). */
  getMaxOffsetInQueue(): number {
    return Math.floor(this.mappedFileQueue.getMaxOffset() / CQ_STORE_UNIT_SIZE);
  }

  /**
   * Java's putMessagePositionInfoWrapper: appends the unit for the message at logical `cqOffset`.
   * Replays (recovery, a restarted reput) are skipped, so dispatching twice is harmless.
   */
  putMessagePositionInfo(commitLogOffset: number, size: number, tagsCode: number, cqOffset: number): Promise<void> | undefined {
    if (commitLogOffset + size <= this.maxPhysicOffset) return undefined;
    // The common case needs no I/O: the unit goes right after the last one, into the last file's write buffer.
    const expectLogicOffset = cqOffset * CQ_STORE_UNIT_SIZE;
    const last = this.mappedFileQueue.getLastMappedFile();
    if (last !== undefined && !last.isFull() && last.fileFromOffset + last.wrotePosition === expectLogicOffset && (last.wrotePosition > 0 || !last.firstCreateInQueue || cqOffset === 0)) {
      const buf = last.reserve(CQ_STORE_UNIT_SIZE);
      if (buf !== undefined) {
        const p = last.reservedPos;
        putInt64(buf, p, commitLogOffset);
        putInt32(buf, p + 8, size);
        putInt64(buf, p + 12, tagsCode);
        last.appended(CQ_STORE_UNIT_SIZE);
        this.maxPhysicOffset = commitLogOffset + size;
        return undefined;
      }
    }
    return this.putMessagePositionInfoSlow(commitLogOffset, size, tagsCode, cqOffset);
  }

  /** putMessagePositionInfo when a file must be created, blanks padded or a write buffer freed first. */
  private async putMessagePositionInfoSlow(commitLogOffset: number, size: number, tagsCode: number, cqOffset: number): Promise<void> {
    const expectLogicOffset = cqOffset * CQ_STORE_UNIT_SIZE;
    const q = this.mappedFileQueue;
    let file = await q.getLastMappedFileOrCreate(expectLogicOffset);
    if (file.firstCreateInQueue && cqOffset !== 0 && file.wrotePosition === 0) {
      // A queue that starts mid-way (its older files expired, or a slave): pad with blank units.
      this.minLogicOffset = expectLogicOffset;
      q.flushedWhere = q.committedWhere = expectLogicOffset;
      await this.fillBlanks(file.fileFromOffset, expectLogicOffset);
    }
    const current = q.getMaxOffset();
    if (expectLogicOffset < current) {
      this.log.warn('ConsumeQueue unit already written', { topic: this.topic, queueId: this.queueId, cqOffset, current: current / CQ_STORE_UNIT_SIZE });
      return;
    }
    if (expectLogicOffset > current) {
      this.log.error('ConsumeQueue gap: padding with blank units', { topic: this.topic, queueId: this.queueId, cqOffset, current: current / CQ_STORE_UNIT_SIZE });
      await this.fillBlanks(current, expectLogicOffset);
    }
    file = await q.getLastMappedFileOrCreate(expectLogicOffset);
    writeInt64BE(this.unit, commitLogOffset, 0);
    this.unit.writeInt32BE(size, 8);
    writeInt64BE(this.unit, tagsCode, 12);
    await this.appendUnit(this.unit);
    this.maxPhysicOffset = commitLogOffset + size;
  }

  /**
   * Units from logical `startIndex` to the end of its file's written data, at most `maxUnits`
   * (Java's getIndexBuffer); undefined when the file is gone or the index is not written.
   */
  async getIndexBuffer(startIndex: number, maxUnits: number): Promise<Buffer | undefined> {
    const offset = startIndex * CQ_STORE_UNIT_SIZE;
    if (offset < this.minLogicOffset) return undefined;
    const f = this.mappedFileQueue.findMappedFileByOffset(offset);
    if (f === undefined) return undefined;
    const pos = offset - f.fileFromOffset;
    const size = Math.min(f.wrotePosition - pos, maxUnits * CQ_STORE_UNIT_SIZE);
    if (size <= 0) return undefined;
    // Read-only use by the callers: a view of the read-ahead window spares a 16 KB copy per pull.
    return f.readShared(pos, size);
  }

  async getUnit(index: number): Promise<CqUnit | undefined> {
    const b = await this.getIndexBuffer(index, 1);
    return b === undefined ? undefined : readUnit(b, 0);
  }

  /** Next file's first logical offset after the one holding `index` (Java's rollNextFile). */
  rollNextFile(index: number): number {
    const unitsPerFile = this.mappedFileSize / CQ_STORE_UNIT_SIZE;
    return index + unitsPerFile - (index % unitsPerFile);
  }

  /** Drops units pointing at or past `phyOffset` (recovery after the CommitLog tail was cut). */
  async truncateDirtyLogicFiles(phyOffset: number): Promise<void> {
    const q = this.mappedFileQueue;
    const files = q.mappedFiles;
    let cut = q.getMaxOffset();
    let maxPhysic = -1;
    for (let i = files.length - 1; i >= 0; i--) {
      const f = files[i]!;
      const data = await f.read(0, f.wrotePosition);
      if (data === undefined) break;
      let pos = 0;
      let found = false;
      for (; pos + CQ_STORE_UNIT_SIZE <= data.length; pos += CQ_STORE_UNIT_SIZE) {
        const u = readUnit(data, pos);
        if (u.size === PRE_BLANK_SIZE) continue;
        if (u.commitLogOffset >= phyOffset) {
          found = true;
          break;
        }
        maxPhysic = u.commitLogOffset + u.size;
      }
      // An empty last file (created by a roll whose first unit never reached the disk) holds
      // nothing to keep: cut it and look at the file before it, whose tail may point past the end.
      if (!found && pos > 0) break;
      cut = f.fileFromOffset + pos;
    }
    if (cut < q.getMaxOffset()) {
      await q.truncateDirtyFiles(cut);
      this.maxPhysicOffset = maxPhysic;
      if (maxPhysic === -1) this.maxPhysicOffset = this.lastPhysicOffsetBefore(phyOffset);
    }
  }

  async commit(leastPages: number): Promise<void> {
    await this.mappedFileQueue.commit(leastPages);
  }

  async flush(leastPages: number): Promise<boolean> {
    await this.mappedFileQueue.commit(leastPages);
    return this.mappedFileQueue.flush(leastPages);
  }

  // -------------------------------------------------------------------------------------------

  private lastPhysicOffsetBefore(phyOffset: number): number {
    return this.mappedFileQueue.getMaxOffset() === 0 ? -1 : Math.min(this.maxPhysicOffset, phyOffset);
  }

  private async fillBlanks(from: number, to: number): Promise<void> {
    const blank = Buffer.alloc(CQ_STORE_UNIT_SIZE);
    writeInt64BE(blank, 0, 0);
    blank.writeInt32BE(PRE_BLANK_SIZE, 8);
    writeInt64BE(blank, 0, 12);
    for (let pos = from; pos < to; pos += CQ_STORE_UNIT_SIZE) {
      await this.mappedFileQueue.getLastMappedFileOrCreate(pos);
      await this.appendUnit(blank);
    }
  }

  private async appendUnit(unit: Buffer): Promise<void> {
    const file = await this.mappedFileQueue.getLastMappedFileOrCreate(this.mappedFileQueue.getMaxOffset());
    for (;;) {
      const s = file.writableSlice(CQ_STORE_UNIT_SIZE);
      if (s !== undefined) {
        unit.copy(s.buf, s.pos);
        file.appended(CQ_STORE_UNIT_SIZE);
        return;
      }
      await this.mappedFileQueue.commit(0);
    }
  }
}

export function readUnit(buf: Buffer, pos: number): CqUnit {
  return { commitLogOffset: unitCommitLogOffset(buf, pos), size: unitSize(buf, pos), tagsCode: unitTagsCode(buf, pos) };
}

/** The fields of the unit at `pos` one at a time, for hot loops that need no CqUnit object. */
export function unitCommitLogOffset(buf: Buffer, pos: number): number {
  return readInt64BE(buf, pos);
}

export function unitSize(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos + 8);
}

export function unitTagsCode(buf: Buffer, pos: number): number {
  return readInt64BE(buf, pos + 12);
}
