import { RemotingCommandException } from '../errors.js';

/*
 * Offsets and timestamps are `number` in TypeScript and Java `long` only at the codec boundary. These
 * write/read int64 big-endian as two int32 halves: no BigInt allocation on the store's hot path.
 */

const TWO_POW_32 = 0x1_0000_0000;

/** Writes a safe integer (negative allowed) as a big-endian int64. */
export function writeInt64BE(buf: Buffer, value: number, pos: number): void {
  const hi = Math.floor(value / TWO_POW_32);
  buf.writeInt32BE(hi | 0, pos);
  buf.writeUInt32BE(value - hi * TWO_POW_32, pos + 4);
}

/** Reads a big-endian int64; throws if it is not a safe integer (no silent precision loss). */
export function readInt64BE(buf: Buffer, pos: number): number {
  const value = buf.readInt32BE(pos) * TWO_POW_32 + buf.readUInt32BE(pos + 4);
  if (!Number.isSafeInteger(value)) {
    throw new RemotingCommandException(`int64 at ${pos} is outside the safe integer range`);
  }
  return value;
}
