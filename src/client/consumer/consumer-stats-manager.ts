import type { ConsumeStatus } from '../../common/protocol/body/consumer-running-info.js';

/** Java's StatsItemSet keeps a minute of samples; rates here are over the last window of this length. */
const STATS_WINDOW_MILLIS = 60_000;

interface TopicStats {
  windowStart: number;
  pullRTSum: number;
  pullCount: number;
  pullMsgs: number;
  consumeRTSum: number;
  consumeCount: number;
  consumeOK: number;
  consumeFailed: number;
  /** Java's consumeFailedMsgs: failures over the last hour; here since start. */
  consumeFailedTotal: number;
  prev: ConsumeStatus | undefined;
}

/**
 * ConsumerStatsManager (client/stat/ConsumerStatsManager.java), simplified: per topic, pull and
 * consume RT/TPS over the current minute window, reported in GET_CONSUMER_RUNNING_INFO's statusTable.
 */
export class ConsumerStatsManager {
  private readonly topics = new Map<string, TopicStats>();

  constructor(private readonly now: () => number = Date.now) {}

  incPullRT(topic: string, rt: number): void {
    const s = this.stats(topic);
    s.pullRTSum += rt;
    s.pullCount++;
  }

  incPullTPS(topic: string, msgs: number): void {
    this.stats(topic).pullMsgs += msgs;
  }

  incConsumeRT(topic: string, rt: number): void {
    const s = this.stats(topic);
    s.consumeRTSum += rt;
    s.consumeCount++;
  }

  incConsumeOKTPS(topic: string, msgs: number): void {
    this.stats(topic).consumeOK += msgs;
  }

  incConsumeFailedTPS(topic: string, msgs: number): void {
    const s = this.stats(topic);
    s.consumeFailed += msgs;
    s.consumeFailedTotal += msgs;
  }

  consumeStatus(topic: string): ConsumeStatus {
    const s = this.stats(topic);
    const seconds = Math.max(1, (this.now() - s.windowStart) / 1000);
    const current: ConsumeStatus = {
      pullRT: s.pullCount === 0 ? 0 : s.pullRTSum / s.pullCount,
      pullTPS: s.pullMsgs / seconds,
      consumeRT: s.consumeCount === 0 ? 0 : s.consumeRTSum / s.consumeCount,
      consumeOKTPS: s.consumeOK / seconds,
      consumeFailedTPS: s.consumeFailed / seconds,
      consumeFailedMsgs: s.consumeFailedTotal,
    };
    // A window with nothing in it yet reports the last full window (as a minute-sampled stat would).
    return s.prev !== undefined && s.pullCount === 0 && s.consumeCount === 0 ? { ...s.prev, consumeFailedMsgs: s.consumeFailedTotal } : current;
  }

  private stats(topic: string): TopicStats {
    const now = this.now();
    let s = this.topics.get(topic);
    if (s === undefined) {
      s = { windowStart: now, pullRTSum: 0, pullCount: 0, pullMsgs: 0, consumeRTSum: 0, consumeCount: 0, consumeOK: 0, consumeFailed: 0, consumeFailedTotal: 0, prev: undefined };
      this.topics.set(topic, s);
    } else if (now - s.windowStart >= STATS_WINDOW_MILLIS) {
      const seconds = (now - s.windowStart) / 1000;
      s.prev = {
        pullRT: s.pullCount === 0 ? 0 : s.pullRTSum / s.pullCount,
        pullTPS: s.pullMsgs / seconds,
        consumeRT: s.consumeCount === 0 ? 0 : s.consumeRTSum / s.consumeCount,
        consumeOKTPS: s.consumeOK / seconds,
        consumeFailedTPS: s.consumeFailed / seconds,
        consumeFailedMsgs: s.consumeFailedTotal,
      };
      Object.assign(s, { windowStart: now, pullRTSum: 0, pullCount: 0, pullMsgs: 0, consumeRTSum: 0, consumeCount: 0, consumeOK: 0, consumeFailed: 0 });
    }
    return s;
  }
}
