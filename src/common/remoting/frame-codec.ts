import { RemotingCommandException } from '../errors.js';
import { javaHashMapOrderIndices } from '../util/java-hash-map-order.js';
import { LanguageCode, isLanguageCodeName, languageFromByte, type LanguageCodeName } from './language-code.js';
import { RemotingCommand, SerializeType, type ExtFields } from './remoting-command.js';

/*
 * The remoting frame (PROTOCOL.md §1.1), all integers big-endian:
 *
 *   0        4                  8                     8+headerLen
 *   +--------+------------------+---------------------+----------------------+
 *   | length | type<<24|hdrLen  | header (JSON / RMQ) | body (length-4-hdrLen)|
 *   +--------+------------------+---------------------+----------------------+
 *   length = 4 + headerLen + bodyLen (excludes itself)
 *
 * ROCKETMQ binary header (§1.4):
 *   code:i16 language:u8 version:i16 opaque:i32 flag:i32 remarkLen:i32 remark extLen:i32
 *   { keyLen:i16 key valLen:i32 val }*
 */

/** Netty's default frameMaxLength (com.rocketmq.remoting.frameMaxLength): the whole frame incl. prefix. */
export const DEFAULT_FRAME_MAX_LENGTH = 16 * 1024 * 1024;

const HEADER_LENGTH_MASK = 0x00ffffff;

/** The serialized header of `cmd` in its own serializeType. */
export function encodeHeader(cmd: RemotingCommand): Buffer {
  return cmd.serializeType === SerializeType.ROCKETMQ ? encodeRocketMQHeader(cmd) : encodeJsonHeader(cmd);
}

/**
 * The frame's first part (length prefix, header length + type, header) and the body, separately, so
 * that large bodies are written without a copy.
 */
export function encodeFrameParts(cmd: RemotingCommand): [Buffer, Buffer | undefined] {
  const header = encodeHeader(cmd);
  const body = cmd.body !== undefined && cmd.body.length > 0 ? cmd.body : undefined;
  const bodyLen = body?.length ?? 0;
  const head = Buffer.allocUnsafe(8 + header.length);
  head.writeInt32BE(4 + header.length + bodyLen, 0);
  head.writeInt32BE(((cmd.serializeType & 0xff) << 24) | (header.length & HEADER_LENGTH_MASK), 4);
  header.copy(head, 8);
  return [head, body];
}

/** The whole frame, length prefix included, in one buffer. */
export function encodeFrame(cmd: RemotingCommand): Buffer {
  const [head, body] = encodeFrameParts(cmd);
  return body === undefined ? head : Buffer.concat([head, body], head.length + body.length);
}

/**
 * Where writeFrame builds frames: a buffer with room reserved on demand, filled front to back.
 * The WriteBatcher is one (frames of a flush share a pooled slab); tests use a plain one.
 */
export interface FrameSink {
  /** Makes `bytes` writable from the returned offset into `buffer` (which may be replaced). */
  reserve(bytes: number): number;
  readonly buffer: Buffer;
  /** The frame written at the reserved offset ends at `end`. */
  commit(end: number): void;
}

/**
 * Writes the whole frame of `cmd` into `sink` — the same bytes as encodeFrame — and the body too
 * when `inlineBody`, else the caller sends the body right after. Nothing is committed if encoding
 * throws, so a sink never holds half a frame.
 */
