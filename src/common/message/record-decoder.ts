import { RemotingCommandException } from '../errors.js';
import { getInt32, getInt64 } from '../util/big-endian.js';
import { bodyCRC as computeBodyCRC } from './body-crc.js';
import { decompressBody } from './compression.js';
import { readInt64BE } from './int64.js';
import { MessageConst } from './message-const.js';
import { MessageExt } from './message-ext.js';
import { isBornHostV6, isStoreHostV6 } from './message-sys-flag.js';
import { LazyPropertiesMap, NAME_VALUE_SEPARATOR, PROPERTY_SEPARATOR, string2messageProperties } from './properties-codec.js';
import {
  BLANK_MAGIC_CODE,
  BODY_CRC_POSITION,
  BORN_HOST_POSITION,
  BORN_TIMESTAMP_POSITION,
  END_FILE_MIN_BLANK_LENGTH,
  MESSAGE_FLAG_POSTION,
  MESSAGE_MAGIC_CODE,
  MESSAGE_MAGIC_CODE_POSTION,
  PHY_POS_POSITION,
  QUEUE_ID_POSITION,
  QUEUE_OFFSET_POSITION,
  RECORD_FIXED_LENGTH_V4,
  SYSFLAG_POSITION,
  bodyLengthPosition,
  calMsgLength,
  reconsumeTimesPosition,
  storeHostPosition,
  storeTimestampPosition,
} from './record-layout.js';
import { readSocketAddress } from './socket-address.js';

/** Why bytes are not a valid record. */
export type RecordCorruption = 'TRUNCATED' | 'BAD_MAGIC' | 'SIZE_MISMATCH' | 'CRC_MISMATCH' | 'MALFORMED';

/**
 * What recovery and the reput (dispatch) service need from a record, read without touching the body
 * (Java's DispatchRequest, built by CommitLog.checkMessageAndReturnSize).
 */
export interface DispatchRequest {
  readonly topic: string;
  readonly queueId: number;
  readonly commitLogOffset: number;
  readonly msgSize: number;
  /**
   * TAGS's hash (0 without tags). For SCHEDULE_TOPIC_XXXX records the store replaces it with the
   * deliver timestamp, computed from `propertiesMap.get('DELAY')` and its delay-level table.
   */
  readonly tagsCode: number;
  readonly storeTimestamp: number;
  readonly queueOffset: number;
  /** KEYS ('' when absent, as in Java). */
  readonly keys: string;
  readonly uniqKey: string | undefined;
  readonly sysFlag: number;
  readonly preparedTransactionOffset: number;
  readonly bodyCRC: number;
  readonly propertiesMap: ReadonlyMap<string, string>;
}

export type RecordCheckResult =
  | { readonly status: 'MESSAGE'; readonly size: number; readonly dispatch: DispatchRequest }
  /** The end-of-file BLANK record; `size` = its TOTALSIZE = the bytes left in the file from here. */
  | { readonly status: 'BLANK'; readonly size: number }
  /** Only zeros where a record would start: the end of written data. */
  | { readonly status: 'END' }
  | { readonly status: 'CORRUPT'; readonly reason: RecordCorruption; readonly message: string };

export interface CheckOptions {
  /** Verify BODYCRC (MessageStoreConfig.checkCRCOnRecover, default true there). Default false. */
  readonly checkCRC?: boolean;
}

/**
 * CommitLog.checkMessageAndReturnSize: reads the record at `buf[pos]` (which must lie within `buf`)
 * up to its properties, checks magic and that TOTALSIZE equals the size its lengths imply, and
 * returns a DispatchRequest. Never throws for bad bytes, never reads past `buf`.
 */
