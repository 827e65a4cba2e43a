import type { Logger } from '../../common/logging/logger.js';
import type { RemotingChannel } from '../../common/remoting/remoting-channel.js';
import type { RemotingCommand } from '../../common/remoting/remoting-command.js';
import type { MessageArrivingListener } from '../store/dispatcher.js';
import type { MessageFilter } from '../store/get-message-result.js';

/** PullRequestHoldService re-checks every held key this often with long polling on (5 s) … */
export const LONG_POLLING_CHECK_INTERVAL_MILLIS = 5000;

/** A suspended pull (broker/longpolling/PullRequest.java). */
export interface PullRequest {
  readonly channel: RemotingChannel;
  readonly request: RemotingCommand;
  readonly suspendTimestamp: number;
  readonly timeoutMillis: number;
  /** The requested queue offset: a message at or beyond it answers the pull. */
  readonly pullFromThisOffset: number;
  /** The subscription's ConsumeQueue filter (tagsCode); a notify without tagsCode (the periodic check) skips it. */
  readonly filter: MessageFilter;
}

export interface PullRequestHoldServiceOptions {
  /** Re-check period: 5 s with long polling, shortPollingTimeMills without. */
  readonly checkIntervalMillis: number;
  /** Held requests at most; suspendPullRequest refuses beyond (memory stays bounded under a pull flood). */
  readonly maxHeld: number;
  /** The queue's max offset (next to be written). */
  readonly maxOffsetInQueue: (topic: string, queueId: number) => number;
  /** Re-executes a pull without suspension and writes its answer (executeRequestWhenWakeup). */
  readonly wakeup: (channel: RemotingChannel, request: RemotingCommand) => void;
  readonly log: Logger;
}

/**
 * PullRequestHoldService + NotifyMessageArrivingListener: pulls that found nothing wait here, keyed
 * `topic@queueId`. The store's reput calls `arriving` once a message is in its ConsumeQueue; a held
 * pull whose offset is now covered and whose filter matches is re-executed at once. Unlike Java's
 * fixed 5 s scan, one timer fires at the earliest deadline too, so a pull times out on time
 * (Java may overshoot by up to 5 s; clients cannot tell the difference except in latency).
 */
export class PullRequestHoldService implements MessageArrivingListener {
  /**
   * topic → held pulls per queueId. Entries are only added here and emptied in place; empty ones are
   * dropped by the periodic check, not on every wake-up: a Map deleted from and re-filled per pull
   * reallocates its hash table every few operations, and V8 links each obsolete table to its
   * successor, so garbage tables that reached the old generation kept every newer table and the
   * pulls in it alive through scavenges (measured: ~400 B per message promoted, a Mark-Compact every
   * ~2.5 s in a broker at 10k msg/s).
   */
  private readonly pullRequestTable = new Map<string, (PullRequest[] | undefined)[]>();
  private held = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private nextPeriodicCheck = 0;
  private running = false;

  constructor(private readonly opts: PullRequestHoldServiceOptions) {}

  get heldCount(): number {
    return this.held;
  }

  start(): void {
    this.running = true;
    this.nextPeriodicCheck = Date.now() + this.opts.checkIntervalMillis;
  }

  /** Drops every held request (their connections are closing with the server). */
  shutdown(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pullRequestTable.clear();
    this.held = 0;
  }

  /** Holds `req`; false (not held) when the service is stopped or full. */
  suspendPullRequest(topic: string, queueId: number, req: PullRequest): boolean {
    if (!this.running || this.held >= this.opts.maxHeld) return false;
    let queues = this.pullRequestTable.get(topic);
    if (queues === undefined) {
      queues = [];
      this.pullRequestTable.set(topic, queues);
    }
    while (queues.length <= queueId) queues.push(undefined);
    let list = queues[queueId];
    if (list === undefined) {
      list = [];
      queues[queueId] = list;
    }
    list.push(req);
    this.held++;
    this.schedule(Math.min(req.suspendTimestamp + req.timeoutMillis, this.nextPeriodicCheck));
    return true;
  }

  /** MessageArrivingListener: a message of `topic`/`queueId` is now consumable up to `logicOffset`. */
  arriving(topic: string, queueId: number, logicOffset: number, tagsCode: number): void {
    this.notifyMessageArriving(topic, queueId, logicOffset, tagsCode);
  }

  /** Answers the held pulls of one queue that `maxOffset` satisfies, or that timed out. */
  notifyMessageArriving(topic: string, queueId: number, maxOffset: number, tagsCode?: number): void {
    const list = this.pullRequestTable.get(topic)?.[queueId];
    if (list === undefined || list.length === 0) return;
    const now = Date.now();
    // Detach the pulls first: a woken pull may be re-suspended (into `list`) before this returns.
    const pending = list.slice();
    list.length = 0;
    this.held -= pending.length;
    let newestOffset = maxOffset;
    for (const req of pending) {
      if (!req.channel.isActive) continue;
      if (newestOffset <= req.pullFromThisOffset) newestOffset = this.opts.maxOffsetInQueue(topic, queueId);
      if (newestOffset > req.pullFromThisOffset && (tagsCode === undefined || req.filter.isMatchedByConsumeQueue(tagsCode))) {
        this.wake(req);
      } else if (now >= req.suspendTimestamp + req.timeoutMillis) {
        this.wake(req);
      } else {
        list.push(req);
        this.held++;
      }
    }
  }

  private wake(req: PullRequest): void {
    try {
      this.opts.wakeup(req.channel, req.request);
    } catch (e: unknown) {
      this.opts.log.error('execute request when wakeup failed', { remoteAddr: req.channel.remoteAddress, error: e });
    }
  }

  /** checkHoldRequest: every queue against its current max offset (catches timeouts and missed arrivals); drops empty entries. */
  private checkHoldRequest(): void {
    for (const [topic, queues] of [...this.pullRequestTable]) {
      let held = false;
      for (let queueId = 0; queueId < queues.length; queueId++) {
        const list = queues[queueId];
        if (list === undefined) continue;
        // A woken pull is answered asynchronously, never re-suspended in here: what is left stays held.
        if (list.length > 0) this.notifyMessageArriving(topic, queueId, this.opts.maxOffsetInQueue(topic, queueId));
        if (list.length === 0) queues[queueId] = undefined;
        else held = true;
      }
      if (!held) this.pullRequestTable.delete(topic);
    }
  }

  private schedule(at: number): void {
    if (!this.running || at >= this.timerAt) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(this.onTimer, Math.max(0, at - Date.now()));
  }

  private readonly onTimer = (): void => {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    const now = Date.now();
    if (now >= this.nextPeriodicCheck) this.nextPeriodicCheck = now + this.opts.checkIntervalMillis;
    this.checkHoldRequest();
    if (this.held === 0) return;
    let next = this.nextPeriodicCheck;
    for (const queues of this.pullRequestTable.values()) {
      for (const list of queues) {
        if (list !== undefined) for (const r of list) next = Math.min(next, r.suspendTimestamp + r.timeoutMillis);
      }
    }
    this.schedule(next);
  };
}
