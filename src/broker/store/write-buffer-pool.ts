/**
 * RocketMQ's TransientStorePool, re-purposed: Node has no mmap, so every MappedFile appends into a
 * write buffer from this pool and commits it to the file with positional writes. The pool bounds the
 * memory the put path can hold: when all buffers are lent out and uncommitted, appends wait for a
 * commit instead of growing the heap.
 */
export class WriteBufferPool {
  private readonly free: Buffer[] = [];
  private lent = 0;

  constructor(
    readonly bufferSize: number,
    /** Buffers alive at most; Infinity for small pools that only recycle (ConsumeQueue). */
    readonly maxBuffers: number,
  ) {}

  /** A buffer, or undefined when `maxBuffers` are lent out. Contents are stale: write before reading. */
  borrow(): Buffer | undefined {
    const b = this.free.pop();
    if (b !== undefined) {
      this.lent++;
      return b;
    }
    if (this.lent >= this.maxBuffers) return undefined;
    this.lent++;
    return Buffer.allocUnsafeSlow(this.bufferSize);
  }

  giveBack(buf: Buffer): void {
    this.lent--;
    // Keep a couple of buffers for reuse; dropping the rest lets an idle store shrink.
    if (this.free.length < KEEP_FREE_BUFFERS) this.free.push(buf);
  }

  get availableBufferNums(): number {
    return this.maxBuffers - this.lent;
  }
}

const KEEP_FREE_BUFFERS = 2;