export function checkMessageAndReturnSize(buf: Buffer, pos: number, options: CheckOptions = {}): RecordCheckResult {
  const layout = readLayout(buf, pos);
  if (layout.status !== 'OK') return layout;
  const { sysFlag, bodyPos, bodyLength, topicPos, topicLength, propertiesPos, propertiesLength, size } = layout;
  const storedCRC = buf.readInt32BE(pos + BODY_CRC_POSITION);
  if (options.checkCRC === true) {
    const crc = computeBodyCRC(buf.subarray(bodyPos, bodyPos + bodyLength));
    if (crc !== storedCRC) {
      return corrupt('CRC_MISMATCH', `body CRC ${crc} differs from the stored ${storedCRC} in the record at ${pos}`);
    }
  }
  const properties = propertiesLength === 0 ? '' : utf8Slice(buf, propertiesPos, propertiesPos + propertiesLength);
  // readLayout checked that the fixed fields lie within the record: read them without bound checks.
  const commitLogOffset = getInt64(buf, pos + PHY_POS_POSITION);
  const queueOffset = getInt64(buf, pos + QUEUE_OFFSET_POSITION);
  const storeTimestamp = getInt64(buf, pos + storeTimestampPosition(sysFlag));
  const preparedTransactionOffset = getInt64(buf, pos + reconsumeTimesPosition(sysFlag) + 4);
  if (!Number.isSafeInteger(commitLogOffset) || !Number.isSafeInteger(queueOffset) || !Number.isSafeInteger(storeTimestamp) || !Number.isSafeInteger(preparedTransactionOffset)) {
    return corrupt('MALFORMED', `an int64 field is outside the safe integer range in the record at ${pos}`);
  }
  const topic = utf8Slice(buf, topicPos, topicPos + topicLength);
  const queueId = getInt32(buf, pos + QUEUE_ID_POSITION);
  const dispatch = dispatchRequestOf(topic, queueId, commitLogOffset, size, storeTimestamp, queueOffset, sysFlag, preparedTransactionOffset, storedCRC, properties);
  return { status: 'MESSAGE', size, dispatch };
}

/**
 * The DispatchRequest of a record holding these fields and this PROPERTIES string (as decoded from the
 * record): what checkMessageAndReturnSize returns for the record's bytes. The store also builds it
 * when it appends, from the values it has just written.
 */
export function dispatchRequestOf(
  topic: string,
  queueId: number,
  commitLogOffset: number,
  msgSize: number,
  storeTimestamp: number,
  queueOffset: number,
  sysFlag: number,
  preparedTransactionOffset: number,
  bodyCRC: number,
  properties: string,
): DispatchRequest {
  // Only TAGS, KEYS and UNIQ_KEY are read here; the whole map is parsed if a listener asks for it.
  scanDispatchProperties(properties);
  const dispatch: DispatchRequest = {
    topic,
    queueId,
    commitLogOffset,
    msgSize,
    tagsCode: scanned.tagsCode,
    storeTimestamp,
    queueOffset,
    keys: scanned.keys ?? '',
    uniqKey: scanned.uniqKey,
    sysFlag,
    preparedTransactionOffset,
    bodyCRC,
    propertiesMap: new LazyPropertiesMap(properties),
  };
  scanned.keys = scanned.uniqKey = undefined;
  scanned.tagsCode = 0;
  return dispatch;
}

export interface DecodeOptions {
  /** Default true; false leaves `body` empty (Java's readBody=false). */
  readonly readBody?: boolean;
  /** Inflate compressed bodies (the client does; the broker does not). Default false. */
  readonly decompressBody?: boolean;
  /** Verify BODYCRC. Default false (Java's decoders never check it). */
  readonly checkCRC?: boolean;
}

/**
 * Decodes the whole record at `buf[pos]` into a MessageExt (Java's MessageDecoder.decode). The body is
 * copied out of `buf` (a pull buffer is not kept alive by its messages). The exact properties string
 * is kept, so `encodeMessageExt` reproduces the record byte for byte while properties are unchanged.
 * Throws RemotingCommandException for anything but a valid message record.
 */
