import { RemotingCommandException } from '../errors.js';
import { putInt32, putInt64 } from '../util/big-endian.js';
import { bodyCRC } from './body-crc.js';
import { writeInt64BE } from './int64.js';
import type { MessageExt } from './message-ext.js';
import { isBornHostV6, isStoreHostV6 } from './message-sys-flag.js';
import { MAX_PROPERTIES_LENGTH, PROPERTY_SEPARATOR, PROPERTY_SEPARATOR_BYTE } from './properties-codec.js';
import {
  BLANK_MAGIC_CODE,
  END_FILE_MIN_BLANK_LENGTH,
  MAX_TOPIC_LENGTH,
  MESSAGE_MAGIC_CODE,
  PHY_POS_POSITION,
  QUEUE_OFFSET_POSITION,
  SYSFLAG_POSITION,
  calMsgLength,
  storeTimestampPosition,
} from './record-layout.js';
import { IPV6_SOCKET_ADDRESS_LENGTH, isIPv6Host, writeSocketAddress, type SocketAddress } from './socket-address.js';

/**
 * Everything a record holds. Topic and properties may be strings (written straight into the target,
 * no intermediate Buffer) or already-encoded UTF-8 bytes. `body` may be a view into a larger buffer
 * (e.g. a batch body): it is copied once, into the target.
 */
export interface RecordEncodeInput {
  readonly bodyCRC: number;
  readonly queueId: number;
  readonly flag: number;
  readonly queueOffset: number;
  readonly commitLogOffset: number;
  /** Its v6 bits must agree with bornHost / storeHost (see withHostFlags). */
  readonly sysFlag: number;
  readonly bornTimestamp: number;
  readonly bornHost: SocketAddress;
  readonly storeTimestamp: number;
  readonly storeHost: SocketAddress;
  readonly reconsumeTimes: number;
  readonly preparedTransactionOffset: number;
  readonly body: Uint8Array | undefined;
  readonly topic: string | Uint8Array;
  readonly properties: string | Uint8Array;
  /**
   * Batch records only: the batch's own properties, appended after `properties` with a \u0002 between
   * them unless `properties` is empty or already ends with one (CommitLog.MessageExtEncoder).
   */
  readonly appendProperties?: string | Uint8Array | undefined;
}

/** Byte lengths of a record's variable parts, and its TOTALSIZE. */
export interface RecordSize {
  readonly totalSize: number;
  readonly bodyLength: number;
  readonly topicLength: number;
  /** Including appended batch properties and their separator. */
  readonly propertiesLength: number;
  /** Whether a \u0002 goes between `properties` and `appendProperties`. */
  readonly appendSeparator: boolean;
}

/** Computes a record's size without encoding it; the store checks limits and file space with it. */
export function measureRecord(input: RecordEncodeInput): RecordSize {
  return measureRecordInto(input, { totalSize: 0, bodyLength: 0, topicLength: 0, propertiesLength: 0, appendSeparator: false });
}

/** measureRecord into `out`, which it returns: a store that measures every put reuses one object. */
export function measureRecordInto(input: RecordEncodeInput, out: { -readonly [K in keyof RecordSize]: RecordSize[K] }): RecordSize {
  const bodyLength = input.body?.length ?? 0;
  const topicLength = byteLength(input.topic);
  const ownLength = byteLength(input.properties);
  const appendLength = input.appendProperties === undefined ? 0 : byteLength(input.appendProperties);
  const appendSeparator = ownLength > 0 && appendLength > 0 && !endsWithSeparator(input.properties);
  const propertiesLength = ownLength + appendLength + (appendSeparator ? 1 : 0);
  out.totalSize = calMsgLength(input.sysFlag, bodyLength, topicLength, propertiesLength);
  out.bodyLength = bodyLength;
  out.topicLength = topicLength;
  out.propertiesLength = propertiesLength;
  out.appendSeparator = appendSeparator;
  return out;
}

/**
 * Writes one record at `target[pos]` and returns its size. Throws RemotingCommandException (and
 * writes nothing) if the topic or properties exceed their length fields, if the sysFlag's v6 bits do
 * not match the hosts, or if the record does not fit in `target`; the store checks these first
 * (measureRecord, MAX_TOPIC_LENGTH, MAX_PROPERTIES_LENGTH) to answer MESSAGE_ILLEGAL /
 * PROPERTIES_SIZE_EXCEEDED instead.
 */
