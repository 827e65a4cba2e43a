import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';

import { sliceWindow, type ReadAheadCache } from './read-ahead-cache.js';
import type { WriteBufferPool } from './write-buffer-pool.js';

/** MappedFile.OS_PAGE_SIZE: the unit of the least-pages rules of commit and flush. */
export const OS_PAGE_SIZE = 4096;
/** UtilAll.offset2FileName: 20 decimal digits. */
export const FILE_NAME_DIGITS = 20;

export function offset2FileName(offset: number): string {
  return String(offset).padStart(FILE_NAME_DIGITS, '0');
}

/** A contiguous run of appended bytes held in a write buffer: file positions [start, start + len). */
interface Segment {
  readonly start: number;
  readonly buf: Buffer;
  len: number;
}

/**
 * One preallocated store file named by its 20-digit start offset (RocketMQ's MappedFile without
 * mmap). Appends land in write buffers (synchronously, no syscall); `commit` moves them to the file
 * with positional writes, `flush` makes them durable with fdatasync. Positions, as in Java:
 *
 *   flushedPosition <= committedPosition <= wrotePosition <= fileSize
 *
 * Invariant that makes reads simple: [0, memStart) is on disk, [memStart, wrotePosition) is in
 * contiguous write buffers. A buffer goes back to the pool only once its bytes are committed.
 *
 * Reference counting: readers `hold()` the file while reading from the descriptor and `release()`
 * after; `destroy()` marks it unavailable and closes the descriptor once the last reader leaves.
 */
export class MappedFile {
  readonly fileFromOffset: number;
  private wrote = 0;
  private committed = 0;
  private flushed = 0;
  private readonly sealed: Segment[] = [];
  private active: Segment | undefined;
  private committing: Promise<void> | undefined;
  private flushing: Promise<void> | undefined;
  private refCount = 1;
  private available = true;
  private closed: Promise<void> | undefined;
  /**
   * Start of the zeros a BLANK record implies: the 8 BLANK bytes are buffered but wrotePosition jumps
   * to the file end, and [zeroTailFrom, fileSize) is never written (the preallocated file is zero there).
   */
  private zeroTailFrom = Number.POSITIVE_INFINITY;
  /** Bumped by truncation: a read-ahead issued before it must not be cached after it. */
  private generation = 0;
  /** Wall-clock ms of the last append or load; expiry reads it (Java uses the file's mtime). */
  lastModifiedTimestamp = Date.now();
  /** Java's firstCreateInQueue: the file a queue was created with (ConsumeQueue pre-blank). */
  firstCreateInQueue = false;

  private constructor(
    readonly fileName: string,
    readonly fileSize: number,
    private readonly handle: FileHandle,
    private readonly pool: WriteBufferPool,
    private readonly readCache: ReadAheadCache | undefined,
  ) {
    this.fileFromOffset = Number(basename(fileName));
  }

  /**
   * Creates (zero-filled, sparse) or opens a file of exactly `fileSize` bytes. With `readCache`, small
   * reads of committed data fetch a whole window into it (sequential consumers then need no syscall).
   */
  static async open(fileName: string, fileSize: number, pool: WriteBufferPool, create: boolean, readCache?: ReadAheadCache): Promise<MappedFile> {
    if (!/^\d{20}$/.test(basename(fileName))) throw new Error(`store file name ${fileName} is not a 20-digit offset`);
    const handle = await open(fileName, create ? 'wx+' : 'r+');
    try {
      if (create) {
        await handle.truncate(fileSize);
      } else {
        const { size } = await handle.stat();
        if (size !== fileSize) throw new Error(`${fileName} is ${size} bytes, expected ${fileSize}: wrong mappedFileSize?`);
      }
    } catch (e: unknown) {
      await handle.close();
      throw e;
    }
    return new MappedFile(fileName, fileSize, handle, pool, readCache);
  }

  get wrotePosition(): number {
    return this.wrote;
  }
  get committedPosition(): number {
    return this.committed;
  }
  get flushedPosition(): number {
    return this.flushed;
  }
  isFull(): boolean {
    return this.wrote === this.fileSize;
  }
  isAvailable(): boolean {
    return this.available;
  }

  /** Recovery: everything below `pos` is on disk and valid; appends continue there. */
  setPositions(pos: number): void {
    if (this.sealed.length > 0 || this.active !== undefined) throw new Error('setPositions on a file with buffered appends');
    this.wrote = this.committed = this.flushed = pos;
  }

