import type { Logger } from '../../common/logging/logger.js';
import type { PullRequest } from './pull-request.js';

/** What PullMessageService drives: DefaultMQPushConsumerImpl.pullMessage. */
export interface PullMessageTarget {
  pullMessage(request: PullRequest): Promise<void>;
}

/**
 * PullMessageService (client/impl/consumer/PullMessageService.java): a queue of PullRequests taken
 * one at a time, each handed to the consumer's `pullMessage` (which returns once the request is
 * sent; the answer arrives later and re-queues the request). Delayed re-queues are timers this
 * service owns and clears at shutdown. Java runs one such thread per MQClientInstance; here one
 * per consumer, which keeps shutdown local to the consumer that owns the requests.
 */
export class PullMessageService {
  private readonly pullRequestQueue: PullRequest[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inflight = new Set<Promise<void>>();
  private drainScheduled: NodeJS.Immediate | undefined;
  private stopped = false;

  constructor(
    private readonly target: PullMessageTarget,
    private readonly log: Logger,
  ) {}

  get isStopped(): boolean {
    return this.stopped;
  }

  executePullRequestImmediately(request: PullRequest): void {
    if (this.stopped) return;
    this.pullRequestQueue.push(request);
    this.drainScheduled ??= setImmediate(() => this.drain());
  }

  /** Re-queues `request` after `timeDelay` ms (flow control, errors, pullInterval). */
  executePullRequestLater(request: PullRequest, timeDelay: number): void {
    this.executeTaskLater(() => this.executePullRequestImmediately(request), timeDelay);
  }

  /** Runs `task` after `timeDelay` ms unless the service stopped meanwhile; a throw is logged. */
  executeTaskLater(task: () => void | Promise<void>, timeDelay: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.stopped) return;
      this.track(
        (async () => {
          await task();
        })(),
      );
    }, timeDelay);
    this.timers.add(timer);
  }

  /** Stops taking requests, clears the timers and waits (bounded) for tasks started by timers. */
  async shutdown(waitMillis = 1000): Promise<void> {
    this.stopped = true;
    if (this.drainScheduled !== undefined) clearImmediate(this.drainScheduled);
    this.drainScheduled = undefined;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.pullRequestQueue.length = 0;
    if (this.inflight.size === 0 || waitMillis <= 0) return;
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMillis);
    });
    await Promise.race([Promise.allSettled([...this.inflight]).then(() => undefined), bound]);
    clearTimeout(timer);
  }

  private drain(): void {
    this.drainScheduled = undefined;
    // Requests queued while draining wait for the next turn, so a FOUND loop cannot starve timers or I/O.
    const batch = this.pullRequestQueue.splice(0, this.pullRequestQueue.length);
    for (const request of batch) {
      if (this.stopped) return;
      this.track(this.target.pullMessage(request));
    }
  }

  private track(p: Promise<void>): void {
    const tracked = p.catch((e: unknown) => {
      this.log.error('Pull Message Service Run Method exception', { error: e instanceof Error ? e.message : String(e) });
    });
    this.inflight.add(tracked);
    void tracked.finally(() => this.inflight.delete(tracked));
  }
}
