import { RemotingCommandException } from '../errors.js';
import { bodyCRC } from './body-crc.js';
import { Message } from './message.js';
import type { MessageExtBatch } from './message-ext-broker-inner.js';
import { MAX_PROPERTIES_LENGTH, string2messageProperties } from './properties-codec.js';
import { encodeRecord, measureRecord, type RecordEncodeInput } from './record-encoder.js';

/*
 * The SEND_BATCH_MESSAGE body (Java's MessageDecoder.encodeMessages / decodeMessages, PROTOCOL.md §4.8):
 * messages one after another, each
 *
 *   +-----------+---------------+------------+-----------+---------+------+-------------+------------+
 *   | TOTALSIZE | MAGICCODE = 0 | BODYCRC = 0 | FLAG      | BODYLEN | BODY | PROPSLEN    | PROPERTIES |
 *   | int32     | int32 unused  | int32 unused| int32     | int32   |      | int16       | UTF-8      |
 *   +-----------+---------------+------------+-----------+---------+------+-------------+------------+
 *
 * The broker splits it into one CommitLog record per message (consecutive queue offsets), each with
 * the message's own properties followed by the batch's (CommitLog.MessageExtEncoder).
 */

/** TOTALSIZE + MAGICCODE + BODYCRC + FLAG + BODYLEN + PROPSLEN of one batch entry. */
export const BATCH_ENTRY_FIXED_LENGTH = 4 + 4 + 4 + 4 + 4 + 2;

/** The batch body of `messages` (their flag, body and properties, in Java's property order). */
export function encodeMessages(messages: readonly Message[]): Buffer {
  const props = messages.map((m) => Buffer.from(m.propertiesString(), 'utf8'));
  let total = 0;
  messages.forEach((m, i) => {
    const propsLength = (props[i] as Buffer).length;
    if (propsLength > MAX_PROPERTIES_LENGTH) {
      throw new RemotingCommandException(`properties of batch message ${i} are ${propsLength} bytes, more than ${MAX_PROPERTIES_LENGTH}`);
    }
    total += BATCH_ENTRY_FIXED_LENGTH + m.body.length + propsLength;
  });
  const out = Buffer.allocUnsafe(total);
  let pos = 0;
  messages.forEach((m, i) => {
    const p = props[i] as Buffer;
    const size = BATCH_ENTRY_FIXED_LENGTH + m.body.length + p.length;
    out.writeInt32BE(size, pos);
    out.writeInt32BE(0, pos + 4);
    out.writeInt32BE(0, pos + 8);
    out.writeInt32BE(m.flag | 0, pos + 12);
    out.writeInt32BE(m.body.length, pos + 16);
    out.set(m.body, pos + 20);
    out.writeInt16BE(p.length, pos + 20 + m.body.length);
    out.set(p, pos + 22 + m.body.length);
    pos += size;
  });
  return out;
}

/** One entry of a batch body: views into the body, no copies. */
export interface BatchEntry {
  readonly totalSize: number;
  readonly flag: number;
  readonly body: Buffer;
  /** The entry's properties, UTF-8. */
  readonly properties: Buffer;
}

/**
 * Walks a batch body entry by entry. Throws RemotingCommandException on a malformed entry (lengths
 * that do not fit the body or disagree with TOTALSIZE); never reads past the body.
 */
export function* readBatchEntries(batchBody: Buffer): Generator<BatchEntry, void, undefined> {
  let pos = 0;
  while (pos < batchBody.length) {
    const left = batchBody.length - pos;
    if (left < BATCH_ENTRY_FIXED_LENGTH) throw malformed(pos, `only ${left} bytes left`);
    const totalSize = batchBody.readInt32BE(pos);
    const bodyLength = batchBody.readInt32BE(pos + 16);
    if (bodyLength < 0 || bodyLength > left - BATCH_ENTRY_FIXED_LENGTH) throw malformed(pos, `body length ${bodyLength}`);
    const propsPos = pos + 22 + bodyLength;
    const propsLength = batchBody.readInt16BE(propsPos - 2);
    if (propsLength < 0 || propsPos + propsLength > batchBody.length) throw malformed(pos, `properties length ${propsLength}`);
    const size = BATCH_ENTRY_FIXED_LENGTH + bodyLength + propsLength;
    if (totalSize !== size) throw malformed(pos, `total size ${totalSize}, lengths add up to ${size}`);
    yield {
      totalSize,
      flag: batchBody.readInt32BE(pos + 12),
      body: batchBody.subarray(pos + 20, pos + 20 + bodyLength),
      properties: batchBody.subarray(propsPos, propsPos + propsLength),
    };
    pos += size;
  }
}