export function writeFrame(cmd: RemotingCommand, sink: FrameSink, inlineBody: boolean): void {
  const body = cmd.body !== undefined && cmd.body.length > 0 ? cmd.body : undefined;
  const bodyLen = body?.length ?? 0;
  const inlineLen = inlineBody ? bodyLen : 0;
  let off: number;
  let headerLen: number;
  if (cmd.serializeType === SerializeType.ROCKETMQ) {
    const keys = cmd.extFields !== undefined ? rocketMQExtKeys(cmd.extFields, cmd.fastFieldCount) : undefined;
    off = sink.reserve(8 + maxRocketMQHeaderLength(cmd, keys) + inlineLen);
    headerLen = writeRocketMQHeader(cmd, keys, sink.buffer, off + 8) - off - 8;
  } else {
    const ext = cmd.extFields;
    const keys = ext !== undefined ? Object.keys(ext) : undefined;
    const extMax = keys !== undefined ? maxJsonExtFieldsLength(ext!, keys) : 0;
    const remarkMax = cmd.remark !== undefined && cmd.remark !== null ? maxJsonString(cmd.remark) : 0;
    off = sink.reserve(8 + JSON_FIXED_MAX + maxUtf8(cmd.language) + extMax + remarkMax + inlineLen);
    headerLen = writeJsonHeader(cmd, keys, sink.buffer, off + 8) - off - 8;
  }
  const buf = sink.buffer;
  buf.writeInt32BE(4 + headerLen + bodyLen, off);
  buf.writeInt32BE(((cmd.serializeType & 0xff) << 24) | (headerLen & HEADER_LENGTH_MASK), off + 4);
  let end = off + 8 + headerLen;
  if (inlineLen > 0) end += body!.copy(buf, end);
  sink.commit(end);
}

/**
 * Decodes one frame *without* its 4-byte length prefix (what the streaming FrameDecoder yields).
 * The body is a view into `frame`, not a copy.
 */
export function decodeFrame(frame: Buffer): RemotingCommand {
  return decodeFrameAt(frame, 0, frame.length);
}

/**
 * decodeFrame of `buf[start, end)`. The header is read in place, so the body view is the only
 * Buffer made per frame (a view costs about as much as decoding a binary header).
 */
export function decodeFrameAt(buf: Buffer, start: number, end: number): RemotingCommand {
  const length = end - start;
  if (length < 4) throw new RemotingCommandException(`frame too short: ${length} bytes`);
  const lenAndType = buf.readInt32BE(start);
  const type = (lenAndType >>> 24) & 0xff;
  const headerLen = lenAndType & HEADER_LENGTH_MASK;
  if (headerLen > length - 4) {
    throw new RemotingCommandException(`header length ${headerLen} exceeds frame length ${length}`);
  }
  const headerEnd = start + 4 + headerLen;
  let cmd: RemotingCommand;
  if (type === SerializeType.JSON) cmd = decodeJsonHeaderAt(buf, start + 4, headerEnd);
  else if (type === SerializeType.ROCKETMQ) cmd = decodeRocketMQHeaderAt(buf, start + 4, headerEnd);
  else throw new RemotingCommandException(`unknown serialize type ${type}`);
  if (headerEnd < end) cmd.body = buf.subarray(headerEnd, end);
  return cmd;
}

/** Decodes a whole frame including its length prefix (checked against the buffer's length). */
export function decodeWholeFrame(buf: Buffer): RemotingCommand {
  if (buf.length < 8) throw new RemotingCommandException(`frame too short: ${buf.length} bytes`);
  const length = buf.readInt32BE(0);
  if (length !== buf.length - 4) {
    throw new RemotingCommandException(`frame length field ${length} does not match ${buf.length - 4} bytes`);
  }
  return decodeFrame(buf.subarray(4));
}

// ---------------------------------------------------------------------------------------------
// ext field order: what Java's HashMap iteration (plus FastCodesHeader's leading fields) gives.

/** ROCKETMQ: a FastCodesHeader writes its fields first, then the rest of the map (RocketMQSerializable). */
function rocketMQExtKeys(ext: ExtFields, fastFieldCount: number): string[] {
  const keys = Object.keys(ext);
  const lead = Math.min(Math.max(fastFieldCount, 0), keys.length);
  const order = javaHashMapOrderIndices(keys, lead, 0);
  const out = keys.slice(0, lead);
  for (let i = 0; i < keys.length - lead; i++) out.push(keys[order[i]!]!);
  return out;
}

/**
 * JSON: Java's makeCustomHeaderToNet puts every header field into the one extFields HashMap at encode
 * time, i.e. *after* fields added by hand (a send response's MSG_REGION / TRACE_ON). Insertion order
 * only decides the order of keys sharing a bucket, but that is enough to change bytes, so the leading
 * FastCodesHeader fields are inserted last here. Returns positions into `keys` in a scratch array
 * (see javaHashMapOrderIndices), `keys.length` of them.
 */
