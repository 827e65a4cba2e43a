import { closeSync, constants, fdatasync, fstatSync, ftruncateSync, openSync, unlink } from 'node:fs';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { readInt64BE } from '../../../common/message/int64.js';
import { createLogger, type Logger } from '../../../common/logging/logger.js';
import { putInt32, putInt64 } from '../../../common/util/big-endian.js';
import { javaStringHashCode } from '../../../common/util/java-hash-map-order.js';
import { FIRST_INDEX_COUNT, INDEX_HEADER_SIZE, IndexHeader } from './index-header.js';
import { readFully, readSyncFully, writeFully, writevFully } from './positional-io.js';
import { SlotTable } from './slot-table.js';

/*
 * IndexFile (PROTOCOL.md §6.4): a preallocated file of three regions.
 *
 *   0        40                         40 + hashSlotNum*4                     + indexNum*20
 *   +--------+--------------------------+-----------------------------------------------+
 *   | header | slot table: int32 × slots| entries: 20 B × indexNum (entry #0 unused)     |
 *   +--------+--------------------------+-----------------------------------------------+
 *
 *   entry:  0        4                 12         16        20
 *           | keyHash | phyOffset int64 | timeDiff | prevIndex|
 *                                         seconds since header.beginTimestamp
 *
 * A slot holds the number of the newest entry whose keyHash % hashSlotNum is that slot; each entry
 * links to the previous one of the same slot, so a lookup walks newest → oldest.
 *
 * Java maps the whole file. Node has no mmap, so the file being written keeps its slot table and its
 * not-yet-written entries in memory and `commit()` writes what changed in a few positional writes
 * (dirty slot pages, one writev for the appended entries, the header) — never a syscall per key.
 * A full file, once flushed, drops its slot table ("sealed") and lookups read slots from disk.
 */

export const HASH_SLOT_SIZE = 4;
export const INDEX_SIZE = 20;
/** Entry number 0: "no entry" in a slot or a prevIndex link. */
export const INVALID_INDEX = 0;
const INT32_MAX = 0x7fffffff;
const INT32_MIN = -0x80000000;
const MS_PER_SECOND = 1000;
/** In-memory entry chunk: 4096 entries (80 KiB); chunks are dropped once written. */
const ENTRY_CHUNK_ENTRIES = 4096;
/** Written chunks kept for reuse (a commit a second frees a few at the put rates seen). */
const SPARE_CHUNKS = 4;
const FILE_MODE = 0o644;

const fdatasyncAsync = promisify(fdatasync);
const unlinkAsync = promisify(unlink);

/** Java's indexKeyHashMethod: abs(String.hashCode); abs(Integer.MIN_VALUE) stays negative there ⇒ 0. */
export function indexKeyHashMethod(key: string): number {
  return absHash(javaStringHashCode(key));
}

/**
 * indexKeyHashMethod(`${topic}#${key}`) without building the string: String.hashCode continued over
 * the three parts (the index hashes one or two keys per stored message).
 */
export function topicKeyHash(topic: string, key: string): number {
  // The hash state after `topic#` of the last topic seen: keys come in runs of one topic.
  let h: number;
  if (topic === lastPrefixTopic) h = lastPrefixHash;
  else {
    h = 0;
    for (let i = 0; i < topic.length; i++) h = (Math.imul(31, h) + topic.charCodeAt(i)) | 0;
    h = (Math.imul(31, h) + KEY_SEPARATOR_CODE) | 0;
    lastPrefixTopic = topic;
    lastPrefixHash = h;
  }
  for (let i = 0; i < key.length; i++) h = (Math.imul(31, h) + key.charCodeAt(i)) | 0;
  return absHash(h);
}

let lastPrefixTopic: string | undefined;
let lastPrefixHash = 0;

/** '#', between topic and key in an index key. */
const KEY_SEPARATOR_CODE = 0x23;

function absHash(h: number): number {
  return h === INT32_MIN ? 0 : Math.abs(h);
}