  /**
   * `size` contiguous writable bytes at wrotePosition, in a write buffer; undefined when the pool
   * has no buffer (commit, then ask again). Call `appended(n)` after writing.
   */
  writableSlice(size: number): { buf: Buffer; pos: number } | undefined {
    const buf = this.reserve(size);
    return buf === undefined ? undefined : { buf, pos: this.reservedPos };
  }

  /**
   * The put path's allocation-free form of writableSlice: the write buffer in which `size` bytes fit
   * at `reservedPos`, or undefined when the pool has none. Call `appended(n)` after writing.
   */
  reserve(size: number): Buffer | undefined {
    if (size > this.fileSize - this.wrote) throw new Error(`append of ${size} bytes past the end of ${this.fileName}`);
    if (size > this.pool.bufferSize) throw new Error(`append of ${size} bytes exceeds the write buffer (${this.pool.bufferSize})`);
    let seg = this.active;
    if (seg !== undefined && seg.len + size > seg.buf.length) {
      this.sealed.push(seg);
      seg = this.active = undefined;
    }
    if (seg === undefined) {
      const buf = this.pool.borrow();
      if (buf === undefined) return undefined;
      seg = this.active = { start: this.wrote, buf, len: 0 };
    }
    return seg.buf;
  }

  /** Where the bytes go in the buffer the last `reserve` returned. */
  get reservedPos(): number {
    return this.active?.len ?? 0;
  }

  /**
   * Advances wrotePosition by `advance` after `written` bytes were put into the last writable slice
   * (they differ only for the end-of-file BLANK, which covers the rest of the file in 8 bytes: the
   * rest is already zero on disk). `now` is the append's wall-clock time, if the caller has it.
   */
  appended(written: number, advance = written, now = Date.now()): void {
    const seg = this.active;
    if (seg === undefined) throw new Error('appended() without writableSlice()');
    seg.len += written;
    this.wrote += advance;
    this.lastModifiedTimestamp = now;
    if (advance !== written) {
      // Nothing may follow the BLANK in this buffer: seal it so positions stay contiguous.
      this.zeroTailFrom = seg.start + seg.len;
      this.sealed.push(seg);
      this.active = undefined;
    }
  }

  /** Bytes appended but not yet handed to the file. */
  uncommittedBytes(): number {
    return this.wrote - this.committed;
  }

  /**
   * Writes buffered bytes to the file when at least `leastPages` pages are pending (0: any), one
   * positional write per buffer. Concurrent calls share the running commit.
   */
  async commit(leastPages = 0): Promise<number> {
    while (this.committing !== undefined) await this.committing;
    if (!this.isAbleToCommit(leastPages)) return this.committed;
    const run = this.doCommit();
    this.committing = run;
    try {
      await run;
    } finally {
      this.committing = undefined;
    }
    return this.committed;
  }

  /** fdatasync when at least `leastPages` committed pages are not yet durable (0: any). */
  async flush(leastPages = 0): Promise<number> {
    while (this.flushing !== undefined) await this.flushing;
    if (!this.isAbleToFlush(leastPages)) return this.flushed;
    const target = this.committed;
    const run = this.handle.datasync();
    this.flushing = run;
    try {
      await run;
      this.flushed = Math.max(this.flushed, target);
    } finally {
      this.flushing = undefined;
    }
    return this.flushed;
  }

  /** Copies [pos, pos + size) if it is all in the write buffers (no syscall); else undefined. */
  readFromBuffers(pos: number, size: number): Buffer | undefined {
    if (pos < this.memStart() || pos + size > this.wrote) return undefined;
    const out = Buffer.allocUnsafe(size);
    return this.copyFromSegments(out, pos, size) ? out : undefined;
  }

  /**
   * The appended bytes from `pos` to the end of the write buffer holding them, at most `maxSize`, as a
   * view of that buffer; undefined when `pos` is not in a write buffer. Appended bytes never change,
   * but the buffer goes back to the pool once committed: use the view before yielding.
   */
  bufferedView(pos: number, maxSize: number): Buffer | undefined {
    if (!this.available || pos < this.memStart() || pos >= this.wrote) return undefined;
    const sealed = this.sealed;
    for (let i = 0; i <= sealed.length; i++) {
      const seg = i < sealed.length ? sealed[i]! : this.active;
      if (seg === undefined) break;
      if (pos >= seg.start && pos < seg.start + seg.len) return seg.buf.subarray(pos - seg.start, Math.min(seg.len, pos - seg.start + maxSize));
    }
    return undefined;
  }

