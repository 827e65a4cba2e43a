/*
 * The records' key hashes go from the main thread to the index worker through a ring of float64
 * values in shared memory: one writer (the store's dispatch), one reader (the worker).
 *
 *   values:  ... | commitLogOffset | storeTimestamp | n | keyHash × n | ...
 *                  NaN where a record would start: the rest up to the ring's end is unused, go to 0
 *   control: Int32 [HEAD, TAIL], value counters modulo 2^32 (the ring size divides 2^32); a value
 *            counter c lives at values[c & (size - 1)]
 *
 * Offsets and timestamps stay below 2^53 and key hashes are non-negative int32s, so float64 holds
 * them exactly. A record never wraps: its values are contiguous, so the reader hands them on as they
 * are. The writer publishes HEAD after a record's values (Atomics.store); the reader publishes TAIL
 * after the records it consumed and notifies it, for a writer that waits for room.
 *
 * Why not postMessage: each one cost the put path ~100 us on a 2-core machine (the worker's wakeup
 * preempts the sender; a typed array view is cloned with its whole backing buffer), ~4 % of the main
 * thread's time even with one batch per 10 ms. The ring costs a few stores per record, and the worker
 * polls it (index-worker.ts), as Java's ReputMessageService polls the CommitLog.
 */

/** Values in the ring: 2 MiB, ~65,000 records of one key (~0.2 s of puts at 300k/s). */
export const DEFAULT_RING_VALUES = 1 << 18;
/** Values of a record before its key hashes. */
export const RECORD_HEAD_VALUES = 3;
const HEAD = 0;
const TAIL = 1;

export interface RingBuffers {
  readonly values: SharedArrayBuffer;
  readonly control: SharedArrayBuffer;
}

export function createRingBuffers(size = DEFAULT_RING_VALUES): RingBuffers {
  if (size < 16 || (size & (size - 1)) !== 0 || size > 1 << 30) throw new RangeError(`ring size ${size} is not a power of two in [16, 2^30]`);
  return { values: new SharedArrayBuffer(size * Float64Array.BYTES_PER_ELEMENT), control: new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT) };
}

/** The main thread's end. */
export class RingWriter {
  private readonly values: Float64Array;
  private readonly control: Int32Array;
  private readonly size: number;
  private readonly mask: number;
  private head = 0;
  /** TAIL as last read: the reader only moves it forward, so room computed from it is never too much. */
  private tail = 0;

  constructor(buffers: RingBuffers) {
    this.values = new Float64Array(buffers.values);
    this.control = new Int32Array(buffers.control);
    this.size = this.values.length;
    this.mask = this.size - 1;
  }

  /** The largest number of key hashes one record may have (half the ring, so it always fits once drained). */
  get maxKeys(): number {
    return this.size / 2 - RECORD_HEAD_VALUES;
  }

  /** Appends one record of `n` key hashes from `hashes`; false (nothing written) when the ring lacks room. */
  tryWrite(commitLogOffset: number, storeTimestamp: number, hashes: readonly number[], n: number): boolean {
    const need = RECORD_HEAD_VALUES + n;
    let pos = this.head & this.mask;
    const toEnd = this.size - pos;
    const take = need <= toEnd ? need : toEnd + need;
    // TAIL's cache line is the reader's: read it only when the room last seen is not enough.
    if (((this.head - this.tail) >>> 0) + take > this.size) {
      this.tail = Atomics.load(this.control, TAIL);
      if (((this.head - this.tail) >>> 0) + take > this.size) return false;
    }
    const v = this.values;
    let head = this.head;
    if (need > toEnd) {
      v[pos] = Number.NaN;
      head = (head + toEnd) | 0;
      pos = 0;
    }
    v[pos] = commitLogOffset;
    v[pos + 1] = storeTimestamp;
    v[pos + 2] = n;
    for (let i = 0; i < n; i++) v[pos + RECORD_HEAD_VALUES + i] = hashes[i]!;
    this.head = (head + need) | 0;
    Atomics.store(this.control, HEAD, this.head);
    return true;
  }

  /**
   * Resolves once the reader has consumed something since tryWrite last looked, or after `timeoutMs`;
   * true if it has. For a full ring only. It waits without blocking this thread (Atomics.waitAsync):
   * the event loop, and with it puts and pulls, goes on while the ReputMessageService waits for the
   * index, as Java's reput thread waits while it builds the index and its put threads do not.
   */
  async waitForRoom(timeoutMs: number): Promise<boolean> {
    if (Atomics.load(this.control, TAIL) !== this.tail) return true;
    const w = waitAsync(this.control, TAIL, this.tail, timeoutMs);
    if (w.async) await w.value;
    return Atomics.load(this.control, TAIL) !== this.tail;
  }
}

/** Atomics.waitAsync (V8, Node >= 16), which the ES2022 lib does not declare. */
const waitAsync = (Atomics as unknown as {
  waitAsync(typedArray: Int32Array, index: number, value: number, timeout: number): { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };
}).waitAsync;

/** The worker's end. */
export class RingReader {
  private readonly values: Float64Array;
  private readonly control: Int32Array;
  private readonly size: number;
  private readonly mask: number;
  private tail = 0;

  constructor(buffers: RingBuffers) {
    this.values = new Float64Array(buffers.values);
    this.control = new Int32Array(buffers.control);
    this.size = this.values.length;
    this.mask = this.size - 1;
  }

  /**
   * Hands every record published so far to `onRecord` (its key hashes are `values[from, from + n)`),
   * oldest first, and frees their room. Resolves to the number of records.
   */
  drain(onRecord: (commitLogOffset: number, storeTimestamp: number, values: Float64Array, from: number, n: number) => void): number {
    const head = Atomics.load(this.control, HEAD);
    const v = this.values;
    let tail = this.tail;
    let records = 0;
    while (tail !== head) {
      const pos = tail & this.mask;
      const first = v[pos]!;
      if (Number.isNaN(first)) {
        tail = (tail + this.size - pos) | 0;
        continue;
      }
      const n = v[pos + 2]!;
      onRecord(first, v[pos + 1]!, v, pos + RECORD_HEAD_VALUES, n);
      tail = (tail + RECORD_HEAD_VALUES + n) | 0;
      records++;
    }
    if (tail !== this.tail) {
      this.tail = tail;
      Atomics.store(this.control, TAIL, tail);
      Atomics.notify(this.control, TAIL);
    }
    return records;
  }
}
