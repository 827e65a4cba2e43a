import { copyFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

import type { Logger } from '../common/logging/logger.js';

/** MixAll.string2File writes `<file>.tmp`, keeps the previous content as `<file>.bak`, then renames. */
const TMP_SUFFIX = '.tmp';
const BAK_SUFFIX = '.bak';

/**
 * One JSON config file of the broker (Java's ConfigManager: topics.json, subscriptionGroup.json,
 * consumerOffset.json). Writes are serialized, so the last persist always wins, and crash-safe: the
 * new content goes to a temporary file that replaces the old one by rename, with the old one kept as
 * `.bak` — which `load` falls back to, as ConfigManager.loadBak does.
 */
export class ConfigFile {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly log: Logger,
  ) {}

  /** The file's text, else the backup's, else undefined (first start). */
  async load(): Promise<string | undefined> {
    for (const p of [this.path, this.path + BAK_SUFFIX]) {
      try {
        const text = await readFile(p, 'utf8');
        if (text.length > 0) return text;
      } catch (e: unknown) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    return undefined;
  }

  /**
   * Queues a write of `content` (built now, written in order); resolves once it is on disk. Never
   * rejects: a failed write is logged (as Java's ConfigManager.persist does) and the next persist
   * writes the whole state again.
   */
  persist(content: Buffer | string): Promise<void> {
    this.chain = this.chain
      .then(() => this.write(content))
      .catch((e: unknown) => this.log.error('config file write failed', { path: this.path, error: e }));
    return this.chain;
  }

  /** Resolves once every queued write finished. */
  flushed(): Promise<void> {
    return this.chain;
  }

  private async write(content: Buffer | string): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const tmp = this.path + TMP_SUFFIX;
    await writeFile(tmp, content);
    try {
      await copyFile(this.path, this.path + BAK_SUFFIX);
    } catch (e: unknown) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    await rename(tmp, this.path);
  }
}