export function decodeRecord(buf: Buffer, pos: number, options: DecodeOptions = {}): MessageExt {
  const layout = readLayout(buf, pos);
  if (layout.status !== 'OK') {
    const why = layout.status === 'CORRUPT' ? layout.message : layout.status === 'BLANK' ? `a BLANK record at ${pos}` : `no record at ${pos}`;
    throw new RemotingCommandException(`cannot decode message record: ${why}`);
  }
  const { sysFlag, bodyPos, bodyLength, topicPos, topicLength, propertiesPos, propertiesLength, size } = layout;
  const msg = new MessageExt(buf.toString('utf8', topicPos, topicPos + topicLength));
  msg.storeSize = size;
  msg.bodyCRC = buf.readInt32BE(pos + BODY_CRC_POSITION);
  msg.queueId = buf.readInt32BE(pos + QUEUE_ID_POSITION);
  msg.flag = buf.readInt32BE(pos + MESSAGE_FLAG_POSTION);
  msg.queueOffset = readInt64BE(buf, pos + QUEUE_OFFSET_POSITION);
  msg.commitLogOffset = readInt64BE(buf, pos + PHY_POS_POSITION);
  msg.sysFlag = sysFlag;
  msg.bornTimestamp = readInt64BE(buf, pos + BORN_TIMESTAMP_POSITION);
  msg.bornHost = readSocketAddress(buf, pos + BORN_HOST_POSITION, isBornHostV6(sysFlag));
  msg.storeTimestamp = readInt64BE(buf, pos + storeTimestampPosition(sysFlag));
  msg.storeHost = readSocketAddress(buf, pos + storeHostPosition(sysFlag), isStoreHostV6(sysFlag));
  const reconsumePos = pos + reconsumeTimesPosition(sysFlag);
  msg.reconsumeTimes = buf.readInt32BE(reconsumePos);
  msg.preparedTransactionOffset = readInt64BE(buf, reconsumePos + 4);
  const stored = buf.subarray(bodyPos, bodyPos + bodyLength);
  if (options.checkCRC === true && computeBodyCRC(stored) !== msg.bodyCRC) {
    throw new RemotingCommandException(`body CRC mismatch in the record at ${pos} (stored ${msg.bodyCRC})`);
  }
  if (options.readBody !== false && bodyLength > 0) {
    msg.body = options.decompressBody === true ? decompressBody(Buffer.from(stored), sysFlag) : Buffer.from(stored);
  }
  if (propertiesLength > 0) {
    const raw = buf.toString('utf8', propertiesPos, propertiesPos + propertiesLength);
    msg.adoptProperties(string2messageProperties(raw), raw);
  }
  return msg;
}

/**
 * Java's MessageDecoder.decodes: all records of a pull / query body, in order. Unlike Java, which
 * silently stops at the first bad record, this throws RemotingCommandException naming its position.
 */
