/** Command line of `npm run bench -- <scenario…> [--size 1024] [--seconds 5] [--json] [--key value …]`. */
export interface BenchArgs {
  readonly scenarios: string[];
  readonly msgSize: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly json: boolean;
  /** Every other `--key value` / `--key=value`, for scenario-specific knobs (e.g. --window). */
  readonly extra: ReadonlyMap<string, string>;
  /** The command line without the scenario names (to run one scenario in a child process). */
  readonly optionArgv: readonly string[];
}

export function parseArgs(argv: readonly string[]): BenchArgs {
  const scenarios: string[] = [];
  const opts = new Map<string, string>();
  const optionArgv: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) {
      scenarios.push(a);
      continue;
    }
    optionArgv.push(a);
    const eq = a.indexOf('=');
    if (eq > 0) opts.set(a.slice(2, eq), a.slice(eq + 1));
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) {
      opts.set(a.slice(2), argv[++i]!);
      optionArgv.push(argv[i]!);
    } else opts.set(a.slice(2), 'true');
  }
  const num = (key: string, fallback: number): number => {
    const v = opts.get(key);
    opts.delete(key);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${key} must be a non-negative number, got "${v}"`);
    return n;
  };
  const msgSize = num('size', 1024);
  const seconds = num('seconds', 5);
  const warmupSeconds = num('warmup', 1);
  const json = opts.get('json') === 'true';
  opts.delete('json');
  return { scenarios, msgSize, seconds, warmupSeconds, json, extra: opts, optionArgv };
}

export function intOption(args: BenchArgs, key: string, fallback: number): number {
  const v = args.extra.get(key);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${key} must be a positive integer, got "${v}"`);
  return n;
}
