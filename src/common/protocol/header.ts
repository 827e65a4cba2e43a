import { RemotingCommandException } from '../errors.js';
import type { ExtFields } from '../remoting/remoting-command.js';
import { javaHashMapCapacity, javaStringHashCode } from '../util/java-hash-map-order.js';

/**
 * Typed custom headers (Java's CommandCustomHeader). A header is declared once as a schema of its
 * Java fields, in Java declaration order; `defineHeader` derives the TypeScript type, the encoder to
 * extFields (every value a string, nulls omitted — PROTOCOL.md §1.5) and a validating decoder.
 *
 *   export const PullMessageResponseHeader = defineHeader('PullMessageResponseHeader', {
 *     suggestWhichBrokerId: { type: 'long', required: true }, …
 *   });
 *   export type PullMessageResponseHeader = HeaderType<typeof PullMessageResponseHeader>;
 */
export type HeaderFieldType = 'string' | 'int' | 'long' | 'boolean' | 'double';

export interface HeaderFieldSpec {
  readonly type: HeaderFieldType;
  /** Java's @CFNotNull: decoding fails when absent. */
  readonly required?: boolean;
  /** The key on the wire when it differs from the field name (SendMessageRequestHeaderV2's a..n). */
  readonly wire?: string;
  /**
   * The Java field's initial value, for primitives (`boolean unitMode`, `long timestamp`) and
   * initialised boxed fields (`Boolean order = false`, `Integer bodyCrc32 = 0`). Such a field is never
   * null in Java, so makeCustomHeaderToNet always writes it: we write the default when the value is
   * undefined, and a decoder yields it when the key is absent (unless `required`).
   */
  readonly default?: string | number | boolean;
  /**
   * Fully qualified name of the Java class declaring an inherited field (RpcRequestHeader's `bname`);
   * by default the header's own class. Only used to reproduce Java's reflective field order.
   */
  readonly declaredBy?: string;
}

export type HeaderSchema = Readonly<Record<string, HeaderFieldSpec>>;

type ValueOf<F extends HeaderFieldSpec> = F['type'] extends 'string' ? string : F['type'] extends 'boolean' ? boolean : number;
/** Required in the TypeScript type: @CFNotNull fields without a Java initial value (that one is filled in). */
type RequiredKeys<S extends HeaderSchema> = {
  [K in keyof S]: S[K]['required'] extends true ? (S[K] extends { readonly default: string | number | boolean } ? never : K) : never;
}[keyof S];
type OptionalKeys<S extends HeaderSchema> = Exclude<keyof S, RequiredKeys<S>>;

export type HeaderOf<S extends HeaderSchema> = { -readonly [K in RequiredKeys<S>]: ValueOf<S[K]> } & {
  -readonly [K in OptionalKeys<S>]?: ValueOf<S[K]> | undefined;
};

/** Where RocketMQ 4.9's broker/client custom headers live. */
export const JAVA_HEADER_PACKAGE = 'org.apache.rocketmq.common.protocol.header';
/** Where its name server headers live. */
export const JAVA_NAMESRV_HEADER_PACKAGE = 'org.apache.rocketmq.common.protocol.header.namesrv';

export interface HeaderOptions {
  /**
   * The Java class implements FastCodesHeader (SendMessageRequestHeaderV2, PullMessageRequestHeader,
   * PullMessageResponseHeader, SendMessageResponseHeader in 4.9.8): in ROCKETMQ serialization its
   * fields are written first, in declaration order, ahead of the command's other extFields.
   */
  readonly fastCodes?: boolean;
  /**
   * The Java package of the header class (default `org.apache.rocketmq.common.protocol.header`; name
   * server headers live in its `.namesrv`). Java copies header fields into the extFields HashMap in the
   * iteration order of a HashSet<Field> (RemotingCommand.getClazzFields), which depends on the class
   * name and decides the order of keys sharing a HashMap bucket — i.e. the bytes of a JSON header.
   */
  readonly javaPackage?: string;
}

export interface HeaderCodec<T> {
  /** The Java class name, used in error messages. */
  readonly name: string;
  readonly schema: HeaderSchema;
  /** Field names in Java declaration order. */
  readonly fields: readonly string[];
  /** The extFields keys of `fields`, same order (differ only where a field has a `wire` name). */
  readonly wireKeys: readonly string[];
  /** See HeaderOptions.fastCodes. */
  readonly fastCodes: boolean;
  /**
   * The wire keys in the order Java's makeCustomHeaderToNet inserts them into extFields (see
   * HeaderOptions.javaPackage); `setHeader` inserts in this order so JSON headers match Java's bytes.
   */
  readonly javaFieldOrder: readonly string[];
  /** Fully qualified name of the Java class. */
  readonly javaClass: string;
  /** extFields for `header`, in declaration order; undefined values are omitted. */
  encode(header: T): ExtFields;
  /** Reads and validates; throws RemotingCommandException naming the missing or bad field. */
  decode(ext: ExtFields | undefined): T;
}

