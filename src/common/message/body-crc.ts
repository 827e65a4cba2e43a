import zlib from 'node:zlib';

/**
 * The record's BODYCRC: java.util.zip.CRC32 (CRC-32/IEEE, what zlib computes) of the body as stored
 * (compressed bytes when compressed), masked to 31 bits by UtilAll.crc32 so it fits a positive int.
 */
export const BODY_CRC_MASK = 0x7fffffff;

export function bodyCRC(body: Uint8Array): number {
  return (zlib.crc32(body) & BODY_CRC_MASK) >>> 0;
}
