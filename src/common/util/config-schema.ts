/**
 * RocketMQ-style configuration objects (NamesrvConfig, BrokerConfig, MessageStoreConfig …): a schema
 * of keys with their Java types and defaults, filled from properties files and `--key=value`
 * overrides. Java's MixAll.properties2Object silently ignores unknown keys and throws on bad numbers;
 * we are stricter at startup, as the CLI contract asks: an unknown key or a bad value is an error
 * naming the key.
 */
export type ConfigValueType = 'string' | 'int' | 'long' | 'boolean' | 'double' | 'enum';

export interface ConfigKeySpec<V> {
  readonly type: ConfigValueType;
  readonly default: V;
  /** Allowed values for `enum` keys (e.g. ASYNC_FLUSH / SYNC_FLUSH). */
  readonly values?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  readonly doc?: string;
}

export type ConfigSchema = Readonly<Record<string, ConfigKeySpec<string | number | boolean>>>;

export type ConfigOf<S extends ConfigSchema> = { -readonly [K in keyof S]: S[K]['default'] };

export class ConfigError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function defaultConfig<S extends ConfigSchema>(schema: S): ConfigOf<S> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, spec] of Object.entries(schema)) out[k] = spec.default;
  return out as ConfigOf<S>;
}

/** Parses one textual value for `key`; throws ConfigError naming the key. */
export function parseConfigValue(schema: ConfigSchema, key: string, raw: string): string | number | boolean {
  const spec = schema[key];
  if (spec === undefined) throw new ConfigError(key, `unknown config key '${key}'`);
  const v = raw.trim();
  switch (spec.type) {
    case 'string':
      return raw;
    case 'boolean':
      if (!/^(true|false)$/i.test(v)) throw new ConfigError(key, `config key '${key}' expects true or false, got '${raw}'`);
      return v.toLowerCase() === 'true';
    case 'enum':
      if (!spec.values?.includes(v)) {
        throw new ConfigError(key, `config key '${key}' expects one of ${spec.values?.join(', ')}, got '${raw}'`);
      }
      return v;
    case 'int':
    case 'long':
    case 'double': {
      const n = spec.type === 'double' ? Number(v) : /^[+-]?\d+$/.test(v) ? Number(v) : NaN;
      if (v === '' || !Number.isFinite(n)) throw new ConfigError(key, `config key '${key}' expects a number, got '${raw}'`);
      if (spec.type === 'int' && (n < -2147483648 || n > 2147483647)) {
        throw new ConfigError(key, `config key '${key}' is out of int range: ${raw}`);
      }
      if (spec.min !== undefined && n < spec.min) throw new ConfigError(key, `config key '${key}' must be >= ${spec.min}, got ${raw}`);
      if (spec.max !== undefined && n > spec.max) throw new ConfigError(key, `config key '${key}' must be <= ${spec.max}, got ${raw}`);
      return n;
    }
  }
}

/**
 * Applies textual values to `target`. Keys not in `schema` are returned (so a caller holding several
 * schemas — broker + store — can offer them to the next one) unless `rejectUnknown` is set.
 */
export function applyConfig<S extends ConfigSchema>(
  schema: S,
  target: ConfigOf<S>,
  values: Iterable<readonly [string, string]>,
  rejectUnknown = true,
): [string, string][] {
  const unknown: [string, string][] = [];
  for (const [key, raw] of values) {
    if (!Object.prototype.hasOwnProperty.call(schema, key)) {
      if (rejectUnknown) throw new ConfigError(key, `unknown config key '${key}'`);
      unknown.push([key, raw]);
      continue;
    }
    (target as Record<string, string | number | boolean>)[key] = parseConfigValue(schema, key, raw);
  }
  return unknown;
}

/**
 * Splits CLI arguments of the form `--key=value` (and `--key value`) from the rest. Flags named in
 * `flagsWithValue` (e.g. `-c`, `-n`) take the next argument.
 */
export function parseKeyValueArgs(
  args: readonly string[],
  flagsWithValue: readonly string[] = [],
): { pairs: [string, string][]; flags: Map<string, string>; positional: string[] } {
  const pairs: [string, string][] = [];
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (flagsWithValue.includes(a)) {
      const v = args[i + 1];
      if (v === undefined) throw new ConfigError(a, `option ${a} needs a value`);
      flags.set(a, v);
      i++;
    } else if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 2) pairs.push([a.slice(2, eq), a.slice(eq + 1)]);
      else {
        const v = args[i + 1];
        if (v === undefined || v.startsWith('--')) throw new ConfigError(a.slice(2), `option ${a} needs a value (--key=value)`);
        pairs.push([a.slice(2), v]);
        i++;
      }
    } else positional.push(a);
  }
  return { pairs, flags, positional };
}
