import { MessageQueueMap } from '../../../common/protocol/body/message-queue-map.js';
import type { MessageQueue } from '../../../common/protocol/body/message-queue.js';
import { QueueSlotMap } from '../queue-slot-map.js';
import { OFFSET_NOT_FOUND } from './offset-store.js';

/**
 * The in-memory part both offset stores share (Java repeats it in each: a map of AtomicLong).
 * Updated after every consume request and read before every pull, hence a QueueSlotMap.
 */
export class OffsetTable {
  private readonly table = new QueueSlotMap<number>();

  get size(): number {
    return this.table.size;
  }

  /** updateOffset: with `increaseOnly`, MixAll.compareAndIncreaseOnly (never moves backwards). */
  update(mq: MessageQueue, offset: number, increaseOnly: boolean): void {
    const old = this.table.get(mq);
    if (old === undefined || !increaseOnly || offset > old) this.table.set(mq, offset);
  }

  get(mq: MessageQueue): number | undefined {
    return this.table.get(mq);
  }

  /** READ_FROM_MEMORY. */
  read(mq: MessageQueue): number {
    return this.table.get(mq) ?? OFFSET_NOT_FOUND;
  }

  remove(mq: MessageQueue): boolean {
    return this.table.delete(mq);
  }

  entries(): Array<[MessageQueue, number]> {
    return [...this.table];
  }

  /** cloneOffsetTable: a blank topic (UtilAll.isBlank) selects every queue. */
  clone(topic?: string): MessageQueueMap<number> {
    const all = topic === undefined || topic.trim().length === 0;
    const out = new MessageQueueMap<number>();
    for (const [mq, offset] of this.table) if (all || mq.topic === topic) out.set(mq, offset);
    return out;
  }
}
