import type { Logger } from '../common/logging/logger.js';
import { createDataVersion, dataVersionToJson, nextDataVersion } from '../common/protocol/body/data-version.js';
import { toFastJson } from '../common/protocol/json/fastjson-writer.js';
import { ConfigError, parseConfigValue, type ConfigSchema } from '../common/util/config-schema.js';
import { formatJavaProperties } from '../common/util/java-properties.js';
import { BROKER_CONFIG_SCHEMA, type BrokerConfig } from './broker-config.js';
import { ConfigFile } from './config-file.js';
import { MESSAGE_STORE_CONFIG_SCHEMA, type MessageStoreConfig } from './store/store-config.js';

/** AdminBrokerProcessor.initConfigBlackList: always refused, whatever `configBlackList` says. */
const BUILT_IN_BLACK_LIST = ['brokerConfigPath', 'rocketmqHome', 'configBlackList'] as const;
/** BrokerConfig.configBlackList is `;`-separated. */
const BLACK_LIST_SEPARATOR = ';';

/**
 * Java's Configuration over the broker's config objects (BrokerConfig + NettyServerConfig, and
 * MessageStoreConfig): GET_BROKER_CONFIG's text and DataVersion, and UPDATE_BROKER_CONFIG — the
 * given properties applied to every object that has the key (as MixAll.properties2Object), then the
 * whole configuration written to the broker config file (Configuration.persist).
 */
export class BrokerConfiguration {
  readonly dataVersion = createDataVersion();
  private readonly file: ConfigFile;

  constructor(
    private readonly brokerConfig: BrokerConfig,
    private readonly storeConfig: MessageStoreConfig,
    /** BrokerPathConfigHelper.getBrokerConfigPath: the `-c` file, else `<store>/config/broker.properties`. */
    readonly path: string,
    private readonly log: Logger,
  ) {
    this.file = new ConfigFile(path, log);
  }

  /** getAllConfigsFormatString: every key as `key=value\n`. */
  allConfigsFormatString(): string {
    return formatJavaProperties([...Object.entries(this.brokerConfig), ...Object.entries(this.storeConfig)]);
  }

  dataVersionJson(): string {
    return toFastJson(dataVersionToJson(this.dataVersion));
  }

  /** The keys UPDATE_BROKER_CONFIG refuses (NO_PERMISSION "Can not update config in black list."). */
  blackList(): Set<string> {
    return new Set<string>([...BUILT_IN_BLACK_LIST, ...this.brokerConfig.configBlackList.split(BLACK_LIST_SEPARATOR)]);
  }

  /**
   * Configuration.update: each pair goes to every config object that knows the key; unknown keys and
   * values that do not parse are skipped (Java ignores them too) and logged. Bumps the DataVersion and
   * persists. Returns the keys applied.
   */
  async update(properties: ReadonlyMap<string, string>): Promise<string[]> {
    const applied: string[] = [];
    const targets: [ConfigSchema, Record<string, string | number | boolean>][] = [
      [BROKER_CONFIG_SCHEMA, this.brokerConfig],
      [MESSAGE_STORE_CONFIG_SCHEMA, this.storeConfig],
    ];
    for (const [key, raw] of properties) {
      let known = false;
      for (const [schema, target] of targets) {
        if (!Object.prototype.hasOwnProperty.call(schema, key)) continue;
        known = true;
        try {
          target[key] = parseConfigValue(schema, key, raw);
          applied.push(key);
        } catch (e: unknown) {
          if (!(e instanceof ConfigError)) throw e;
          this.log.warn('updateBrokerConfig: value ignored', { key, value: raw, reason: e.message });
        }
      }
      if (!known) this.log.warn('updateBrokerConfig: unknown key ignored', { key });
    }
    nextDataVersion(this.dataVersion);
    await this.persist();
    return applied;
  }

  /** Writes the whole configuration to the broker config file; never rejects (failures are logged). */
  persist(): Promise<void> {
    return this.file.persist(this.allConfigsFormatString());
  }
}
