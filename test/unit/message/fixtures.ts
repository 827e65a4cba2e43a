import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeWholeFrame } from '../../../src/common/remoting/frame-codec.js';
import type { RemotingCommand } from '../../../src/common/remoting/remoting-command.js';

/** Real RocketMQ 4.9.8 bytes copied into test/fixtures/message (see its README.md). */
const DIR = fileURLToPath(new URL('../../fixtures/message/', import.meta.url));

export function fixture(name: string): Buffer {
  return readFileSync(DIR + name);
}

export function frame(name: string): RemotingCommand {
  return decodeWholeFrame(fixture(name));
}

export function frameBody(name: string): Buffer {
  const body = frame(name).body;
  if (body === undefined) throw new Error(`${name} has no body`);
  return body;
}

/** The sidecar's view of one commitlog record (decoded independently by the capture tooling). */
export interface SidecarRecord {
  totalSize: number;
  bodyCRC: number;
  queueId: number;
  flag: number;
  queueOffset: number;
  physicalOffset: number;
  sysFlag: number;
  bornTimestamp: number;
  bornHost: string;
  storeTimestamp: number;
  storeHost: string;
  reconsumeTimes: number;
  preparedTransactionOffset: number;
  body: { length: number; utf8?: string; inflatedLength?: number };
  topic: string;
  propertiesLength: number;
  propertiesRaw: string;
  properties: Record<string, string>;
  offsetMsgId: string;
  tagsHashCode?: number;
  _at: number;
}

export const COMMITLOG = 'commitlog-00000000000000000000.head5284';

export function commitlogSidecar(): SidecarRecord[] {
  const json = JSON.parse(fixture('commitlog-00000000000000000000.records.json').toString('utf8')) as { records: SidecarRecord[] };
  return json.records;
}

/** The extFields of a captured frame (every captured request and response here has them). */
export function extFields(name: string): Record<string, string> {
  const ext = frame(name).extFields;
  if (ext === undefined) throw new Error(`${name} has no extFields`);
  return ext;
}
