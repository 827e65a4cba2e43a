/** StoreStatsService.FREQUENCY_OF_SAMPLING: one snapshot of the counters a second. */
export const FREQUENCY_OF_SAMPLING_MILLIS = 1000;
/** StoreStatsService.MAX_RECORDS_OF_SAMPLING: ten minutes of snapshots (plus the base one). */
export const MAX_RECORDS_OF_SAMPLING = 60 * 10;
/** The windows (in samples = seconds) Java's "putTps"-style values report, space separated. */
export const TPS_WINDOWS: readonly number[] = [10, 60, 600];

/** The store counters sampled (StoreStatsService's putTimesList, getTimesFoundList, …). */
export interface StoreCounters {
  readonly puts: number;
  readonly getFound: number;
  readonly getMiss: number;
  readonly transferred: number;
}

interface CallSnapshot {
  readonly timestamp: number;
  readonly counters: StoreCounters;
}

/**
 * The sampling half of StoreStatsService: a snapshot of the store's counters every second, the last
 * ten minutes kept, turned into the TPS strings of GET_BROKER_RUNTIME_INFO ("putTps" = "t10 t60 t600").
 * Java answers "" for a window not yet filled (mqadmin clusterList then fails to parse it); here the
 * oldest snapshot stands in, so a young broker reports the rate since its start.
 */
export class CallSnapshotSampler {
  private readonly snapshots: CallSnapshot[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly counters: () => StoreCounters,
    private readonly now: () => number = Date.now,
  ) {
    this.sample();
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.sample(), FREQUENCY_OF_SAMPLING_MILLIS);
    this.timer.unref();
  }

  shutdown(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Takes one snapshot (the timer's job; tests call it directly). */
  sample(): void {
    this.snapshots.push({ timestamp: this.now(), counters: { ...this.counters() } });
    if (this.snapshots.length > MAX_RECORDS_OF_SAMPLING + 1) this.snapshots.shift();
  }

  /** Calls per second of one counter over the last `window` samples (0 with fewer than two). */
  tps(counter: keyof StoreCounters, window: number): number {
    const n = this.snapshots.length;
    if (n < 2) return 0;
    const last = this.snapshots[n - 1]!;
    const before = this.snapshots[Math.max(0, n - 1 - window)]!;
    const millis = last.timestamp - before.timestamp;
    if (millis <= 0) return 0;
    return ((last.counters[counter] - before.counters[counter]) / millis) * 1000;
  }

  /** Java's "a b c" TPS string over TPS_WINDOWS, each a Java double. */
  tpsString(counter: keyof StoreCounters): string {
    return TPS_WINDOWS.map((w) => javaDoubleString(this.tps(counter, w))).join(' ');
  }

  /** getTotalTps: found + miss per window. */
  totalGetTpsString(): string {
    return TPS_WINDOWS.map((w) => javaDoubleString(this.tps('getFound', w) + this.tps('getMiss', w))).join(' ');
  }
}

/** Double.toString for the magnitudes stats reach: an integral value keeps its ".0". */
export function javaDoubleString(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : n < 0 ? '-Infinity' : 'NaN';
  return Number.isInteger(n) ? n.toFixed(1) : String(n);
}
