import { RemotingCommandException } from '../../errors.js';
import { JsonObjectReader } from '../json/json-object-reader.js';
import type { JsonBean, JsonNode, JsonWritable } from '../json/json-value.js';
import { messageQueueFromJson, messageQueueKey, messageQueueToJson, type MessageQueue } from './message-queue.js';

/**
 * A Map keyed by MessageQueue *value* (Java's HashMap<MessageQueue, V> relies on equals/hashCode;
 * JS Maps compare objects by identity). Iterates in insertion order, so a decoded body re-encodes
 * in the peer's order. Used for ResetOffsetBody, ConsumeStats, TopicStatsTable, ConsumerRunningInfo
 * and anywhere else a table is keyed by queue.
 */
export class MessageQueueMap<V> implements Iterable<[MessageQueue, V]> {
  private readonly byKey = new Map<string, [MessageQueue, V]>();

  constructor(entries?: Iterable<readonly [MessageQueue, V]>) {
    if (entries !== undefined) for (const [mq, v] of entries) this.set(mq, v);
  }

  get size(): number {
    return this.byKey.size;
  }

  get(mq: MessageQueue): V | undefined {
    return this.byKey.get(messageQueueKey(mq))?.[1];
  }

  has(mq: MessageQueue): boolean {
    return this.byKey.has(messageQueueKey(mq));
  }

  /** Replaces the value of an existing queue in place (its position is kept, like HashMap.put). */
  set(mq: MessageQueue, value: V): this {
    const key = messageQueueKey(mq);
    const existing = this.byKey.get(key);
    if (existing !== undefined) existing[1] = value;
    else this.byKey.set(key, [mq, value]);
    return this;
  }

  delete(mq: MessageQueue): boolean {
    return this.byKey.delete(messageQueueKey(mq));
  }

  clear(): void {
    this.byKey.clear();
  }

  *entries(): IterableIterator<[MessageQueue, V]> {
    for (const [mq, v] of this.byKey.values()) yield [mq, v];
  }

  *keys(): IterableIterator<MessageQueue> {
    for (const [mq] of this.byKey.values()) yield mq;
  }

  *values(): IterableIterator<V> {
    for (const [, v] of this.byKey.values()) yield v;
  }

  [Symbol.iterator](): IterableIterator<[MessageQueue, V]> {
    return this.entries();
  }
}

/** The JSON form of a MessageQueue-keyed Java map: queue objects in key position (§1.6). */
export function messageQueueMapToJson<V>(
  map: MessageQueueMap<V>,
  valueToJson: (v: V) => JsonWritable,
): Map<JsonBean, JsonWritable> {
  const out = new Map<JsonBean, JsonWritable>();
  for (const [mq, v] of map) out.set(messageQueueToJson(mq), valueToJson(v));
  return out;
}

/** Reads the `key` property of `r` as a MessageQueue-keyed map. */
export function messageQueueMapFromJson<V>(
  r: JsonObjectReader,
  key: string,
  valueFromNode: (node: JsonNode, path: string) => V,
): MessageQueueMap<V> {
  const out = new MessageQueueMap<V>();
  const path = r.sub(key);
  for (const [k, v] of r.entries(key)) {
    // A key that is not an object cannot be a MessageQueue (Java's parser fails the same way).
    if (typeof k === 'string') throw new RemotingCommandException(`invalid ${path}: key ${JSON.stringify(k)} is not a MessageQueue`);
    const mq = messageQueueFromJson(JsonObjectReader.of(k, `${path}<key>`));
    out.set(mq, valueFromNode(v, `${path}[${messageQueueKey(mq)}]`));
  }
  return out;
}