function jsonExtOrder(keys: readonly string[], fastFieldCount: number): Int32Array {
  return javaHashMapOrderIndices(keys, 0, fastFieldCount <= 0 ? 0 : Math.min(fastFieldCount, keys.length));
}

// ---------------------------------------------------------------------------------------------
// JSON header: fastjson writes bean properties alphabetically and omits nulls (§1.6).

/** `,"extFields":{…}` in Java HashMap order, or '' when no field has a value… as fastjson writes it. */
function jsonExtFieldsText(extFields: ExtFields, fastFieldCount: number): string {
  const keys = Object.keys(extFields);
  const order = jsonExtOrder(keys, fastFieldCount);
  let ext = ',"extFields":{';
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[order[i]!]!;
    const v = extFields[k];
    if (v === undefined || v === null) continue;
    ext += `${first ? '' : ','}${JSON.stringify(k)}:${JSON.stringify(v)}`;
    first = false;
  }
  return `${ext}}`;
}

/** The JSON header as text (encodeJsonHeader); writeFrame writes the same bytes without it. */
export function jsonHeaderString(cmd: RemotingCommand): string {
  const ext = cmd.extFields !== undefined ? jsonExtFieldsText(cmd.extFields, cmd.fastFieldCount) : '';
  const remark = cmd.remark !== undefined && cmd.remark !== null ? `,"remark":${JSON.stringify(cmd.remark)}` : '';
  const st = cmd.serializeType === SerializeType.ROCKETMQ ? 'ROCKETMQ' : 'JSON';
  return `{"code":${cmd.code}${ext},"flag":${cmd.flag},"language":"${cmd.language}","opaque":${cmd.opaque}${remark},"serializeTypeCurrentRPC":"${st}","version":${cmd.version}}`;
}

/*
 * writeJsonHeader builds the same bytes as jsonHeaderString straight in the frame buffer: the
 * fixed text as pre-encoded ASCII, the four numbers as digits, only extFields and remark (which
 * need JSON escaping) as strings. A header string costs ~360 bytes of garbage per frame.
 */
const ascii = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'latin1'));
const J_CODE = ascii('{"code":');
const J_FLAG = ascii(',"flag":');
const J_LANGUAGE = ascii(',"language":"');
const J_OPAQUE = ascii('","opaque":');
const J_REMARK = ascii(',"remark":');
const J_VERSION_JSON = ascii(',"serializeTypeCurrentRPC":"JSON","version":');
const J_VERSION_ROCKETMQ = ascii(',"serializeTypeCurrentRPC":"ROCKETMQ","version":');
/** `,"language":"NAME","opaque":` for every language, in one piece. */
const J_LANGUAGE_OPAQUE: Partial<Record<string, Uint8Array>> = Object.fromEntries(
  Object.keys(LanguageCode).map((name) => [name, ascii(`,"language":"${name}","opaque":`)]),
);
/** The longest number `${n}` can print (e.g. -1.2345678901234567e-300). */
const MAX_NUMBER_TEXT = 24;
/** Room for everything but language, extFields and remark. */
const JSON_FIXED_MAX =
  J_CODE.length + J_FLAG.length + J_LANGUAGE.length + J_OPAQUE.length + J_REMARK.length + J_VERSION_ROCKETMQ.length + 1 + 4 * MAX_NUMBER_TEXT;

function putAscii(buf: Buffer, p: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) buf[p + i] = bytes[i]!;
  return p + bytes.length;
}

/** `${n}` at p, as the template literal would print it. */
function putNumber(buf: Buffer, p: number, n: number): number {
  if ((n | 0) !== n) return p + buf.write(String(n), p, 'latin1');
  let v = n;
  if (v < 0) {
    buf[p++] = 0x2d;
    v = -v; // -2^31 becomes 2^31: still exact, and below 2^32 for >>> 0
  }
  // -0 lands here as 0, printed "0" as `${-0}` is.
  const digits = v < 10 ? 1 : v < 100 ? 2 : v < 1e3 ? 3 : v < 1e4 ? 4 : v < 1e5 ? 5 : v < 1e6 ? 6 : v < 1e7 ? 7 : v < 1e8 ? 8 : v < 1e9 ? 9 : 10;
  for (let i = p + digits - 1; i > p; i--) {
    const q = (v / 10) >>> 0;
    buf[i] = 0x30 + (v - q * 10);
    v = q;
  }
  buf[p] = 0x30 + v;
  return p + digits;
}