export function encodeRecord(target: Buffer, pos: number, input: RecordEncodeInput, size: RecordSize = measureRecord(input)): number {
  checkEncodable(target, pos, input, size);
  // Plain byte stores: Buffer's write*BE methods re-check every argument, and this runs once per put.
  let p = pos;
  putInt32(target, p, size.totalSize);
  putInt32(target, p + 4, MESSAGE_MAGIC_CODE);
  putInt32(target, p + 8, input.bodyCRC | 0);
  putInt32(target, p + 12, input.queueId | 0);
  putInt32(target, p + 16, input.flag | 0);
  putInt64(target, p + QUEUE_OFFSET_POSITION, input.queueOffset);
  putInt64(target, p + PHY_POS_POSITION, input.commitLogOffset);
  putInt32(target, p + SYSFLAG_POSITION, input.sysFlag | 0);
  putInt64(target, p + 40, input.bornTimestamp);
  p += 48;
  p += bornHostCache.write(target, p, input.bornHost);
  putInt64(target, p, input.storeTimestamp);
  p += 8;
  p += storeHostCache.write(target, p, input.storeHost);
  putInt32(target, p, input.reconsumeTimes | 0);
  putInt64(target, p + 4, input.preparedTransactionOffset);
  p += 12;
  putInt32(target, p, size.bodyLength);
  p += 4;
  if (input.body !== undefined && size.bodyLength > 0) {
    target.set(input.body, p);
    p += size.bodyLength;
  }
  target[p] = size.topicLength;
  p += 1;
  p += writeText(target, p, input.topic, size.topicLength);
  target[p] = size.propertiesLength >>> 8;
  target[p + 1] = size.propertiesLength & 0xff;
  p += 2;
  p += writeText(target, p, input.properties, input.appendProperties === undefined ? size.propertiesLength : -1);
  if (input.appendProperties !== undefined) {
    if (size.appendSeparator) target[p++] = PROPERTY_SEPARATOR_BYTE;
    p += writeText(target, p, input.appendProperties);
  }
  if (p - pos !== size.totalSize) {
    throw new RemotingCommandException(`record encoder wrote ${p - pos} bytes, expected ${size.totalSize} (stale RecordSize?)`);
  }
  return size.totalSize;
}

/** The fields the store sets when it appends a record (inside its put lock). */
export interface AppendFields {
  readonly queueOffset: number;
  readonly commitLogOffset: number;
  readonly storeTimestamp?: number;
}

/**
 * Patches QUEUEOFFSET, PHYSICALOFFSET and (if given) STORETIMESTAMP of an already-encoded record, for
 * a store that encodes outside its lock and copies in (as Java's MessageExtEncoder + doAppend do).
 */
export function patchAppendFields(record: Buffer, pos: number, fields: AppendFields): void {
  writeInt64BE(record, fields.queueOffset, pos + QUEUE_OFFSET_POSITION);
  writeInt64BE(record, fields.commitLogOffset, pos + PHY_POS_POSITION);
  if (fields.storeTimestamp !== undefined) {
    const sysFlag = record.readInt32BE(pos + SYSFLAG_POSITION);
    writeInt64BE(record, fields.storeTimestamp, pos + storeTimestampPosition(sysFlag));
  }
}

/** Writes the 8-byte end-of-file BLANK record: `{int32 bytesLeftInFile, BLANK_MAGIC_CODE}`. */
export function writeBlankRecord(target: Buffer, pos: number, bytesLeftInFile: number): void {
  if (bytesLeftInFile < END_FILE_MIN_BLANK_LENGTH) {
    throw new RemotingCommandException(`a BLANK record needs ${END_FILE_MIN_BLANK_LENGTH} bytes, ${bytesLeftInFile} left`);
  }
  target.writeInt32BE(bytesLeftInFile, pos);
  target.writeInt32BE(BLANK_MAGIC_CODE, pos + 4);
}

/**
 * The RecordEncodeInput of a MessageExt (or MessageExtBrokerInner): its properties string (the one it
 * was decoded from while unchanged), with `overrides` for what the store fills in at append time.
 */
export function recordInputOf(msg: MessageExt, overrides: Partial<RecordEncodeInput> = {}): RecordEncodeInput {
  return {
    bodyCRC: msg.bodyCRC,
    queueId: msg.queueId,
    flag: msg.flag,
    queueOffset: msg.queueOffset,
    commitLogOffset: msg.commitLogOffset,
    sysFlag: msg.sysFlag,
    bornTimestamp: msg.bornTimestamp,
    bornHost: msg.bornHost,
    storeTimestamp: msg.storeTimestamp,
    storeHost: msg.storeHost,
    reconsumeTimes: msg.reconsumeTimes,
    preparedTransactionOffset: msg.preparedTransactionOffset,
    body: msg.body,
    topic: msg.topic,
    properties: msg.propertiesString(),
    ...overrides,
  };
}

/**
 * One record as a standalone Buffer (Java's MessageDecoder.encode without compression): for query and
 * view responses, tests, and tools. BODYCRC is the message's own; pass `{ bodyCRC: bodyCRC(body) }`
 * in `overrides` (or use `withBodyCRC`) to recompute it.
 */
