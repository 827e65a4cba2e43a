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
  readonly putStatusCount = new Map<PutMessageStatus, number>();
  readonly getStatusCount = new Map<GetMessageStatus, number>();
  private lastSample = { time: Date.now(), puts: 0 };

  onPut(status: PutMessageStatus, bytes: number, msgs: number, elapsedMillis: number): void {
    this.putStatusCount.set(status, (this.putStatusCount.get(status) ?? 0) + 1);
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
