import { LatencyRecorder } from './stats.js';

export interface PipelineResult {
  readonly messages: number;
  readonly seconds: number;
  readonly latency: LatencyRecorder;
}

/**
 * Keeps `window` requests outstanding for warmup + measured seconds. `issue(slot)` must send one
 * request and call `complete(slot, sentAt)` when its answer arrives; `slot` (0 ≤ slot < window)
 * lets a caller keep per-request state in flat arrays. Only completions inside the measured
 * interval count.
 */
export class PipelineDriver {
  private issuing = true;
  private measuring = false;
  private measuredStart = 0;
  private measuredEnd = 0;
  private outstanding = 0;
  private messages = 0;
  private readonly latency = new LatencyRecorder();
  private finish: ((r: PipelineResult) => void) | undefined;
  private failure: ((e: Error) => void) | undefined;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly window: number,
    private readonly issue: (slot: number) => void,
  ) {}

  run(warmupSeconds: number, seconds: number): Promise<PipelineResult> {
    return new Promise<PipelineResult>((resolve, reject) => {
      this.finish = resolve;
      this.failure = reject;
      this.timers.push(
        setTimeout(() => {
          this.measuring = true;
          this.measuredStart = performance.now();
        }, warmupSeconds * 1000),
        setTimeout(() => {
          this.measuredEnd = performance.now();
          this.measuring = false;
          this.issuing = false;
          if (this.outstanding === 0) this.done();
        }, (warmupSeconds + seconds) * 1000),
      );
      for (let slot = 0; slot < this.window; slot++) this.send(slot);
    });
  }

  /** The answer for `slot`, sent at `sentAt` (performance.now()), arrived. */
  complete(slot: number, sentAt: number): void {
    this.outstanding--;
    if (this.measuring) {
      this.messages++;
      this.latency.record(performance.now() - sentAt);
    }
    if (this.issuing) this.send(slot);
    else if (this.outstanding === 0) this.done();
  }

  fail(e: unknown): void {
    this.issuing = false;
    for (const t of this.timers) clearTimeout(t);
    this.failure?.(e instanceof Error ? e : new Error(String(e)));
  }

  private send(slot: number): void {
    this.outstanding++;
    this.issue(slot);
  }

  private done(): void {
    for (const t of this.timers) clearTimeout(t);
    this.finish?.({ messages: this.messages, seconds: (this.measuredEnd - this.measuredStart) / 1000, latency: this.latency });
  }
}
