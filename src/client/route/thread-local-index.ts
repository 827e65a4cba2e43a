/**
 * Java's ThreadLocalIndex: a counter starting at a random int, read as a non-negative int
 * (`index & 0x7fffffff`) after each increment. Node runs sends on one thread, so one counter per owner
 * plays the part of Java's per-thread one.
 */
const POSITIVE_MASK = 0x7fffffff;

export class ThreadLocalIndex {
  private index: number;

  constructor(start: number = Math.floor(Math.random() * 0x80000000)) {
    this.index = start | 0;
  }

  incrementAndGet(): number {
    this.index = (this.index + 1) | 0;
    return this.index & POSITIVE_MASK;
  }
}