/** Writes the JSON header at p (room: see writeFrame); `keys` are Object.keys(cmd.extFields). */
function writeJsonHeader(cmd: RemotingCommand, keys: readonly string[] | undefined, buf: Buffer, p: number): number {
  p = putNumber(buf, putAscii(buf, p, J_CODE), cmd.code);
  if (keys !== undefined) p = writeJsonExtFields(cmd.extFields!, keys, cmd.fastFieldCount, buf, p);
  p = putNumber(buf, putAscii(buf, p, J_FLAG), cmd.flag);
  const languageText = J_LANGUAGE_OPAQUE[cmd.language];
  if (languageText !== undefined) {
    p = putAscii(buf, p, languageText);
  } else {
    // Not a LanguageCodeName (a caller cast something else in): written as it is.
    p = putAscii(buf, p, J_LANGUAGE);
    p += buf.write(cmd.language, p, 'utf8');
    p = putAscii(buf, p, J_OPAQUE);
  }
  p = putNumber(buf, p, cmd.opaque);
  if (cmd.remark !== undefined && cmd.remark !== null) p = putJsonString(buf, putAscii(buf, p, J_REMARK), cmd.remark);
  p = putAscii(buf, p, cmd.serializeType === SerializeType.ROCKETMQ ? J_VERSION_ROCKETMQ : J_VERSION_JSON);
  p = putNumber(buf, p, cmd.version);
  buf[p] = 0x7d;
  return p + 1;
}

const J_EXT_OPEN = ascii(',"extFields":{');

/** jsonExtFieldsText's bytes at p, written in place (no text made per key or value). */
function writeJsonExtFields(ext: ExtFields, keys: readonly string[], fastFieldCount: number, buf: Buffer, p: number): number {
  p = putAscii(buf, p, J_EXT_OPEN);
  const order = jsonExtOrder(keys, fastFieldCount);
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[order[i]!]!;
    const v = ext[k];
    if (v === undefined || v === null) continue;
    if (!first) buf[p++] = 0x2c;
    first = false;
    p = putJsonString(buf, p, k);
    buf[p++] = 0x3a;
    // ExtFields holds strings; anything else a caller cast in is written as JSON.stringify writes it.
    p = typeof v === 'string' ? putJsonString(buf, p, v) : p + buf.write(JSON.stringify(v), p, 'utf8');
  }
  buf[p] = 0x7d;
  return p + 1;
}

/** Room writeJsonExtFields may need: `\uXXXX` (6 bytes) is the most one UTF-16 unit can take. */
function maxJsonExtFieldsLength(ext: ExtFields, keys: readonly string[]): number {
  let n = J_EXT_OPEN.length + 1;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const v = ext[k];
    if (v === undefined || v === null) continue;
    n += maxJsonString(k) + 2 + (typeof v === 'string' ? maxJsonString(v) : maxUtf8(JSON.stringify(v)));
  }
  return n;
}

function maxJsonString(s: string): number {
  return 6 * s.length + 2;
}

const HEX = ascii('0123456789abcdef');

/**
 * JSON.stringify(s) as UTF-8 at p: the same escapes (\" \\ \b \f \n \r \t, \u00xx for other
 * control characters, \udxxx for a lone surrogate, lower-case hex) and UTF-8 for the rest.
 */
