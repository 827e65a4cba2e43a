import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkMessageAndReturnSize, type DispatchRequest } from '../../../../src/common/message/index.js';

/** Real RocketMQ 4.9.8 store bytes copied into test/fixtures/store (see its README.md). */
const DIR = fileURLToPath(new URL('../../../fixtures/store/', import.meta.url));

export const REAL_INDEX_NAME = '20261125162124632';
export const REAL_HASH_SLOT_NUM = 5_000_000;
export const REAL_INDEX_NUM = 20_000_000;

export function storeFixture(name: string): Buffer {
  return readFileSync(DIR + name);
}

export interface RealIndexEntry {
  n: number;
  keyHash: number;
  phyOffset: number;
  timeDiffSec: number;
  prevIndex: number;
  slot: number;
  slotValue: number;
  key: string;
}

export interface RealIndexSidecar {
  fileSize: number;
  header: {
    beginTimestamp: number;
    endTimestamp: number;
    beginPhyOffset: number;
    endPhyOffset: number;
    hashSlotCount: number;
    indexCount: number;
  };
  entries: RealIndexEntry[];
}

export function realIndexSidecar(): RealIndexSidecar {
  return JSON.parse(storeFixture(`index-${REAL_INDEX_NAME}.json`).toString('utf8')) as RealIndexSidecar;
}

/** The DispatchRequests of the real commitlog records, in CommitLog order (what ReputMessageService dispatches). */
export function realDispatchRequests(): DispatchRequest[] {
  const buf = storeFixture('commitlog-00000000000000000000.head5284');
  const out: DispatchRequest[] = [];
  for (let pos = 0; pos < buf.length; ) {
    const r = checkMessageAndReturnSize(buf, pos, { checkCRC: true });
    if (r.status !== 'MESSAGE') throw new Error(`record at ${pos}: ${r.status}`);
    out.push(r.dispatch);
    pos += r.size;
  }
  return out;
}

/** A fresh directory under os.tmpdir() and its remover. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `rmq-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A DispatchRequest with only what the index reads filled in meaningfully. */
export function dispatchRequest(fields: Partial<DispatchRequest> & Pick<DispatchRequest, 'topic' | 'commitLogOffset' | 'storeTimestamp'>): DispatchRequest {
  return {
    queueId: 0,
    msgSize: 100,
    tagsCode: 0,
    queueOffset: 0,
    keys: '',
    uniqKey: undefined,
    sysFlag: 0,
    preparedTransactionOffset: 0,
    bodyCRC: 0,
    propertiesMap: new Map(),
    ...fields,
  };
}