export function decodes(body: Buffer, options: DecodeOptions = {}): MessageExt[] {
  const out: MessageExt[] = [];
  let pos = 0;
  while (pos < body.length) {
    const msg = decodeRecord(body, pos, options);
    out.push(msg);
    pos += msg.storeSize; // ≥ RECORD_FIXED_LENGTH_V4 > 0: always progresses
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

interface Layout {
  readonly status: 'OK';
  readonly size: number;
  readonly sysFlag: number;
  readonly bodyPos: number;
  readonly bodyLength: number;
  readonly topicPos: number;
  readonly topicLength: number;
  readonly propertiesPos: number;
  readonly propertiesLength: number;
}

type LayoutResult = Layout | Exclude<RecordCheckResult, { status: 'MESSAGE' }>;

/** Locates a record's parts, checking every length against the record and the buffer before use. */
function readLayout(buf: Buffer, pos: number): LayoutResult {
  const available = buf.length - pos;
  if (pos < 0 || available <= 0) return { status: 'END' };
  if (available < END_FILE_MIN_BLANK_LENGTH) {
    return isZero(buf, pos, buf.length) ? { status: 'END' } : corrupt('TRUNCATED', `${available} bytes at ${pos} are too few for a record`);
  }
  const size = buf.readInt32BE(pos);
  const magic = buf.readInt32BE(pos + MESSAGE_MAGIC_CODE_POSTION);
  if (magic === BLANK_MAGIC_CODE) return { status: 'BLANK', size };
  if (magic !== MESSAGE_MAGIC_CODE) {
    if (size === 0 && magic === 0) return { status: 'END' };
    return corrupt('BAD_MAGIC', `illegal magic code 0x${(magic >>> 0).toString(16)} at ${pos}`);
  }
  if (size < RECORD_FIXED_LENGTH_V4) return corrupt('MALFORMED', `total size ${size} at ${pos} is below the minimum ${RECORD_FIXED_LENGTH_V4}`);
  if (size > available) return corrupt('TRUNCATED', `record at ${pos} claims ${size} bytes, ${available} available`);
  const end = pos + size;
  const sysFlag = buf.readInt32BE(pos + SYSFLAG_POSITION);
  const bodyLenPos = pos + bodyLengthPosition(sysFlag);
  if (bodyLenPos + 4 > end) return sizeMismatch(pos, size, 'its hosts');
  const bodyLength = buf.readInt32BE(bodyLenPos);
  const bodyPos = bodyLenPos + 4;
  if (bodyLength < 0) return corrupt('MALFORMED', `negative body length ${bodyLength} in the record at ${pos}`);
  if (bodyPos + bodyLength + 1 > end) return sizeMismatch(pos, size, `a body of ${bodyLength} bytes`);
  const topicLength = buf.readInt8(bodyPos + bodyLength);
  const topicPos = bodyPos + bodyLength + 1;
  if (topicLength < 0) return corrupt('MALFORMED', `negative topic length ${topicLength} in the record at ${pos}`);
  if (topicPos + topicLength + 2 > end) return sizeMismatch(pos, size, `a topic of ${topicLength} bytes`);
  const propertiesLength = buf.readInt16BE(topicPos + topicLength);
  const propertiesPos = topicPos + topicLength + 2;
  if (propertiesLength < 0) return corrupt('MALFORMED', `negative properties length ${propertiesLength} in the record at ${pos}`);
  const expected = calMsgLength(sysFlag, bodyLength, topicLength, propertiesLength);
  if (expected !== size) return sizeMismatch(pos, size, `lengths adding up to ${expected}`);
  return { status: 'OK', size, sysFlag, bodyPos, bodyLength, topicPos, topicLength, propertiesPos, propertiesLength };
}

function sizeMismatch(pos: number, size: number, what: string): RecordCheckResult & { status: 'CORRUPT' } {
  return corrupt('SIZE_MISMATCH', `record at ${pos} has total size ${size} but ${what}`);
}

function corrupt(reason: RecordCorruption, message: string): RecordCheckResult & { status: 'CORRUPT' } {
  return { status: 'CORRUPT', reason, message };
}

function isZero(buf: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (buf[i] !== 0) return false;
  return true;
}

/** Node's Buffer has utf8Slice (where toString('utf8', start, end) ends up), undeclared in its types. */
interface NodeBufferSlices {
  utf8Slice(start: number, end: number): string;
}
const hasUtf8Slice = typeof (Buffer.prototype as unknown as Partial<NodeBufferSlices>).utf8Slice === 'function';

/** buf.toString('utf8', start, end) for a range already checked to lie within `buf`, minus toString's argument handling. */
function utf8Slice(buf: Buffer, start: number, end: number): string {
  return hasUtf8Slice ? (buf as unknown as NodeBufferSlices).utf8Slice(start, end) : buf.toString('utf8', start, end);
}

/** What scanDispatchProperties found (module scratch: the decoder is synchronous). */
/** TAGS is only needed as its tagsCode: hashed in place, no substring. */
const scanned: { tagsCode: number; keys: string | undefined; uniqKey: string | undefined } = { tagsCode: 0, keys: undefined, uniqKey: undefined };

/**
 * One pass over a properties string for the three values a DispatchRequest carries, with the rules of
 * string2messageProperties (a segment counts when its first \u0001 ends a non-empty key and starts a
 * non-empty value; a later duplicate wins), without building its map.
 */
function scanDispatchProperties(properties: string): void {
  const len = properties.length;
  let index = 0;
  while (index < len) {
    let end = properties.indexOf(PROPERTY_SEPARATOR, index);
    if (end < 0) end = len;
    const kv = properties.indexOf(NAME_VALUE_SEPARATOR, index);
    if (kv > index && kv < end - 1) {
      const keyLength = kv - index;
      if (keyLength === 4) {
        if (properties.startsWith(MessageConst.PROPERTY_TAGS, index)) scanned.tagsCode = javaStringHashCodeOfRange(properties, kv + 1, end);
        else if (properties.startsWith(MessageConst.PROPERTY_KEYS, index)) scanned.keys = properties.substring(kv + 1, end);
      } else if (keyLength === UNIQ_KEY_LENGTH && properties.startsWith(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX, index)) {
        scanned.uniqKey = properties.substring(kv + 1, end);
      }
    }
    index = end + 1;
  }
}

/** tagsString2tagsCode(s.substring(begin, end)) for a non-empty range: Java's String.hashCode. */
function javaStringHashCodeOfRange(s: string, begin: number, end: number): number {
  let h = 0;
  for (let i = begin; i < end; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

const UNIQ_KEY_LENGTH = MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX.length;