/** 40 + hashSlotNum × 4 + indexNum × 20 (420,000,040 with the defaults). */
export function indexFileSize(hashSlotNum: number, indexNum: number): number {
  return INDEX_HEADER_SIZE + hashSlotNum * HASH_SLOT_SIZE + indexNum * INDEX_SIZE;
}

export class IndexFile {
  private fd: number;
  private slots: SlotTable | undefined;
  /**
   * Appended entries not yet known to be on disk, by chunk number (entry n is in chunk ⌊n/4096⌋).
   * Only entries ≥ writtenIndexCount are meaningful in a chunk.
   */
  private readonly entryChunks = new Map<number, Buffer>();
  /** Chunks whose entries are all on disk, kept for reuse by the next chunks. */
  private readonly spareChunks: Buffer[] = [];
  /** The chunk puts write into now, and its number (-1: none): no map lookup per put. */
  private currentChunk: Buffer | undefined;
  private currentChunkNo = -1;
  /** Entries below this number are on disk. */
  private writtenIndexCount: number;
  private headerDirty: boolean;
  private unsynced = false;
  private closed = false;
  /** commit/flush/close run one after another; a write must never race the fd's close. */
  private ioChain: Promise<void> = Promise.resolve();
  private readonly scratch = Buffer.alloc(INDEX_SIZE);
  private readonly entriesPosition: number;

  /**
   * A new, preallocated (sparse) file. A file that follows a full one starts with the previous file's
   * end offset and timestamp as its begin and end (Java's constructor arguments), so time-range
   * checks still work before its first key.
   */
  static create(
    fileName: string,
    hashSlotNum: number,
    indexNum: number,
    endPhyOffset: number,
    endTimestamp: number,
    logger: Logger = defaultLogger(),
  ): IndexFile {
    // O_EXCL: two files created within one millisecond would otherwise share a name and a file.
    const fd = openSync(fileName, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL, FILE_MODE);
    try {
      ftruncateSync(fd, indexFileSize(hashSlotNum, indexNum));
    } catch (e: unknown) {
      closeSync(fd);
      throw e;
    }
    const header = new IndexHeader();
    if (endPhyOffset > 0) {
      header.beginPhyOffset = endPhyOffset;
      header.endPhyOffset = endPhyOffset;
    }
    if (endTimestamp > 0) {
      header.beginTimestamp = endTimestamp;
      header.endTimestamp = endTimestamp;
    }
    return new IndexFile(fileName, fd, hashSlotNum, indexNum, header, new SlotTable(hashSlotNum), true, logger);
  }

  /**
   * Opens an existing file: its header, and its slot table unless it is full (then lookups read slots
   * from disk). The file must have exactly the size the slot and index numbers imply: a file written
   * with other numbers would be read as garbage.
   */
  static async load(fileName: string, hashSlotNum: number, indexNum: number, logger: Logger = defaultLogger()): Promise<IndexFile> {
    const fd = openSync(fileName, constants.O_RDWR);
    try {
      const size = fstatSync(fd).size;
      const expected = indexFileSize(hashSlotNum, indexNum);
      if (size !== expected) {
        throw new RangeError(`index file ${fileName} has ${size} bytes, expected ${expected} for ${hashSlotNum} slots and ${indexNum} entries`);
      }
      const headerBytes = Buffer.alloc(INDEX_HEADER_SIZE);
      await readFully(fd, headerBytes, 0);
      const header = IndexHeader.decode(headerBytes);
      let slots: SlotTable | undefined;
      if (header.indexCount < indexNum) {
        slots = new SlotTable(hashSlotNum);
        await readFully(fd, slots.bytes, INDEX_HEADER_SIZE);
      }
      return new IndexFile(fileName, fd, hashSlotNum, indexNum, header, slots, false, logger);
    } catch (e: unknown) {
      closeSync(fd);
      throw e;
    }
  }

