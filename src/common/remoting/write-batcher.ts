import type { Socket } from 'node:net';

import { writeFrame, type FrameSink } from './frame-codec.js';
import type { RemotingCommand } from './remoting-command.js';

/** Bodies at least this large are written as they are; smaller ones are copied beside their header. */
const COPY_THRESHOLD = 16 * 1024;
/** Size of a slab that frames are encoded into. */
const SLAB_SIZE = 256 * 1024;
/** A slab with less room than this left after a flush is not worth keeping for the next batch. */
const MIN_SPARE = 8 * 1024;

type WriteCallback = (err?: Error | null) => void;

/** The part of a net.Socket the batcher uses. */
export type BatchSocket = Pick<Socket, 'write' | 'cork' | 'uncork' | 'destroyed' | 'writableLength'>;

/**
 * The slab the next batch starts in, shared by every connection of the process (as Node's own
 * Buffer pool is). A batcher owns a slab only from its first frame to its flush — one tick — and
 * then hands the unused tail back here, so an idle connection holds no write memory and a busy one
 * allocates one ArrayBuffer per SLAB_SIZE bytes instead of one per flush. What a flush handed to
 * the socket lies before the tail and is never written again; it lives as long as the socket
 * holds it.
 */
let spareSlab: Buffer | undefined;
let spareOffset = 0;

const EMPTY = Buffer.alloc(0);

/**
 * Coalesces the frames written during one turn of the event loop into as few socket writes as
 * possible, flushed on process.nextTick (after the current batch of reads or of caller requests).
 *
 * Frames are encoded straight into a pooled slab (header, and bodies under COPY_THRESHOLD), so a
 * batch of small frames is one contiguous region written with one socket.write: no buffer per
 * header or frame, no concat copy, no writev bookkeeping per piece. Large bodies (pull results,
 * batches) go out uncopied, in order, under cork, so a 4 MiB body costs no extra copy.
 */
export class WriteBatcher implements FrameSink {
  buffer: Buffer = EMPTY;
  /** Start of the frames of this batch not yet moved to `pieces`. */
  private start = 0;
  private pos = 0;
  /** Where the frame being written starts (what reserve returned). */
  private reserved = 0;
  /** Finished parts of this batch, in order, when it is more than one region of `buffer`. */
  private pieces: Buffer[] = [];
  private bytes = 0;
  private callbacks: WriteCallback[] = [];
  private scheduled = false;

  constructor(private readonly socket: BatchSocket) {}

  /** Bytes waiting here or in the socket. */
  get bufferedBytes(): number {
    return this.bytes + this.socket.writableLength;
  }

  /** Encodes `cmd` into this batch; throws (adding nothing) if it cannot be encoded. */
  add(cmd: RemotingCommand, cb?: WriteCallback): void {
    const body = cmd.body;
    const inlineBody = body === undefined || body.length < COPY_THRESHOLD;
    writeFrame(cmd, this, inlineBody);
    if (!inlineBody) {
      this.cut();
      this.pieces.push(body);
      this.bytes += body.length;
    }
    if (cb !== undefined) this.callbacks.push(cb);
    if (!this.scheduled) {
      this.scheduled = true;
      process.nextTick(this.flush);
    }
  }

  /** FrameSink: room for `bytes` more, in a new slab if this one is full. */
  reserve(bytes: number): number {
    this.reserved = this.pos;
    if (this.buffer.length - this.pos >= bytes) return this.pos;
    this.cut();
    if (spareSlab !== undefined && spareSlab.length - spareOffset >= bytes) {
      this.buffer = spareSlab;
      this.pos = this.start = spareOffset;
      spareSlab = undefined;
    } else {
      this.buffer = Buffer.allocUnsafeSlow(Math.max(SLAB_SIZE, bytes));
      this.pos = this.start = 0;
    }
    this.reserved = this.pos;
    return this.pos;
  }

  /** FrameSink: the frame just written ends at `end`. */
  commit(end: number): void {
    this.bytes += end - this.reserved;
    this.pos = end;
  }

  /** Writes everything now (also used before a graceful end). */
  readonly flush = (): void => {
    this.scheduled = false;
    if (this.pos === this.start && this.pieces.length === 0) {
      this.releaseSlab();
      return;
    }
    const last = this.buffer.subarray(this.start, this.pos);
    const pieces = this.pieces;
    const callbacks = this.callbacks;
    this.start = this.pos;
    this.pieces = [];
    this.bytes = 0;
    this.callbacks = [];
    this.releaseSlab();
    const socket = this.socket;
    if (socket.destroyed) {
      const err = new Error('socket closed before the write');
      for (const cb of callbacks) cb(err);
      return;
    }
    const done = callbacks.length === 0 ? undefined : callbacksOf(callbacks);
    if (pieces.length === 0) {
      socket.write(last, done);
      return;
    }
    socket.cork();
    for (const p of pieces) socket.write(p);
    // Writes complete in order: the last one's callback means all of them are out.
    socket.write(last, done);
    socket.uncork();
  };

  /** Drops what was not flushed, failing its callbacks (the socket is gone). */
  discard(err: Error): void {
    const callbacks = this.callbacks;
    this.start = this.pos;
    this.pieces = [];
    this.bytes = 0;
    this.callbacks = [];
    this.releaseSlab();
    for (const cb of callbacks) cb(err);
  }

  /** Moves the frames encoded so far in this slab to `pieces`. */
  private cut(): void {
    if (this.pos > this.start) this.pieces.push(this.buffer.subarray(this.start, this.pos));
    this.start = this.pos;
  }

  /** Hands the slab's unused tail back to the pool, or drops it when the pool has a roomier one. */
  private releaseSlab(): void {
    const room = this.buffer.length - this.pos;
    if (room >= MIN_SPARE && (spareSlab === undefined || spareSlab.length - spareOffset < room)) {
      spareSlab = this.buffer;
      spareOffset = this.pos;
    }
    this.buffer = EMPTY;
    this.start = this.pos = 0;
  }
}

function callbacksOf(callbacks: WriteCallback[]): WriteCallback {
  if (callbacks.length === 1) return callbacks[0]!;
  return (err) => {
    for (const cb of callbacks) cb(err);
  };
}
