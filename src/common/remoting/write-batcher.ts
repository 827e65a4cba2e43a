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
 * A SLAB_SIZE buffer that frames are encoded into, with what keeps it from being reused: regions
 * of it handed to sockets whose writes have not completed (`refs`), and whether a batcher is
 * writing into it or it is the shared spare (`open`). A slab that is neither goes back to the
 * free list, so a busy process cycles through a few slabs instead of allocating a new ArrayBuffer
 * per SLAB_SIZE bytes written — external memory V8 counts towards its GC triggers.
 */
class Slab {
  /** Batches with a region in this slab that are not yet written, or whose write has not completed. */
  refs = 0;
  open = true;
  constructor(readonly buf: Buffer) {}
}

/** Free slabs kept for reuse (bounded: an idle process holds at most this many). */
const MAX_FREE_SLABS = 8;
const freeSlabs: Slab[] = [];

/**
 * The slab the next batch starts in, shared by every connection of the process (as Node's own
 * Buffer pool is). A batcher owns a slab only from its first frame to its flush — one tick — and
 * then hands the unused tail back here, so an idle connection holds no write memory. What a flush
 * handed to the socket lies before the tail and is never written again until every socket write
 * of the slab has completed and the slab went through the free list.
 */
let spare: Slab | undefined;
let spareOffset = 0;

function takeSlab(bytes: number): Slab {
  if (bytes > SLAB_SIZE) return new Slab(Buffer.allocUnsafeSlow(bytes));
  const s = freeSlabs.pop();
  if (s === undefined) return new Slab(Buffer.allocUnsafeSlow(SLAB_SIZE));
  s.open = true;
  return s;
}

/** No batcher will write into `s` any more; it is reused once its writes have completed. */
function closeSlab(s: Slab): void {
  s.open = false;
  if (s.refs === 0) recycle(s);
}

/** One socket write of a region of `s` completed (or failed: the socket no longer holds it). */
function releaseSlab(s: Slab): void {
  if (--s.refs === 0 && !s.open) recycle(s);
}

function recycle(s: Slab): void {
  if (s.buf.length === SLAB_SIZE && freeSlabs.length < MAX_FREE_SLABS) freeSlabs.push(s);
}

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
  /** The slab `buffer` belongs to, while this batcher writes into one. */
  private slab: Slab | undefined;
  /** Start of the frames of this batch not yet moved to `pieces`. */
  private start = 0;
  private pos = 0;
  /** Where the frame being written starts (what reserve returned). */
  private reserved = 0;
  /** Finished parts of this batch, in order, when it is more than one region of `buffer`. */
  private pieces: Buffer[] = [];
  /** Slabs that regions of this batch lie in (usually one). */
  private slabs: Slab[] = [];
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
    if (this.slab !== undefined) closeSlab(this.slab);
    let slab: Slab;
    if (spare !== undefined && spare.buf.length - spareOffset >= bytes) {
      slab = spare;
      this.pos = this.start = spareOffset;
      spare = undefined;
    } else {
      slab = takeSlab(bytes);
      this.pos = this.start = 0;
    }
    this.slab = slab;
    this.buffer = slab.buf;
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
      this.giveBackSlab();
      return;
    }
    const last = this.buffer.subarray(this.start, this.pos);
    this.noteSlab();
    const pieces = this.pieces;
    const callbacks = this.callbacks;
    const slabs = this.slabs;
    this.start = this.pos;
    this.pieces = [];
    this.slabs = [];
    this.bytes = 0;
    this.callbacks = [];
    this.giveBackSlab();
    const socket = this.socket;
    if (socket.destroyed) {
      for (const s of slabs) releaseSlab(s);
      const err = new Error('socket closed before the write');
      for (const cb of callbacks) cb(err);
      return;
    }
    // The batch's regions stay referenced until its last write completes (writes complete in
    // order); only then may their slabs be reused.
    const done = writeDone(slabs, callbacks);
    if (pieces.length === 0) {
      socket.write(last, done);
      return;
    }
    socket.cork();
    for (const p of pieces) socket.write(p);
    socket.write(last, done);
    socket.uncork();
  };

  /** Drops what was not flushed, failing its callbacks (the socket is gone). */
  discard(err: Error): void {
    const callbacks = this.callbacks;
    for (const s of this.slabs) releaseSlab(s);
    this.start = this.pos;
    this.pieces = [];
    this.slabs = [];
    this.bytes = 0;
    this.callbacks = [];
    this.giveBackSlab();
    for (const cb of callbacks) cb(err);
  }

  /** Moves the frames encoded so far in this slab to `pieces`. */
  private cut(): void {
    if (this.pos > this.start) {
      this.pieces.push(this.buffer.subarray(this.start, this.pos));
      this.noteSlab();
    }
    this.start = this.pos;
  }

  /** The current slab holds a region of this batch: a reference until the batch is written. */
  private noteSlab(): void {
    const s = this.slab;
    if (s !== undefined && this.slabs[this.slabs.length - 1] !== s) {
      s.refs++;
      this.slabs.push(s);
    }
  }

  /** Hands the slab's unused tail back as the spare, or closes the slab when the spare is roomier. */
  private giveBackSlab(): void {
    const s = this.slab;
    if (s !== undefined) {
      const room = s.buf.length - this.pos;
      if (room >= MIN_SPARE && (spare === undefined || spare.buf.length - spareOffset < room)) {
        if (spare !== undefined) closeSlab(spare);
        spare = s;
        spareOffset = this.pos;
      } else {
        closeSlab(s);
      }
    }
    this.slab = undefined;
    this.buffer = EMPTY;
    this.start = this.pos = 0;
  }
}

/** The callback of a batch's last write: frees its slab regions, then runs the callers' callbacks. */
function writeDone(slabs: Slab[], callbacks: WriteCallback[]): WriteCallback {
  return (err) => {
    for (const s of slabs) releaseSlab(s);
    for (const cb of callbacks) cb(err);
  };
}
