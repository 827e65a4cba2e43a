import { mkdir, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';

import type { Logger } from '../../common/logging/logger.js';
import { MappedFile, offset2FileName } from './mapped-file.js';
import type { ReadAheadCache } from './read-ahead-cache.js';
import type { WriteBufferPool } from './write-buffer-pool.js';

/**
 * The files of one log (the CommitLog, or one ConsumeQueue), in offset order (Java's
 * MappedFileQueue): rolling to the next file, lookup by offset, commit/flush "where" positions,
 * truncation for recovery and deletion of old files. Offsets are global: file i holds
 * [i × mappedFileSize, (i + 1) × mappedFileSize).
 */
export class MappedFileQueue {
  private files: MappedFile[] = [];
  private creating: Promise<MappedFile> | undefined;
  /** Global offset up to which data was committed / flushed. */
  committedWhere = 0;
  flushedWhere = 0;
  /** fdatasync calls issued (tests and stats count group commit with it). */
  fsyncCount = 0;

  constructor(
    readonly storePath: string,
    readonly mappedFileSize: number,
    private readonly pool: WriteBufferPool,
    private readonly log: Logger,
    /** Read-ahead for small reads of committed data, possibly shared by several queues; none by default. */
    private readonly readCache?: ReadAheadCache,
  ) {}

  /** Opens the existing files (sorted by name, sizes checked); positions are set by recovery. */
  async load(): Promise<void> {
    await mkdir(this.storePath, { recursive: true });
    const names = (await readdir(this.storePath)).filter((n) => /^\d{20}$/.test(n)).sort();
    for (const name of names) {
      const f = await MappedFile.open(join(this.storePath, name), this.mappedFileSize, this.pool, false, this.readCache);
      f.setPositions(this.mappedFileSize);
      this.files.push(f);
    }
    for (let i = 1; i < this.files.length; i++) {
      if (this.files[i]!.fileFromOffset !== this.files[i - 1]!.fileFromOffset + this.mappedFileSize) {
        this.log.warn('gap between store files', { dir: this.storePath, after: this.files[i - 1]!.fileName });
      }
    }
  }

  get mappedFiles(): readonly MappedFile[] {
    return this.files;
  }

  getFirstMappedFile(): MappedFile | undefined {
    return this.files[0];
  }

  getLastMappedFile(): MappedFile | undefined {
    return this.files[this.files.length - 1];
  }

  /**
   * The last file, or a new one when there is none or the last is full. `startOffset` names the
   * first file of an empty queue (rounded down to a file boundary).
   */
  async getLastMappedFileOrCreate(startOffset = 0): Promise<MappedFile> {
    const last = this.getLastMappedFile();
    if (last !== undefined && !last.isFull()) return last;
    while (this.creating !== undefined) await this.creating;
    const again = this.getLastMappedFile();
    if (again !== undefined && !again.isFull()) return again;
    const from = again === undefined ? startOffset - (startOffset % this.mappedFileSize) : again.fileFromOffset + this.mappedFileSize;
    const run = (async () => {
      await mkdir(this.storePath, { recursive: true });
      const f = await MappedFile.open(join(this.storePath, offset2FileName(from)), this.mappedFileSize, this.pool, true, this.readCache);
      if (this.files.length === 0) f.firstCreateInQueue = true;
      this.files.push(f);
      return f;
    })();
    this.creating = run;
    try {
      return await run;
    } finally {
      this.creating = undefined;
    }
  }

  /** The file holding `offset` (Java's findMappedFileByOffset); undefined when out of range. */
  findMappedFileByOffset(offset: number, returnFirstOnNotFound = false): MappedFile | undefined {
    const first = this.files[0];
    if (first === undefined) return undefined;
    const index = Math.floor(offset / this.mappedFileSize) - Math.floor(first.fileFromOffset / this.mappedFileSize);
    const f = this.files[index];
    if (f !== undefined && offset >= f.fileFromOffset && offset < f.fileFromOffset + this.mappedFileSize) return f;
    return returnFirstOnNotFound ? first : undefined;
  }

  getMinOffset(): number {
    const first = this.files[0];
    return first === undefined ? -1 : first.fileFromOffset;
  }

  /** Offset just past the appended data (Java's getMaxOffset uses the read position). */
  getMaxOffset(): number {
    const last = this.getLastMappedFile();
    return last === undefined ? 0 : last.fileFromOffset + last.wrotePosition;
  }

  /** Next file's start offset after the one holding `offset` (Java's rollNextFile). */
  rollNextFile(offset: number): number {
    return offset + this.mappedFileSize - (offset % this.mappedFileSize);
  }

  /** Bytes appended but not committed, across files. */
  uncommittedBytes(): number {
    return this.getMaxOffset() - this.committedWhere;
  }

  /**
   * Commits every file from committedWhere on (Java commits one file per call and relies on the
   * next round; doing all here lets one SYNC_FLUSH round cover a roll). True if something moved.
   */
  async commit(leastPages = 0): Promise<boolean> {
    const before = this.committedWhere;
    for (let f = this.fileForWhere(this.committedWhere); f !== undefined; f = this.fileForWhere(this.committedWhere)) {
      const pos = await f.commit(leastPages);
      this.committedWhere = Math.max(this.committedWhere, f.fileFromOffset + pos);
      if (pos < f.fileSize) break;
    }
    return this.committedWhere !== before;
  }

  /** fdatasync of the files between flushedWhere and committedWhere. True if something moved. */
  async flush(leastPages = 0): Promise<boolean> {
    const before = this.flushedWhere;
    for (let f = this.fileForWhere(this.flushedWhere); f !== undefined; f = this.fileForWhere(this.flushedWhere)) {
      const flushedBefore = f.flushedPosition;
      const pos = await f.flush(leastPages);
      if (pos !== flushedBefore) this.fsyncCount++;
      this.flushedWhere = Math.max(this.flushedWhere, f.fileFromOffset + pos);
      if (pos < f.fileSize) break;
    }
    return this.flushedWhere !== before;
  }

  /**
   * Recovery (Java's truncateDirtyFiles): data from `offset` on is invalid. The file holding it is
   * cut there (and zeroed after), later files are deleted.
   */
  async truncateDirtyFiles(offset: number): Promise<void> {
    const keep: MappedFile[] = [];
    for (const f of this.files) {
      const end = f.fileFromOffset + this.mappedFileSize;
      if (end <= offset) {
        keep.push(f);
      } else if (f.fileFromOffset <= offset) {
        await f.truncateTo(offset - f.fileFromOffset);
        keep.push(f);
      } else {
        await this.destroyFile(f);
      }
    }
    this.files = keep;
    this.committedWhere = Math.min(this.committedWhere, offset);
    this.flushedWhere = Math.min(this.flushedWhere, offset);
  }

  /** Deletes the first files whose data ends at or below `offset` (expiry of a ConsumeQueue by CommitLog min). */
  async deleteFilesBefore(predicate: (f: MappedFile) => boolean): Promise<number> {
    let deleted = 0;
    // Never the last file: it holds the queue's max offset.
    while (this.files.length > 1 && predicate(this.files[0]!)) {
      await this.destroyFile(this.files.shift()!);
      deleted++;
    }
    return deleted;
  }

  /** Commits and flushes everything, then closes the files (clean shutdown). */
  async shutdown(): Promise<void> {
    await this.commit(0);
    await this.flush(0);
    for (const f of this.files) await f.shutdown();
  }

  /** Closes without committing (tests simulating a crash; recovery after a failed start). */
  async close(): Promise<void> {
    for (const f of this.files) await f.shutdown();
  }

  /** Deletes every file (tests; a slave resetting its store). */
  async destroy(): Promise<void> {
    for (const f of this.files) await this.destroyFile(f);
    this.files = [];
    this.committedWhere = this.flushedWhere = 0;
  }

  /** The file a commit/flush "where" position points into (the first file if it lies before it). */
  private fileForWhere(where: number): MappedFile | undefined {
    const first = this.files[0];
    if (first === undefined) return undefined;
    return where < first.fileFromOffset ? first : this.findMappedFileByOffset(where);
  }

  private async destroyFile(f: MappedFile): Promise<void> {
    // shutdown waits for readers holding the file before its descriptor closes; then unlink.
    await f.shutdown();
    await unlink(f.fileName);
  }
}
