/**
 * How one mqadmin-style command runs: parse flags → start an MQAdmin → execute → print (a table, or
 * one JSON document with --json) → shut down. Exit codes: 0 done, 1 the operation failed (name server
 * unreachable, unknown topic, broker error …), 2 bad command line. Failures are one line on stderr.
 * A command with a repeat interval (clusterList -i) executes and prints again every interval until
 * SIGINT or SIGTERM, which end it with exit code 0; with --json each round is one JSON line.
 */
import { MQAdmin } from '../../client/admin/mq-admin.js';
import { RocketMQError } from '../../common/errors.js';
import { setLogLevel } from '../../common/logging/logger.js';
import type { CliCommand } from '../cli-command.js';
import { CliUsageError, Flags, formatHelp, parseFlags, type OptionSpec } from './flags.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export interface AdminContext {
  readonly admin: MQAdmin;
  readonly flags: Flags;
}

export interface AdminCommandDef<R> {
  readonly name: string;
  readonly summary: string;
  readonly options: readonly OptionSpec[];
  /** Extra lines for `rmq help <name>` (semantics that differ from mqadmin, defaults …). */
  readonly notes?: readonly string[];
  /** Flag checks that need no connection run before the admin starts (e.g. -b | -c). */
  validate?(flags: Flags): void;
  /** Milliseconds between rounds when the command repeats (mqadmin's -i); undefined runs it once. */
  repeatIntervalMillis?(flags: Flags): number | undefined;
  execute(ctx: AdminContext): Promise<R>;
  /** The human form of the result (tables); --json prints the result itself. */
  human(result: R, flags: Flags): string;
}

export function defineAdminCommand<R>(def: AdminCommandDef<R>): CliCommand {
  return {
    name: def.name,
    summary: def.summary,
    usage: formatHelp(def.name, def.summary, def.options, def.notes).trimEnd(),
    run: (args) => runAdminCommand(def, args),
  };
}

async function runAdminCommand<R>(def: AdminCommandDef<R>, args: string[]): Promise<number> {
  let flags: Flags;
  try {
    flags = parseFlags(args, def.options);
    if (flags.has('help')) {
      process.stdout.write(formatHelp(def.name, def.summary, def.options, def.notes));
      return EXIT_OK;
    }
    def.validate?.(flags);
  } catch (e: unknown) {
    return fail(def.name, e);
  }
  // Client logs (reconnects, retries) would interleave with the one-line error: quiet unless asked for.
  if (process.env.RMQ_LOG_LEVEL === undefined) setLogLevel('silent');
  const namesrvAddr = flags.str('namesrvAddr') ?? process.env.NAMESRV_ADDR;
  if (namesrvAddr === undefined || namesrvAddr === '') {
    return fail(def.name, new CliUsageError('missing required option -n/--namesrvAddr (or set NAMESRV_ADDR)'));
  }
  const admin = new MQAdmin({ namesrvAddr });
  try {
    await admin.start();
    const interval = def.repeatIntervalMillis?.(flags);
    const round = async (jsonIndent: number): Promise<void> => {
      const result = await def.execute({ admin, flags });
      process.stdout.write(flags.json ? `${toJson(result, jsonIndent)}\n` : ensureNewline(def.human(result, flags)));
    };
    // Repeated rounds print one JSON line each, so a reader can parse the stream line by line.
    if (interval === undefined) await round(2);
    else await repeatUntilSignalled(interval, () => round(0));
    return EXIT_OK;
  } catch (e: unknown) {
    return fail(def.name, e);
  } finally {
    await admin.shutdown();
  }
}

/**
 * Runs `round` now and then every `intervalMillis` (counted from the end of the previous round, as
 * mqadmin sleeps between rounds) until SIGINT or SIGTERM. A signal during a round lets it finish; a
 * failing round ends the loop with its error.
 */
async function repeatUntilSignalled(intervalMillis: number, round: () => Promise<void>): Promise<void> {
  let stopped = false;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const stop = (): void => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    wake?.();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    while (!stopped) {
      await round();
      if (stopped) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, intervalMillis);
      });
      timer = undefined;
      wake = undefined;
    }
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
    if (timer !== undefined) clearTimeout(timer);
  }
}

function fail(name: string, e: unknown): number {
  const usage = e instanceof CliUsageError;
  let message = e instanceof Error ? e.message : String(e);
  if (e instanceof RocketMQError && e.code >= 0 && !message.includes('CODE:')) message = `${message} (code ${e.code})`;
  const hint = usage ? `${message.endsWith('.') ? '' : '.'} Run 'rmq help ${name}'.` : '';
  process.stderr.write(`rmq ${name}: ${message.replace(/\s*\n\s*/g, ' ')}${hint}\n`);
  return usage ? EXIT_USAGE : EXIT_FAILED;
}

/** Maps become objects and Sets arrays, so typed results that carry them print as plain JSON. `indent` 0 gives one line. */
export function toJson(value: unknown, indent = 2): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (v instanceof Map) return Object.fromEntries([...(v as Map<unknown, unknown>)].map(([k, x]) => [String(k), x]));
      if (v instanceof Set) return [...(v as Set<unknown>)];
      return v;
    },
    indent,
  );
}

/** A plain-text table: a `#Header` row then padded columns, as mqadmin prints them. */
export function renderTable(headers: readonly string[], rows: readonly (readonly (string | number | boolean | undefined)[])[]): string {
  const cells = [headers.map((h) => `#${h}`), ...rows.map((r) => r.map((c) => (c === undefined ? '-' : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')).join('\n');
}

/** `key: value` lines with aligned values. */
export function renderKeyValues(entries: readonly (readonly [string, string | number | boolean | undefined])[]): string {
  const width = Math.max(0, ...entries.map(([k]) => k.length));
  return entries.map(([k, v]) => `${k.padEnd(width)}  ${v === undefined ? '-' : String(v)}`).join('\n');
}

function ensureNewline(s: string): string {
  return s.endsWith('\n') ? s : `${s}\n`;
}
