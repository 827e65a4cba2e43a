import type { Logger } from '../../common/logging/logger.js';
import {
  TOPIC_GROUP_SEPARATOR,
  decodeConsumerOffsetSerializeWrapper,
  encodeConsumerOffsetSerializeWrapper,
  splitTopicAtGroup,
} from '../../common/protocol/body/consumer-offset-serialize-wrapper.js';
import { ConfigFile } from '../config-file.js';

/** What the consumer-manage and pull processors need. */
export interface ConsumerOffsetStore {
  commitOffset(clientHost: string, group: string, topic: string, queueId: number, offset: number): void;
  /** The stored offset, or -1 when there is none (Java's queryOffset). */
  queryOffset(group: string, topic: string, queueId: number): number;
}

/**
 * ConsumerOffsetManager (broker/offset/ConsumerOffsetManager.java): committed consume offsets by
 * `topic@group` and queue, persisted to `config/consumerOffset.json` by the controller every
 * flushConsumerOffsetInterval (5 s) and at shutdown.
 */
export class ConsumerOffsetManager implements ConsumerOffsetStore {
  /** `topic@group` → queueId → offset. */
  readonly offsetTable = new Map<string, Map<number, number>>();
  private readonly file: ConfigFile;

  constructor(path: string, private readonly log: Logger) {
    this.file = new ConfigFile(path, log);
  }

  async load(): Promise<void> {
    const text = await this.file.load();
    if (text === undefined) return;
    for (const [key, offsets] of decodeConsumerOffsetSerializeWrapper(text).offsetTable) this.offsetTable.set(key, offsets);
  }

  commitOffset(clientHost: string, group: string, topic: string, queueId: number, offset: number): void {
    const key = topic + TOPIC_GROUP_SEPARATOR + group;
    let map = this.offsetTable.get(key);
    if (map === undefined) {
      map = new Map();
      this.offsetTable.set(key, map);
    }
    const prev = map.get(queueId);
    map.set(queueId, offset);
    if (prev !== undefined && offset < prev) {
      this.log.warn('update consumer offset less than store', { clientHost, key, queueId, requestOffset: offset, storeOffset: prev });
    }
  }

  queryOffset(group: string, topic: string, queueId: number): number {
    return this.offsetTable.get(topic + TOPIC_GROUP_SEPARATOR + group)?.get(queueId) ?? -1;
  }

  /** Topics the group has offsets for (whichTopicByConsumer). */
  whichTopicByConsumer(group: string): string[] {
    const out: string[] = [];
    for (const key of this.offsetTable.keys()) {
      const parts = splitTopicAtGroup(key);
      if (parts !== undefined && parts.group === group) out.push(parts.topic);
    }
    return out;
  }

  /** Groups with offsets for the topic (whichGroupByTopic, for QUERY_TOPIC_CONSUME_BY_WHO). */
  whichGroupByTopic(topic: string): string[] {
    const out: string[] = [];
    for (const key of this.offsetTable.keys()) {
      const parts = splitTopicAtGroup(key);
      if (parts !== undefined && parts.topic === topic) out.push(parts.group);
    }
    return out;
  }

  removeOffset(group: string): void {
    for (const key of [...this.offsetTable.keys()]) {
      if (splitTopicAtGroup(key)?.group === group) this.offsetTable.delete(key);
    }
  }

  encode(pretty = false): Buffer {
    return encodeConsumerOffsetSerializeWrapper({ offsetTable: this.offsetTable }, pretty);
  }

  /** Writes consumerOffset.json; never rejects. */
  persist(): Promise<void> {
    return this.file.persist(this.encode(true));
  }
}