/** Java's decodeMessages: the batch's messages (topic ''; the batch header carries it). */
export function decodeMessages(batchBody: Buffer, topic = ''): Message[] {
  const out: Message[] = [];
  for (const e of readBatchEntries(batchBody)) {
    const msg = new Message(topic, Buffer.from(e.body));
    msg.flag = e.flag;
    const raw = e.properties.toString('utf8');
    msg.adoptProperties(string2messageProperties(raw), raw);
    out.push(msg);
  }
  return out;
}

/** Where and how a batch's records are appended. */
export interface BatchAppend {
  /** QUEUEOFFSET of the first record; the next ones follow by 1. */
  readonly queueOffset: number;
  /** PHYSICALOFFSET of the first record, i.e. of `target[pos]`; the next ones follow by record size. */
  readonly commitLogOffset: number;
  readonly storeTimestamp: number;
}

export interface BatchRecordsResult {
  readonly count: number;
  /** Bytes written. */
  readonly totalSize: number;
  /** PHYSICALOFFSET of each record (for the offset msgIds of the send response). */
  readonly commitLogOffsets: number[];
}

/** Measures the records a batch splits into: their count and total bytes, to check file space first. */
export function measureBatchRecords(batch: MessageExtBatch): { count: number; totalSize: number } {
  const batchProperties = batch.propertiesString();
  const zero: BatchAppend = { queueOffset: 0, commitLogOffset: 0, storeTimestamp: 0 };
  let count = 0;
  let totalSize = 0;
  for (const entry of readBatchEntries(batch.body)) {
    totalSize += measureRecord(batchRecordInput(batch, entry, zero, batchProperties)).totalSize;
    count++;
  }
  return { count, totalSize };
}

/**
 * Splits `batch` into CommitLog records written at `target[pos]` (CommitLog.MessageExtEncoder's batch
 * path): each gets the batch's queueId, sysFlag, born/store hosts and timestamps, its own flag, body
 * and BODYCRC, preparedTransactionOffset 0, and its own properties followed by the batch's.
 */
export function encodeBatchRecords(target: Buffer, pos: number, batch: MessageExtBatch, append: BatchAppend): BatchRecordsResult {
  const batchProperties = batch.propertiesString();
  const commitLogOffsets: number[] = [];
  let p = pos;
  let queueOffset = append.queueOffset;
  for (const entry of readBatchEntries(batch.body)) {
    const input = batchRecordInput(batch, entry, { ...append, queueOffset, commitLogOffset: append.commitLogOffset + (p - pos) }, batchProperties);
    commitLogOffsets.push(input.commitLogOffset);
    p += encodeRecord(target, p, input);
    queueOffset++;
  }
  return { count: commitLogOffsets.length, totalSize: p - pos, commitLogOffsets };
}

function batchRecordInput(batch: MessageExtBatch, entry: BatchEntry, append: BatchAppend, batchProperties: string): RecordEncodeInput {
  return {
    bodyCRC: bodyCRC(entry.body),
    queueId: batch.queueId,
    flag: entry.flag,
    queueOffset: append.queueOffset,
    commitLogOffset: append.commitLogOffset,
    sysFlag: batch.sysFlag,
    bornTimestamp: batch.bornTimestamp,
    bornHost: batch.bornHost,
    storeTimestamp: append.storeTimestamp,
    storeHost: batch.storeHost,
    reconsumeTimes: batch.reconsumeTimes,
    preparedTransactionOffset: 0,
    body: entry.body,
    topic: batch.topic,
    properties: entry.properties,
    appendProperties: batchProperties === '' ? undefined : batchProperties,
  };
}

function malformed(pos: number, what: string): RemotingCommandException {
  return new RemotingCommandException(`malformed batch body at ${pos}: ${what}`);
}
