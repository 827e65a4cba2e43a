import { RemotingCommandException } from '../errors.js';
import { DEFAULT_FRAME_MAX_LENGTH } from './frame-codec.js';

/**
 * Splits a TCP byte stream into frames (Netty's LengthFieldBasedFrameDecoder(max, 0, 4, 0, 4)).
 * Chunks are kept as a list and joined only once a whole frame is present, so a large frame that
 * arrives in many pieces costs one copy, and chunks carrying several frames cost none.
 * Yields each frame *without* its length prefix.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly maxFrameLength: number = DEFAULT_FRAME_MAX_LENGTH) {}

  /** Bytes held while waiting for the rest of a frame (bounded by maxFrameLength + one chunk). */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /**
   * Feeds one chunk; returns the complete frames it finished. Throws RemotingCommandException on a
   * negative or oversized length: the caller must close that connection.
   */
  push(chunk: Buffer): Buffer[] {
    const frames: Buffer[] = [];
    if (this.buffered === 0) {
      // Fast path: parse straight out of the chunk.
      let p = 0;
      while (chunk.length - p >= 4) {
        const len = this.checkLength(chunk.readInt32BE(p));
        if (chunk.length - p - 4 < len) break;
        frames.push(chunk.subarray(p + 4, p + 4 + len));
        p += 4 + len;
      }
      if (p < chunk.length) {
        this.chunks.push(p === 0 ? chunk : chunk.subarray(p));
        this.buffered = chunk.length - p;
      }
      return frames;
    }
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (this.buffered >= 4) {
      const len = this.checkLength(this.peekInt32());
      if (this.buffered - 4 < len) break;
      const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
      frames.push(all.subarray(4, 4 + len));
      const rest = all.subarray(4 + len);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.buffered = rest.length;
      if (rest.length > 0) {
        // Continue on the remainder with the fast path (it may hold many whole frames).
        this.chunks = [];
        this.buffered = 0;
        frames.push(...this.push(rest));
        return frames;
      }
    }
    return frames;
  }

  private checkLength(len: number): number {
    if (len < 0) throw new RemotingCommandException(`negative frame length ${len}`);
    if (len + 4 > this.maxFrameLength) {
      throw new RemotingCommandException(`frame length ${len + 4} exceeds the limit ${this.maxFrameLength}`);
    }
    // Shortest valid frame: 4 bytes of header length + type.
    if (len < 4) throw new RemotingCommandException(`frame length ${len} is shorter than its header length field`);
    return len;
  }

  private peekInt32(): number {
    const first = this.chunks[0]!;
    if (first.length >= 4) return first.readInt32BE(0);
    const head = Buffer.concat(this.chunks, Math.min(this.buffered, 4));
    return head.readInt32BE(0);
  }
}
