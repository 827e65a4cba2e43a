/**
 * Benchmark entry (ARCHITECTURE.md §3.6): `npm run bench -- <scenario…> [--size 1024]
 * [--seconds 5] [--warmup 1] [--json] [--key value …]`. Prints a table per scenario, or with
 * --json one JSON object per line and result.
 */
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
    const scenario = getScenario(name);
    if (scenario === undefined) {
      process.stderr.write(`unknown scenario "${name}"; known: ${listScenarios().map((s) => s.name).join(', ')}\n`);
      return 2;
    }
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

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