  /**
   * Bytes [pos, pos + size) of appended data: the disk part with a positional read (or from the
   * read-ahead cache), the rest from the write buffers. Undefined if the range is not (yet) written or
   * the file was destroyed.
   */
  read(pos: number, size: number): Promise<Buffer | undefined> {
    return this.readRange(pos, size, false);
  }

  /**
   * Like `read`, but a range found in (or just read into) the read-ahead cache comes back as a view of
   * the cache's window, without a copy: the caller reads it and never writes it. For short-lived
   * lookups such as the ConsumeQueue units a pull scans.
   */
  readShared(pos: number, size: number): Promise<Buffer | undefined> {
    return this.readRange(pos, size, true);
  }

  private async readRange(pos: number, size: number, shared: boolean): Promise<Buffer | undefined> {
    // As Java's hold() in selectMappedBuffer: a file being destroyed serves no new reader, even
    // from bytes still in memory.
    if (!this.available || pos < 0 || size < 0 || pos + size > this.wrote) return undefined;
    // A cache that recycles its windows never hands out views of them.
    if (shared && this.readCache?.recycles === true) shared = false;
    const fast = this.readFromBuffers(pos, size) ?? this.readCache?.lookup(this, pos, size, shared);
    if (fast !== undefined) return fast;
    if (!this.hold()) return undefined;
    try {
      const ahead = this.readCache;
      if (ahead !== undefined && size < ahead.windowBytes && pos + size <= this.memStart()) return await this.readAhead(ahead, pos, size, shared);
      const out = Buffer.allocUnsafe(size);
      const diskEnd = Math.min(pos + size, this.memStart());
      let off = 0;
      while (pos + off < diskEnd) {
        const { bytesRead } = await this.handle.read(out, off, diskEnd - pos - off, pos + off);
        if (bytesRead === 0) throw new Error(`short read in ${this.fileName} at ${pos + off}`);
        off += bytesRead;
      }
      // The buffers may have been committed and recycled during the await: re-check what is in memory.
      while (pos + off < pos + size) {
        const from = pos + off;
        if (from < this.memStart()) {
          const { bytesRead } = await this.handle.read(out, off, Math.min(size - off, this.memStart() - from), from);
          if (bytesRead === 0) throw new Error(`short read in ${this.fileName} at ${from}`);
          off += bytesRead;
        } else {
          if (!this.copyFromSegments(out.subarray(off), from, size - off)) throw new Error(`buffered range ${from} of ${this.fileName} vanished`);
          off = size;
        }
      }
      return out;
    } finally {
      this.release();
    }
  }

  /** Readers holding the file now (expiry keeps a held file until destroyMapedFileIntervalForcibly). */
  get holders(): number {
    return this.available ? this.refCount - 1 : Math.max(0, this.refCount);
  }

  /** Takes a reference; false once the file is being destroyed. */
  hold(): boolean {
    if (!this.available) return false;
    this.refCount++;
    return true;
  }

  release(): void {
    this.refCount--;
    if (this.refCount === 0) this.closed = this.closeNow();
  }

  /**
   * Recovery truncation: drops everything from `pos` on (buffers and disk bytes, zeroed so a stale
   * record can never be re-read as valid after a later crash).
   */
  async truncateTo(pos: number): Promise<void> {
    await this.commit(0);
    this.releaseAllBuffers();
    this.generation++;
    this.readCache?.forget(this);
    this.zeroTailFrom = Number.POSITIVE_INFINITY;
    await this.handle.truncate(pos);
    await this.handle.truncate(this.fileSize);
    this.wrote = this.committed = this.flushed = pos;
  }

  /** Stops new readers; closes the descriptor when the last one leaves. Does not unlink. */
  async shutdown(): Promise<void> {
    if (this.available) {
      this.available = false;
      this.release();
    }
    await this.closed;
  }

  // -------------------------------------------------------------------------------------------

  private memStart(): number {
    return this.sealed[0]?.start ?? this.active?.start ?? this.wrote;
  }

  /**
   * Copies [pos, pos + size) from the write buffers; false if part of it is not there. Bytes past a
   * BLANK record up to the file end read as the zeros they are on disk.
   */
  private copyFromSegments(out: Buffer, pos: number, size: number): boolean {
    let copied = 0;
    const sealed = this.sealed;
    for (let i = 0; i <= sealed.length && copied < size; i++) {
      const seg = i < sealed.length ? sealed[i]! : this.active;
      if (seg === undefined) break;
      const from = pos + copied;
      if (from >= seg.start + seg.len) continue;
      if (from < seg.start) return false;
      const n = Math.min(size - copied, seg.start + seg.len - from);
      seg.buf.copy(out, copied, from - seg.start, from - seg.start + n);
      copied += n;
    }
    if (copied < size && pos + copied >= this.zeroTailFrom && pos + size <= this.wrote) {
      out.fill(0, copied, size);
      copied = size;
    }
    return copied === size;
  }

