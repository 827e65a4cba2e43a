import { homedir } from 'node:os';
import { join } from 'node:path';

import { applyConfig, defaultConfig, type ConfigOf, type ConfigSchema } from '../common/util/config-schema.js';

/** NettyServerConfig's listenPort as the name server sets it (NamesrvStartup: 9876). */
export const DEFAULT_NAMESRV_PORT = 9876;
/** RouteInfoManager.BROKER_CHANNEL_EXPIRED_TIME: a broker silent this long is dropped (2 min). */
export const BROKER_CHANNEL_EXPIRED_TIME_MILLIS = 2 * 60 * 1000;
/** NamesrvController schedules scanNotActiveBroker every 10 s … */
export const SCAN_NOT_ACTIVE_BROKER_INTERVAL_MILLIS = 10 * 1000;
/** … after a 5 s initial delay. */
export const SCAN_NOT_ACTIVE_BROKER_INITIAL_DELAY_MILLIS = 5 * 1000;

/** Java keeps namesrv state under `$HOME/namesrv`; ours lives beside the rest of rocketmq-ts's state. */
export const DEFAULT_NAMESRV_HOME = join(homedir(), '.rocketmq-ts', 'namesrv');

/**
 * NamesrvConfig + the NettyServerConfig keys that make sense for the name server, under RocketMQ's
 * own key names. Two keys are ours: Java hard-codes the scan interval and the expiry time, tests
 * need them short; `bindAddress` picks the listening interface (Java binds every interface).
 */
export const NAMESRV_CONFIG_SCHEMA = {
  rocketmqHome: { type: 'string', default: process.env['ROCKETMQ_HOME'] ?? '' },
  kvConfigPath: { type: 'string', default: join(DEFAULT_NAMESRV_HOME, 'kvConfig.json') },
  configStorePath: { type: 'string', default: join(DEFAULT_NAMESRV_HOME, 'namesrv.properties') },
  productEnvName: { type: 'string', default: 'center' },
  clusterTest: { type: 'boolean', default: false },
  orderMessageEnable: { type: 'boolean', default: false },
  configBlackList: { type: 'string', default: 'configBlackList;configStorePath;kvConfigPath' },
  scanNotActiveBrokerInterval: {
    type: 'long',
    default: SCAN_NOT_ACTIVE_BROKER_INTERVAL_MILLIS,
    min: 1,
    doc: 'milliseconds between two scans for expired brokers',
  },
  brokerChannelExpiredTime: {
    type: 'long',
    default: BROKER_CHANNEL_EXPIRED_TIME_MILLIS,
    min: 1,
    doc: 'milliseconds without registration after which a broker is removed',
  },
  listenPort: { type: 'int', default: DEFAULT_NAMESRV_PORT, min: 0, max: 65535 },
  bindAddress: { type: 'string', default: '0.0.0.0' },
  serverChannelMaxIdleTimeSeconds: { type: 'int', default: 120, min: 0 },
  serverSocketBacklog: { type: 'int', default: 1024, min: 1 },
} as const satisfies ConfigSchema;

/** The schema's literal defaults widened to their value types (`9876` → number). */
type Widen<V> = V extends string ? string : V extends number ? number : V extends boolean ? boolean : V;
export type NamesrvConfig = { -readonly [K in keyof typeof NAMESRV_CONFIG_SCHEMA]: Widen<(typeof NAMESRV_CONFIG_SCHEMA)[K]['default']> };

/** Defaults overlaid with `overrides` (typed values, e.g. from code or tests). */
export function createNamesrvConfig(overrides: Partial<NamesrvConfig> = {}): NamesrvConfig {
  const config: NamesrvConfig = defaultConfig(NAMESRV_CONFIG_SCHEMA);
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if (!Object.prototype.hasOwnProperty.call(NAMESRV_CONFIG_SCHEMA, key)) {
      // Same rule as the CLI: a key we do not know is a mistake, not something to ignore.
      applyConfig(NAMESRV_CONFIG_SCHEMA, config as ConfigOf<typeof NAMESRV_CONFIG_SCHEMA>, [[key, String(value)]]);
    }
    (config as Record<string, string | number | boolean>)[key] = value;
  }
  return config;
}

/**
 * Applies textual `key=value` pairs (a properties file, then `--key=value`); throws ConfigError
 * naming an unknown key or a bad value.
 */
export function applyNamesrvConfig(config: NamesrvConfig, pairs: Iterable<readonly [string, string]>): NamesrvConfig {
  applyConfig(NAMESRV_CONFIG_SCHEMA, config as ConfigOf<typeof NAMESRV_CONFIG_SCHEMA>, pairs);
  return config;
}
