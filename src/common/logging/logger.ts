/**
 * A small namespaced logger. No global singleton is required: components take a Logger and derive
 * children with `namespace()`. The default sink writes to stderr at the level named by the
 * environment variable RMQ_LOG_LEVEL (default `warn`; `silent` in tests unless set).
 */
export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

const LEVEL_RANK: Record<LogLevel, number> = { silent: 0, error: 1, warn: 2, info: 3, debug: 4, trace: 5 };

export interface LogRecord {
  level: Exclude<LogLevel, 'silent'>;
  namespace: string;
  message: string;
  fields?: Readonly<Record<string, unknown>>;
  time: number;
}

/** Where records go. Replace it with `setLogSink` to route into pino, winston, … */
export type LogSink = (record: LogRecord) => void;

export interface Logger {
  readonly level: LogLevel;
  error(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
  trace(message: string, fields?: Record<string, unknown>): void;
  isEnabled(level: Exclude<LogLevel, 'silent'>): boolean;
  namespace(name: string): Logger;
}

export function parseLogLevel(value: string | undefined, fallback: LogLevel): LogLevel {
  if (value === undefined || value === '') return fallback;
  const v = value.toLowerCase();
  return v in LEVEL_RANK ? (v as LogLevel) : fallback;
}

function defaultLevel(): LogLevel {
  // Mocha sets no marker of its own, so tests are recognised by the runner's argv.
  const underTest = process.argv.some((a) => /mocha/.test(a));
  return parseLogLevel(process.env.RMQ_LOG_LEVEL, underTest ? 'silent' : 'warn');
}

const stderrSink: LogSink = (r) => {
  const fields = r.fields && Object.keys(r.fields).length > 0 ? ` ${safeStringify(r.fields)}` : '';
  process.stderr.write(`${new Date(r.time).toISOString()} ${r.level.toUpperCase()} [${r.namespace}] ${r.message}${fields}\n`);
};

let globalSink: LogSink = stderrSink;
let globalLevel: LogLevel | undefined;

/** Route every logger created without an explicit sink to `sink` (pass undefined to restore stderr). */
export function setLogSink(sink: LogSink | undefined): void {
  globalSink = sink ?? stderrSink;
}

/** Override the level of loggers created without an explicit level. */
export function setLogLevel(level: LogLevel | undefined): void {
  globalLevel = level;
}

export interface LoggerOptions {
  level?: LogLevel;
  sink?: LogSink;
}

class NamespacedLogger implements Logger {
  constructor(
    private readonly ns: string,
    private readonly options: LoggerOptions,
  ) {}

  get level(): LogLevel {
    return this.options.level ?? globalLevel ?? defaultLevel();
  }

  isEnabled(level: Exclude<LogLevel, 'silent'>): boolean {
    return LEVEL_RANK[level] <= LEVEL_RANK[this.level];
  }

  error(message: string, fields?: Record<string, unknown>): void {
    this.log('error', message, fields);
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.log('warn', message, fields);
  }
  info(message: string, fields?: Record<string, unknown>): void {
    this.log('info', message, fields);
  }
  debug(message: string, fields?: Record<string, unknown>): void {
    this.log('debug', message, fields);
  }
  trace(message: string, fields?: Record<string, unknown>): void {
    this.log('trace', message, fields);
  }

  namespace(name: string): Logger {
    return new NamespacedLogger(this.ns ? `${this.ns}:${name}` : name, this.options);
  }

  private log(level: Exclude<LogLevel, 'silent'>, message: string, fields?: Record<string, unknown>): void {
    if (!this.isEnabled(level)) return;
    const sink = this.options.sink ?? globalSink;
    const record: LogRecord = { level, namespace: this.ns, message, time: Date.now() };
    if (fields !== undefined) record.fields = fields;
    sink(record);
  }
}

export function createLogger(namespace = 'rocketmq', options: LoggerOptions = {}): Logger {
  return new NamespacedLogger(namespace, options);
}

function safeStringify(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, val: unknown) => {
      if (typeof val === 'bigint') return val.toString();
      if (val instanceof Error) return { name: val.name, message: val.message };
      return val;
    });
  } catch {
    // Circular or exotic values: logging must never throw into the caller.
    return '[unserializable fields]';
  }
}
