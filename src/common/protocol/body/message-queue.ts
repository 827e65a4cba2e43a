import type { JsonBean } from '../json/json-value.js';
import type { JsonObjectReader } from '../json/json-object-reader.js';

/** A queue of a topic on one broker (common/message/MessageQueue.java; PROTOCOL.md §2.3). */
export interface MessageQueue {
  readonly topic: string;
  readonly brokerName: string;
  readonly queueId: number;
}

export function createMessageQueue(topic: string, brokerName: string, queueId: number): MessageQueue {
  return { topic, brokerName, queueId };
}

/**
 * A stable string identity for maps and sets keyed by queue. JSON-array text, so no topic or
 * broker name (which peers do not validate) can make two queues collide.
 */
export function messageQueueKey(mq: MessageQueue): string {
  return JSON.stringify([mq.topic, mq.brokerName, mq.queueId]);
}

/** The queue a {@link messageQueueKey} was made from. */
export function parseMessageQueueKey(key: string): MessageQueue {
  const [topic, brokerName, queueId] = JSON.parse(key) as [string, string, number];
  return { topic, brokerName, queueId };
}

export function messageQueueEquals(a: MessageQueue, b: MessageQueue): boolean {
  return a.topic === b.topic && a.brokerName === b.brokerName && a.queueId === b.queueId;
}

/** MessageQueue.compareTo: topic, then brokerName (String.compareTo), then queueId. */
export function compareMessageQueue(a: MessageQueue, b: MessageQueue): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  if (a.brokerName !== b.brokerName) return a.brokerName < b.brokerName ? -1 : 1;
  return a.queueId - b.queueId;
}

/** MessageQueue.toString, as Java logs it and AllocateMessageQueueConsistentHash hashes it. */
export function messageQueueToString(mq: MessageQueue): string {
  return `MessageQueue [topic=${mq.topic}, brokerName=${mq.brokerName}, queueId=${mq.queueId}]`;
}

export function messageQueueToJson(mq: MessageQueue): JsonBean {
  return { brokerName: mq.brokerName, queueId: mq.queueId, topic: mq.topic };
}

export function messageQueueFromJson(r: JsonObjectReader): MessageQueue {
  return { topic: r.requiredString('topic'), brokerName: r.requiredString('brokerName'), queueId: r.int('queueId', 0) };
}
