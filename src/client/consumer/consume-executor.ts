import type { Logger } from '../../common/logging/logger.js';

/**
 * The consume "thread pool" (Java's consumeExecutor, consumeThreadMax threads): at most
 * `maxConcurrency` tasks run at once, the rest wait in FIFO order. A task's failure is logged and
 * never escapes. `shutdown(bound)` stops taking tasks, drops the queued ones and waits up to `bound`
 * ms for the running ones (Java's awaitTerminationMillisWhenShutdown).
 */
export class ConsumeExecutor {
  private readonly queue: (() => Promise<void>)[] = [];
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private maxConcurrency: number,
    private readonly log: Logger,
  ) {}

  get activeCount(): number {
    return this.running.size;
  }

  get queueSize(): number {
    return this.queue.length;
  }

  /** Java's updateCorePoolSize: takes effect for the next tasks started. */
  setMaxConcurrency(n: number): void {
    this.maxConcurrency = Math.max(1, n);
    this.pump();
  }

  /** Queues `task`; false (and nothing queued) once shut down (Java's RejectedExecutionException). */
  submit(task: () => Promise<void>): boolean {
    if (this.stopped) return false;
    this.queue.push(task);
    this.pump();
    return true;
  }

  async shutdown(awaitMillis: number): Promise<void> {
    this.stopped = true;
    this.queue.length = 0;
    if (this.running.size === 0 || awaitMillis <= 0) return;
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, awaitMillis);
    });
    await Promise.race([Promise.allSettled([...this.running]).then(() => undefined), bound]);
    clearTimeout(timer);
  }

  private pump(): void {
    while (this.running.size < this.maxConcurrency && this.queue.length > 0) {
      const task = this.queue.shift() as () => Promise<void>;
      const run = this.runSafely(task);
      this.running.add(run);
      void run.finally(() => {
        this.running.delete(run);
        if (!this.stopped) this.pump();
      });
    }
  }

  private async runSafely(task: () => Promise<void>): Promise<void> {
    try {
      await task();
    } catch (e) {
      this.log.error('consume task failed', { error: e instanceof Error ? e.message : String(e) });
    }
  }
}
