import type { Message } from '../../common/message/message.js';
import type { MessageQueue } from '../../common/protocol/body/message-queue.js';
import { javaStringHashCode } from '../../common/util/java-hash-map-order.js';

/**
 * Java's MessageQueueSelector: picks the queue of an ordered send from the topic's writable queues.
 * Messages with the same `arg` land in the same queue while the queue list is unchanged.
 */
export interface MessageQueueSelector<A = unknown> {
  select(mqs: readonly MessageQueue[], msg: Message, arg: A): MessageQueue | undefined;
}

/**
 * SelectMessageQueueByHash: `abs(arg.hashCode() % size)` with Java's hashCode for strings
 * (String.hashCode) and integers (Integer/Long.hashCode), so a TS and a Java producer agree.
 */
export class SelectMessageQueueByHash implements MessageQueueSelector<unknown> {
  select(mqs: readonly MessageQueue[], _msg: Message, arg: unknown): MessageQueue | undefined {
    if (mqs.length === 0) return undefined;
    const value = Math.abs(javaHashCode(arg) % mqs.length);
    return mqs[value];
  }
}

/** SelectMessageQueueByRandom. */
export class SelectMessageQueueByRandom implements MessageQueueSelector<unknown> {
  constructor(private readonly random: () => number = Math.random) {}

  select(mqs: readonly MessageQueue[], _msg: Message, _arg: unknown): MessageQueue | undefined {
    if (mqs.length === 0) return undefined;
    return mqs[Math.floor(this.random() * mqs.length)];
  }
}

/**
 * SelectMessageQueueByMachineRoom. Java 4.9.8 ships it as a stub that returns null (so the send fails);
 * here it does what its name says: among the queues whose broker is in one of `consumeridcs` (machine
 * room of a broker = `machineRoomOf(brokerName)`, by default the text before the first `@`), pick by
 * the hash of `arg`; with no such queue (or no rooms configured), pick among all queues.
 */
export class SelectMessageQueueByMachineRoom implements MessageQueueSelector<unknown> {
  consumeridcs: ReadonlySet<string>;
  private readonly machineRoomOf: (brokerName: string) => string;
  private readonly byHash = new SelectMessageQueueByHash();

  constructor(consumeridcs: Iterable<string> = [], machineRoomOf: (brokerName: string) => string = defaultMachineRoom) {
    this.consumeridcs = new Set(consumeridcs);
    this.machineRoomOf = machineRoomOf;
  }

  select(mqs: readonly MessageQueue[], msg: Message, arg: unknown): MessageQueue | undefined {
    const local = mqs.filter((mq) => this.consumeridcs.has(this.machineRoomOf(mq.brokerName)));
    return this.byHash.select(local.length > 0 ? local : mqs, msg, arg);
  }
}

function defaultMachineRoom(brokerName: string): string {
  const at = brokerName.indexOf('@');
  return at < 0 ? brokerName : brokerName.slice(0, at);
}

/** Java's hashCode of the boxed value: Integer, Long (`v ^ v>>>32`), String, Boolean (1231/1237). */
export function javaHashCode(arg: unknown): number {
  if (typeof arg === 'string') return javaStringHashCode(arg);
  if (typeof arg === 'boolean') return arg ? 1231 : 1237;
  if (typeof arg === 'bigint') return Number(BigInt.asIntN(32, arg ^ (arg >> 32n)));
  if (typeof arg === 'number' && Number.isInteger(arg)) {
    if (arg >= -0x80000000 && arg <= 0x7fffffff) return arg;
    const v = BigInt(arg);
    return Number(BigInt.asIntN(32, v ^ (BigInt.asUintN(64, v) >> 32n)));
  }
  if (arg === undefined || arg === null) return 0;
  return javaStringHashCode(String(typeof arg === 'object' ? JSON.stringify(arg) : arg));
}
