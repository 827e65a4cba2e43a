/*
 * Big-endian stores for the store's fixed-size units (ConsumeQueue units, index entries), written
 * once per dispatched message. Buffer's write*BE methods re-check value and offset on every call;
 * these do plain byte stores, for positions the caller already knows to lie within the buffer.
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
