/**
 * The read-ahead cache of MappedFile reads. Windows belong to an owner (a MappedFile: only its
 * identity is used here, so this module does not depend on MappedFile).
 */
export type ReadAheadOwner = object;

/** `size` bytes at `at` of a window: a view with `shared`, else a copy. */
export function sliceWindow(window: Buffer, at: number, size: number, shared: boolean): Buffer {
  if (shared) return window.subarray(at, at + size);
  const out = Buffer.allocUnsafe(size);
  window.copy(out, 0, at, at + size);
  return out;
}

/** A window read in flight: `window` resolves to the filled window, or undefined if it failed or went stale. */
export interface PendingRead {
  readonly file: ReadAheadOwner;
  readonly start: number;
  readonly end: number;
  readonly window: Promise<Buffer | undefined>;
  resolve(window: Buffer | undefined): void;
}

/** Spare window buffers a recycling cache keeps at most. */
const MAX_SPARE_WINDOWS = 4;

/**
 * Windows of committed file bytes read ahead of sequential readers (getMessage of a consumer
 * catching up, reput after a restart), shared by the files of one queue: at most `maxWindows` of
 * `windowBytes` each, the oldest replaced first. Committed bytes never change (truncation forgets a
 * file's windows), so a window stays valid until it is dropped. Java gets the same from the page
 * cache through its mmap; here it saves one syscall per record.
 */
export class ReadAheadCache {
  private readonly windows: { file: ReadAheadOwner; start: number; buf: Buffer }[] = [];
  /** Recycling: the memory of the last windows replaced, for the next ones. */
  private readonly spares: ArrayBuffer[] = [];
  private readonly pending: PendingRead[] = [];

  constructor(
    readonly windowBytes: number,
    private readonly maxWindows: number,
    /**
     * Reuse a replaced window's memory for the next window instead of leaving it to the GC. Only for
     * a cache whose readers always get copies (lookup and read copy, never share a view): a sequential
     * reader otherwise leaves windowBytes of garbage per window behind (the CommitLog's, under a
     * catching-up consumer, ~200 MB/s of external memory the GC frees late).
     */
    readonly recycles = false,
    /**
     * Windows start at multiples of windowBytes and read this much further, so that every read of
     * at most overhangBytes starting inside a window lies wholly in it. Without it each record
     * crossing a window boundary read a second, overlapping window: measured, every CommitLog
     * window was read twice under a catching-up consumer, and ConsumeQueue scans (16,000 bytes per
     * pull) read 25 times the queue's size.
     */
    readonly overhangBytes = 0,
  ) {}

  /** Bytes of a whole window: windowBytes + overhangBytes. */
  get allocationBytes(): number {
    return this.windowBytes + this.overhangBytes;
  }

  /** A buffer for a window of `size` bytes (contents stale); windows up to allocationBytes reuse spares. */
  newWindow(size: number): Buffer {
    if (size <= this.allocationBytes) {
      const spare = this.spares.pop();
      if (spare !== undefined) return Buffer.from(spare, 0, size);
    }
    return Buffer.allocUnsafeSlow(size);
  }

  /** A read in flight whose window will hold [pos, pos + size) of `file`, if any. */
  pendingRead(file: ReadAheadOwner, pos: number, size: number): PendingRead | undefined {
    for (const p of this.pending) if (p.file === file && pos >= p.start && pos + size <= p.end) return p;
    return undefined;
  }

  /** Announces a read of [start, end) of `file`; `endRead` must follow. */
  beginRead(file: ReadAheadOwner, start: number, end: number): PendingRead {
    let resolve: (w: Buffer | undefined) => void = () => undefined;
    const window = new Promise<Buffer | undefined>((r) => (resolve = r));
    const p: PendingRead = { file, start, end, window, resolve };
    this.pending.push(p);
    return p;
  }

  /** The read of `p` is over: `window` if it was filled and cached, else undefined (waiters read for themselves). */
  endRead(p: PendingRead, window: Buffer | undefined): void {
    const i = this.pending.indexOf(p);
    if (i >= 0) this.pending.splice(i, 1);
    p.resolve(window);
  }

  /**
   * [pos, pos + size) of `file` if a window holds all of it: a copy, or with `shared` a view of the
   * window (windows are never written after they are filled, so a view stays valid).
   */
  lookup(file: ReadAheadOwner, pos: number, size: number, shared: boolean): Buffer | undefined {
    const ws = this.windows;
    for (let i = ws.length - 1; i >= 0; i--) {
      const w = ws[i]!;
      if (w.file !== file || pos < w.start || pos + size > w.start + w.buf.length) continue;
      return sliceWindow(w.buf, pos - w.start, size, shared);
    }
    return undefined;
  }

  put(file: ReadAheadOwner, start: number, buf: Buffer): void {
    if (this.windows.length >= this.maxWindows) {
      const replaced = this.windows.shift()!.buf;
      // Only whole windows' memory is worth keeping (a window cut at a file's buffered tail may be small).
      if (this.recycles && replaced.buffer.byteLength === this.allocationBytes && replaced.byteOffset === 0 && this.spares.length < MAX_SPARE_WINDOWS) {
        this.spares.push(replaced.buffer as ArrayBuffer);
      }
    }
    this.windows.push({ file, start, buf });
  }

  forget(file: ReadAheadOwner): void {
    for (let i = this.windows.length - 1; i >= 0; i--) if (this.windows[i]!.file === file) this.windows.splice(i, 1);
  }
}
