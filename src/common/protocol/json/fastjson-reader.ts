import { RemotingCommandException } from '../../errors.js';
import type { JsonKey, JsonNode, JsonObjectNode } from './json-value.js';

/**
 * A lenient JSON reader for everything RocketMQ peers write (PROTOCOL.md §1.6, §18 server item 3):
 * standard JSON plus fastjson's dialect —
 *   - unquoted keys: numeric (`{0:"addr",-1:5}`) and identifier-like (`{name:1}`), returned as their
 *     exact source text;
 *   - object keys (`{{"brokerName":"b","queueId":0,"topic":"t"}:5}`), returned as object nodes;
 *   - single-quoted strings, `\x41` and `\'` escapes, trailing commas, raw control chars in strings.
 *
 * Numbers: integers within ±(2^53−1) are `number`; larger ones are `bigint`, so no offset or id is
 * ever rounded. Numbers with a fraction or exponent are `number` (they are Java doubles).
 *
 * Every failure — bad syntax, truncated input, nesting deeper than {@link MAX_DEPTH} — is a
 * RemotingCommandException naming the offset; the reader is a single forward pass and cannot hang.
 */
export function parseFastJson(input: string | Uint8Array, what = 'JSON'): JsonNode {
  const text = typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8');
  const p = new Parser(text, what);
  p.skipWs();
  // A UTF-8 BOM is tolerated like fastjson does.
  if (p.peek() === 0xfeff) {
    p.pos++;
    p.skipWs();
  }
  const v = p.value(0);
  p.skipWs();
  if (p.pos < text.length) p.fail('unexpected trailing content');
  return v;
}

/** Nesting bound: RocketMQ bodies nest a handful of levels; this keeps garbage off the stack limit. */
export const MAX_DEPTH = 256;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

class Parser {
  pos = 0;

  constructor(
    private readonly s: string,
    private readonly what: string,
  ) {}

  fail(msg: string): never {
    const near = this.s.slice(this.pos, this.pos + 20);
    throw new RemotingCommandException(
      `invalid ${this.what}: ${msg} at offset ${this.pos}${this.pos < this.s.length ? ` near ${JSON.stringify(near)}` : ' (end of input)'}`,
    );
  }

  peek(): number {
    return this.pos < this.s.length ? this.s.charCodeAt(this.pos) : -1;
  }

