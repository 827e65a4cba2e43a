/**
 * Latency samples in a growable Float64Array (no object per sample) and an RSS sampler whose
 * timer is owned and stopped by the caller.
 */
export class LatencyRecorder {
  private samples = new Float64Array(1 << 16);
  private n = 0;

  get count(): number {
    return this.n;
  }

  record(ms: number): void {
    if (this.n === this.samples.length) {
      const bigger = new Float64Array(this.samples.length * 2);
      bigger.set(this.samples);
      this.samples = bigger;
    }
    this.samples[this.n++] = ms;
  }

  /** Adds every sample of `other`. */
  merge(other: LatencyRecorder): void {
    for (let i = 0; i < other.n; i++) this.record(other.samples[i]!);
  }

  /** Percentiles (0–100) in ms, nearest-rank. */
  percentiles(...ps: number[]): number[] {
    if (this.n === 0) return ps.map(() => Number.NaN);
    const sorted = this.samples.slice(0, this.n).sort();
    return ps.map((p) => sorted[Math.min(this.n - 1, Math.max(0, Math.ceil((p / 100) * this.n) - 1))]!);
  }
}

export class RssSampler {
  private maxRss = process.memoryUsage.rss();
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMillis = 200) {
    this.timer = setInterval(() => this.sample(), intervalMillis);
  }

  /** Stops sampling; returns the peak RSS seen in MiB. */
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.maxRss / (1024 * 1024);
  }

  private sample(): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.maxRss) this.maxRss = rss;
  }
}
