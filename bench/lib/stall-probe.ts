import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';

/** A wake-up this much later than its 1 ms interval asked for counts as a stall. */
export const STALL_THRESHOLD_MS = 3;

/**
 * The probe: an otherwise idle node process whose 1 ms interval reports every late wake-up as
 * `<start, epoch ms> <length ms>`. It does no work of its own, so a late wake-up is time it waited
 * for a CPU: the host not running its vCPU, or the CPUs busy with other threads, including those of
 * the processes measured. It exits when its stdin closes, so it cannot outlive the bench.
 */
const PROBE_SOURCE = `
const { performance } = require('node:perf_hooks');
let last = performance.now();
setInterval(() => {
  const now = performance.now();
  if (now - last > ${STALL_THRESHOLD_MS}) process.stdout.write((performance.timeOrigin + last).toFixed(3) + ' ' + (now - last).toFixed(3) + '\\n');
  last = now;
}, 1);
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
process.stdout.write('ready\\n');
`;

/** One late wake-up of the probe: when it should have woken (epoch ms) and how long it slept instead. */
export interface Stall {
  readonly at: number;
  readonly ms: number;
}

/** What the probe saw in a window. */
export interface StallSummary {
  /** Stalls over STALL_THRESHOLD_MS in the window. */
  count: number;
  /** Their summed length, ms. */
  totalMs: number;
  maxMs: number;
}

/**
 * Measures scheduling delays beside a benchmark run: a child node process that only sleeps and
 * wakes every millisecond, as the measured processes do between bursts of a paced run. A process
 * that wakes while the probe waits for a CPU is likely to wait too, so the rows can say how much of
 * a latency tail coincides with scheduling delays. Which part of those is the host's and which the
 * run queue the measured processes share, the probe cannot tell; one started on an otherwise idle
 * machine sees the host's part alone.
 */
export class StallProbe {
  private readonly stalls: Stall[] = [];

  private constructor(
    private readonly child: ChildProcess,
    onReady: () => void,
  ) {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line === 'ready') return onReady();
      const [at, ms] = line.split(' ').map(Number);
      if (Number.isFinite(at) && Number.isFinite(ms)) this.stalls.push({ at: at!, ms: ms! });
    });
  }

  /** Resolves once the probe's interval runs. */
  static start(): Promise<StallProbe> {
    const child = spawn(process.execPath, ['-e', PROBE_SOURCE], { stdio: ['pipe', 'pipe', 'inherit'] });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`stall probe exited (${code}) before it was ready`)));
      const probe: StallProbe = new StallProbe(child, () => resolve(probe));
    });
  }

  /** The probe process's pid. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Stalls that began in [from, to] (epoch ms). */
  within(from: number, to: number): Stall[] {
    return this.stalls.filter((s) => s.at >= from && s.at <= to);
  }

  static summarize(stalls: readonly Stall[]): StallSummary {
    let totalMs = 0;
    let maxMs = 0;
    for (const s of stalls) {
      totalMs += s.ms;
      if (s.ms > maxMs) maxMs = s.ms;
    }
    return { count: stalls.length, totalMs, maxMs };
  }

  /**
   * How many of the intervals [start, start + length] (epoch ms, e.g. a slow message's send to its
   * delivery) overlap a stall of `stalls`.
   */
  static overlapping(stalls: readonly Stall[], starts: readonly number[], lengths: readonly number[]): number {
    // A run has tens of stalls and at most a few thousand slow messages: a plain scan is enough.
    let hits = 0;
    for (let i = 0; i < starts.length; i++) {
      const from = starts[i]!;
      const to = from + lengths[i]!;
      if (stalls.some((s) => s.at <= to && s.at + s.ms >= from)) hits++;
    }
    return hits;
  }

  /** The epoch time in ms, as the probe writes it. */
  static now(): number {
    return performance.timeOrigin + performance.now();
  }

  stop(): void {
    this.child.stdin?.end();
  }
}
