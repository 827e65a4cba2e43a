import type { Socket } from 'node:net';

/** Pieces at least this large are written as they are; smaller ones are copied into one buffer. */
const COPY_THRESHOLD = 16 * 1024;

type WriteCallback = (err?: Error | null) => void;

/**
 * Coalesces the frames written during one turn of the event loop into as few socket writes as
 * possible, flushed on process.nextTick (after the current batch of reads or of caller requests).
 *
 * Small pieces (headers, 1 KiB bodies) are copied into one buffer: one memcpy is far cheaper than
 * the Writable bookkeeping, WriteReq and iovec of a socket.write per piece. Large bodies (pull
 * results, batches) go out uncopied, in order, under cork, so a 4 MiB body costs no extra copy.
 */
export class WriteBatcher {
  private pieces: Buffer[] = [];
  private bytes = 0;
  private callbacks: WriteCallback[] = [];
  private scheduled = false;

  constructor(private readonly socket: Socket) {}

  /** Bytes waiting here or in the socket. */
  get bufferedBytes(): number {
    return this.bytes + this.socket.writableLength;
  }

  add(head: Buffer, body: Buffer | undefined, cb?: WriteCallback): void {
    this.pieces.push(head);
    this.bytes += head.length;
    if (body !== undefined) {
      this.pieces.push(body);
      this.bytes += body.length;
    }
    if (cb !== undefined) this.callbacks.push(cb);
    if (!this.scheduled) {
      this.scheduled = true;
      process.nextTick(this.flush);
    }
  }

  /** Writes everything now (also used before a graceful end). */
  readonly flush = (): void => {
    this.scheduled = false;
    const pieces = this.pieces;
    if (pieces.length === 0) return;
    const total = this.bytes;
    const callbacks = this.callbacks;
    this.pieces = [];
    this.bytes = 0;
    this.callbacks = [];
    const socket = this.socket;
    if (socket.destroyed) {
      const err = new Error('socket closed before the write');
      for (const cb of callbacks) cb(err);
      return;
    }
    const done = callbacks.length === 0 ? undefined : callbacksOf(callbacks);
    if (pieces.length === 1) {
      socket.write(pieces[0]!, done);
      return;
    }
    if (total < COPY_THRESHOLD * 4 && !pieces.some((p) => p.length >= COPY_THRESHOLD)) {
      socket.write(Buffer.concat(pieces, total), done);
      return;
    }
    socket.cork();
    let run: Buffer[] = [];
    let runBytes = 0;
    for (const p of pieces) {
      if (p.length >= COPY_THRESHOLD) {
        if (run.length > 0) socket.write(run.length === 1 ? run[0]! : Buffer.concat(run, runBytes));
        run = [];
        runBytes = 0;
        socket.write(p);
      } else {
        run.push(p);
        runBytes += p.length;
      }
    }
    if (run.length > 0) socket.write(run.length === 1 ? run[0]! : Buffer.concat(run, runBytes));
    // Writes complete in order: the last one's callback means all of them are out.
    if (done !== undefined) socket.write(EMPTY, done);
    socket.uncork();
  };

  /** Drops what was not flushed, failing its callbacks (the socket is gone). */
  discard(err: Error): void {
    const callbacks = this.callbacks;
    this.pieces = [];
    this.bytes = 0;
    this.callbacks = [];
    for (const cb of callbacks) cb(err);
  }
}

const EMPTY = Buffer.alloc(0);

function callbacksOf(callbacks: WriteCallback[]): WriteCallback {
  if (callbacks.length === 1) return callbacks[0]!;
  return (err) => {
    for (const cb of callbacks) cb(err);
  };
}