export function encodeMessageExt(msg: MessageExt, overrides: Partial<RecordEncodeInput> = {}): Buffer {
  const input = recordInputOf(msg, overrides);
  const size = measureRecord(input);
  const out = Buffer.allocUnsafe(size.totalSize);
  encodeRecord(out, 0, input, size);
  return out;
}

/** `{ bodyCRC }` for a body, for overrides. */
export function withBodyCRC(body: Uint8Array | undefined): { bodyCRC: number } {
  return { bodyCRC: body === undefined ? 0 : bodyCRC(body) };
}

// ---------------------------------------------------------------------------------------------

function checkEncodable(target: Buffer, pos: number, input: RecordEncodeInput, size: RecordSize): void {
  if (size.topicLength > MAX_TOPIC_LENGTH) {
    throw new RemotingCommandException(`topic is ${size.topicLength} bytes, more than ${MAX_TOPIC_LENGTH}`);
  }
  if (size.propertiesLength > MAX_PROPERTIES_LENGTH) {
    throw new RemotingCommandException(`properties are ${size.propertiesLength} bytes, more than ${MAX_PROPERTIES_LENGTH}`);
  }
  if (isBornHostV6(input.sysFlag) !== isIPv6Host(input.bornHost.host) || isStoreHostV6(input.sysFlag) !== isIPv6Host(input.storeHost.host)) {
    throw new RemotingCommandException(
      `sysFlag 0x${input.sysFlag.toString(16)} v6 bits do not match bornHost ${input.bornHost.host} / storeHost ${input.storeHost.host}`,
    );
  }
  if (pos < 0 || pos + size.totalSize > target.length) {
    throw new RemotingCommandException(`record of ${size.totalSize} bytes does not fit at ${pos} in ${target.length} bytes`);
  }
}

function byteLength(v: string | Uint8Array): number {
  if (typeof v !== 'string') return v.length;
  return v.length <= SHORT_ASCII ? shortUtf8Length(v) : Buffer.byteLength(v, 'utf8');
}

/** Buffer.byteLength(s, 'utf8') of a short string (a topic) without a call into the binding. */
function shortUtf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3; // other BMP chars, and lone surrogates (written as U+FFFD)
  }
  return n;
}

function endsWithSeparator(v: string | Uint8Array): boolean {
  return typeof v === 'string' ? v.endsWith(PROPERTY_SEPARATOR) : v[v.length - 1] === PROPERTY_SEPARATOR_BYTE;
}

/**
 * Writes `v` at `pos` (checkEncodable made sure it fits). `utf8Length`, when known (else -1), is its
 * UTF-8 byte length: equal to the string's length only if every char is ASCII, which then needs no
 * UTF-8 encoding at all.
 */
function writeText(target: Buffer, pos: number, v: string | Uint8Array, utf8Length = -1): number {
  if (typeof v === 'string') {
    if (v.length === 0) return 0;
    if (!hasNativeWrites) return target.write(v, pos, 'utf8');
    if (utf8Length === v.length && utf8Length <= SHORT_ASCII) {
      for (let i = 0; i < utf8Length; i++) target[pos + i] = v.charCodeAt(i);
      return utf8Length;
    }
    const b = target as unknown as NodeBufferWrites;
    return utf8Length === v.length ? b.latin1Write(v, pos, utf8Length) : b.utf8Write(v, pos, target.length - pos);
  }
  target.set(v, pos);
  return v.length;
}

/** ASCII strings up to this long (topics) are copied by a loop: cheaper than a call into the binding. */
const SHORT_ASCII = 32;

/** Node's Buffer has utf8Write / latin1Write (where write(string, offset, encoding) ends up), undeclared in its types. */
interface NodeBufferWrites {
  utf8Write(s: string, offset: number, length: number): number;
  latin1Write(s: string, offset: number, length: number): number;
}
const hasNativeWrites =
  typeof (Buffer.prototype as unknown as Partial<NodeBufferWrites>).utf8Write === 'function' &&
  typeof (Buffer.prototype as unknown as Partial<NodeBufferWrites>).latin1Write === 'function';

/**
 * The encoded bytes of the last address written in one field: a store writes the same storeHost, and
 * a connection's producer the same bornHost, into record after record.
 */
class SocketAddressCache {
  private host = '';
  private port = -1;
  private readonly bytes = Buffer.alloc(IPV6_SOCKET_ADDRESS_LENGTH);
  private length = 0;

  write(target: Buffer, pos: number, addr: SocketAddress): number {
    if (addr.host !== this.host || addr.port !== this.port) {
      this.length = writeSocketAddress(this.bytes, 0, addr);
      this.host = addr.host;
      this.port = addr.port;
    }
    const n = this.length;
    const b = this.bytes;
    for (let i = 0; i < n; i++) target[pos + i] = b[i]!;
    return n;
  }
}

const bornHostCache = new SocketAddressCache();
const storeHostCache = new SocketAddressCache();
