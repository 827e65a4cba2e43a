import { MessageQueueMap } from '../../common/protocol/body/message-queue-map.js';
import type { MessageQueue } from '../../common/protocol/body/message-queue.js';

/** One queue's value; `live` turns false when the queue is deleted, so identity shortcuts to it expire. */
interface Slot<V> {
  value: V;
  live: boolean;
}

/**
 * A map keyed by MessageQueue *value* (as MessageQueueMap) for tables the consumer touches on every
 * pull and every consume request (offsets, the broker to pull from). MessageQueueMap builds the
 * queue's string key on each call; here each queue's value sits in a slot, and the slot is also
 * remembered per MessageQueue *object*, so the consumer — which passes the same object of a queue
 * every time — finds it by identity without building a key. Another object with an equal value
 * still finds the same slot (by value, once) and is remembered too. Iterates in insertion order.
 */
export class QueueSlotMap<V> implements Iterable<[MessageQueue, V]> {
  private readonly byValue = new MessageQueueMap<Slot<V>>();
  private readonly byIdentity = new WeakMap<MessageQueue, Slot<V>>();

  get size(): number {
    return this.byValue.size;
  }

  get(mq: MessageQueue): V | undefined {
    return this.slot(mq)?.value;
  }

  has(mq: MessageQueue): boolean {
    return this.slot(mq) !== undefined;
  }

  set(mq: MessageQueue, value: V): this {
    const slot = this.slot(mq);
    if (slot !== undefined) {
      slot.value = value;
    } else {
      const fresh: Slot<V> = { value, live: true };
      this.byValue.set(mq, fresh);
      this.byIdentity.set(mq, fresh);
    }
    return this;
  }

  delete(mq: MessageQueue): boolean {
    const slot = this.byValue.get(mq);
    if (slot === undefined) return false;
    slot.live = false;
    this.byValue.delete(mq);
    return true;
  }

  *entries(): IterableIterator<[MessageQueue, V]> {
    for (const [mq, slot] of this.byValue) yield [mq, slot.value];
  }

  [Symbol.iterator](): IterableIterator<[MessageQueue, V]> {
    return this.entries();
  }

  private slot(mq: MessageQueue): Slot<V> | undefined {
    const known = this.byIdentity.get(mq);
    if (known !== undefined && known.live) return known;
    const slot = this.byValue.get(mq);
    if (slot !== undefined) this.byIdentity.set(mq, slot);
    return slot;
  }
}
