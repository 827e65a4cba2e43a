/**
 * Benchmark entry (ARCHITECTURE.md §3.6): `npm run bench -- <scenario…> [--size 1024]
 * [--seconds 5] [--warmup 1] [--json] [--key value …]`. Prints a table per scenario, or with
 * --json one JSON object per line and result.
 *
 * Given several scenarios, each runs in a fresh node process of its own, one after the other (as
 * JMH forks per benchmark): one scenario's JIT feedback (e.g. the remoting code warmed up as an
 * in-process broker's server side), heap and leftover timers must not slow down or speed up the
 * next. Measured: `send` then `e2e` in one process gave e2e-full 26-31k msg/s, e2e alone 39-42k.
 * The children report as JSON; this process prints their tables, then the targets that compare rows
 * of different scenarios (lib/cross-targets.ts).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from './lib/args.js';
import { getScenario, listScenarios } from './lib/registry.js';
import { crossScenarioSummary } from './lib/cross-targets.js';
import { formatTable, toJsonLine, type BenchResult } from './lib/report.js';
import './scenarios/index.js';

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.scenarios.length === 0) {
    process.stderr.write(`usage: npm run bench -- <scenario…> [--size 1024] [--seconds 5] [--warmup 1] [--json]\nscenarios:\n`);
    for (const s of listScenarios()) process.stderr.write(`  ${s.name.padEnd(14)} ${s.description}\n`);
    return 2;
  }
  for (const name of args.scenarios) {
    if (getScenario(name) === undefined) {
      process.stderr.write(`unknown scenario "${name}"; known: ${listScenarios().map((s) => s.name).join(', ')}\n`);
      return 2;
    }
  }
  if (args.scenarios.length > 1) {
    const all: BenchResult[] = [];
    for (const name of args.scenarios) {
      const child = await runInChild([name, ...args.optionArgv, '--json']);
      if (child.code !== 0) return child.code;
      report(name, child.results, args.json);
      all.push(...child.results);
    }
    if (!args.json) for (const l of crossScenarioSummary(all)) process.stdout.write(`${l}\n`);
    return 0;
  }
  const name = args.scenarios[0]!;
  report(name, await getScenario(name)!.run(args), args.json);
  return 0;
}

function report(name: string, results: BenchResult[], json: boolean): void {
  const scenario = getScenario(name)!;
  if (json) {
    for (const r of results) process.stdout.write(`${toJsonLine(r)}\n`);
    return;
  }
  process.stdout.write(`\n${scenario.name}: ${scenario.description}\n${formatTable(results)}\n`);
  for (const l of scenario.summarize?.(results) ?? []) process.stdout.write(`${l}\n`);
}

/**
 * This entry with `argv` (which asks for --json) in a fresh node (same node options, e.g. tsx),
 * sharing stderr: its exit code and the results it printed, one JSON object per stdout line (other
 * stdout lines are passed through).
 */
function runInChild(argv: readonly string[]): Promise<{ code: number; results: BenchResult[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...argv], { stdio: ['ignore', 'pipe', 'inherit'] });
    const results: BenchResult[] = [];
    let pending = '';
    const take = (line: string): void => {
      // toJsonLine wrote NaN (a figure a run does not have) as null.
      if (line.startsWith('{')) results.push(JSON.parse(line, (_k, v: unknown) => (v === null ? Number.NaN : v)) as BenchResult);
      else if (line.length > 0) process.stdout.write(`${line}\n`);
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop()!;
      for (const l of lines) take(l);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      take(pending);
      resolve({ code: code ?? (signal !== null ? 1 : 0), results });
    });
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
