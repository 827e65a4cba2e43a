import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { LocalCluster } from '../../../../src/broker/local-cluster.js';
import { DefaultMQProducer } from '../../../../src/client/producer/default-mq-producer.js';
import { createLogger, type Logger } from '../../../../src/common/logging/logger.js';
import { Message } from '../../../../src/common/message/message.js';

/** Small store files: a test cluster stays light. */
const SMALL_STORE = { mappedFileSizeCommitLog: 4 * 1024 * 1024, mappedFileSizeConsumeQueue: 20 * 1000, writeBufferSize: 4 * 1024 * 1024 + 128 * 1024 };

export const quietLogger: Logger = createLogger('consumer-test', { level: (process.env['RMQ_TEST_LOG'] as 'debug' | undefined) ?? 'silent' });

let seq = 0;
/** A name unique in this run (topics and groups of different tests never meet). */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now() % 100000}_${seq++}`;
}

/** One test's cluster, producer and clean-ups. */
export class ConsumerFixture {
  cluster!: LocalCluster;
  producer!: DefaultMQProducer;
  readonly offsetDir = mkdtempSync(join(tmpdir(), 'rmq-consumer-offsets-'));
  private readonly cleanups: (() => Promise<void>)[] = [];

  /** `messageDelayLevel` replaces the broker's delay levels (e.g. all 1 s to keep retries short). */
  async start(messageDelayLevel?: string): Promise<void> {
    this.cluster = await LocalCluster.start({ messageStoreConfig: messageDelayLevel === undefined ? SMALL_STORE : { ...SMALL_STORE, messageDelayLevel } });
    this.producer = new DefaultMQProducer({ producerGroup: uniqueName('PG'), namesrvAddr: this.cluster.namesrvAddr, logger: quietLogger });
    await this.producer.start();
  }

  get namesrvAddr(): string {
    return this.cluster.namesrvAddr;
  }

  onClose(fn: () => Promise<void>): void {
    this.cleanups.push(fn);
  }

  /** Sends `n` messages (keys `k0…`), round-robin over the topic's queues; creates the topic on first send. */
  async send(topic: string, n: number, tags?: (i: number) => string | undefined): Promise<string[]> {
    const keys: string[] = [];
    for (let i = 0; i < n; i++) {
      const key = `k${i}`;
      await this.producer.send(new Message(topic, tags?.(i), key, `body-${i}`));
      keys.push(key);
    }
    return keys;
  }

  async close(): Promise<void> {
    for (const fn of this.cleanups.reverse()) {
      try {
        await fn();
      } catch (e) {
        quietLogger.warn('cleanup failed', { error: e instanceof Error ? e.message : String(e) });
      }
    }
    await this.producer?.shutdown();
    await this.cluster?.stop();
    rmSync(this.offsetDir, { recursive: true, force: true });
  }
}

/** Resolves when `cond()` holds, polling every 20 ms; rejects after `timeoutMillis` with `what`. */
export async function waitFor(cond: () => boolean, timeoutMillis: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMillis} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