export type HeaderType<C> = C extends HeaderCodec<infer T> ? T : never;

export function defineHeader<const S extends HeaderSchema>(
  name: string,
  schema: S,
  options: HeaderOptions = {},
): HeaderCodec<HeaderOf<S>> {
  const fields = Object.keys(schema);
  const specs = fields.map((f) => [f, schema[f]!, schema[f]!.wire ?? f] as const);
  const javaClass = `${options.javaPackage ?? JAVA_HEADER_PACKAGE}.${name}`;
  return {
    name,
    schema,
    fields,
    wireKeys: specs.map(([, , wire]) => wire),
    fastCodes: options.fastCodes === true,
    javaClass,
    javaFieldOrder: javaReflectionOrder(
      javaClass,
      specs.map(([, spec, wire]) => ({ name: wire, declaredBy: spec.declaredBy ?? javaClass })),
    ),
    encode(header: HeaderOf<S>): ExtFields {
      const out: ExtFields = {};
      const h = header as Record<string, unknown>;
      for (const [field, spec, wire] of specs) {
        const v = h[field] ?? spec.default;
        if (v === undefined || v === null) continue;
        out[wire] = encodeValue(v);
      }
      return out;
    },
    decode(ext: ExtFields | undefined): HeaderOf<S> {
      const out: Record<string, unknown> = {};
      for (const [field, spec, wire] of specs) {
        const raw = ext !== undefined && Object.prototype.hasOwnProperty.call(ext, wire) ? ext[wire] : undefined;
        if (raw === undefined) {
          // Java's message for a @CFNotNull field, so remarks read the same on both sides. Java names
          // the field, which is the wire key (SendMessageRequestHeaderV2's fields are called a..n).
          if (spec.required) throw new RemotingCommandException(`the custom field <${wire}> is null`, { context: { header: name } });
          if (spec.default !== undefined) out[field] = spec.default;
          continue;
        }
        out[field] = decodeValue(raw, spec.type, wire, name);
      }
      return out as HeaderOf<S>;
    },
  };
}

/**
 * Iteration order of a java.util.HashSet<Field> filled with `fields` in order (subclass fields, then
 * superclass fields): by bucket of Field.hashCode() = declaringClass.getName().hashCode() ^
 * name.hashCode(), spread and masked by the final capacity; insertion order within a bucket.
 */
function javaReflectionOrder(javaClass: string, fields: readonly { name: string; declaredBy: string }[]): string[] {
  const own = fields.filter((f) => f.declaredBy === javaClass);
  const inherited = fields.filter((f) => f.declaredBy !== javaClass);
  const mask = javaHashMapCapacity(fields.length) - 1;
  return [...own, ...inherited]
    .map((f, i) => {
      const h = javaStringHashCode(f.declaredBy) ^ javaStringHashCode(f.name);
      return { name: f.name, i, bucket: (h ^ (h >>> 16)) & mask };
    })
    .sort((a, b) => a.bucket - b.bucket || a.i - b.i)
    .map((f) => f.name);
}

function encodeValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new RemotingCommandException(`cannot encode non-finite number ${v}`);
    return Number.isInteger(v) ? v.toFixed(0) : String(v);
  }
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  throw new RemotingCommandException(`cannot encode header value of type ${typeof v}`);
}

const INTEGER = /^[+-]?\d+$/;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

function decodeValue(raw: string, type: HeaderFieldType, field: string, header: string): string | number | boolean {
  switch (type) {
    case 'string':
      return raw;
    case 'boolean':
      // Boolean.parseBoolean: anything but case-insensitive "true" is false.
      return raw.toLowerCase() === 'true';
    case 'int': {
      const n = INTEGER.test(raw) ? Number(raw) : NaN;
      if (!Number.isInteger(n) || n < INT32_MIN || n > INT32_MAX) throw badValue(field, raw, header, 'an int');
      return n;
    }
    case 'long': {
      // Offsets and timestamps stay below 2^53; larger values lose precision, as documented.
      const n = INTEGER.test(raw) ? Number(raw) : NaN;
      if (!Number.isFinite(n)) throw badValue(field, raw, header, 'a long');
      return n;
    }
    case 'double': {
      const n = Number(raw);
      if (raw.trim() === '' || Number.isNaN(n)) throw badValue(field, raw, header, 'a double');
      return n;
    }
  }
}

function badValue(field: string, raw: string, header: string, what: string): RemotingCommandException {
  return new RemotingCommandException(`the custom field <${field}> is not ${what}: ${JSON.stringify(raw)}`, { context: { header } });
}
