/**
 * Flags of the admin commands, parsed with Node's own `util.parseArgs` (maintained with Node, no
 * dependency; it handles `-t X`, `-tX`, `--topic X`, `--topic=X`, and rejects unknown options and
 * missing values). mqadmin's flags are commons-cli options with a one-letter name and a long name;
 * both are accepted here. What parseArgs does not do — required options, "one of -b/-c", typed
 * values — is checked here and reported as a CliUsageError (one line, exit code 2).
 */
import { parseArgs } from 'node:util';

/** One option: `-<short>` / `--<long>`; `value: false` is a switch (mqadmin's `hasArg=false`). */
export interface OptionSpec {
  readonly short: string;
  readonly long: string;
  readonly value: boolean;
  readonly required?: boolean;
  readonly description: string;
}

/** Bad command line: the message names the flag. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

/** Options every admin command has. `-h` is mqadmin's help; `--json` is ours. */
export const COMMON_OPTIONS: readonly OptionSpec[] = [
  { short: 'n', long: 'namesrvAddr', value: true, description: 'name server address list, e.g. 127.0.0.1:9876;127.0.0.2:9876 (default: NAMESRV_ADDR)' },
  { short: 'h', long: 'help', value: false, description: 'print this help' },
];
const JSON_OPTION = 'json';

/** Parsed flags, read by long name with the type the command expects. */
export class Flags {
  constructor(
    private readonly values: Readonly<Record<string, string | boolean | undefined>>,
    private readonly specs: readonly OptionSpec[],
  ) {}

  get json(): boolean {
    return this.values[JSON_OPTION] === true;
  }

  has(long: string): boolean {
    return this.values[long] !== undefined;
  }

  /** A value option, trimmed (mqadmin trims every value). */
  str(long: string): string | undefined {
    const v = this.values[long];
    return typeof v === 'string' ? v.trim() : undefined;
  }

  reqStr(long: string): string {
    const v = this.str(long);
    if (v === undefined || v === '') throw new CliUsageError(`missing required option ${this.flagName(long)}`);
    return v;
  }

  /** A decimal integer (Integer/Long.parseLong); anything else is a usage error naming the flag. */
  int(long: string): number | undefined;
  int(long: string, fallback: number): number;
  int(long: string, fallback?: number): number | undefined {
    const v = this.str(long);
    if (v === undefined) return fallback;
    if (!/^[+-]?\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new CliUsageError(`${this.flagName(long)} expects an integer, got '${v}'`);
    return Number(v);
  }

  reqInt(long: string): number {
    this.reqStr(long);
    return this.int(long) as number;
  }

  /** `true` / `false` (case-insensitive). Java's Boolean.parseBoolean reads any other text as false; a typo is rejected here instead. */
  bool(long: string, fallback: boolean): boolean {
    const v = this.str(long);
    if (v === undefined) return fallback;
    const lower = v.toLowerCase();
    if (lower !== 'true' && lower !== 'false') throw new CliUsageError(`${this.flagName(long)} expects true or false, got '${v}'`);
    return lower === 'true';
  }

  /** A switch without value (e.g. topicList -c). */
  flag(long: string): boolean {
    return this.values[long] === true;
  }

  /** Exactly one of the two (mqadmin's required OptionGroup, e.g. -b | -c). */
  oneOf(a: string, b: string): 'first' | 'second' {
    const hasA = this.has(a);
    const hasB = this.has(b);
    if (hasA === hasB) throw new CliUsageError(`${hasA ? 'give only one of' : 'missing required option: one of'} ${this.flagName(a)} or ${this.flagName(b)}`);
    return hasA ? 'first' : 'second';
  }

  flagName(long: string): string {
    const spec = this.specs.find((s) => s.long === long);
    return spec === undefined ? `--${long}` : `-${spec.short}/--${spec.long}`;
  }
}

/**
 * Parses `args` against the command's options plus the common ones. Unknown options, missing
 * values, stray positional arguments and missing required options throw CliUsageError.
 */
export function parseFlags(args: readonly string[], specs: readonly OptionSpec[]): Flags {
  const all = [...COMMON_OPTIONS, ...specs];
  const options: Record<string, { type: 'string' | 'boolean'; short: string }> = {};
  for (const s of all) options[s.long] = { type: s.value ? 'string' : 'boolean', short: s.short };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...args], options: { ...options, [JSON_OPTION]: { type: 'boolean' } }, strict: true, allowPositionals: false });
  } catch (e: unknown) {
    // parseArgs' messages are clear but multi-sentence ("… To specify a positional argument …"): keep the first.
    throw new CliUsageError(firstSentence(e instanceof Error ? e.message : String(e)));
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const flags = new Flags(values, all);
  if (values.help === true) return flags;
  for (const s of specs) if (s.required === true) flags.reqStr(s.long);
  return flags;
}

/** `rmq help <command>`: the usage line and one line per option, like mqadmin's printCommandLineHelp. */
export function formatHelp(name: string, summary: string, specs: readonly OptionSpec[], notes: readonly string[] = []): string {
  const all = [...COMMON_OPTIONS, ...specs];
  const usage = all.map((s) => {
    const text = `-${s.short}${s.value ? ` <${s.long}>` : ''}`;
    return s.required === true || s.short === 'n' ? text : `[${text}]`;
  });
  const lines = [`usage: rmq ${name} ${usage.join(' ')} [--json]`, '', summary, ''];
  const width = Math.max(...all.map((s) => s.long.length + (s.value ? 6 : 0)));
  for (const s of all) {
    const left = `-${s.short}, --${s.long}${s.value ? ' <arg>' : ''}`;
    lines.push(`  ${left.padEnd(width + 8)}  ${s.description}${s.required === true ? ' (required)' : ''}`);
  }
  lines.push(`  ${'--json'.padEnd(width + 8)}  print one JSON document on stdout instead of a table`);
  if (notes.length > 0) lines.push('', ...notes);
  return `${lines.join('\n')}\n`;
}

function firstSentence(message: string): string {
  const line = message.split('\n')[0] ?? message;
  const cut = line.indexOf('. ');
  return cut < 0 ? line : line.slice(0, cut + 1);
}
