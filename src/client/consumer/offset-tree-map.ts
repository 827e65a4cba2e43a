/**
 * ProcessQueue's msgTreeMap: queue offset → message, iterated and polled in offset order.
 *
 * Shaped for how a ProcessQueue is used: pulls append offsets above every cached one (O(1)), consumed
 * messages are removed mostly from the front (O(1)) but in any order under concurrent consumption, and
 * orderly rollbacks put low offsets back. A hash map holds the entries; a sorted key array (from `head`)
 * holds their offsets plus possibly some removed ones ("stale" keys), skipped when reading and compacted
 * away once they outnumber the live ones — so removal anywhere is O(1) amortized and firstKey/lastKey
 * stay cheap, with no tree to balance.
 */
export class OffsetTreeMap<V> {
  private readonly entriesByOffset = new Map<number, V>();
  /** Ascending, no duplicates; a superset of the live offsets at indices >= head. */
  private keys: number[] = [];
  private head = 0;

  get size(): number {
    return this.entriesByOffset.size;
  }

  isEmpty(): boolean {
    return this.entriesByOffset.size === 0;
  }

  get(offset: number): V | undefined {
    return this.entriesByOffset.get(offset);
  }

  has(offset: number): boolean {
    return this.entriesByOffset.has(offset);
  }

  /** TreeMap.put: returns the value replaced, undefined when the offset is new. */
  set(offset: number, value: V): V | undefined {
    const old = this.entriesByOffset.get(offset);
    this.entriesByOffset.set(offset, value);
    if (old === undefined) this.insertKey(offset);
    return old;
  }

  /** TreeMap.remove: returns the value removed. */
  delete(offset: number): V | undefined {
    const value = this.entriesByOffset.get(offset);
    if (value === undefined) return undefined;
    this.entriesByOffset.delete(offset);
    if (this.entriesByOffset.size === 0) {
      this.keys = [];
      this.head = 0;
    } else if (offset === this.keys[this.head]) {
      this.head++;
    } else if (offset === this.keys[this.keys.length - 1]) {
      this.keys.pop();
    } else if (this.keys.length - this.head > 2 * this.entriesByOffset.size + COMPACT_SLACK) {
      this.compact();
    }
    return value;
  }

  firstKey(): number | undefined {
    this.skipStaleHead();
    return this.keys[this.head];
  }

  lastKey(): number | undefined {
    while (this.keys.length > this.head && !this.entriesByOffset.has(this.keys[this.keys.length - 1] as number)) this.keys.pop();
    return this.keys.length > this.head ? this.keys[this.keys.length - 1] : undefined;
  }

  firstValue(): V | undefined {
    const k = this.firstKey();
    return k === undefined ? undefined : this.entriesByOffset.get(k);
  }

  /** TreeMap.pollFirstEntry. */
  pollFirst(): [number, V] | undefined {
    const k = this.firstKey();
    if (k === undefined) return undefined;
    return [k, this.delete(k) as V];
  }

  clear(): void {
    this.entriesByOffset.clear();
    this.keys = [];
    this.head = 0;
  }

  /** Entries in ascending offset order. */
  *entries(): IterableIterator<[number, V]> {
    for (let i = this.head; i < this.keys.length; i++) {
      const k = this.keys[i] as number;
      const v = this.entriesByOffset.get(k);
      if (v !== undefined) yield [k, v];
    }
  }

  *values(): IterableIterator<V> {
    for (const [, v] of this.entries()) yield v;
  }

  private insertKey(offset: number): void {
    const keys = this.keys;
    const last = keys[keys.length - 1];
    if (keys.length === this.head || (last as number) < offset) {
      keys.push(offset);
      return;
    }
    this.skipStaleHead();
    const first = keys[this.head];
    if (first === undefined || offset < first) {
      // Slots before head are free: an offset below every key takes one without shifting the array.
      if (this.head > 0) keys[--this.head] = offset;
      else keys.unshift(offset);
      return;
    }
    const i = lowerBound(keys, offset, this.head);
    // Equal: the offset was removed earlier and its stale key is still in place; it is live again.
    if (keys[i] !== offset) keys.splice(i, 0, offset);
  }

  private skipStaleHead(): void {
    while (this.head < this.keys.length && !this.entriesByOffset.has(this.keys[this.head] as number)) this.head++;
    if (this.head > COMPACT_SLACK && this.head * 2 > this.keys.length) {
      this.keys = this.keys.slice(this.head);
      this.head = 0;
    }
  }

  private compact(): void {
    this.keys = this.keys.slice(this.head).filter((k) => this.entriesByOffset.has(k));
    this.head = 0;
  }
}

/** Stale keys tolerated before compacting (keeps compaction amortized O(1) per removal). */
const COMPACT_SLACK = 64;

/** The first index >= `from` whose key is >= `target`. */
function lowerBound(sorted: readonly number[], target: number, from: number): number {
  let lo = from;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
