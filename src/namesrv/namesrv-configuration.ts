import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

import type { Logger } from '../common/logging/logger.js';
import { ConfigError, parseConfigValue } from '../common/util/config-schema.js';
import { formatJavaProperties } from '../common/util/java-properties.js';
import { NAMESRV_CONFIG_SCHEMA, type NamesrvConfig } from './namesrv-config.js';

/** Keys DefaultRequestProcessor.initConfigBlackList always refuses, whatever `configBlackList` says. */
const FIXED_CONFIG_BLACK_LIST = ['configBlackList', 'configStorePath', 'kvConfigPath', 'rocketmqHome'] as const;

export type NamesrvKey = keyof NamesrvConfig;

/** Why an UPDATE_NAMESRV_CONFIG was refused; `kind` picks the response code. */
export class NamesrvConfigUpdateError extends Error {
  constructor(
    readonly kind: 'blacklisted' | 'bad-value' | 'not-persisted',
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'NamesrvConfigUpdateError';
  }
}

/**
 * The name server's runtime view of its configuration (common/Configuration.java as NamesrvController
 * sets it up, with setStorePathFromConfig(namesrvConfig, "configStorePath")): all keys as
 * java.util.Properties text for GET_NAMESRV_CONFIG, and UPDATE_NAMESRV_CONFIG applied to the live
 * NamesrvConfig object and then written whole to `configStorePath`.
 *
 * Kept from Java: the black list (fixed keys + `configBlackList` split on ';', read once at
 * construction) refuses the whole update; keys the name server does not know are ignored
 * (Configuration.mergeIfExist); the store path is read from the config at every write; the write
 * goes through `<path>.tmp` and keeps the previous file as `<path>.bak` (MixAll.string2File); the
 * answer is sent after the file is written. Deliberately stricter: a value that does not parse
 * (Java's properties2Object drops it silently and still answers SUCCESS) refuses the whole update
 * and names the key, so nothing is half-applied. Keys come out in schema order, not Hashtable
 * order: our key set differs from Java's NamesrvConfig + NettyServerConfig anyway.
 */
export class NamesrvConfiguration {
  /** The keys refused by UPDATE_NAMESRV_CONFIG. */
  readonly blackList: ReadonlySet<string>;
  private persisting: Promise<void> = Promise.resolve();

  constructor(
    readonly config: NamesrvConfig,
    private readonly log: Logger,
    /** Called with the keys whose value changed, after they changed (lets the controller apply them live). */
    private readonly onChange: (changed: readonly NamesrvKey[]) => void = () => undefined,
  ) {
    // Java splits the configured list once, when its DefaultRequestProcessor is built.
    this.blackList = new Set<string>([...FIXED_CONFIG_BLACK_LIST, ...config.configBlackList.split(';').filter((k) => k !== '')]);
  }

  /** Every key as `key=value\n` lines (Configuration.getAllConfigsFormatString). */
  formatAll(): string {
    return formatJavaProperties(Object.keys(NAMESRV_CONFIG_SCHEMA).map((k) => [k, this.config[k as NamesrvKey]] as const));
  }

  /**
   * Applies `properties` and persists every key. Throws NamesrvConfigUpdateError: `blacklisted`
   * (nothing applied), `bad-value` (nothing applied), `not-persisted` (applied in memory, the file
   * write failed).
   */
  async update(properties: ReadonlyMap<string, string>): Promise<NamesrvKey[]> {
    const refused = [...properties.keys()].filter((k) => this.blackList.has(k));
    if (refused.length > 0) throw new NamesrvConfigUpdateError('blacklisted', `Can not update config in black list. ${refused.join(', ')}`);
    const parsed: [NamesrvKey, string | number | boolean][] = [];
    const ignored: string[] = [];
    for (const [key, raw] of properties) {
      if (!Object.prototype.hasOwnProperty.call(NAMESRV_CONFIG_SCHEMA, key)) {
        ignored.push(key);
        continue;
      }
      try {
        parsed.push([key as NamesrvKey, parseConfigValue(NAMESRV_CONFIG_SCHEMA, key, raw)]);
      } catch (e: unknown) {
        if (!(e instanceof ConfigError)) throw e;
        throw new NamesrvConfigUpdateError('bad-value', e.message, { cause: e });
      }
    }
    if (ignored.length > 0) this.log.warn('updateConfig ignores unknown keys', { keys: ignored });
    const changed: NamesrvKey[] = [];
    const target = this.config as Record<NamesrvKey, string | number | boolean>;
    for (const [key, value] of parsed) {
      if (target[key] === value) continue;
      this.log.info('Replace', { key, from: target[key], to: value });
      target[key] = value;
      changed.push(key);
    }
    if (changed.length > 0) this.onChange(changed);
    try {
      await this.persist();
    } catch (e: unknown) {
      throw new NamesrvConfigUpdateError('not-persisted', `config updated but not persisted to ${this.config.configStorePath}: ${(e as Error).message}`, {
        cause: e,
      });
    }
    return changed;
  }

  /** Resolves once every write started so far has ended. */
  flush(): Promise<void> {
    return this.persisting;
  }

  /** Snapshot now, write behind the previous write (two quick updates never interleave their files). */
  private persist(): Promise<void> {
    const content = this.formatAll();
    const path = this.config.configStorePath;
    const write = async (): Promise<void> => {
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.tmp`;
      await writeFile(tmp, content);
      const previous = await readIfExists(path);
      if (previous !== undefined) await writeFile(`${path}.bak`, previous);
      await rename(tmp, path);
    };
    const next = this.persisting.then(write, write);
    this.persisting = next.catch(async (e: unknown) => {
      this.log.error('persist string2File error', { path, error: e });
      // A failed write must not leave its half-written temporary file behind for the next one.
      await rm(`${path}.tmp`, { force: true }).catch((rmError: unknown) => this.log.warn('cannot remove temporary config file', { error: rmError }));
    });
    return next;
  }
}

async function readIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (e: unknown) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
