import type { Logger } from '../../common/logging/logger.js';
import { createDataVersion, nextDataVersion, type DataVersion } from '../../common/protocol/body/data-version.js';
import { PermName, isInherited } from '../../common/protocol/body/perm-name.js';
import { createTopicConfig, type TopicConfig } from '../../common/protocol/body/topic-config.js';
import {
  decodeTopicConfigSerializeWrapper,
  encodeTopicConfigSerializeWrapper,
  type TopicConfigSerializeWrapper,
} from '../../common/protocol/body/topic-config-serialize-wrapper.js';
import { ConfigFile } from '../config-file.js';
import { javaConcurrentHashMapOrder } from '../../common/util/java-hash-map-order.js';
import { REPLY_TOPIC_POSTFIX, SYSTEM_TOPICS, TopicValidator } from '../../common/protocol/topic-validator.js';

/** TopicConfigManager.SCHEDULE_TOPIC_QUEUE_NUM: one queue per delay level. */
export const SCHEDULE_TOPIC_QUEUE_NUM = 18;
/** The topic table is `new ConcurrentHashMap<>(1024)` in Java (decides topics.json's entry order). */
const TOPIC_TABLE_INITIAL_CAPACITY = 1024;
const BENCHMARK_TOPIC_QUEUE_NUMS = 1024;

/** The BrokerConfig keys the topic table depends on. */
export interface TopicConfigManagerConfig {
  readonly brokerClusterName: string;
  readonly brokerName: string;
  readonly autoCreateTopicEnable: boolean;
  readonly defaultTopicQueueNums: number;
  readonly clusterTopicEnable: boolean;
  readonly brokerTopicEnable: boolean;
  readonly traceTopicEnable: boolean;
  readonly msgTraceTopicName: string;
}

/** What auto-creation notifies: Java calls registerBrokerAll(false, true, true) — a oneway re-registration. */
export type TopicCreatedListener = (topic: TopicConfig) => void;

/** The read side processors need (send, pull, admin). */
export interface TopicConfigLookup {
  selectTopicConfig(topic: string): TopicConfig | undefined;
}

/**
 * TopicConfigManager (broker/topic/TopicConfigManager.java): the broker's topic table with its
 * DataVersion, the system topics Java creates at start, auto-creation from TBW102 on send and of
 * retry/DLQ topics, persisted to `config/topics.json` (pretty fastjson).
 */
export class TopicConfigManager implements TopicConfigLookup {
  readonly topicConfigTable = new Map<string, TopicConfig>();
  dataVersion: DataVersion = createDataVersion();
  private readonly systemTopics = new Set<string>(SYSTEM_TOPICS);
  private readonly file: ConfigFile;

  constructor(
    private readonly config: TopicConfigManagerConfig,
    path: string,
    private readonly log: Logger,
    private readonly onTopicCreated: TopicCreatedListener = () => undefined,
  ) {
    this.file = new ConfigFile(path, log);
    this.createSystemTopics();
  }

  /** Java's ConfigManager.load: entries of topics.json replace the built-in ones; its dataVersion is taken. */
  async load(): Promise<void> {
    const text = await this.file.load();
    if (text === undefined) return;
    const w = decodeTopicConfigSerializeWrapper(text);
    for (const [name, tc] of w.topicConfigTable) this.topicConfigTable.set(name, tc);
    this.dataVersion = w.dataVersion;
  }

  selectTopicConfig(topic: string): TopicConfig | undefined {
    return this.topicConfigTable.get(topic);
  }

  isSystemTopic(topic: string): boolean {
    return this.systemTopics.has(topic) || topic.startsWith(TopicValidator.SYSTEM_TOPIC_PREFIX);
  }

  /** Ordered topics come from the name server's ORDER_TOPIC_CONFIG KV, which we do not read yet. */
  isOrderTopic(topic: string): boolean {
    return this.topicConfigTable.get(topic)?.order ?? false;
  }

  /**
   * createTopicInSendMessageMethod: a topic missing on send inherits from `defaultTopic` (TBW102) when
   * that one carries PERM_INHERIT: min(client's queue count, default's write queues) queues, the
   * default's perm without INHERIT. Undefined when it cannot be created.
   */
  createTopicInSendMessageMethod(topic: string, defaultTopic: string, remoteAddress: string, clientDefaultTopicQueueNums: number, topicSysFlag: number): TopicConfig | undefined {
    const existing = this.topicConfigTable.get(topic);
    if (existing !== undefined) return existing;
    const def = this.topicConfigTable.get(defaultTopic);
    if (def === undefined) {
      this.log.warn('create new topic failed, because the default topic does not exist', { defaultTopic, remoteAddress });
      return undefined;
    }
    if (defaultTopic === TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC && !this.config.autoCreateTopicEnable) {
      def.perm = PermName.PERM_READ | PermName.PERM_WRITE;
    }
    if (!isInherited(def.perm)) {
      this.log.warn('create new topic failed, because the default topic has no inherit perm', { defaultTopic, perm: def.perm, remoteAddress });
      return undefined;
    }
    const queueNums = Math.max(0, Math.min(clientDefaultTopicQueueNums, def.writeQueueNums));
    const tc = createTopicConfig(topic, {
      readQueueNums: queueNums,
      writeQueueNums: queueNums,
      perm: def.perm & ~PermName.PERM_INHERIT,
      topicSysFlag,
      topicFilterType: def.topicFilterType,
    });
    this.log.info('create new topic', { topic, defaultTopic, remoteAddress });
    this.addCreated(tc);
    return tc;
  }