  skipWs(): void {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      // fastjson also treats \b and \f as whitespace.
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x08) this.pos++;
      else break;
    }
  }

  value(depth: number): JsonNode {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH}`);
    const c = this.peek();
    switch (c) {
      case 0x7b: // {
        return this.object(depth + 1);
      case 0x5b: // [
        return this.array(depth + 1);
      case 0x22: // "
      case 0x27: // '
        return this.string(c);
      case -1:
        return this.fail('unexpected end of input');
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
        if (this.s.startsWith('true', this.pos)) return this.literal(4, true);
        if (this.s.startsWith('false', this.pos)) return this.literal(5, false);
        if (this.s.startsWith('null', this.pos)) return this.literal(4, null);
        return this.fail('unexpected character');
    }
  }

  private literal<T>(len: number, v: T): T {
    this.pos += len;
    return v;
  }

  private object(depth: number): JsonObjectNode {
    // Checked here too: object keys reach this without passing through value().
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH}`);
    this.pos++; // {
    const obj: JsonObjectNode = new Map<JsonKey, JsonNode>();
    this.skipWs();
    if (this.peek() === 0x7d) {
      this.pos++;
      return obj;
    }
    for (;;) {
      this.skipWs();
      const key = this.key(depth);
      this.skipWs();
      if (this.peek() !== 0x3a) this.fail("expected ':' after key");
      this.pos++;
      this.skipWs();
      obj.set(key, this.value(depth));
      this.skipWs();
      const c = this.peek();
      if (c === 0x2c) {
        this.pos++;
        this.skipWs();
        if (this.peek() === 0x7d) {
          this.pos++;
          return obj;
        }
      } else if (c === 0x7d) {
        this.pos++;
        return obj;
      } else {
        this.fail("expected ',' or '}' in object");
      }
    }
  }

  private key(depth: number): JsonKey {
    const c = this.peek();
    if (c === 0x22 || c === 0x27) return this.string(c);
    // An object used as a map key (MessageQueue in ResetOffsetBody, ConsumeStats …).
    if (c === 0x7b) return this.object(depth + 1);
    const start = this.pos;
    while (this.pos < this.s.length && isBareKeyChar(this.s.charCodeAt(this.pos))) this.pos++;
    if (this.pos === start) this.fail('expected an object key');
    return this.s.slice(start, this.pos);
  }

  private array(depth: number): JsonNode[] {
    this.pos++; // [
    const arr: JsonNode[] = [];
    this.skipWs();
    if (this.peek() === 0x5d) {
      this.pos++;
      return arr;
    }
    for (;;) {
      this.skipWs();
      arr.push(this.value(depth));
      this.skipWs();
      const c = this.peek();
      if (c === 0x2c) {
        this.pos++;
        this.skipWs();
        if (this.peek() === 0x5d) {
          this.pos++;
          return arr;
        }
      } else if (c === 0x5d) {
        this.pos++;
        return arr;
      } else {
        this.fail("expected ',' or ']' in array");
      }
    }
  }

  private string(quote: number): string {
    const s = this.s;
    const start = ++this.pos;
    // Fast path: no escapes.
    let i = start;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c === quote) {
        this.pos = i + 1;
        return s.slice(start, i);
      }
      if (c === 0x5c) break;
      i++;
    }
    let out = s.slice(start, i);
    this.pos = i;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === quote) {
        this.pos++;
        return out;
      }
      if (c !== 0x5c) {
        out += s[this.pos++];
        continue;
      }
      const e = s.charCodeAt(this.pos + 1);
      this.pos += 2;
      switch (e) {
        case 0x22: out += '"'; break;
        case 0x27: out += "'"; break;
        case 0x5c: out += '\\'; break;
        case 0x2f: out += '/'; break;
        case 0x62: out += '\b'; break;
        case 0x66: out += '\f'; break;
        case 0x6e: out += '\n'; break;
        case 0x72: out += '\r'; break;
        case 0x74: out += '\t'; break;
        case 0x75: out += String.fromCharCode(this.hex(4)); break;
        case 0x78: out += String.fromCharCode(this.hex(2)); break;
        default:
          this.pos -= 2;
          this.fail('invalid escape in string');
      }
    }
    return this.fail('unterminated string');
  }

  private hex(n: number): number {
    const h = this.s.slice(this.pos, this.pos + n);
    if (h.length !== n || !/^[0-9a-fA-F]+$/.test(h)) this.fail('invalid hex escape');
    this.pos += n;
    return parseInt(h, 16);
  }

  private number(): number | bigint {
    const s = this.s;
    const start = this.pos;
    if (s.charCodeAt(this.pos) === 0x2d) this.pos++;
    const intStart = this.pos;
    while (isDigit(s.charCodeAt(this.pos))) this.pos++;
    if (this.pos === intStart) this.fail('expected digits');
    let integral = true;
    if (s.charCodeAt(this.pos) === 0x2e) {
      integral = false;
      this.pos++;
      const f = this.pos;
      while (isDigit(s.charCodeAt(this.pos))) this.pos++;
      if (this.pos === f) this.fail('expected fraction digits');
    }
    const c = s.charCodeAt(this.pos);
    if (c === 0x65 || c === 0x45) {
      integral = false;
      this.pos++;
      const sign = s.charCodeAt(this.pos);
      if (sign === 0x2b || sign === 0x2d) this.pos++;
      const e = this.pos;
      while (isDigit(s.charCodeAt(this.pos))) this.pos++;
      if (this.pos === e) this.fail('expected exponent digits');
    }
    const text = s.slice(start, this.pos);
    if (!integral) return Number(text);
    // Up to 15 digits always fit a double exactly; beyond, decide with BigInt.
    if (this.pos - intStart <= 15) return Number(text);
    const big = BigInt(text);
    return big <= MAX_SAFE && big >= -MAX_SAFE ? Number(big) : big;
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

// Unquoted keys: fastjson's AllowUnQuotedFieldNames accepts identifier chars; numeric keys may be
// negative (a Long key -1) and, in theory, decimals.
function isBareKeyChar(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    c === 0x5f ||
    c === 0x24 ||
    c === 0x2d ||
    c === 0x2e ||
    c > 0x7f
  );
}
