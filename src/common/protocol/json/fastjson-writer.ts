import { formatJavaDouble } from './java-double.js';
import { JavaDouble, type JsonBean, type JsonWritable, type JsonWritableKey } from './json-value.js';

/**
 * A writer producing the JSON text fastjson 1.2.x writes for the same Java values (PROTOCOL.md
 * §1.6): what RocketMQ peers receive from a Java broker / name server / client, byte for byte.
 * See json-value.ts for how JS values map to Java types.
 */
export interface FastJsonWriteOptions {
  /**
   * `JSON.toJSONString(obj, true)` (PrettyFormat), used for the store's config files (§6.7):
   * beans and string-keyed maps put each entry on its own tab-indented line; entries of maps with
   * non-string keys stay on one line, and the closing brace gets its own line; Lists break lines,
   * other Collections (JS `Set`) do not. No trailing newline.
   */
  readonly pretty?: boolean;
  /**
   * SerializerFeature.BrowserCompatible, as the 4.9.4+ name server uses for "standard JSON" routes
   * (§7.4): non-string map keys are quoted (`{"0":…}`), `/` and every char ≥ 0x7F are escaped
   * (`\/`, `\uXXXX`), and integers beyond ±(2^53−1) are written as strings.
   */
  readonly browserCompatible?: boolean;
  /**
   * SerializerFeature.MapSortField: map entries written in key order (numbers numerically,
   * strings by UTF-16 code units like Java's String.compareTo); maps with bean keys keep their order.
   */
  readonly sortMapKeys?: boolean;
}

/** The options the 4.9.4+ name server uses for standard-JSON route bodies (§7.4). */
export const STANDARD_JSON_OPTIONS: FastJsonWriteOptions = { browserCompatible: true, sortMapKeys: true };

/** The JSON text of `value` as fastjson would write it. */
export function toFastJson(value: JsonWritable, options: FastJsonWriteOptions = {}): string {
  const w = new Writer(options.pretty === true, options.browserCompatible === true, options.sortMapKeys === true);
  w.value(value);
  return w.out;
}

/** The UTF-8 bytes of {@link toFastJson} (RemotingSerializable.encode). */
export function encodeFastJson(value: JsonWritable, options: FastJsonWriteOptions = {}): Buffer {
  return Buffer.from(toFastJson(value, options), 'utf8');
}

// Java long range; the 2^53 bound is BrowserCompatible's "write as string" threshold.
const MAX_BROWSER_SAFE = 9007199254740991n;

/*
 * Characters fastjson's SerializeWriter escapes in its default mode: control chars (\b \t \n \f \r
 * by name, the rest as \u00XX), `"` and `\`, and 0x7F–0x9F plus U+2028/U+2029 as \uXXXX (upper-case
 * hex, IOUtils.DIGITS). BrowserCompatible additionally escapes `/` and every char ≥ 0x7F.
 */
