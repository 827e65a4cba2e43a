import type { Logger } from '../../common/logging/logger.js';

/**
 * The periodic tasks of one owner (Java's ScheduledExecutorService of MQClientInstance), as
 * self-rescheduling timers: a run never overlaps the previous one, a failure is logged and never
 * escapes, and `cancelAll()` clears every pending timer. Timers are unref'd: a client that was never
 * shut down does not keep the process alive by its timers alone.
 */
export class ScheduledTasks {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly wakeups = new Map<string, () => void>();
  private readonly running = new Set<Promise<void>>();
  private cancelled = false;

  constructor(private readonly log: Logger) {}

  /** Runs `task` after `initialDelayMillis`, then `periodMillis()` after each run ends. */
  scheduleWithFixedDelay(name: string, initialDelayMillis: number, periodMillis: () => number, task: () => Promise<void> | void): void {
    if (this.cancelled) return;
    let wokenWhileRunning = false;
    const arm = (delay: number): void => {
      if (this.cancelled) return;
      const timer = setTimeout(() => {
        this.timers.delete(name);
        const run = this.runSafely(name, task).then(() => {
          const again = wokenWhileRunning;
          wokenWhileRunning = false;
          arm(again ? 0 : periodMillis());
        });
        this.track(run);
      }, Math.max(0, delay));
      timer.unref();
      this.timers.set(name, timer);
    };
    this.wakeups.set(name, () => {
      // Wake a waiting task now (RebalanceService.wakeup). A wakeup during a run is not lost: as
      // Java's ServiceThread (hasNotified), the task runs once more right after the current run.
      const t = this.timers.get(name);
      if (t === undefined) {
        wokenWhileRunning = true;
        return;
      }
      clearTimeout(t);
      this.timers.delete(name);
      arm(0);
    });
    arm(initialDelayMillis);
  }

  wakeup(name: string): void {
    this.wakeups.get(name)?.();
  }

  /** Clears every timer and waits (bounded) for runs in progress. */
  async cancelAll(waitMillis = 3000): Promise<void> {
    this.cancelled = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.wakeups.clear();
    if (this.running.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMillis);
    });
    await Promise.race([Promise.allSettled([...this.running]).then(() => undefined), bound]);
    clearTimeout(timer);
  }

  private async runSafely(name: string, task: () => Promise<void> | void): Promise<void> {
    try {
      await task();
    } catch (e) {
      this.log.warn(`scheduled task ${name} failed`, { error: e instanceof Error ? e.message : String(e) });
    }
  }

  private track(p: Promise<void>): void {
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  }
}
