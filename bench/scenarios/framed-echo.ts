import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

import { FrameDecoder } from '../../src/common/remoting/frame-decoder.js';
import type { DriverHolder, EchoStack } from '../lib/echo-stack.js';

/**
 * The baseline: plain net sockets, a length-prefixed echo with the same pipelining and write
 * batching (cork per read) as the remoting stack, but no header, no opaque table, no processors.
 * Frame: | len:i32 | slot:i32 | payload |.
 */
export async function startFramedEcho(msgSize: number, window: number, holder: DriverHolder): Promise<EchoStack> {
  const server = await startEchoServer();
  const socket = await dial((server.address() as AddressInfo).port);
  const payload = Buffer.alloc(msgSize, 0x61);
  const sentAt = new Float64Array(window);
  const decoder = new FrameDecoder();
  socket.on('data', (chunk: Buffer) => {
    socket.cork();
    for (const f of decoder.push(chunk)) {
      const slot = f.readInt32BE(0);
      holder.complete(slot, sentAt[slot]!);
    }
    socket.uncork();
  });
  socket.on('error', (e) => holder.fail(e));
  return {
    issue(slot: number): void {
      const frame = Buffer.allocUnsafe(8 + msgSize);
      frame.writeInt32BE(4 + msgSize, 0);
      frame.writeInt32BE(slot, 4);
      payload.copy(frame, 8);
      sentAt[slot] = performance.now();
      socket.write(frame);
    },
    async close(): Promise<void> {
      socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function startEchoServer(): Promise<Server> {
  const server = createServer({ noDelay: true }, (sock: Socket) => {
    const decoder = new FrameDecoder();
    sock.on('data', (chunk: Buffer) => {
      sock.cork();
      for (const f of decoder.push(chunk)) {
        const prefix = Buffer.allocUnsafe(4);
        prefix.writeInt32BE(f.length, 0);
        sock.write(prefix);
        sock.write(f);
      }
      sock.uncork();
    });
    sock.on('error', () => sock.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function dial(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, noDelay: true });
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}