function putJsonString(buf: Buffer, p: number, s: string): number {
  buf[p++] = 0x22;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c >= 0x20 && c !== 0x22 && c !== 0x5c) {
        buf[p++] = c;
        continue;
      }
      buf[p++] = 0x5c;
      if (c === 0x22 || c === 0x5c) buf[p++] = c;
      else if (c === 0x08) buf[p++] = 0x62; // b
      else if (c === 0x09) buf[p++] = 0x74; // t
      else if (c === 0x0a) buf[p++] = 0x6e; // n
      else if (c === 0x0c) buf[p++] = 0x66; // f
      else if (c === 0x0d) buf[p++] = 0x72; // r
      else p = putUnicodeEscape(buf, p, c);
    } else if (c < 0x800) {
      buf[p++] = 0xc0 | (c >> 6);
      buf[p++] = 0x80 | (c & 0x3f);
    } else if (c < 0xd800 || c > 0xdfff) {
      buf[p++] = 0xe0 | (c >> 12);
      buf[p++] = 0x80 | ((c >> 6) & 0x3f);
      buf[p++] = 0x80 | (c & 0x3f);
    } else {
      const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        buf[p++] = 0xf0 | (cp >> 18);
        buf[p++] = 0x80 | ((cp >> 12) & 0x3f);
        buf[p++] = 0x80 | ((cp >> 6) & 0x3f);
        buf[p++] = 0x80 | (cp & 0x3f);
        i++;
      } else {
        // A lone surrogate: well-formed JSON.stringify escapes it.
        buf[p++] = 0x5c;
        p = putUnicodeEscape(buf, p, c);
      }
    }
  }
  buf[p] = 0x22;
  return p + 1;
}

/** `uXXXX` (the backslash already written), lower-case hex as JSON.stringify prints it. */
function putUnicodeEscape(buf: Buffer, p: number, c: number): number {
  buf[p] = 0x75;
  buf[p + 1] = HEX[(c >> 12) & 0xf]!;
  buf[p + 2] = HEX[(c >> 8) & 0xf]!;
  buf[p + 3] = HEX[(c >> 4) & 0xf]!;
  buf[p + 4] = HEX[c & 0xf]!;
  return p + 5;
}

export function encodeJsonHeader(cmd: RemotingCommand): Buffer {
  return Buffer.from(jsonHeaderString(cmd), 'utf8');
}

function asInt(v: unknown, field: string): number {
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new RemotingCommandException(`header field ${field} is not an integer`);
  return n | 0;
}

export function decodeJsonHeader(bytes: Buffer): RemotingCommand {
  return decodeJsonHeaderAt(bytes, 0, bytes.length);
}

/** decodeJsonHeader of `buf[start, end)`: the fast path when the header has fastjson's shape. */
function decodeJsonHeaderAt(buf: Buffer, start: number, end: number): RemotingCommand {
  return decodeJsonHeaderFast(buf, start, end) ?? decodeJsonHeaderText(buf.toString('utf8', start, end));
}

/*
 * The fast path. fastjson (Java) and writeJsonHeader (us) both write a header as
 *
 *   {"code":N[,"extFields":{…}],"flag":N,"language":"NAME","opaque":N[,"remark":"…"],
 *    "serializeTypeCurrentRPC":"JSON|ROCKETMQ","version":N}
 *
 * with no white space. decodeJsonHeaderFast reads exactly that shape from the bytes — integers
 * of at most 15 digits (exact as doubles, so `| 0` keeps what asInt keeps), a language name of
 * printable ASCII without escapes, and the remark and extFields handed to JSON.parse on their own
 * unless the remark is plain ASCII — and returns undefined for anything else, which then goes through JSON.parse whole. It only
 * answers when the whole header is valid JSON with these keys once each, so its answer is the one
 * decodeJsonHeaderText gives; it saves the header string and the parse of the fixed fields, which
 * are most of the header (the whole of it for a header without extFields).
 *
 * The extFields object ends at the first `},"flag":`: inside a JSON string a `"` is always
 * escaped, so `,"flag":` cannot occur within one; a nested object that ends there leaves the
 * text before it unbalanced, and JSON.parse refusing it sends the header to the slow path.
 */
const J_EXT = ascii(',"extFields":');
const J_EXT_END = ascii('},"flag":');
const J_REMARK_STRING = ascii(',"remark":"');
/** Digits of the longest integer read on the fast path: below 2^53, so exact. */
const MAX_FAST_DIGITS = 15;
const LANGUAGE_NAMES = (Object.keys(LanguageCode) as LanguageCodeName[]).map((name) => ({ name, bytes: ascii(name) }));

/** Where the last readInt stopped. */
let intEnd = 0;

function matchAt(buf: Buffer, p: number, end: number, lit: Uint8Array): boolean {
  if (p + lit.length > end) return false;
  for (let i = 0; i < lit.length; i++) if (buf[p + i] !== lit[i]) return false;
  return true;
}

