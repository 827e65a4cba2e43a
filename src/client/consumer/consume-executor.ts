import type { Logger } from '../../common/logging/logger.js';

/** Consumed slots at the queue's front that are worth a compaction. */
const COMPACT_AFTER = 1024;

/**
 * The consume "thread pool" (Java's consumeExecutor, consumeThreadMax threads): at most
 * `maxConcurrency` tasks run at once, the rest wait in FIFO order. A task is an item handed to the
 * executor's runner (`run(item)`), so submitting costs no closure; a task's failure is logged and
 * never escapes. `shutdown(bound)` stops taking tasks, drops the queued ones and waits up to `bound`
 * ms for the running ones (Java's awaitTerminationMillisWhenShutdown).
 */
export class ConsumeExecutor<T> {
  private readonly queue: T[] = [];
  /** Index of the queue's head: the queue is compacted only when it empties, not shifted per task. */
  private head = 0;
  private running = 0;
  private idleWaiters: (() => void)[] = [];
  private stopped = false;

  constructor(
    private maxConcurrency: number,
    /** A task; undefined when it finished synchronously. */
    private readonly run: (item: T) => Promise<void> | undefined,
    private readonly log: Logger,
  ) {}

  get activeCount(): number {
    return this.running;
  }

  get queueSize(): number {
    return this.queue.length - this.head;
  }

  /** Java's updateCorePoolSize: takes effect for the next tasks started. */
  setMaxConcurrency(n: number): void {
    this.maxConcurrency = Math.max(1, n);
    this.pump();
  }

  /** Queues `item`; false (and nothing queued) once shut down (Java's RejectedExecutionException). */
  submit(item: T): boolean {
    if (this.stopped) return false;
    this.queue.push(item);
    this.pump();
    return true;
  }

  async shutdown(awaitMillis: number): Promise<void> {
    this.stopped = true;
    this.queue.length = 0;
    this.head = 0;
    if (this.running === 0 || awaitMillis <= 0) return;
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, awaitMillis);
    });
    const idle = new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    await Promise.race([idle, bound]);
    clearTimeout(timer);
  }

  private pump(): void {
    while (this.running < this.maxConcurrency && this.head < this.queue.length) {
      const item = this.queue[this.head] as T;
      this.queue[this.head++] = undefined as T;
      if (this.head === this.queue.length) {
        this.queue.length = 0;
        this.head = 0;
      } else if (this.head >= COMPACT_AFTER && this.head * 2 >= this.queue.length) {
        // A backlog that never drains: drop the consumed front now and then.
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      this.running++;
      let started: Promise<void> | undefined;
      try {
        started = this.run(item);
      } catch (e) {
        this.logFailed(e);
        started = undefined;
      }
      if (started !== undefined) {
        started.then(this.onDone, this.onFailed);
      } else {
        // Finished synchronously: free the slot here, the loop takes the next task.
        this.running--;
        if (this.stopped) this.notifyIdle();
      }
    }
  }

  private readonly onFailed = (e: unknown): void => {
    this.logFailed(e);
    this.onDone();
  };

  private logFailed(e: unknown): void {
    this.log.error('consume task failed', { error: e instanceof Error ? e.message : String(e) });
  }

  private readonly onDone = (): void => {
    this.running--;
    if (!this.stopped) this.pump();
    else this.notifyIdle();
  };

  private notifyIdle(): void {
    if (this.running === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}