  private *segments(): Generator<Segment> {
    yield* this.sealed;
    if (this.active !== undefined) yield this.active;
  }

  /**
   * Reads the window of committed bytes holding [pos, pos + size) (the window-size-aligned one, not
   * past the buffered tail) into the read-ahead cache and answers those bytes.
   */
  private async readAhead(cache: ReadAheadCache, pos: number, size: number, shared: boolean): Promise<Buffer> {
    // Readers of nearby records (a consumer's pulls of several queues interleaved in one CommitLog)
    // that miss together share the read in flight instead of each reading its own window.
    const inFlight = cache.pendingRead(this, pos, size);
    if (inFlight !== undefined) {
      const w = await inFlight.window;
      if (w !== undefined) return sliceWindow(w, pos - inFlight.start, size, shared);
    }
    const generation = this.generation;
    // Windows are aligned to their size: readers of one region (the pulls of several queues whose
    // records interleave) all map to the same window instead of each reading an overlapping one
    // from where it happened to miss. The window reads overhangBytes past its end, so a read that
    // starts inside it and is no longer than that never needs a second window; a longer one extends it.
    const start = pos - (pos % cache.windowBytes);
    const end = Math.min(Math.max(start + cache.allocationBytes, pos + size), this.memStart());
    const window = cache.newWindow(end - start);
    const pending = cache.beginRead(this, start, end);
    let filled: Buffer | undefined;
    try {
      let off = 0;
      while (off < window.length) {
        const { bytesRead } = await this.handle.read(window, off, window.length - off, start + off);
        if (bytesRead === 0) throw new Error(`short read in ${this.fileName} at ${start + off}`);
        off += bytesRead;
      }
      if (generation === this.generation) {
        cache.put(this, start, window);
        filled = window;
      }
    } finally {
      cache.endRead(pending, filled);
    }
    return sliceWindow(window, pos - start, size, shared);
  }

  private isAbleToCommit(leastPages: number): boolean {
    const pending = this.wrote - this.committed;
    if (pending <= 0) return false;
    if (this.isFull() || leastPages <= 0) return true;
    return pending >= leastPages * OS_PAGE_SIZE;
  }

  private isAbleToFlush(leastPages: number): boolean {
    const pending = this.committed - this.flushed;
    if (pending <= 0) return false;
    if (leastPages <= 0 || (this.isFull() && this.committed === this.fileSize)) return true;
    return pending >= leastPages * OS_PAGE_SIZE;
  }

  private async doCommit(): Promise<void> {
    const target = this.wrote;
    // Appended bytes never change, so the buffers can be written while appends continue after them.
    // The segments are written one after another, in file order: issued together, the thread pool
    // may complete a later pwrite before an earlier one, and a process killed in between leaves a
    // hole followed by valid records — the file must always hold a prefix of what was appended.
    for (const seg of this.segments()) {
      const from = Math.max(seg.start, this.committed);
      const end = Math.min(seg.start + seg.len, target);
      if (end > from) await this.writeFully(seg.buf, from - seg.start, end - from, from);
    }
    this.committed = target;
    while (this.sealed.length > 0 && this.sealed[0]!.start + this.sealed[0]!.len <= this.committed) {
      this.pool.giveBack(this.sealed.shift()!.buf);
    }
    if (this.isFull() && this.active !== undefined && this.committed === this.fileSize) {
      this.pool.giveBack(this.active.buf);
      this.active = undefined;
    }
  }

  private async writeFully(buf: Buffer, offset: number, length: number, position: number): Promise<void> {
    let done = 0;
    while (done < length) {
      const { bytesWritten } = await this.handle.write(buf, offset + done, length - done, position + done);
      done += bytesWritten;
    }
  }

  private releaseAllBuffers(): void {
    for (const seg of this.segments()) this.pool.giveBack(seg.buf);
    this.sealed.length = 0;
    this.active = undefined;
  }

  private async closeNow(): Promise<void> {
    this.releaseAllBuffers();
    this.readCache?.forget(this);
    await this.handle.close();
  }
}
