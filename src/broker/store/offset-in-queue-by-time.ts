import type { ConsumeQueue } from './consume-queue.js';

/**
 * ConsumeQueue.getOffsetInQueueByTime: the first queue offset whose message was stored at or after
 * `timestamp` (binary search over the queue by store time); the max offset if every message is
 * older, the min offset if every one is newer. A unit whose record is gone counts as older.
 */
export async function getOffsetInQueueByTime(
  cq: ConsumeQueue,
  timestamp: number,
  storeTimestampAt: (commitLogOffset: number) => Promise<number | undefined>,
): Promise<number> {
  let lo = cq.getMinOffsetInQueue();
  let hi = cq.getMaxOffsetInQueue();
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const u = await cq.getUnit(mid);
    const t = u === undefined ? undefined : await storeTimestampAt(u.commitLogOffset);
    if (t === undefined || t < timestamp) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
