import { RemotingCommandException } from '../errors.js';
import type { ExtFields } from '../remoting/remoting-command.js';

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
}

export type HeaderSchema = Readonly<Record<string, HeaderFieldSpec>>;

type ValueOf<F extends HeaderFieldSpec> = F['type'] extends 'string' ? string : F['type'] extends 'boolean' ? boolean : number;
type RequiredKeys<S extends HeaderSchema> = { [K in keyof S]: S[K]['required'] extends true ? K : never }[keyof S];
type OptionalKeys<S extends HeaderSchema> = Exclude<keyof S, RequiredKeys<S>>;

export type HeaderOf<S extends HeaderSchema> = { -readonly [K in RequiredKeys<S>]: ValueOf<S[K]> } & {
  -readonly [K in OptionalKeys<S>]?: ValueOf<S[K]> | undefined;
};

export interface HeaderCodec<T> {
  /** The Java class name, used in error messages. */
  readonly name: string;
  readonly schema: HeaderSchema;
  /** Field names in Java declaration order. */
  readonly fields: readonly string[];
  /** extFields for `header`, in declaration order; undefined values are omitted. */
  encode(header: T): ExtFields;
  /** Reads and validates; throws RemotingCommandException naming the missing or bad field. */
  decode(ext: ExtFields | undefined): T;
}

export type HeaderType<C> = C extends HeaderCodec<infer T> ? T : never;

export function defineHeader<const S extends HeaderSchema>(name: string, schema: S): HeaderCodec<HeaderOf<S>> {
  const fields = Object.keys(schema);
  const specs = fields.map((f) => [f, schema[f]!, schema[f]!.wire ?? f] as const);
  return {
    name,
    schema,
    fields,
    encode(header: HeaderOf<S>): ExtFields {
      const out: ExtFields = {};
      const h = header as Record<string, unknown>;
      for (const [field, , wire] of specs) {
        const v = h[field];
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
          // Java's message for a @CFNotNull field, so remarks read the same on both sides.
          if (spec.required) throw new RemotingCommandException(`the custom field <${field}> is null`, { context: { header: name } });
          continue;
        }
        out[field] = decodeValue(raw, spec.type, field, name);
      }
      return out as HeaderOf<S>;
    },
  };
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
