import { RemotingCommandException } from '../errors.js';
import { DEFAULT_FRAME_MAX_LENGTH } from './frame-codec.js';

/** Bytes of the length prefix (Netty's lengthFieldLength, stripped from what we yield). */
const LENGTH_FIELD_LENGTH = 4;
/** Shortest valid frame after the prefix: the header length + type int. */
const MIN_FRAME_LENGTH = 4;

/**
 * Splits a TCP byte stream into frames (Netty's LengthFieldBasedFrameDecoder(max, 0, 4, 0, 4)).
 *
 *   chunk:  | len | frame ........ | len | frame ... | len | fra|   ← next chunk: |me ... |
 *
 * Frames that lie wholly inside one chunk are returned as views of it (no copy). A frame split
 * across chunks is kept as a list of pieces and joined once, when its last byte arrives, so a
 * large frame that comes in many pieces costs one copy and never a quadratic re-scan.
 * Yields each frame *without* its length prefix.
 *
 * A bad length (negative, shorter than the header length field, or longer than maxFrameLength
 * counting the prefix, as Netty counts it) throws RemotingCommandException and leaves the decoder
 * failed: every later push throws too, because the stream can no longer be re-synchronised and
 * the caller must close that connection.
 */
export class FrameDecoder {
  private pieces: Buffer[] = [];
  private buffered = 0;
  /** Length of the frame being assembled (prefix excluded), or -1 while the prefix is incomplete. */
  private expected = -1;
  private failure: RemotingCommandException | undefined;

  constructor(private readonly maxFrameLength: number = DEFAULT_FRAME_MAX_LENGTH) {}

  /** Bytes held while waiting for the rest of a frame (bounded by maxFrameLength + one chunk). */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /** Feeds one chunk; returns the complete frames it finished, in order. */
  push(chunk: Buffer): Buffer[] {
    if (this.failure !== undefined) throw this.failure;
    const frames: Buffer[] = [];
    const n = chunk.length;
    let p = 0;
    // Slow path: finish the frame (or the prefix) left over from earlier chunks.
    while (this.buffered > 0 && p < n) {
      if (this.expected < 0) {
        const take = Math.min(LENGTH_FIELD_LENGTH - this.buffered, n - p);
        this.pieces.push(chunk.subarray(p, p + take));
        this.buffered += take;
        p += take;
        if (this.buffered === LENGTH_FIELD_LENGTH) {
          const prefix = Buffer.concat(this.pieces, LENGTH_FIELD_LENGTH);
          this.expected = this.checkLength(prefix.readInt32BE(0));
          this.pieces = [prefix];
        }
        continue;
      }
      const missing = LENGTH_FIELD_LENGTH + this.expected - this.buffered;
      const take = Math.min(missing, n - p);
      this.pieces.push(chunk.subarray(p, p + take));
      this.buffered += take;
      p += take;
      if (take === missing) {
        frames.push(Buffer.concat(this.pieces, this.buffered).subarray(LENGTH_FIELD_LENGTH));
        this.pieces = [];
        this.buffered = 0;
        this.expected = -1;
      }
    }
    // Fast path: frames straight out of the chunk.
    while (n - p >= LENGTH_FIELD_LENGTH) {
      const len = this.checkLength(chunk.readInt32BE(p));
      if (n - p - LENGTH_FIELD_LENGTH < len) {
        this.expected = len;
        break;
      }
      frames.push(chunk.subarray(p + LENGTH_FIELD_LENGTH, p + LENGTH_FIELD_LENGTH + len));
      p += LENGTH_FIELD_LENGTH + len;
    }
    if (p < n) {
      this.pieces.push(p === 0 ? chunk : chunk.subarray(p));
      this.buffered = n - p;
    }
    return frames;
  }

  private checkLength(len: number): number {
    let problem: string | undefined;
    if (len < 0) problem = `negative frame length ${len}`;
    else if (len + LENGTH_FIELD_LENGTH > this.maxFrameLength) {
      problem = `frame length ${len + LENGTH_FIELD_LENGTH} exceeds the limit ${this.maxFrameLength}`;
    } else if (len < MIN_FRAME_LENGTH) problem = `frame length ${len} is shorter than its header length field`;
    if (problem === undefined) return len;
    this.failure = new RemotingCommandException(problem);
    this.pieces = [];
    this.buffered = 0;
    throw this.failure;
  }
}
