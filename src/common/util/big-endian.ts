/*
 * Big-endian int32/int64 at positions the caller already knows to lie within the buffer, for the
 * fixed-size fields written or read once per message (records, ConsumeQueue units, index entries).
 * Buffer's read/write*BE methods re-check value and offset on every call; these are plain byte
 * loads and stores. The checked int64 codec of the wire is in message/int64.ts.
 */

const TWO_POW_32 = 0x1_0000_0000;

/** int32 (or uint32) at `p`. */
export function putInt32(b: Buffer, p: number, v: number): void {
  b[p] = v >>> 24;
  b[p + 1] = v >>> 16;
  b[p + 2] = v >>> 8;
  b[p + 3] = v;
}

/** A safe integer (negative allowed) as int64 at `p`: the bytes writeInt64BE writes. */
export function putInt64(b: Buffer, p: number, v: number): void {
  const hi = Math.floor(v / TWO_POW_32);
  putInt32(b, p, hi | 0);
  putInt32(b, p + 4, v - hi * TWO_POW_32);
}

/** The int32 at `p`. */
export function getInt32(b: Buffer, p: number): number {
  return (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
}

/** The int64 at `p` as a number; it may be beyond the safe integers: the caller checks. */
export function getInt64(b: Buffer, p: number): number {
  return getInt32(b, p) * TWO_POW_32 + (getInt32(b, p + 4) >>> 0);
}
