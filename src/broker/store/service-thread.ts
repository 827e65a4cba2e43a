import type { Logger } from '../../common/logging/logger.js';

/**
 * RocketMQ's ServiceThread on the event loop: one async loop per service, `wakeup()` to cut a wait
 * short (a wakeup that arrives while the loop is busy is remembered, as Java's hasNotified is), and
 * `shutdown()` that stops the loop and awaits its last round. The only timer is the one a wait
 * arms (a wakeup leaves it armed for the next wait to re-arm); shutdown clears it, so a stopped
 * service leaves nothing scheduled.
 */
export abstract class ServiceThread {
  private stopped = false;
  private started = false;
  private notified = false;
  /** Resolves the wait in progress. */
  private waiter: (() => void) | undefined;
  /**
   * The timer of the last wait, left armed by a wakeup and re-armed with refresh() by the next wait
   * of the same length: services woken after every group of puts (reput) wait thousands of times a
   * second, and a Timeout created and cleared per wait was ~1 % of the put path's CPU.
   */
  private timer: NodeJS.Timeout | undefined;
  private timerMillis = -1;
  private readonly onTimer = (): void => {
    const resolve = this.waiter;
    this.waiter = undefined;
    resolve?.();
  };
  private loop: Promise<void> | undefined;

  constructor(protected readonly log: Logger) {}

  abstract get serviceName(): string;

  /** One iteration of the service; the loop calls it until shutdown, then `onShutdown` once. */
  protected abstract runOnce(): Promise<void>;

  /** Work after the loop ended (e.g. a last flush). */
  protected async onShutdown(): Promise<void> {}

  start(): void {
    if (this.started) return;
    this.started = true;
    this.loop = this.runLoop();
  }

  isStopped(): boolean {
    return this.stopped;
  }

  wakeup(): void {
    const resolve = this.waiter;
    if (resolve !== undefined) {
      this.waiter = undefined;
      resolve();
    } else {
      this.notified = true;
    }
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    this.wakeup();
    await this.loop;
  }

  /** Waits `intervalMillis` or until woken; returns at once if a wakeup came while busy. */
  protected waitForRunning(intervalMillis: number): Promise<void> {
    if (this.notified || this.stopped) {
      this.notified = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      this.waiter = resolve;
      // A timer that fires while the service is busy finds no waiter and does nothing.
      if (this.timer !== undefined && this.timerMillis === intervalMillis) {
        this.timer.refresh();
      } else {
        if (this.timer !== undefined) clearTimeout(this.timer);
        this.timerMillis = intervalMillis;
        this.timer = setTimeout(this.onTimer, intervalMillis);
      }
    });
  }

  private async runLoop(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.runOnce();
      } catch (e: unknown) {
        // A failed round (e.g. EIO on a flush) must not kill the service: log and try again later.
        this.log.error(`${this.serviceName} round failed`, { error: e });
        await this.waitForRunning(ERROR_BACKOFF_MILLIS);
      }
    }
    try {
      await this.onShutdown();
    } catch (e: unknown) {
      this.log.error(`${this.serviceName} shutdown work failed`, { error: e });
    } finally {
      this.clearTimer();
    }
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerMillis = -1;
  }
}

/** Pause after a failed round so a persistent error does not spin. */
const ERROR_BACKOFF_MILLIS = 100;
