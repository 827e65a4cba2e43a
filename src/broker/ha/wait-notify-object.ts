/**
 * WaitNotifyObject: HAConnection writers sleep here until new CommitLog data may be there (a put
 * calls wakeupAll) or the interval passes. Each wait owns its timer, and `close` releases every
 * waiter so no timer outlives the service.
 */
export class WaitNotifyObject {
  private waiters = new Set<() => void>();
  private closed = false;

  /** Resolves on wakeupAll, close, or after `millis`. */
  waitForRunning(millis: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, millis);
      this.waiters.add(done);
    });
  }

  wakeupAll(): void {
    const ws = [...this.waiters];
    for (const w of ws) w();
  }

  get waiting(): number {
    return this.waiters.size;
  }

  close(): void {
    this.closed = true;
    this.wakeupAll();
  }
}
