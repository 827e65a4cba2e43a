import type { Logger } from '../../common/logging/logger.js';
import { createDataVersion, nextDataVersion, type DataVersion } from '../../common/protocol/body/data-version.js';
import { createSubscriptionGroupConfig, type SubscriptionGroupConfig } from '../../common/protocol/body/subscription-group-config.js';
import { decodeSubscriptionGroupWrapper, encodeSubscriptionGroupWrapper } from '../../common/protocol/body/subscription-group-wrapper.js';
import { ConfigFile } from '../config-file.js';
import { javaConcurrentHashMapOrder } from '../../common/util/java-hash-map-order.js';

/** MixAll's built-in groups, created in memory at start (SubscriptionGroupManager.init). */
export const BUILT_IN_GROUPS: readonly string[] = [
  'TOOLS_CONSUMER',
  'FILTERSRV_CONSUMER',
  'SELF_TEST_C_GROUP',
  'CID_ONS-HTTP-PROXY',
  'CID_ONSAPI_PULL',
  'CID_ONSAPI_PERMISSION',
  'CID_ONSAPI_OWNER',
];
/** MixAll.CID_SYS_RMQ_TRANS prefix of groups always auto-created (MixAll.isSysConsumerGroup). */
const SYS_CONSUMER_GROUP_PREFIX = 'CID_RMQ_SYS_';
const GROUP_TABLE_INITIAL_CAPACITY = 1024;

/** What processors need of the group table. */
export interface SubscriptionGroupLookup {
  /** The group's config, auto-created (and persisted) when allowed; undefined otherwise. */
  findSubscriptionGroupConfig(group: string): SubscriptionGroupConfig | undefined;
}

/**
 * SubscriptionGroupManager (broker/subscription/SubscriptionGroupManager.java): per consumer group
 * settings (retry queues and times, consume enable, broadcast), persisted to
 * `config/subscriptionGroup.json`.
 */
export class SubscriptionGroupManager implements SubscriptionGroupLookup {
  readonly subscriptionGroupTable = new Map<string, SubscriptionGroupConfig>();
  dataVersion: DataVersion = createDataVersion();
  private readonly file: ConfigFile;

  constructor(
    private readonly autoCreateSubscriptionGroup: () => boolean,
    path: string,
    private readonly log: Logger,
  ) {
    this.file = new ConfigFile(path, log);
    for (const g of BUILT_IN_GROUPS) this.subscriptionGroupTable.set(g, createSubscriptionGroupConfig(g));
  }

  async load(): Promise<void> {
    const text = await this.file.load();
    if (text === undefined) return;
    const w = decodeSubscriptionGroupWrapper(text);
    for (const [name, c] of w.subscriptionGroupTable) this.subscriptionGroupTable.set(name, c);
    this.dataVersion = w.dataVersion;
  }

  findSubscriptionGroupConfig(group: string): SubscriptionGroupConfig | undefined {
    const existing = this.subscriptionGroupTable.get(group);
    if (existing !== undefined) return existing;
    if (!this.autoCreateSubscriptionGroup() && !group.startsWith(SYS_CONSUMER_GROUP_PREFIX)) return undefined;
    const created = createSubscriptionGroupConfig(group);
    this.subscriptionGroupTable.set(group, created);
    this.log.info('auto create a subscription group', { group });
    nextDataVersion(this.dataVersion);
    void this.persist();
    return created;
  }

  updateSubscriptionGroupConfig(config: SubscriptionGroupConfig): void {
    this.subscriptionGroupTable.set(config.groupName, config);
    nextDataVersion(this.dataVersion);
    void this.persist();
  }

  deleteSubscriptionGroupConfig(group: string): boolean {
    if (!this.subscriptionGroupTable.delete(group)) return false;
    nextDataVersion(this.dataVersion);
    void this.persist();
    return true;
  }

  encode(pretty = false): Buffer {
    const table = new Map<string, SubscriptionGroupConfig>();
    for (const name of javaConcurrentHashMapOrder([...this.subscriptionGroupTable.keys()], GROUP_TABLE_INITIAL_CAPACITY)) {
      table.set(name, this.subscriptionGroupTable.get(name)!);
    }
    return encodeSubscriptionGroupWrapper({ subscriptionGroupTable: table, dataVersion: this.dataVersion }, pretty);
  }

  /** Writes subscriptionGroup.json; never rejects. */
  persist(): Promise<void> {
    return this.file.persist(this.encode(true));
  }
}
