import type { Logger } from '../../common/logging/logger.js';

/**
 * RocketMQ's ServiceThread on the event loop: one async loop per service, `wakeup()` to cut a wait
 * short (a wakeup that arrives while the loop is busy is remembered, as Java's hasNotified is), and
 * `shutdown()` that stops the loop and awaits its last round. The only timer is the one a wait
 * arms; it is cleared by wakeup and shutdown, so a stopped service leaves nothing scheduled.
 */
export abstract class ServiceThread {
  private stopped = false;
  private started = false;
  private notified = false;
  private waiter: { resolve: () => void; timer: NodeJS.Timeout } | undefined;
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
    const w = this.waiter;
    if (w !== undefined) {
      this.waiter = undefined;
      clearTimeout(w.timer);
      w.resolve();
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
      const timer = setTimeout(() => {
        this.waiter = undefined;
        resolve();
      }, intervalMillis);
      this.waiter = { resolve, timer };
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
    }
  }
}

/** Pause after a failed round so a persistent error does not spin. */
const ERROR_BACKOFF_MILLIS = 100;
