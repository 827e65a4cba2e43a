import type { BenchResult } from './report.js';

/**
 * Targets that compare rows of different scenarios run in one invocation (each scenario forked in
 * its own process, see main.ts). Issue 10: the push consumer's full-speed consume rate must be at
 * least the producer's send rate of issue 8 (`send`, sync mode, same message size) in the same run.
 *
 * - `e2e-drain` is the consumer at full speed alone: it works through a backlog, so nothing but the
 *   consumer (and the broker serving it) limits it. This is the row the target is read from.
 * - `e2e-full` is shown beside it: producer and consumer share one process there, so its consume
 *   rate is capped by its own producer, which has only part of that process's CPU.
 */
export function crossScenarioSummary(results: readonly BenchResult[]): string[] {
  const out: string[] = [];
  for (const send of results.filter((r) => r.scenario === 'send-sync')) {
    const drain = results.find((r) => r.scenario === 'e2e-drain' && r.msgSize === send.msgSize);
    const full = results.find((r) => r.scenario === 'e2e-full' && r.msgSize === send.msgSize);
    if (drain === undefined && full === undefined) continue;
    const rate = (r: BenchResult): string => `${Math.round(r.msgsPerSec).toLocaleString('en-US')} msg/s`;
    const vs = (r: BenchResult): string => `${rate(r)} = ${(r.msgsPerSec / send.msgsPerSec).toFixed(2)}x send-sync ${rate(send)}`;
    if (drain !== undefined) {
      out.push(`issue 10, full-speed consume rate >= send rate (${send.msgSize} B): e2e-drain ${vs(drain)}: ${drain.msgsPerSec >= send.msgsPerSec ? 'met' : 'NOT met'}`);
    }
    if (full !== undefined) out.push(`  for reference, e2e-full (its producer in the consumer's process): ${vs(full)}`);
  }
  return out;
}
