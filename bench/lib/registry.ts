import type { BenchArgs } from './args.js';
import type { BenchResult } from './report.js';

/** A benchmark scenario; later issues register store-append, send, e2e beside remoting. */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  /** Runs the scenario; may return several results (e.g. a baseline measured in the same run). */
  run(args: BenchArgs): Promise<BenchResult[]>;
  /** Extra human lines printed under the table (e.g. the ratio to the baseline). */
  summarize?(results: readonly BenchResult[]): string[];
}

const scenarios = new Map<string, Scenario>();

export function registerScenario(s: Scenario): void {
  if (scenarios.has(s.name)) throw new Error(`scenario ${s.name} registered twice`);
  scenarios.set(s.name, s);
}

export function getScenario(name: string): Scenario | undefined {
  return scenarios.get(name);
}

export function listScenarios(): Scenario[] {
  return [...scenarios.values()];
}
