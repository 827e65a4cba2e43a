import { read, readSync, write, writev } from 'node:fs';
import { promisify } from 'node:util';

/* Positional reads and writes on a numeric fd that finish short transfers instead of ignoring them. */

const writeAsync = promisify(write);
const writevAsync = promisify(writev);
const readAsync = promisify(read);

export async function readFully(fd: number, buf: Buffer, position: number): Promise<void> {
  for (let done = 0; done < buf.length; ) {
    const { bytesRead } = await readAsync(fd, buf, done, buf.length - done, position + done);
    if (bytesRead === 0) throw new RangeError(`unexpected end of file at ${position + done}`);
    done += bytesRead;
  }
}

export function readSyncFully(fd: number, buf: Buffer, length: number, position: number): void {
  for (let done = 0; done < length; ) {
    const n = readSync(fd, buf, done, length - done, position + done);
    if (n === 0) throw new RangeError(`unexpected end of file at ${position + done}`);
    done += n;
  }
}

export async function writeFully(fd: number, buf: Buffer, position: number): Promise<void> {
  for (let done = 0; done < buf.length; ) {
    const { bytesWritten } = await writeAsync(fd, buf, done, buf.length - done, position + done);
    done += bytesWritten;
  }
}

export async function writevFully(fd: number, buffers: Buffer[], position: number): Promise<void> {
  const total = buffers.reduce((sum, b) => sum + b.length, 0);
  const { bytesWritten } = await writevAsync(fd, buffers, position);
  // A short writev is rare (signals, quotas); finish the rest with plain writes.
  if (bytesWritten < total) await writeFully(fd, Buffer.concat(buffers).subarray(bytesWritten), position + bytesWritten);
}
