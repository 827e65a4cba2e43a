import { RemotingCommandException } from '../errors.js';

/**
 * The record's SYSFLAG int32 (Java's MessageSysFlag, PROTOCOL.md §4.3):
 *
 *   bit  10..8            7      6      5          4         3..2        1           0
 *      COMPRESSION_TYPE  INNER  UNWRAP STOREHOST  BORNHOST  TRANSACTION MULTI_TAGS  COMPRESSED
 *                        BATCH         V6         V6        TYPE
 */
export const MessageSysFlag = {
  COMPRESSED_FLAG: 0x1,
  MULTI_TAGS_FLAG: 0x1 << 1,
  TRANSACTION_NOT_TYPE: 0,
  TRANSACTION_PREPARED_TYPE: 0x1 << 2,
  TRANSACTION_COMMIT_TYPE: 0x2 << 2,
  TRANSACTION_ROLLBACK_TYPE: 0x3 << 2,
  BORNHOST_V6_FLAG: 0x1 << 4,
  STOREHOSTADDRESS_V6_FLAG: 0x1 << 5,
  /** 5.x inner batch; never set by 4.9. */
  NEED_UNWRAP_FLAG: 0x1 << 6,
  /** 5.x inner batch; never set by 4.9. */
  INNER_BATCH_FLAG: 0x1 << 7,
  COMPRESSION_LZ4_TYPE: 0x1 << 8,
  COMPRESSION_ZSTD_TYPE: 0x2 << 8,
  COMPRESSION_ZLIB_TYPE: 0x3 << 8,
  COMPRESSION_TYPE_COMPARATOR: 0x7 << 8,
} as const;

/** Java's CompressionType values (bits 8..10 of the sysFlag). 0 = written by a pre-4.9.4 client: zlib. */
export const CompressionType = { LZ4: 1, ZSTD: 2, ZLIB: 3 } as const;
export type CompressionType = (typeof CompressionType)[keyof typeof CompressionType];

const F = MessageSysFlag;

export function getTransactionValue(flag: number): number {
  return flag & F.TRANSACTION_ROLLBACK_TYPE;
}

export function resetTransactionValue(flag: number, type: number): number {
  return (flag & ~F.TRANSACTION_ROLLBACK_TYPE) | type;
}

export function clearCompressedFlag(flag: number): number {
  return flag & ~F.COMPRESSED_FLAG;
}

export function isCompressed(flag: number): boolean {
  return (flag & F.COMPRESSED_FLAG) !== 0;
}

export function isBornHostV6(flag: number): boolean {
  return (flag & F.BORNHOST_V6_FLAG) !== 0;
}

export function isStoreHostV6(flag: number): boolean {
  return (flag & F.STOREHOSTADDRESS_V6_FLAG) !== 0;
}

/**
 * The compression type of a compressed body. Like Java's CompressionType.findByValue, type 0 means
 * zlib (clients before 4.9.4 set only COMPRESSED_FLAG); 4..7 are unknown and rejected.
 */
export function getCompressionType(flag: number): CompressionType {
  const value = (flag & F.COMPRESSION_TYPE_COMPARATOR) >> 8;
  switch (value) {
    case 0:
    case CompressionType.ZLIB:
      return CompressionType.ZLIB;
    case CompressionType.LZ4:
      return CompressionType.LZ4;
    case CompressionType.ZSTD:
      return CompressionType.ZSTD;
    default:
      throw new RemotingCommandException(`unknown compression type ${value} in sysFlag 0x${flag.toString(16)}`);
  }
}

/** The sysFlag bits a producer sets for a body compressed with `type` (4.9.4+: COMPRESSED_FLAG | type << 8). */
export function compressionFlag(type: CompressionType): number {
  return F.COMPRESSED_FLAG | (type << 8);
}
