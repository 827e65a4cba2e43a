import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { createLogger } from '../../../src/common/logging/logger.js';
import { HAService } from '../../../src/broker/ha/ha-service.js';
import type { DefaultMessageStore } from '../../../src/broker/store/message-store.js';
import type { MessageStoreConfig } from '../../../src/broker/store/store-config.js';
import { inner, openStore, smallConfig } from '../store/store-fixtures.js';

/** 256 KiB CommitLog files: tens of MB roll a hundred times. */
export const HA_FILE_SIZE = 256 * 1024;

export function haConfig(root: string, overrides: Partial<MessageStoreConfig> = {}): MessageStoreConfig {
  return smallConfig(root, { mappedFileSizeCommitLog: HA_FILE_SIZE, writeBufferSize: HA_FILE_SIZE, mappedFileSizeConsumeQueue: 20 * 1000, maxMessageSize: 64 * 1024, ...overrides });
}

/** A store with its HAService listening on loopback (port 0 = any). */
export interface HANode {
  store: DefaultMessageStore;
  ha: HAService;
}

export async function startNode(config: MessageStoreConfig, port = 0): Promise<HANode> {
  const store = await openStore(config);
  const ha = new HAService(store, config, { reconnectIntervalMillis: 200, log: createLogger('ha-test') });
  store.haService = ha;
  await ha.start('127.0.0.1', port);
  return { store, ha };
}

export async function stopNode(n: HANode): Promise<void> {
  await n.ha.shutdown();
  await n.store.shutdown();
}

/** Puts `bytes` worth of messages of `bodySize` over `queues` queues of `topic`; returns the count. */
export async function fill(store: DefaultMessageStore, topic: string, bytes: number, bodySize = 4000, queues = 4): Promise<number> {
  const body = Buffer.alloc(bodySize, 0x61);
  const n = Math.ceil(bytes / bodySize);
  const puts: Promise<unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const m = inner(topic, i % queues, body, `tag${i % 3}`);
    m.keys = `k${i}`;
    puts.push(store.putMessage(m));
    if (puts.length >= 256) await Promise.all(puts.splice(0));
  }
  await Promise.all(puts);
  return n;
}

export async function waitFor(what: string, cond: () => boolean, timeoutMillis = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until the slave holds everything the master has and dispatched it. */
export async function waitCaughtUp(master: DefaultMessageStore, slave: DefaultMessageStore, timeoutMillis = 20_000): Promise<void> {
  await waitFor('slave catch-up', () => slave.getMaxPhyOffset() === master.getMaxPhyOffset() && slave.dispatchBehindBytes() === 0 && master.dispatchBehindBytes() === 0, timeoutMillis);
}

/** name → bytes of every file in `dir` (recursively, relative names). */
export async function readTree(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const walk = async (d: string, rel: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(join(d, e.name), join(rel, e.name));
      else out.set(join(rel, e.name), await readFile(join(d, e.name)));
    }
  };
  await walk(dir, '');
  return out;
}
