import { RemotingCommandException } from '../errors.js';
import { DEFAULT_FRAME_MAX_LENGTH } from './frame-codec.js';

/** Bytes of the length prefix (Netty's lengthFieldLength, stripped from what we yield). */
const LENGTH_FIELD_LENGTH = 4;
/** Shortest valid frame after the prefix: the header length + type int. */
const MIN_FRAME_LENGTH = 4;

/** Receives the frames FrameDecoder.scan finds: `buf[start, end)`, length prefix excluded. */
export interface FrameHandler {
  /** False stops the scan (e.g. the connection closed while handling this frame). */
  onFrame(buf: Buffer, start: number, end: number): boolean;
}

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

  /**
   * Feeds one chunk; returns the complete frames it finished, in order, as views (a bad length
   * throws, and the frames before it in the chunk are not returned). The same walk as scan, kept
   * inline rather than on top of it: the framed-echo bench baseline uses this method.
   */
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

  /**
   * Feeds one chunk and hands each complete frame to `handler` as a range of a buffer (the chunk,
   * or the joined pieces of a frame that spanned chunks), without making a Buffer per frame: a
   * Buffer view costs about as much as decoding a binary header. Stops early, keeping nothing,
   * when the handler returns false (its connection closed). A bad length throws after the frames
   * before it were handled, as Netty's decoder passes them on before failing.
   */
  scan(chunk: Buffer, handler: FrameHandler): void {
    if (this.failure !== undefined) throw this.failure;
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
        const whole = Buffer.concat(this.pieces, this.buffered);
        this.pieces = [];
        this.buffered = 0;
        this.expected = -1;
        if (!handler.onFrame(whole, LENGTH_FIELD_LENGTH, whole.length)) return;
      }
    }
    // Fast path: frames straight out of the chunk.
    while (n - p >= LENGTH_FIELD_LENGTH) {
      const len = this.checkLength(chunk.readInt32BE(p));
      if (n - p - LENGTH_FIELD_LENGTH < len) {
        this.expected = len;
        break;
      }
      const start = p + LENGTH_FIELD_LENGTH;
      p = start + len;
      if (!handler.onFrame(chunk, start, p)) return;
    }
    if (p < n) {
      this.pieces.push(p === 0 ? chunk : chunk.subarray(p));
      this.buffered = n - p;
    }
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
