import { decodeRecord, type MessageExt } from '../../../src/common/message/index.js';
import type { LocalCluster } from '../../../src/broker/local-cluster.js';
import { realCommitLog } from './helpers.js';

/** Record fields that depend on where and when a record was stored, not on what it holds. */
export const PLACE_AND_TIME_FIELDS = [
  [20, 28], // QUEUEOFFSET
  [28, 36], // PHYSICALOFFSET
  [48, 56], // BORNHOST (the client's ephemeral port)
  [56, 64], // STORETIMESTAMP
  [64, 72], // STOREHOST
] as const;

/** `ours` with the place-and-time fields of `real` (IPv4 hosts on both sides). */
export function patchedLike(ours: Buffer, real: Buffer): Buffer {
  const out = Buffer.from(ours);
  for (const [a, b] of PLACE_AND_TIME_FIELDS) real.copy(out, a, a, b);
  return out;
}

/** The real 4.9.8 record stored at `physicalOffset`. */
export function realRecordAt(physicalOffset: number): { buf: Buffer; msg: MessageExt } {
  const log = realCommitLog();
  const buf = log.subarray(physicalOffset, physicalOffset + log.readInt32BE(physicalOffset));
  return { buf, msg: decodeRecord(buf, 0) };
}

/** One ConsumeQueue unit and the record it points at, straight from the broker's store. */
export interface StoredUnit {
  readonly tagsCode: number;
  readonly buf: Buffer;
  readonly msg: MessageExt;
}

export async function storedUnits(cluster: LocalCluster, topic: string, queueId: number): Promise<StoredUnit[]> {
  const store = cluster.broker.messageStore;
  const cq = store.consumeQueueTable.find(topic, queueId);
  if (cq === undefined) return [];
  const out: StoredUnit[] = [];
  for (let i = cq.getMinOffsetInQueue(); i < cq.getMaxOffsetInQueue(); i++) {
    const unit = await cq.getUnit(i);
    if (unit === undefined) break;
    const buf = await store.selectOneMessageByOffset(unit.commitLogOffset, unit.size);
    if (buf === undefined) throw new Error(`record of ${topic}/${queueId}@${i} missing`);
    out.push({ tagsCode: unit.tagsCode, buf, msg: decodeRecord(buf, 0) });
  }
  return out;
}

/** Polls until `topic/queueId` holds at least `count` units (or the deadline passes). */
export async function waitUnits(cluster: LocalCluster, topic: string, queueId: number, count: number, timeoutMillis = 5000): Promise<StoredUnit[]> {
  const deadline = Date.now() + timeoutMillis;
  for (;;) {
    const units = await storedUnits(cluster, topic, queueId);
    if (units.length >= count || Date.now() > deadline) return units;
    await sleep(10);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
