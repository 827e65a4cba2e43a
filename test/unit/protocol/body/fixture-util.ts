import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeWholeFrame } from '../../../../src/common/remoting/frame-codec.js';
import type { RemotingCommand } from '../../../../src/common/remoting/remoting-command.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/body');

export function fixtureBytes(name: string): Buffer {
  return readFileSync(join(FIXTURES, name));
}

/** The body of a captured frame, cut out by hand: 4-byte length, 4-byte type<<24|headerLen, header, body. */
export function frameBody(name: string): Buffer {
  const frame = fixtureBytes(name);
  const length = frame.readInt32BE(0);
  if (length !== frame.length - 4) throw new Error(`${name}: length field ${length} ≠ ${frame.length - 4}`);
  const headerLen = frame.readInt32BE(4) & 0xffffff;
  return frame.subarray(8 + headerLen);
}

/** The whole decoded command (header fields such as `version`). */
export function frameCommand(name: string): RemotingCommand {
  return decodeWholeFrame(fixtureBytes(name));
}
