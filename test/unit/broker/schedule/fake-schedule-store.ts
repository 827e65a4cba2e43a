import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { ScheduleConsumeQueue, ScheduleMessageStore } from '../../../../src/broker/schedule/deliver-delayed-message-timer-task.js';
import type { PutMessageRefusedStatus, PutMessageResult } from '../../../../src/broker/store/put-message-result.js';
import { CQ_STORE_UNIT_SIZE } from '../../../../src/broker/store/consume-queue.js';
import { decodeRecord, writeInt64BE, type MessageExt, type MessageExtBrokerInner } from '../../../../src/common/message/index.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures');

/** The real 4.9.8 CommitLog (5284 valid bytes). */
export const REAL_COMMIT_LOG = readFileSync(join(FIXTURES, 'store', 'commitlog-00000000000000000000.head5284'));
/** Real SCHEDULE_TOPIC_XXXX record: the level-2 delayed message for FixT queue 1. */
export const REAL_SCHEDULE_OFFSET = 3725;

export function realRecord(offset: number): { buf: Buffer; msg: MessageExt } {
  const buf = REAL_COMMIT_LOG.subarray(offset, offset + REAL_COMMIT_LOG.readInt32BE(offset));
  return { buf, msg: decodeRecord(buf, 0) };
}

/**
 * A store with one schedule ConsumeQueue whose units all point at the real SCHEDULE record, each
 * with its own deliver time; puts are recorded and can be scripted to be refused.
 */
export class FakeScheduleStore implements ScheduleMessageStore {
  readonly units: { tagsCode: number }[] = [];
  readonly puts: { msg: MessageExtBrokerInner; at: number }[] = [];
  /** Statuses the next puts answer (then PUT_OK). */
  readonly refusals: PutMessageRefusedStatus[] = [];
  /** Resolves a put only when this promise does (a slow store). */
  putGate: Promise<void> | undefined;
  minOffset = 0;

  constructor(private readonly queueId: number) {}

  addUnit(deliverTimestamp: number): void {
    this.units.push({ tagsCode: deliverTimestamp });
  }

  findConsumeQueue(_topic: string, queueId: number): ScheduleConsumeQueue | undefined {
    if (queueId !== this.queueId) return undefined;
    return {
      getIndexBuffer: async (start, maxUnits) => {
        if (start < this.minOffset || start >= this.units.length) return undefined;
        const n = Math.min(maxUnits, this.units.length - start);
        const buf = Buffer.alloc(n * CQ_STORE_UNIT_SIZE);
        const size = REAL_COMMIT_LOG.readInt32BE(REAL_SCHEDULE_OFFSET);
        for (let i = 0; i < n; i++) {
          writeInt64BE(buf, REAL_SCHEDULE_OFFSET, i * CQ_STORE_UNIT_SIZE);
          buf.writeInt32BE(size, i * CQ_STORE_UNIT_SIZE + 8);
          writeInt64BE(buf, this.units[start + i]!.tagsCode, i * CQ_STORE_UNIT_SIZE + 12);
        }
        return buf;
      },
      getMinOffsetInQueue: () => this.minOffset,
      getMaxOffsetInQueue: () => this.units.length,
    };
  }

  async selectOneMessageByOffset(offset: number, size: number): Promise<Buffer | undefined> {
    return REAL_COMMIT_LOG.subarray(offset, offset + size);
  }

  async putMessage(msg: MessageExtBrokerInner): Promise<PutMessageResult> {
    if (this.putGate !== undefined) await this.putGate;
    const refusal = this.refusals.shift();
    if (refusal !== undefined) return { status: refusal, reason: 'scripted' };
    this.puts.push({ msg, at: Date.now() });
    return {
      status: 'PUT_OK',
      appendMessageResult: { wroteOffset: 0, wroteBytes: 1, msgId: '', msgIds: [], storeTimestamp: Date.now(), logicsOffset: this.puts.length - 1, msgNum: 1, pagecacheRT: 0 },
    };
  }
}