  /** createTopicInSendMessageBackMethod: retry and DLQ topics (and retry topics on heartbeat). */
  createTopicInSendMessageBackMethod(topic: string, queueNums: number, perm: number, topicSysFlag: number): TopicConfig {
    const existing = this.topicConfigTable.get(topic);
    if (existing !== undefined) return existing;
    const tc = createTopicConfig(topic, { readQueueNums: queueNums, writeQueueNums: queueNums, perm, topicSysFlag });
    this.log.info('create new topic', { topic });
    this.addCreated(tc);
    return tc;
  }

  /** UPDATE_AND_CREATE_TOPIC: replace or add, bump the version, persist. */
  updateTopicConfig(tc: TopicConfig): void {
    this.topicConfigTable.set(tc.topicName, tc);
    nextDataVersion(this.dataVersion);
    void this.persist();
  }

  deleteTopicConfig(topic: string): boolean {
    if (!this.topicConfigTable.delete(topic)) return false;
    nextDataVersion(this.dataVersion);
    void this.persist();
    return true;
  }

  /** The table as registered with name servers and answered to GET_ALL_TOPIC_CONFIG (Java's order). */
  buildTopicConfigSerializeWrapper(): TopicConfigSerializeWrapper {
    const table = new Map<string, TopicConfig>();
    for (const name of javaConcurrentHashMapOrder([...this.topicConfigTable.keys()], TOPIC_TABLE_INITIAL_CAPACITY)) {
      table.set(name, { ...this.topicConfigTable.get(name)! });
    }
    return { topicConfigTable: table, dataVersion: { ...this.dataVersion } };
  }

  encode(pretty = false): Buffer {
    return encodeTopicConfigSerializeWrapper(this.buildTopicConfigSerializeWrapper(), pretty);
  }

  /** Writes topics.json; never rejects (failures are logged). */
  persist(): Promise<void> {
    return this.file.persist(this.encode(true));
  }

  private addCreated(tc: TopicConfig): void {
    this.topicConfigTable.set(tc.topicName, tc);
    nextDataVersion(this.dataVersion);
    void this.persist();
    this.onTopicCreated(tc);
  }

  /** The topics Java's constructor creates, in its order. */
  private createSystemTopics(): void {
    const c = this.config;
    const add = (topic: string, fields: Partial<Omit<TopicConfig, 'topicName'>>): void => {
      this.systemTopics.add(topic);
      this.topicConfigTable.set(topic, createTopicConfig(topic, fields));
    };
    add(TopicValidator.RMQ_SYS_SELF_TEST_TOPIC, { readQueueNums: 1, writeQueueNums: 1 });
    if (c.autoCreateTopicEnable) {
      add(TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC, {
        readQueueNums: c.defaultTopicQueueNums,
        writeQueueNums: c.defaultTopicQueueNums,
        perm: PermName.PERM_INHERIT | PermName.PERM_READ | PermName.PERM_WRITE,
      });
    }
    add(TopicValidator.RMQ_SYS_BENCHMARK_TOPIC, { readQueueNums: BENCHMARK_TOPIC_QUEUE_NUMS, writeQueueNums: BENCHMARK_TOPIC_QUEUE_NUMS });
    const rw = PermName.PERM_READ | PermName.PERM_WRITE;
    add(c.brokerClusterName, { perm: PermName.PERM_INHERIT | (c.clusterTopicEnable ? rw : 0) });
    add(c.brokerName, { readQueueNums: 1, writeQueueNums: 1, perm: PermName.PERM_INHERIT | (c.brokerTopicEnable ? rw : 0) });
    add(TopicValidator.RMQ_SYS_OFFSET_MOVED_EVENT, { readQueueNums: 1, writeQueueNums: 1 });
    add(TopicValidator.RMQ_SYS_SCHEDULE_TOPIC, { readQueueNums: SCHEDULE_TOPIC_QUEUE_NUM, writeQueueNums: SCHEDULE_TOPIC_QUEUE_NUM });
    if (c.traceTopicEnable) add(c.msgTraceTopicName, { readQueueNums: 1, writeQueueNums: 1 });
    add(`${c.brokerClusterName}_${REPLY_TOPIC_POSTFIX}`, { readQueueNums: 1, writeQueueNums: 1 });
  }
}