  private constructor(
    readonly fileName: string,
    fd: number,
    readonly hashSlotNum: number,
    readonly indexNum: number,
    private readonly header: IndexHeader,
    slots: SlotTable | undefined,
    isNew: boolean,
    private readonly logger: Logger,
  ) {
    this.fd = fd;
    this.slots = slots;
    this.writtenIndexCount = header.indexCount;
    this.headerDirty = isNew;
    this.entriesPosition = INDEX_HEADER_SIZE + hashSlotNum * HASH_SLOT_SIZE;
  }

  /** The header as it is in memory (the file's copy may be older until the next commit). */
  get indexHeader(): Readonly<IndexHeader> {
    return this.header;
  }
  get beginTimestamp(): number {
    return this.header.beginTimestamp;
  }
  get endTimestamp(): number {
    return this.header.endTimestamp;
  }
  get endPhyOffset(): number {
    return this.header.endPhyOffset;
  }
  /** The file name alone (`yyyyMMddHHmmssSSS`). */
  get name(): string {
    return basename(this.fileName);
  }

  isWriteFull(): boolean {
    return this.header.indexCount >= this.indexNum;
  }

  /** Adds `key` → `phyOffset`; false when the file is full (the caller rolls to a new file). */
  putKey(key: string, phyOffset: number, storeTimestamp: number): boolean {
    return this.putKeyHash(indexKeyHashMethod(key), phyOffset, storeTimestamp, key);
  }

  /** putKey for a key already hashed by indexKeyHashMethod (`key` only names it in logs). */
  putKeyHash(keyHash: number, phyOffset: number, storeTimestamp: number, key?: string): boolean {
    const header = this.header;
    if (header.indexCount >= this.indexNum) {
      this.logger.warn('Over index file capacity', { indexCount: header.indexCount, indexNum: this.indexNum });
      return false;
    }
    const slots = this.slots;
    if (slots === undefined || this.closed) {
      this.logger.error('putKey on a sealed or closed index file', { file: this.fileName, key });
      return false;
    }
    const slotPos = keyHash % this.hashSlotNum;
    let slotValue = slots.get(slotPos);
    if (slotValue <= INVALID_INDEX || slotValue > header.indexCount) slotValue = INVALID_INDEX;

    // Java: long division (truncating), then clamped into an int; no begin yet ⇒ 0.
    let timeDiff = Math.trunc((storeTimestamp - header.beginTimestamp) / MS_PER_SECOND);
    if (header.beginTimestamp <= 0) timeDiff = 0;
    else if (timeDiff > INT32_MAX) timeDiff = INT32_MAX;
    else if (timeDiff < 0) timeDiff = 0;

    const n = header.indexCount;
    const chunk = this.chunkFor(n);
    const pos = (n % ENTRY_CHUNK_ENTRIES) * INDEX_SIZE;
    putInt32(chunk, pos, keyHash);
    putInt64(chunk, pos + 4, phyOffset);
    putInt32(chunk, pos + 12, timeDiff);
    putInt32(chunk, pos + 16, slotValue);
    slots.set(slotPos, n);

    // The first entry defines the file's begin (after timeDiff was computed against the old begin).
    if (n <= FIRST_INDEX_COUNT) {
      header.beginPhyOffset = phyOffset;
      header.beginTimestamp = storeTimestamp;
    }
    if (slotValue === INVALID_INDEX) header.hashSlotCount++;
    header.indexCount++;
    header.endPhyOffset = phyOffset;
    header.endTimestamp = storeTimestamp;
    this.headerDirty = true;
    return true;
  }

  /** Whether [begin, end] overlaps [beginTimestamp, endTimestamp] (Java's three-way test). */
  isTimeMatched(begin: number, end: number): boolean {
    const b = this.header.beginTimestamp;
    const e = this.header.endTimestamp;
    return (begin < b && end > e) || (begin >= b && begin <= e) || (end >= b && end <= e);
  }

