/**
 * Java's `lock.tryLock(timeout)` around a critical section, for async code: runs callers one at a
 * time; a caller that cannot get in within `timeoutMillis` gets `fallback` instead of running.
 */
export class SerialLock {
  private tail: Promise<void> = Promise.resolve();

  run<T>(timeoutMillis: number, fallback: T, fn: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.tail = previous.then(() => mine);
    return new Promise<T>((resolve, reject) => {
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        resolve(fallback);
      }, timeoutMillis);
      void previous.then(async () => {
        clearTimeout(timer);
        if (timedOut) {
          release();
          return;
        }
        try {
          resolve(await fn());
        } catch (e) {
          reject(e);
        } finally {
          release();
        }
      });
    });
  }
}
