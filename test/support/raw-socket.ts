import { connect, type Socket } from 'node:net';

/**
 * A plain TCP socket to host:port, connected, for tests that write hand-made or malformed frames.
 * Later socket errors are ignored: the server under test may reset the connection on purpose.
 */
export async function connectRaw(host: string, port: number): Promise<Socket> {
  const s = connect({ host, port });
  try {
    await new Promise<void>((resolve, reject) => {
      s.once('connect', () => resolve());
      s.once('error', reject);
    });
  } catch (e) {
    s.destroy();
    throw e;
  }
  s.on('error', () => undefined);
  return s;
}
