import { getInt32, putInt32 } from '../../../common/util/big-endian.js';

/*
 * The in-memory hash slot table of the IndexFile being written, with the dirty-page tracking that
 * stands in for the kernel's writeback of a mapped file: a put marks the 4 KiB page of its slot, a
 * commit writes the dirty pages (adjacent ones merged into one write) and nothing else. The number of
 * writes per commit is bounded by the table's page count, not by the number of keys put.
 */

/** The granule of dirty tracking: an OS page, as an mmap would be written back. */
export const SLOT_PAGE_SIZE = 4096;
/**
 * Clean pages between two dirty ones that are written anyway to save a syscall: rewriting up to
 * 32 KiB of unchanged bytes costs less than another positional write.
 */
const MERGE_GAP_PAGES = 8;
const SLOT_SIZE = 4;

/** Dirty bytes (a view of the table) and where they go, relative to the table start. */
export interface DirtyRun {
  readonly offset: number;
  readonly bytes: Buffer;
}

export class SlotTable {
  /** hashSlotNum × int32 BE, exactly the file's bytes at offset 40. */
  readonly bytes: Buffer;
  private readonly dirty: Uint8Array;
  private dirtyCount = 0;

  constructor(readonly hashSlotNum: number) {
    this.bytes = Buffer.alloc(hashSlotNum * SLOT_SIZE);
    this.dirty = new Uint8Array(Math.ceil(this.bytes.length / SLOT_PAGE_SIZE));
  }

  /** Big-endian int32 by hand: once per indexed key, and slotPos < hashSlotNum by construction. */
  get(slotPos: number): number {
    return getInt32(this.bytes, slotPos * SLOT_SIZE);
  }

  set(slotPos: number, value: number): void {
    if (slotPos < 0 || slotPos >= this.hashSlotNum) throw new RangeError(`slot ${slotPos} outside 0..${this.hashSlotNum - 1}`);
    const offset = slotPos * SLOT_SIZE;
    putInt32(this.bytes, offset, value);
    this.markPage(Math.floor(offset / SLOT_PAGE_SIZE));
  }

  hasDirtyPages(): boolean {
    return this.dirtyCount > 0;
  }

  /** Marks [offset, offset + length) dirty again (after a failed write). */
  markDirty(offset: number, length: number): void {
    const last = Math.floor((offset + length - 1) / SLOT_PAGE_SIZE);
    for (let page = Math.floor(offset / SLOT_PAGE_SIZE); page <= last; page++) this.markPage(page);
  }

  /**
   * The dirty pages, merged into runs, as views of the table, and clears the marks. Puts go on
   * changing the table while the writes are in flight: a page changed meanwhile is marked again and
   * rewritten by the next commit, so the file ends up right (a crash before that loses nothing either:
   * the file being written is newer than the checkpoint and rebuilt from the CommitLog). No copy of
   * the table per commit: with random keys every page is dirty each second.
   */
  takeDirtyRuns(): DirtyRun[] {
    const runs: DirtyRun[] = [];
    if (this.dirtyCount === 0) return runs;
    const pages = this.dirty.length;
    for (let page = 0; page < pages; page++) {
      if (this.dirty[page] === 0) continue;
      const first = page;
      let last = page;
      for (let next = page + 1; next < pages && next - last <= MERGE_GAP_PAGES; next++) {
        if (this.dirty[next] !== 0) last = next;
      }
      this.dirty.fill(0, first, last + 1);
      const start = first * SLOT_PAGE_SIZE;
      const end = Math.min(this.bytes.length, (last + 1) * SLOT_PAGE_SIZE);
      runs.push({ offset: start, bytes: this.bytes.subarray(start, end) });
      page = last;
    }
    this.dirtyCount = 0;
    return runs;
  }

  private markPage(page: number): void {
    if (this.dirty[page] === 0) {
      this.dirty[page] = 1;
      this.dirtyCount++;
    }
  }
}
