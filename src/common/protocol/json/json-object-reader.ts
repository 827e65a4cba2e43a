import { RemotingCommandException } from '../../errors.js';
import { parseFastJson } from './fastjson-reader.js';
import { isJsonObjectNode, type JsonKey, type JsonNode, type JsonObjectNode } from './json-value.js';

/**
 * Typed access to a parsed JSON object, the way fastjson binds JSON to a Java bean: a missing or
 * `null` property takes the bean's default, numbers may arrive as numeric strings (BrowserCompatible
 * writes big longs as strings; ali-ons writes whatever JS has), strings may arrive as numbers or
 * booleans, enums as names or ordinals. A value of the wrong shape (an object where a string is
 * expected …) is a RemotingCommandException naming the property path.
 */
export class JsonObjectReader {
  private constructor(
    readonly node: JsonObjectNode,
    readonly path: string,
  ) {}

  /** `node` must be an object; `path` names it in error messages (e.g. "TopicRouteData"). */
  static of(node: JsonNode | undefined, path: string): JsonObjectReader {
    if (!isJsonObjectNode(node)) throw mismatch(path, 'an object', node);
    return new JsonObjectReader(node, path);
  }

  /** Parses a body (UTF-8 JSON in fastjson's dialect) whose top level must be an object. */
  static parse(body: Uint8Array | string | undefined, what: string): JsonObjectReader {
    if (body === undefined || body.length === 0) throw new RemotingCommandException(`invalid ${what}: empty body`);
    return JsonObjectReader.of(parseFastJson(body, what), what);
  }

  /** The raw node of a property; undefined when absent or null. */
  get(key: string): JsonNode | undefined {
    const v = this.node.get(key);
    return v === null ? undefined : v;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  optString(key: string): string | undefined {
    const v = this.get(key);
    return v === undefined ? undefined : nodeToString(v, this.sub(key));
  }

  string(key: string, dflt: string): string {
    return this.optString(key) ?? dflt;
  }

  /** A property Java would leave null but without which the body makes no sense. */
  requiredString(key: string): string {
    const v = this.optString(key);
    if (v === undefined) throw new RemotingCommandException(`invalid ${this.path}: missing ${key}`);
    return v;
  }

  int(key: string, dflt: number): number {
    const v = this.get(key);
    return v === undefined ? dflt : nodeToInt(v, this.sub(key));
  }

  long(key: string, dflt: number): number {
    const v = this.get(key);
    return v === undefined ? dflt : nodeToLong(v, this.sub(key));
  }

  double(key: string, dflt: number): number {
    const v = this.get(key);
    return v === undefined ? dflt : nodeToDouble(v, this.sub(key));
  }

  bool(key: string, dflt: boolean): boolean {
    const v = this.get(key);
    return v === undefined ? dflt : nodeToBoolean(v, this.sub(key));
  }

  /** An enum property: its name, or (fastjson also accepts it) its ordinal in `names`. */
  optEnum<T extends string>(key: string, names: readonly T[]): T | undefined {
    const v = this.get(key);
    return v === undefined ? undefined : nodeToEnum(v, names, this.sub(key));
  }

  enum<T extends string>(key: string, names: readonly T[], dflt: T): T {
    return this.optEnum(key, names) ?? dflt;
  }

  /** An array property; absent/null ⇒ empty. */
  array(key: string): JsonNode[] {
    const v = this.get(key);
    if (v === undefined) return [];
    if (!Array.isArray(v)) throw mismatch(this.sub(key), 'an array', v);
    return v;
  }

  /** An array of objects, each mapped by `f`. */
  objects<T>(key: string, f: (r: JsonObjectReader) => T): T[] {
    const p = this.sub(key);
    return this.array(key).map((n, i) => f(JsonObjectReader.of(n, `${p}[${i}]`)));
  }

  strings(key: string): string[] {
    const v = this.get(key);
    return v === undefined ? [] : nodeToStringArray(v, this.sub(key));
  }

  optObject(key: string): JsonObjectReader | undefined {
    const v = this.get(key);
    return v === undefined ? undefined : JsonObjectReader.of(v, this.sub(key));
  }

  /** A map property's entries in document order; absent/null ⇒ none. Null values are skipped. */
  entries(key: string): [JsonKey, JsonNode][] {
    const v = this.get(key);
    if (v === undefined) return [];
    if (!isJsonObjectNode(v)) throw mismatch(this.sub(key), 'an object', v);
    const out: [JsonKey, JsonNode][] = [];
    for (const e of v) if (e[1] !== null) out.push(e);
    return out;
  }

  /** The path of a property, for error messages. */
  sub(key: string): string {
    return `${this.path}.${key}`;
  }
}

export function nodeToString(v: JsonNode, path: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  throw mismatch(path, 'a string', v);
}

/** A JSON array of strings (a Java List<String>/Set<String> value). */
export function nodeToStringArray(v: JsonNode, path: string): string[] {
  if (!Array.isArray(v)) throw mismatch(path, 'an array', v);
  return v.map((n, i) => nodeToString(n, `${path}[${i}]`));
}

/** A Java int: integral, within int32. */
export function nodeToInt(v: JsonNode, path: string): number {
  const n = nodeToLong(v, path);
  if (n > 0x7fffffff || n < -0x80000000) throw mismatch(path, 'an int32', v);
  return n;
}

/**
 * A Java long as a TS number. Offsets and timestamps stay far below 2^53; a value beyond it
 * cannot be represented without loss, so it is rejected rather than rounded.
 */
export function nodeToLong(v: JsonNode, path: string): number {
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v)) return v;
    throw mismatch(path, 'an integer within ±(2^53−1)', v);
  }
  if (typeof v === 'bigint') throw mismatch(path, 'an integer within ±(2^53−1)', v);
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) {
    const n = Number(v.trim());
    if (Number.isSafeInteger(n)) return n;
  }
  throw mismatch(path, 'an integer', v);
}

export function nodeToDouble(v: JsonNode, path: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  throw mismatch(path, 'a number', v);
}

export function nodeToBoolean(v: JsonNode, path: string): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw mismatch(path, 'a boolean', v);
}

export function nodeToEnum<T extends string>(v: JsonNode, names: readonly T[], path: string): T {
  if (typeof v === 'string') {
    const found = names.find((n) => n === v);
    if (found !== undefined) return found;
  } else if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < names.length) {
    return names[v] as T;
  }
  throw mismatch(path, `one of ${names.join('|')}`, v);
}

/** A map key that Java declares Integer/Long (unquoted `0` or quoted `"0"` on the wire). */
export function keyToLong(k: JsonKey, path: string): number {
  if (typeof k !== 'string') throw mismatch(path, 'a numeric key', k);
  return nodeToLong(k, `${path}[${k}]`);
}

/** A map key that Java declares String. */
export function keyToString(k: JsonKey, path: string): string {
  if (typeof k !== 'string') throw mismatch(path, 'a string key', k);
  return k;
}

function mismatch(path: string, expected: string, got: JsonNode | undefined): RemotingCommandException {
  return new RemotingCommandException(`invalid ${path}: expected ${expected}, got ${describe(got)}`);
}

function describe(v: JsonNode | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (isJsonObjectNode(v)) return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  return String(v);
}
