import type { Logger } from '../../common/logging/logger.js';
import type { RemotingChannel } from '../../common/remoting/remoting-channel.js';
import type { RemotingCommand } from '../../common/remoting/remoting-command.js';
import type { MessageArrivingListener } from '../store/dispatcher.js';

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
  /** The subscription's ConsumeQueue filter (tagsCode); undefined tagsCode = the periodic check. */
  isMatchedByConsumeQueue(tagsCode: number): boolean;
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
  private readonly pullRequestTable = new Map<string, PullRequest[]>();
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
    const key = buildKey(topic, queueId);
    let list = this.pullRequestTable.get(key);
    if (list === undefined) {
      list = [];
      this.pullRequestTable.set(key, list);
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
    const key = buildKey(topic, queueId);
    const list = this.pullRequestTable.get(key);
    if (list === undefined || list.length === 0) return;
    const now = Date.now();
    const keep: PullRequest[] = [];
    let newestOffset = maxOffset;
    for (const req of list) {
      if (!req.channel.isActive) continue;
      if (newestOffset <= req.pullFromThisOffset) newestOffset = this.opts.maxOffsetInQueue(topic, queueId);
      if (newestOffset > req.pullFromThisOffset && (tagsCode === undefined || req.isMatchedByConsumeQueue(tagsCode))) {
        this.wake(req);
      } else if (now >= req.suspendTimestamp + req.timeoutMillis) {
        this.wake(req);
      } else {
        keep.push(req);
      }
    }
    this.held -= list.length - keep.length;
    if (keep.length === 0) this.pullRequestTable.delete(key);
    else this.pullRequestTable.set(key, keep);
  }

  private wake(req: PullRequest): void {
    try {
      this.opts.wakeup(req.channel, req.request);
    } catch (e: unknown) {
      this.opts.log.error('execute request when wakeup failed', { remoteAddr: req.channel.remoteAddress, error: e });
    }
  }

  /** checkHoldRequest: every key against its current max offset (catches timeouts and missed arrivals). */
  private checkHoldRequest(): void {
    for (const key of [...this.pullRequestTable.keys()]) {
      const at = key.lastIndexOf(KEY_SEPARATOR);
      const topic = key.slice(0, at);
      const queueId = Number(key.slice(at + 1));
      this.notifyMessageArriving(topic, queueId, this.opts.maxOffsetInQueue(topic, queueId));
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
    for (const list of this.pullRequestTable.values()) {
      for (const r of list) next = Math.min(next, r.suspendTimestamp + r.timeoutMillis);
    }
    this.schedule(next);
  };
}

const KEY_SEPARATOR = '@';

function buildKey(topic: string, queueId: number): string {
  return topic + KEY_SEPARATOR + queueId;
}
