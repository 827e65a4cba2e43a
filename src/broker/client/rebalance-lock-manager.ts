import { messageQueueKey, type MessageQueue } from '../../common/protocol/body/message-queue.js';

/** RebalanceLockManager.REBALANCE_LOCK_MAX_LIVE_TIME (sysprop rocketmq.broker.rebalance.lockMaxLiveTime, 60 s). */
export const REBALANCE_LOCK_MAX_LIVE_TIME_MILLIS = 60_000;

interface LockEntry {
  clientId: string;
  lastUpdateTimestamp: number;
}

/**
 * RebalanceLockManager (broker/client/rebalance/RebalanceLockManager.java): which client of a group
 * holds each queue for orderly consumption. A lock lapses 60 s after its holder last renewed it;
 * orderly consumers renew every 20 s.
 */
export class RebalanceLockManager {
  /** group → queue key → lock. */
  private readonly mqLockTable = new Map<string, Map<string, LockEntry>>();

  constructor(private readonly maxLiveTimeMillis = REBALANCE_LOCK_MAX_LIVE_TIME_MILLIS) {}

  /** The queues of `mqs` now locked by `clientId` (held already, free, or expired). */
  tryLockBatch(group: string, mqs: readonly MessageQueue[], clientId: string, now = Date.now()): MessageQueue[] {
    let table = this.mqLockTable.get(group);
    if (table === undefined) {
      table = new Map();
      this.mqLockTable.set(group, table);
    }
    const locked: MessageQueue[] = [];
    for (const mq of mqs) {
      const key = messageQueueKey(mq);
      const entry = table.get(key);
      if (entry === undefined || entry.clientId === clientId || this.isExpired(entry, now)) {
        table.set(key, { clientId, lastUpdateTimestamp: now });
        locked.push(mq);
      }
    }
    return locked;
  }

  /** Releases the queues `clientId` holds; others' locks are left alone. */
  unlockBatch(group: string, mqs: readonly MessageQueue[], clientId: string): void {
    const table = this.mqLockTable.get(group);
    if (table === undefined) return;
    for (const mq of mqs) {
      const key = messageQueueKey(mq);
      if (table.get(key)?.clientId === clientId) table.delete(key);
    }
    if (table.size === 0) this.mqLockTable.delete(group);
  }

  isLocked(group: string, mq: MessageQueue, clientId: string, now = Date.now()): boolean {
    const entry = this.mqLockTable.get(group)?.get(messageQueueKey(mq));
    return entry !== undefined && entry.clientId === clientId && !this.isExpired(entry, now);
  }

  private isExpired(entry: LockEntry, now: number): boolean {
    return now - entry.lastUpdateTimestamp > this.maxLiveTimeMillis;
  }
}