  /**
   * Appends to `phyOffsets` the offsets of entries whose keyHash equals `key`'s and whose time lies in
   * [begin, end], newest first, until `phyOffsets` holds `maxNum`. Hash collisions are returned too:
   * the broker does not know the key, the client filters (PROTOCOL.md §6.4).
   */
  selectPhyOffset(phyOffsets: number[], key: string, maxNum: number, begin: number, end: number): void {
    if (this.closed) return;
    const header = this.header;
    const keyHash = indexKeyHashMethod(key);
    const slotPos = keyHash % this.hashSlotNum;
    try {
      const slotValue = this.slotValueAt(slotPos);
      if (slotValue <= INVALID_INDEX || slotValue > header.indexCount || header.indexCount <= FIRST_INDEX_COUNT) return;
      for (let next = slotValue; ; ) {
        if (phyOffsets.length >= maxNum) break;
        const entry = this.readEntry(next);
        const keyHashRead = entry.readInt32BE(0);
        const phyOffsetRead = readInt64BE(entry, 4);
        const timeDiff = entry.readInt32BE(12);
        const prevIndexRead = entry.readInt32BE(16);
        if (timeDiff < 0) break;
        const timeRead = header.beginTimestamp + timeDiff * MS_PER_SECOND;
        if (keyHash === keyHashRead && timeRead >= begin && timeRead <= end) phyOffsets.push(phyOffsetRead);
        // prevIndex == next would loop forever on a corrupt file; older entries can't be in range.
        if (prevIndexRead <= INVALID_INDEX || prevIndexRead > header.indexCount || prevIndexRead === next || timeRead < begin) break;
        next = prevIndexRead;
      }
    } catch (e: unknown) {
      // Java logs and returns what it found; a broken file must not fail the whole query.
      this.logger.error('selectPhyOffset exception', { file: this.fileName, key, error: e });
    }
  }

  /** Writes every change since the last commit (no fdatasync): the page cache then holds it, as with mmap. */
  commit(): Promise<void> {
    return this.chain(() => this.doCommit());
  }

  /** commit() then fdatasync (Java: updateByteBuffer + force). A full file then drops its slot table. */
  flush(): Promise<void> {
    return this.chain(async () => {
      await this.doCommit();
      if (this.unsynced) {
        await fdatasyncAsync(this.fd);
        this.unsynced = false;
      }
      if (this.isWriteFull() && this.slots !== undefined && !this.slots.hasDirtyPages()) this.slots = undefined;
    });
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    await this.chain(async () => {
      this.closeNow();
    });
  }

  /** Closes without writing what is pending and deletes the file (Java's destroy). */
  async destroy(): Promise<void> {
    await this.chain(async () => {
      this.closeNow();
      await unlinkAsync(this.fileName);
    });
  }

  private closeNow(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
    this.fd = -1;
    this.slots = undefined;
    this.entryChunks.clear();
    this.spareChunks.length = 0;
    this.forgetCurrentChunk();
  }

  private chain(op: () => Promise<void>): Promise<void> {
    const next = this.ioChain.then(op);
    // Keep the chain alive after a failure; the caller sees the error through `next`.
    this.ioChain = next.catch((e: unknown) => {
      this.logger.error('index file I/O failed', { file: this.fileName, error: e });
    });
    return next;
  }

  private async doCommit(): Promise<void> {
    if (this.closed) return;
    const slots = this.slots;
    const runs = slots?.takeDirtyRuns() ?? [];
    const from = this.writtenIndexCount;
    const to = this.header.indexCount;
    const entryBuffers = this.entrySlices(from, to);
    const headerBytes = this.headerDirty ? this.header.encode() : undefined;
    this.headerDirty = false;
    try {
      if (entryBuffers.length > 0) await writevFully(this.fd, entryBuffers, this.entriesPosition + from * INDEX_SIZE);
      for (const run of runs) await writeFully(this.fd, run.bytes, INDEX_HEADER_SIZE + run.offset);
      if (headerBytes !== undefined) await writeFully(this.fd, headerBytes, 0);
    } catch (e: unknown) {
      // Nothing is lost: mark it all again for the next attempt.
      for (const run of runs) slots?.markDirty(run.offset, run.bytes.length);
      if (headerBytes !== undefined) this.headerDirty = true;
      throw e;
    }
    if (entryBuffers.length > 0 || runs.length > 0 || headerBytes !== undefined) this.unsynced = true;
    this.writtenIndexCount = to;
    for (const [chunkNo, chunk] of this.entryChunks) {
      if ((chunkNo + 1) * ENTRY_CHUNK_ENTRIES > to) continue;
      this.entryChunks.delete(chunkNo);
      if (chunkNo === this.currentChunkNo) this.forgetCurrentChunk();
      if (this.spareChunks.length < SPARE_CHUNKS) this.spareChunks.push(chunk);
    }
  }