/** A JSON integer at p, as asInt keeps it (NaN when it is not a plain integer of ≤ 15 digits). */
function readInt(buf: Buffer, p: number, end: number): number {
  const negative = p < end && buf[p] === 0x2d;
  if (negative) p++;
  const first = p;
  let v = 0;
  while (p < end) {
    const c = buf[p]!;
    if (c < 0x30 || c > 0x39) break;
    v = v * 10 + (c - 0x30);
    p++;
  }
  const digits = p - first;
  if (digits === 0 || digits > MAX_FAST_DIGITS || (digits > 1 && buf[first] === 0x30)) return Number.NaN;
  intEnd = p;
  return (negative ? -v : v) | 0;
}

/** The closing quote of a string starting at p with printable ASCII and no escapes, else -1. */
function plainStringEnd(buf: Buffer, p: number, end: number): number {
  for (; p < end; p++) {
    const c = buf[p]!;
    if (c === 0x22) return p;
    if (c < 0x20 || c > 0x7e || c === 0x5c) return -1;
  }
  return -1;
}

/** The closing quote of a JSON string whose text starts at p (escapes skipped), else -1. */
function stringEnd(buf: Buffer, p: number, end: number): number {
  while (p < end) {
    const c = buf[p]!;
    if (c === 0x22) return p;
    p += c === 0x5c ? 2 : 1;
  }
  return -1;
}

function languageAt(buf: Buffer, p: number, q: number): LanguageCodeName {
  const n = q - p;
  for (const l of LANGUAGE_NAMES) {
    if (l.bytes.length !== n) continue;
    let i = 0;
    while (i < n && buf[p + i] === l.bytes[i]) i++;
    if (i === n) return l.name;
  }
  return 'OTHER';
}

/** The header at `buf[start, end)` when it has fastjson's shape (see above), else undefined. */
export function decodeJsonHeaderFast(buf: Buffer, start: number, end: number): RemotingCommand | undefined {
  let p = start;
  if (!matchAt(buf, p, end, J_CODE)) return undefined;
  const code = readInt(buf, p + J_CODE.length, end);
  if (code !== code) return undefined;
  p = intEnd;
  let extFields: ExtFields | undefined;
  if (matchAt(buf, p, end, J_EXT)) {
    const open = p + J_EXT.length;
    if (buf[open] !== 0x7b) return undefined;
    let close = -1;
    for (let i = open + 1; i + J_EXT_END.length <= end; i++) {
      if (buf[i] === 0x7d && matchAt(buf, i, end, J_EXT_END)) {
        close = i;
        break;
      }
    }
    if (close < 0) return undefined;
    try {
      extFields = scalarsAsStrings(JSON.parse(buf.toString('utf8', open, close + 1)) as Record<string, unknown>);
    } catch {
      return undefined;
    }
    p = close + 1;
  }
  if (!matchAt(buf, p, end, J_FLAG)) return undefined;
  const flag = readInt(buf, p + J_FLAG.length, end);
  if (flag !== flag) return undefined;
  p = intEnd;
  if (!matchAt(buf, p, end, J_LANGUAGE)) return undefined;
  p += J_LANGUAGE.length;
  const languageEnd = plainStringEnd(buf, p, end);
  if (languageEnd < 0) return undefined;
  const language = languageAt(buf, p, languageEnd);
  p = languageEnd;
  if (!matchAt(buf, p, end, J_OPAQUE)) return undefined;
  const opaque = readInt(buf, p + J_OPAQUE.length, end);
  if (opaque !== opaque) return undefined;
  p = intEnd;
  let remark: string | undefined;
  if (matchAt(buf, p, end, J_REMARK_STRING)) {
    p += J_REMARK_STRING.length;
    let remarkEnd = plainStringEnd(buf, p, end);
    if (remarkEnd >= 0) {
      remark = buf.toString('latin1', p, remarkEnd);
    } else {
      // Escapes or non-ASCII (Java's remarks often hold a "\n"): JSON.parse of the string alone.
      remarkEnd = stringEnd(buf, p, end);
      if (remarkEnd < 0) return undefined;
      try {
        remark = JSON.parse(buf.toString('utf8', p - 1, remarkEnd + 1)) as string;
      } catch {
        return undefined;
      }
    }
    p = remarkEnd + 1;
  }
  if (matchAt(buf, p, end, J_VERSION_JSON)) p += J_VERSION_JSON.length;
  else if (matchAt(buf, p, end, J_VERSION_ROCKETMQ)) p += J_VERSION_ROCKETMQ.length;
  else return undefined;
  const version = readInt(buf, p, end);
  if (version !== version) return undefined;
  p = intEnd;
  if (p !== end - 1 || buf[p] !== 0x7d) return undefined;
  return RemotingCommand.decoded(code, language, version, opaque, flag, remark, extFields, SerializeType.JSON);
}

