import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

import { encodeKVTable } from '../../common/protocol/body/kv-table.js';
import { encodeFastJson } from '../../common/protocol/json/fastjson-writer.js';
import { JsonObjectReader, keyToString, nodeToString } from '../../common/protocol/json/json-object-reader.js';
import type { JsonWritable } from '../../common/protocol/json/json-value.js';
import type { Logger } from '../../common/logging/logger.js';

/** NamesrvUtil.NAMESPACE_ORDER_TOPIC_CONFIG: topic → "brokerA:4;brokerB:4" for ordered topics. */
export const NAMESPACE_ORDER_TOPIC_CONFIG = 'ORDER_TOPIC_CONFIG';

/**
 * The name server's namespaced key/value store (namesrv/kvconfig/KVConfigManager.java), persisted
 * after every change as KVConfigSerializeWrapper JSON, compact like Java's `toJson()`:
 *   {"configTable":{"ORDER_TOPIC_CONFIG":{"TopicA":"broker-a:4"}}}
 * Writes are serialized through one promise chain so two quick puts never interleave their files.
 */
export class KVConfigManager {
  private readonly configTable = new Map<string, Map<string, string>>();
  private persisting: Promise<void> = Promise.resolve();

  constructor(
    private readonly kvConfigPath: string,
    private readonly log: Logger,
  ) {}

  /** Reads the file if there is one; a missing file is an empty table, a corrupt one an error. */
  async load(): Promise<void> {
    let content: Buffer;
    try {
      content = await readFile(this.kvConfigPath);
    } catch (e: unknown) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    if (content.toString('utf8').trim() === '') return;
    const r = JsonObjectReader.parse(content, 'KVConfigSerializeWrapper');
    const path = r.sub('configTable');
    for (const [nsKey, nsNode] of r.entries('configTable')) {
      const namespace = keyToString(nsKey, path);
      const table = new Map<string, string>();
      const nsReader = JsonObjectReader.of(nsNode, `${path}.${namespace}`);
      for (const [k, v] of nsReader.node) {
        if (v === null) continue;
        const key = keyToString(k, nsReader.path);
        table.set(key, nodeToString(v, `${path}.${namespace}.${key}`));
      }
      this.configTable.set(namespace, table);
    }
    this.log.info('kv config loaded', { path: this.kvConfigPath, namespaces: this.configTable.size });
  }

  async putKVConfig(namespace: string, key: string, value: string): Promise<void> {
    let table = this.configTable.get(namespace);
    if (table === undefined) {
      table = new Map();
      this.configTable.set(namespace, table);
    }
    const prev = table.get(key);
    table.set(key, value);
    this.log.info(prev === undefined ? 'putKVConfig create new config item' : 'putKVConfig update config item', {
      namespace,
      key,
      value,
    });
    await this.persist();
  }

  async deleteKVConfig(namespace: string, key: string): Promise<void> {
    const table = this.configTable.get(namespace);
    if (table !== undefined) {
      const value = table.get(key);
      table.delete(key);
      this.log.info('deleteKVConfig delete a config item', { namespace, key, value });
    }
    await this.persist();
  }

  getKVConfig(namespace: string, key: string): string | undefined {
    return this.configTable.get(namespace)?.get(key);
  }

  /** The namespace as a KVTable body, or undefined when the namespace was never written. */
  getKVListByNamespace(namespace: string): Buffer | undefined {
    const table = this.configTable.get(namespace);
    return table === undefined ? undefined : encodeKVTable({ table: new Map(table) });
  }

  /** Resolves once every change made so far is on disk. */
  flush(): Promise<void> {
    return this.persisting;
  }

  /**
   * Snapshot now, write behind the previous write. Written to a temporary file and renamed, so a
   * crash mid-write leaves the previous file intact (Java's MixAll.string2File keeps a .bak for this).
   */
  private persist(): Promise<void> {
    const content = this.serialize();
    const write = async (): Promise<void> => {
      await mkdir(dirname(this.kvConfigPath), { recursive: true });
      const tmp = `${this.kvConfigPath}.tmp`;
      await writeFile(tmp, content);
      await rename(tmp, this.kvConfigPath);
    };
    const next = this.persisting.then(write, write);
    this.persisting = next.catch((e: unknown) => {
      this.log.error('persist kvConfig Exception', { path: this.kvConfigPath, error: e });
    });
    return next;
  }

  private serialize(): Buffer {
    const table = new Map<string, JsonWritable>();
    for (const [ns, kv] of this.configTable) table.set(ns, new Map(kv));
    return encodeFastJson({ configTable: table });
  }
}
