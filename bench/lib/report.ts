/** The §3.6 result object; `--json` prints one per scenario, one per line. */
export interface BenchResult {
  scenario: string;
  msgSize: number;
  messages: number;
  seconds: number;
  msgsPerSec: number;
  /** Payload MiB/s in one direction (msgsPerSec × msgSize). */
  mbPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Peak resident set size of the bench process, MiB. */
  maxRssMb: number;
  /** Scenario-specific extras (e.g. ratioToBaseline). */
  [extra: string]: string | number;
}

const COLUMNS: [keyof BenchResult & string, string, (v: number) => string][] = [
  ['msgSize', 'size', (v) => String(v)],
  ['messages', 'messages', (v) => String(v)],
  ['seconds', 'secs', (v) => v.toFixed(2)],
  ['msgsPerSec', 'msgs/s', (v) => Math.round(v).toLocaleString('en-US')],
  ['mbPerSec', 'MiB/s', (v) => v.toFixed(1)],
  ['p50Ms', 'p50 ms', (v) => v.toFixed(3)],
  ['p99Ms', 'p99 ms', (v) => v.toFixed(3)],
  ['maxRssMb', 'max RSS MiB', (v) => v.toFixed(0)],
];

export function formatTable(results: readonly BenchResult[]): string {
  const header = ['scenario', ...COLUMNS.map(([, title]) => title)];
  const rows = results.map((r) => [r.scenario, ...COLUMNS.map(([key, , fmt]) => fmt(Number(r[key])))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Rounds floats for stable, readable JSON. */
export function toJsonLine(r: BenchResult): string {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(r)) out[k] = typeof v === 'number' && !Number.isInteger(v) ? Number(v.toFixed(3)) : v;
  return JSON.stringify(out);
}
