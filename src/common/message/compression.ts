import zlib from 'node:zlib';
import { RemotingCommandException } from '../errors.js';
import { CompressionType, getCompressionType, isCompressed } from './message-sys-flag.js';

/**
 * Body compression (PROTOCOL.md §4.4). Producers compress a non-batch body of at least
 * DefaultMQProducer.compressMsgBodyOverHowmuch bytes with zlib at level 5 (Java's Deflater through a
 * DeflaterOutputStream: a standard RFC 1950 stream, header 78 5E). Properties are never compressed.
 */

/** DefaultMQProducer.compressMsgBodyOverHowmuch default: bodies of this size or larger are compressed. */
export const COMPRESS_MSG_BODY_OVER_HOWMUCH = 4096;
/** `rocketmq.message.compressLevel` default. */
export const DEFAULT_COMPRESS_LEVEL = 5;

/** Whether a producer compresses a body of this length (Java: `body.length >= threshold`, batches never). */
export function shouldCompressBody(bodyLength: number, threshold = COMPRESS_MSG_BODY_OVER_HOWMUCH): boolean {
  return bodyLength >= threshold;
}

/** zlib-compresses a body the way the Java producer's ZlibCompressor does. */
export function compressBody(body: Uint8Array, level = DEFAULT_COMPRESS_LEVEL): Buffer {
  return zlib.deflateSync(body, { level });
}

/**
 * Inflates a body whose sysFlag has COMPRESSED_FLAG; returns `body` itself when the flag is clear.
 * Only zlib (type 0 or 3) is supported: LZ4/ZSTD bodies (4.9.4+ producers configured for them) give a
 * clear error rather than garbage.
 */
export function decompressBody(body: Buffer, sysFlag: number): Buffer {
  if (!isCompressed(sysFlag)) return body;
  const type = getCompressionType(sysFlag);
  if (type !== CompressionType.ZLIB) {
    const name = type === CompressionType.LZ4 ? 'LZ4' : 'ZSTD';
    throw new RemotingCommandException(`${name}-compressed message bodies are not supported (sysFlag 0x${sysFlag.toString(16)})`);
  }
  try {
    return zlib.inflateSync(body);
  } catch (e: unknown) {
    throw new RemotingCommandException(`compressed message body does not inflate: ${(e as Error).message}`, { cause: e });
  }
}
