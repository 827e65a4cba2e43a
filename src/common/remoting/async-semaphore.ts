import { RemotingTooMuchRequestException } from '../errors.js';

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * A counting semaphore for the number of async/oneway requests in flight (Java's semaphoreAsync /
 * semaphoreOneway, fair). `tryAcquire` is the allocation-free fast path; `acquire` waits up to a
 * timeout and then fails with RemotingTooMuchRequestException, naming the semaphore as Java's
 * "invokeAsyncImpl tryAcquire semaphore timeout" message does.
 */
export class AsyncSemaphore {
  private available: number;
  private readonly waiters: Waiter[] = [];

  constructor(
    readonly name: string,
    readonly permits: number,
  ) {
    this.available = permits;
  }

  get availablePermits(): number {
    return this.available;
  }

  tryAcquire(): boolean {
    if (this.available > 0 && this.waiters.length === 0) {
      this.available--;
      return true;
    }
    return false;
  }

  acquire(timeoutMillis: number): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    if (timeoutMillis <= 0) return Promise.reject(this.tooMuch(timeoutMillis));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(this.tooMuch(timeoutMillis));
      }, timeoutMillis);
      const waiter: Waiter = { resolve, reject, timer };
      this.waiters.push(waiter);
    });
  }

  release(): void {
    const next = this.waiters.shift();
    if (next !== undefined) {
      clearTimeout(next.timer);
      next.resolve();
    } else if (this.available < this.permits) {
      this.available++;
    }
  }

  /** Fails every waiter and clears their timers (shutdown). */
  rejectAll(error: Error): void {
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(error);
    }
  }

  private tooMuch(timeoutMillis: number): RemotingTooMuchRequestException {
    return new RemotingTooMuchRequestException(
      `${this.name} tryAcquire semaphore timeout, ${timeoutMillis}ms, waiting: ${this.waiters.length} permits: ${this.permits}`,
    );
  }
}
