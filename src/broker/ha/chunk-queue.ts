/**
 * Received bytes as a list of chunks: the HA reader peeks a header and takes a body without copying
 * everything buffered on every arrival (a catching-up slave buffers megabytes).
 */
const EMPTY = Buffer.alloc(0);

export class ChunkQueue {
  private chunks: Buffer[] = [];
  private total = 0;

  get length(): number {
    return this.total;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.total += chunk.length;
  }

  /** The first `n` bytes (n ≤ length), merging front chunks only when they are split. */
  peek(n: number): Buffer {
    if (n > this.total) throw new RangeError(`peek ${n} > ${this.total}`);
    // A heartbeat has no body: nothing may be buffered at all.
    if (n === 0) return EMPTY;
    const first = this.chunks[0]!;
    if (first.length >= n) return first.subarray(0, n);
    let count = 0;
    let size = 0;
    while (size < n) size += this.chunks[count++]!.length;
    const merged = Buffer.concat(this.chunks.slice(0, count));
    this.chunks.splice(0, count, merged);
    return merged.subarray(0, n);
  }

  /** Removes and returns the first `n` bytes (a copy only when they span chunks). */
  take(n: number): Buffer {
    const out = this.peek(n);
    this.skip(n);
    return out;
  }

  skip(n: number): void {
    if (n > this.total) throw new RangeError(`skip ${n} > ${this.total}`);
    this.total -= n;
    while (n > 0) {
      const first = this.chunks[0]!;
      if (first.length <= n) {
        this.chunks.shift();
        n -= first.length;
      } else {
        this.chunks[0] = first.subarray(n);
        n = 0;
      }
    }
  }

  clear(): void {
    this.chunks = [];
    this.total = 0;
  }
}
