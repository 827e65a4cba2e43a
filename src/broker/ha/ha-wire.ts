/*
 * The classic (4.x) HA channel: plain TCP, not remoting-framed. The slave writes its CommitLog max
 * offset as one big-endian int64; the master writes transfers of a 12-byte header (int64 physical
 * offset of the first data byte, int32 data size) followed by the data. A header with size 0 is a
 * heartbeat: it still carries the offset the master would send next, which the slave checks.
 */

/** int64 phyOffset + int32 bodySize. */
export const TRANSFER_HEADER_SIZE = 8 + 4;
/** One slave report: int64 max offset. */
export const REPORT_SIZE = 8;

export interface TransferHeader {
  readonly phyOffset: number;
  readonly bodySize: number;
}

export function encodeTransferHeader(phyOffset: number, bodySize: number): Buffer {
  const b = Buffer.allocUnsafe(TRANSFER_HEADER_SIZE);
  b.writeBigInt64BE(BigInt(phyOffset), 0);
  b.writeInt32BE(bodySize, 8);
  return b;
}

export function decodeTransferHeader(buf: Buffer, pos: number): TransferHeader {
  return { phyOffset: Number(buf.readBigInt64BE(pos)), bodySize: buf.readInt32BE(pos + 8) };
}

export function encodeReport(maxOffset: number): Buffer {
  const b = Buffer.allocUnsafe(REPORT_SIZE);
  b.writeBigInt64BE(BigInt(maxOffset), 0);
  return b;
}

/**
 * The master's reading of a report stream (HAConnection.ReadSocketService): only the last whole
 * 8-byte report counts, older ones are superseded. Returns that offset and how many bytes were used
 * (a multiple of 8), or undefined if no whole report is buffered.
 */
export function lastReport(buf: Buffer): { offset: number; consumed: number } | undefined {
  const consumed = buf.length - (buf.length % REPORT_SIZE);
  if (consumed === 0) return undefined;
  return { offset: Number(buf.readBigInt64BE(consumed - REPORT_SIZE)), consumed };
}
