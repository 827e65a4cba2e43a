import type { GetMessageStatus } from './get-message-result.js';
import type { PutMessageStatus } from './put-message-result.js';

/** Runtime counters (a slice of Java's StoreStatsService), cheap enough to bump per message. */
export class StoreStats {
  readonly startTimestamp = Date.now();
  putMessageTimesTotal = 0;
  putMessageSizeTotal = 0;
  putMessageEntireTimeMax = 0;
  getMessageTimesTotalFound = 0;
  getMessageTransferedMsgCount = 0;
  readonly getStatusCount = new Map<GetMessageStatus, number>();
  /** Puts answered PUT_OK (nearly all of them: a plain counter, not a map update per put). */
  private putOkCount = 0;
  /** Puts answered with any other status. */
  private readonly otherPutStatusCount = new Map<PutMessageStatus, number>();
  private lastSample = { time: Date.now(), puts: 0 };

  /** Puts per answer status. */
  get putStatusCount(): ReadonlyMap<PutMessageStatus, number> {
    const out = new Map<PutMessageStatus, number>();
    if (this.putOkCount > 0) out.set('PUT_OK', this.putOkCount);
    for (const [status, n] of this.otherPutStatusCount) out.set(status, n);
    return out;
  }

  onPut(status: PutMessageStatus, bytes: number, msgs: number, elapsedMillis: number): void {
    if (status === 'PUT_OK') this.putOkCount++;
    else this.otherPutStatusCount.set(status, (this.otherPutStatusCount.get(status) ?? 0) + 1);
    if (bytes > 0) {
      this.putMessageTimesTotal += msgs;
      this.putMessageSizeTotal += bytes;
    }
    if (elapsedMillis > this.putMessageEntireTimeMax) this.putMessageEntireTimeMax = elapsedMillis;
  }

  onGet(status: GetMessageStatus, msgs: number): void {
    this.getStatusCount.set(status, (this.getStatusCount.get(status) ?? 0) + 1);
    if (status === 'FOUND') {
      this.getMessageTimesTotalFound++;
      this.getMessageTransferedMsgCount += msgs;
    }
  }

  /** Puts per second since the previous call. */
  samplePutTps(): number {
    const now = Date.now();
    const tps = ((this.putMessageTimesTotal - this.lastSample.puts) * 1000) / Math.max(1, now - this.lastSample.time);
    this.lastSample = { time: now, puts: this.putMessageTimesTotal };
    return tps;
  }
}