const NEEDS_ESCAPE_DEFAULT = /[\u0000-\u001f"\\\u007f-\u009f\u2028\u2029]/;
const NEEDS_ESCAPE_BROWSER = /[\u0000-\u001f"\\/\u007f-\uffff]/;
const NAMED_ESCAPES: Readonly<Record<number, string>> = {
  0x08: '\\b',
  0x09: '\\t',
  0x0a: '\\n',
  0x0c: '\\f',
  0x0d: '\\r',
  0x22: '\\"',
  0x5c: '\\\\',
  0x2f: '\\/',
};

class Writer {
  out = '';
  private indent = 0;

  constructor(
    private readonly pretty: boolean,
    private readonly browser: boolean,
    private readonly sortMaps: boolean,
  ) {}

  value(v: JsonWritable): void {
    if (v === undefined || v === null) {
      this.out += 'null';
    } else if (typeof v === 'string') {
      this.string(v);
    } else if (typeof v === 'number') {
      this.number(v);
    } else if (typeof v === 'boolean') {
      this.out += v ? 'true' : 'false';
    } else if (typeof v === 'bigint') {
      this.long(v);
    } else if (v instanceof JavaDouble) {
      this.out += Number.isFinite(v.value) ? formatJavaDouble(v.value) : 'null';
    } else if (Array.isArray(v)) {
      this.list(v as readonly JsonWritable[]);
    } else if (v instanceof Set) {
      this.collection(v as ReadonlySet<JsonWritable>);
    } else if (v instanceof Map) {
      this.map(v as ReadonlyMap<JsonWritableKey, JsonWritable>);
    } else {
      this.bean(v as JsonBean);
    }
  }

  private println(): void {
    this.out += '\n' + '\t'.repeat(this.indent);
  }

  private number(n: number): void {
    if (Number.isSafeInteger(n)) {
      this.out += String(n);
    } else if (Number.isInteger(n)) {
      // Beyond 2^53 a JS number is already inexact; at least write its digits, never "1e+21".
      this.long(BigInt(n));
    } else if (Number.isFinite(n)) {
      // A fractional value can only be a Java double.
      this.out += formatJavaDouble(n);
    } else {
      this.out += 'null';
    }
  }

  private long(n: bigint): void {
    const text = n.toString();
    if (this.browser && (n > MAX_BROWSER_SAFE || n < -MAX_BROWSER_SAFE)) this.out += `"${text}"`;
    else this.out += text;
  }

  string(s: string): void {
    const needs = this.browser ? NEEDS_ESCAPE_BROWSER : NEEDS_ESCAPE_DEFAULT;
    if (!needs.test(s)) {
      this.out += '"' + s + '"';
      return;
    }
    let r = '"';
    let start = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      let esc: string | undefined;
      if (c < 0x20 || c === 0x22 || c === 0x5c) {
        esc = NAMED_ESCAPES[c] ?? unicodeEscape(c);
      } else if (this.browser) {
        if (c === 0x2f) esc = '\\/';
        else if (c >= 0x7f) esc = unicodeEscape(c);
      } else if (c >= 0x7f && (c < 0xa0 || c === 0x2028 || c === 0x2029)) {
        esc = unicodeEscape(c);
      }
      if (esc !== undefined) {
        r += s.slice(start, i) + esc;
        start = i + 1;
      }
    }
    this.out += r + s.slice(start) + '"';
  }

  private list(items: readonly JsonWritable[]): void {
    if (items.length === 0) {
      this.out += '[]';
      return;
    }
    this.out += '[';
    if (this.pretty) this.indent++;
    for (let i = 0; i < items.length; i++) {
      if (i > 0) this.out += ',';
      if (this.pretty) this.println();
      this.value(items[i]);
    }
    if (this.pretty) {
      this.indent--;
      this.println();
    }
    this.out += ']';
  }

  // fastjson's CollectionCodec (Set, Queue …) never breaks lines, even in pretty mode.
  private collection(items: ReadonlySet<JsonWritable>): void {
    this.out += '[';
    let first = true;
    for (const item of items) {
      if (!first) this.out += ',';
      first = false;
      this.value(item);
    }
    this.out += ']';
  }

  private map(m: ReadonlyMap<JsonWritableKey, JsonWritable>): void {
    this.out += '{';
    if (this.pretty) this.indent++;
    let first = true;
    for (const [key, v] of this.sortMaps ? sortedEntries(m) : m) {
      // MapSerializer skips null values unless WriteMapNullValue is on (never in RocketMQ).
      if (v === undefined || v === null) continue;
      if (!first) this.out += ',';
      first = false;
      if (typeof key === 'string') {
        if (this.pretty) this.println();
        this.string(key);
      } else {
        this.key(key);
      }
      this.out += ':';
      this.value(v);
    }
    if (this.pretty) {
      this.indent--;
      if (m.size > 0) this.println();
    }
    this.out += '}';
  }

  private key(key: number | bigint | JsonBean): void {
    if (!this.browser) {
      this.value(key);
      return;
    }
    // NON_STRINGKEY_AS_STRING: the key's own compact JSON text, written as a string.
    this.string(toFastJson(key));
  }

  private bean(b: JsonBean): void {
    const keys = sortedKeys(b);
    this.out += '{';
    // JavaBeanSerializer opens a line as soon as the bean has properties, even all-null ones.
    const breakLines = this.pretty && keys.length > 0;
    if (breakLines) {
      this.indent++;
      this.println();
    }
    let first = true;
    for (const k of keys) {
      const v = b[k];
      if (v === undefined || v === null) continue;
      if (!first) {
        this.out += ',';
        if (this.pretty) this.println();
      }
      first = false;
      this.string(k);
      this.out += ':';
      this.value(v);
    }
    if (breakLines) {
      this.indent--;
      this.println();
    }
    this.out += '}';
  }
}

function unicodeEscape(c: number): string {
  return '\\u' + c.toString(16).toUpperCase().padStart(4, '0');
}

// Bean properties in Java String.compareTo order; the body encoders already list them sorted, so
// check first and only sort when needed (a bean is written per request, keep it cheap).
function sortedKeys(b: JsonBean): string[] {
  const keys = Object.keys(b);
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1] > keys[i]) return keys.sort();
  }
  return keys;
}

function sortedEntries(m: ReadonlyMap<JsonWritableKey, JsonWritable>): [JsonWritableKey, JsonWritable][] {
  const entries = [...m];
  if (entries.every(([k]) => typeof k === 'string')) {
    entries.sort(([a], [b]) => ((a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0));
  } else if (entries.every(([k]) => typeof k === 'number' || typeof k === 'bigint')) {
    entries.sort(([a], [b]) => {
      const x = a as number | bigint;
      const y = b as number | bigint;
      return x < y ? -1 : x > y ? 1 : 0;
    });
  }
  return entries;
}