  /** Entries [from, to) as slices of the in-memory chunks (immutable once written, so no copy). */
  private entrySlices(from: number, to: number): Buffer[] {
    const out: Buffer[] = [];
    for (let n = from; n < to; ) {
      const chunkNo = Math.floor(n / ENTRY_CHUNK_ENTRIES);
      const chunk = this.entryChunks.get(chunkNo);
      if (chunk === undefined) throw new Error(`index entry ${n} of ${this.fileName} is neither in memory nor on disk`);
      const chunkEnd = Math.min(to, (chunkNo + 1) * ENTRY_CHUNK_ENTRIES);
      out.push(chunk.subarray((n % ENTRY_CHUNK_ENTRIES) * INDEX_SIZE, (chunkEnd - chunkNo * ENTRY_CHUNK_ENTRIES) * INDEX_SIZE));
      n = chunkEnd;
    }
    return out;
  }

  private chunkFor(n: number): Buffer {
    const chunkNo = Math.floor(n / ENTRY_CHUNK_ENTRIES);
    if (chunkNo === this.currentChunkNo) return this.currentChunk!;
    let chunk = this.entryChunks.get(chunkNo);
    if (chunk === undefined) {
      // A written chunk's memory, when there is one, else uninitialised memory: only entries put
      // since are ever read or written from a chunk (older ones come from the file, entrySlices and
      // readEntry never look below writtenIndexCount), so its stale bytes are never seen; a fresh
      // zeroed 80 KiB per 4096 keys was ~1 % of the put phase's CPU.
      chunk = this.spareChunks.pop() ?? Buffer.allocUnsafeSlow(ENTRY_CHUNK_ENTRIES * INDEX_SIZE);
      this.entryChunks.set(chunkNo, chunk);
    }
    this.currentChunk = chunk;
    this.currentChunkNo = chunkNo;
    return chunk;
  }

  private forgetCurrentChunk(): void {
    this.currentChunk = undefined;
    this.currentChunkNo = -1;
  }

  private slotValueAt(slotPos: number): number {
    if (this.slots !== undefined) return this.slots.get(slotPos);
    readSyncFully(this.fd, this.scratch, HASH_SLOT_SIZE, INDEX_HEADER_SIZE + slotPos * HASH_SLOT_SIZE);
    return this.scratch.readInt32BE(0);
  }

  /** Entry `n`'s 20 bytes (in a shared scratch buffer, valid until the next call). */
  private readEntry(n: number): Buffer {
    // Below writtenIndexCount an entry is on disk; a chunk may cover it with zeros (a file loaded
    // mid-chunk), so the count decides, not the chunk's presence.
    const chunk = n >= this.writtenIndexCount ? this.entryChunks.get(Math.floor(n / ENTRY_CHUNK_ENTRIES)) : undefined;
    if (chunk !== undefined) {
      const pos = (n % ENTRY_CHUNK_ENTRIES) * INDEX_SIZE;
      chunk.copy(this.scratch, 0, pos, pos + INDEX_SIZE);
    } else {
      readSyncFully(this.fd, this.scratch, INDEX_SIZE, this.entriesPosition + n * INDEX_SIZE);
    }
    return this.scratch;
  }
}

function defaultLogger(): Logger {
  return createLogger('store').namespace('IndexFile');
}
