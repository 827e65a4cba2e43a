import { readInt64BE, writeInt64BE } from '../../../common/message/int64.js';

/*
 * IndexHeader (PROTOCOL.md §6.4), the first 40 bytes of an IndexFile:
 *
 *   0               8               16              24              32      36      40
 *   +---------------+---------------+---------------+---------------+-------+-------+
 *   | beginTimestamp| endTimestamp  | beginPhyOffset| endPhyOffset  | slots | count |
 *   +---------------+---------------+---------------+---------------+-------+-------+
 *     int64 BE        int64 BE        int64 BE        int64 BE       int32   int32
 *
 * `hashSlotCount` = slots in use; `indexCount` = next entry number, starting at 1 because entry #0
 * doubles as "no entry" in the slot table and in prevIndex links.
 */

export const INDEX_HEADER_SIZE = 40;
const BEGIN_TIMESTAMP_INDEX = 0;
const END_TIMESTAMP_INDEX = 8;
const BEGIN_PHYOFFSET_INDEX = 16;
const END_PHYOFFSET_INDEX = 24;
const HASH_SLOTCOUNT_INDEX = 32;
const INDEX_COUNT_INDEX = 36;
/** The first entry number; #0 is the "invalid index" marker. */
export const FIRST_INDEX_COUNT = 1;

/** The header held in memory; the file's copy is rewritten from it on every flush. */
export class IndexHeader {
  beginTimestamp = 0;
  endTimestamp = 0;
  beginPhyOffset = 0;
  endPhyOffset = 0;
  hashSlotCount = 0;
  indexCount = FIRST_INDEX_COUNT;

  /** IndexHeader.load: an indexCount ≤ 0 (a never-written header) reads as 1. */
  static decode(buf: Buffer, pos = 0): IndexHeader {
    const h = new IndexHeader();
    h.beginTimestamp = readInt64BE(buf, pos + BEGIN_TIMESTAMP_INDEX);
    h.endTimestamp = readInt64BE(buf, pos + END_TIMESTAMP_INDEX);
    h.beginPhyOffset = readInt64BE(buf, pos + BEGIN_PHYOFFSET_INDEX);
    h.endPhyOffset = readInt64BE(buf, pos + END_PHYOFFSET_INDEX);
    h.hashSlotCount = buf.readInt32BE(pos + HASH_SLOTCOUNT_INDEX);
    h.indexCount = buf.readInt32BE(pos + INDEX_COUNT_INDEX);
    if (h.indexCount <= 0) h.indexCount = FIRST_INDEX_COUNT;
    return h;
  }

  /** IndexHeader.updateByteBuffer into a fresh 40-byte buffer. */
  encode(): Buffer {
    const buf = Buffer.alloc(INDEX_HEADER_SIZE);
    this.encodeInto(buf, 0);
    return buf;
  }

  encodeInto(buf: Buffer, pos: number): void {
    writeInt64BE(buf, this.beginTimestamp, pos + BEGIN_TIMESTAMP_INDEX);
    writeInt64BE(buf, this.endTimestamp, pos + END_TIMESTAMP_INDEX);
    writeInt64BE(buf, this.beginPhyOffset, pos + BEGIN_PHYOFFSET_INDEX);
    writeInt64BE(buf, this.endPhyOffset, pos + END_PHYOFFSET_INDEX);
    buf.writeInt32BE(this.hashSlotCount, pos + HASH_SLOTCOUNT_INDEX);
    buf.writeInt32BE(this.indexCount, pos + INDEX_COUNT_INDEX);
  }
}