/** The general path: JSON.parse of the whole header text. */
export function decodeJsonHeaderText(text: string): RemotingCommand {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new RemotingCommandException(`undecodable JSON header: ${(e as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new RemotingCommandException('JSON header is not an object');
  }
  const h = parsed as Record<string, unknown>;
  if (h.code === undefined) throw new RemotingCommandException('JSON header has no code');
  const language = typeof h.language === 'string' && isLanguageCodeName(h.language) ? h.language : 'OTHER';
  let extFields: ExtFields | undefined;
  if (h.extFields !== undefined && h.extFields !== null) {
    if (typeof h.extFields !== 'object' || Array.isArray(h.extFields)) {
      throw new RemotingCommandException('extFields is not an object');
    }
    extFields = scalarsAsStrings(h.extFields as Record<string, unknown>);
  }
  let remark: string | undefined;
  if (h.remark !== undefined && h.remark !== null) remark = String(h.remark);
  return RemotingCommand.decoded(
    asInt(h.code, 'code'),
    language as LanguageCodeName,
    h.version === undefined ? 0 : asInt(h.version, 'version'),
    h.opaque === undefined ? 0 : asInt(h.opaque, 'opaque'),
    h.flag === undefined ? 0 : asInt(h.flag, 'flag'),
    remark,
    extFields,
    SerializeType.JSON,
  );
}

/**
 * The parsed extFields object itself as ExtFields (no copy: it is fresh from JSON.parse and ours).
 * ali-ons sends numbers and booleans unquoted; fastjson coerces them to strings, so do we; null
 * entries carry nothing and are removed.
 */
function scalarsAsStrings(ext: Record<string, unknown>): ExtFields {
  // for-in rather than Object.keys: no key array per decoded frame (deleting the current key is allowed).
  for (const k in ext) {
    const v = ext[k];
    if (typeof v === 'string') continue;
    if (v === null || v === undefined) delete ext[k];
    else if (typeof v === 'object') throw new RemotingCommandException(`extFields.${k} is not a scalar`);
    else ext[k] = String(v);
  }
  return ext as ExtFields;
}

// ---------------------------------------------------------------------------------------------
// ROCKETMQ binary header.

/** Bytes a string may take in UTF-8 (each UTF-16 unit encodes to at most 3 bytes). */
function maxUtf8(s: string): number {
  return s.length * 3;
}

/** An upper bound of the ROCKETMQ header's size; writeRocketMQHeader needs this much room. */
function maxRocketMQHeaderLength(cmd: RemotingCommand, keys: readonly string[] | undefined): number {
  let n = 2 + 1 + 2 + 4 + 4 + 4 + 4 + (cmd.remark !== undefined ? maxUtf8(cmd.remark) : 0);
  if (keys !== undefined) {
    const ext = cmd.extFields!;
    for (const k of keys) {
      const v = ext[k];
      if (v !== undefined && v !== null) n += 2 + maxUtf8(k) + 4 + maxUtf8(v);
    }
  }
  return n;
}

/**
 * Writes the ROCKETMQ header at `off` (room checked by the caller against
 * maxRocketMQHeaderLength) and returns its end. Strings are written straight into `buf` and
 * their length fields filled in afterwards, so no Buffer is made per key or value.
 */
function writeRocketMQHeader(cmd: RemotingCommand, keys: readonly string[] | undefined, buf: Buffer, off: number): number {
  let p = off;
  // code and version are Java shorts on this path: truncated, as Java's writeShort does.
  p = buf.writeInt16BE((cmd.code << 16) >> 16, p);
  p = buf.writeUInt8(LanguageCode[cmd.language] ?? LanguageCode.OTHER, p);
  p = buf.writeInt16BE((cmd.version << 16) >> 16, p);
  p = buf.writeInt32BE(cmd.opaque | 0, p);
  p = buf.writeInt32BE(cmd.flag | 0, p);
  const remarkLen = cmd.remark !== undefined && cmd.remark.length > 0 ? buf.write(cmd.remark, p + 4, 'utf8') : 0;
  p = buf.writeInt32BE(remarkLen, p) + remarkLen;
  const extLenAt = p;
  p += 4;
  if (keys !== undefined) {
    const ext = cmd.extFields!;
    for (const k of keys) {
      const v = ext[k];
      if (v === undefined || v === null) continue;
      const kl = buf.write(k, p + 2, 'utf8');
      p = buf.writeInt16BE(kl, p) + kl;
      const vl = buf.write(v, p + 4, 'utf8');
      p = buf.writeInt32BE(vl, p) + vl;
    }
  }
  buf.writeInt32BE(p - extLenAt - 4, extLenAt);
  return p;
}

export function encodeRocketMQHeader(cmd: RemotingCommand): Buffer {
  const keys = cmd.extFields !== undefined ? rocketMQExtKeys(cmd.extFields, cmd.fastFieldCount) : undefined;
  const buf = Buffer.allocUnsafe(maxRocketMQHeaderLength(cmd, keys));
  return buf.subarray(0, writeRocketMQHeader(cmd, keys, buf, 0));
}

/**
 * Throws unless `n` bytes follow `p`. A module function, not a closure in the decoder: a closure
 * would be allocated (and, under esbuild's keepNames, renamed through defineProperty) per frame.
 */
function need(limit: number, p: number, n: number, what: string): void {
  if (n < 0 || p + n > limit) throw new RemotingCommandException(`ROCKETMQ header truncated reading ${what}`);
}

export function decodeRocketMQHeader(bytes: Buffer): RemotingCommand {
  return decodeRocketMQHeaderAt(bytes, 0, bytes.length);
}

/** decodeRocketMQHeader of `bytes[start, limit)`. */
function decodeRocketMQHeaderAt(bytes: Buffer, start: number, limit: number): RemotingCommand {
  let p = start;
  need(limit, p, 17, 'fixed fields');
  const code = bytes.readInt16BE(p);
  const language = languageFromByte(bytes.readUInt8(p + 2));
  const version = bytes.readInt16BE(p + 3);
  const opaque = bytes.readInt32BE(p + 5);
  const flag = bytes.readInt32BE(p + 9);
  const remarkLen = bytes.readInt32BE(p + 13);
  p += 17;
  need(limit, p, remarkLen, 'remark');
  const remark = remarkLen > 0 ? bytes.toString('utf8', p, p + remarkLen) : undefined;
  p += remarkLen;
  need(limit, p, 4, 'extFields length');
  const extLen = bytes.readInt32BE(p);
  p += 4;
  need(limit, p, extLen, 'extFields');
  let extFields: ExtFields | undefined;
  if (extLen > 0) {
    extFields = {};
    const end = p + extLen;
    while (p < end) {
      if (p + 2 > end) throw new RemotingCommandException('ROCKETMQ header truncated reading key length');
      const kl = bytes.readInt16BE(p);
      p += 2;
      if (kl < 0 || p + kl > end) throw new RemotingCommandException('ROCKETMQ header truncated reading key');
      const k = bytes.toString('utf8', p, p + kl);
      p += kl;
      if (p + 4 > end) throw new RemotingCommandException('ROCKETMQ header truncated reading value length');
      const vl = bytes.readInt32BE(p);
      p += 4;
      if (vl < 0 || p + vl > end) throw new RemotingCommandException('ROCKETMQ header truncated reading value');
      // A zero-length key or value decodes as null in Java: such an entry carries nothing.
      if (kl > 0 && vl > 0) extFields[k] = bytes.toString('utf8', p, p + vl);
      p += vl;
    }
  }
  return RemotingCommand.decoded(code, language, version, opaque, flag, remark, extFields, SerializeType.ROCKETMQ);
}
