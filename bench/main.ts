/**
 * Benchmark entry (ARCHITECTURE.md §3.6): `npm run bench -- <scenario…> [--size 1024]
 * [--seconds 5] [--warmup 1] [--json] [--key value …]`. Prints a table per scenario, or with
 * --json one JSON object per line and result.
 *
 * Given several scenarios, each runs in a fresh node process of its own, one after the other (as
 * JMH forks per benchmark): one scenario's JIT feedback (e.g. the remoting code warmed up as an
 * in-process broker's server side), heap and leftover timers must not slow down or speed up the
 * next. Measured: `send` then `e2e` in one process gave e2e-full 26-31k msg/s, e2e alone 39-42k.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from './lib/args.js';
import { getScenario, listScenarios } from './lib/registry.js';
import { formatTable, toJsonLine } from './lib/report.js';
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
    for (const name of args.scenarios) {
      const code = await runInChild([name, ...args.optionArgv]);
      if (code !== 0) return code;
    }
    return 0;
  }
  for (const name of args.scenarios) {
    const scenario = getScenario(name)!;
    const results = await scenario.run(args);
    if (args.json) {
      for (const r of results) process.stdout.write(`${toJsonLine(r)}\n`);
    } else {
      process.stdout.write(`\n${scenario.name}: ${scenario.description}\n${formatTable(results)}\n`);
      for (const l of scenario.summarize?.(results) ?? []) process.stdout.write(`${l}\n`);
    }
  }
  return 0;
}

/** This entry with `argv` in a fresh node (same node options, e.g. tsx), sharing stdout/stderr; its exit code. */
function runInChild(argv: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...argv], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal !== null ? 1 : 0)));
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
