import { open, rm } from 'node:fs/promises';

import { DefaultMessageStore } from '../../src/broker/store/message-store.js';
import type { MessageStoreConfig } from '../../src/broker/store/store-config.js';
import { inner, smallConfig, tempStoreDir } from '../../test/integration/store/store-fixtures.js';
import type { BenchArgs } from '../lib/args.js';
import { registerScenario } from '../lib/registry.js';
import type { BenchResult } from '../lib/report.js';
import { LatencyRecorder, RssSampler } from '../lib/stats.js';

const MiB = 1024 * 1024;
const RAW_CHUNK = 4 * MiB;

/**
 * DefaultMessageStore alone (no network): ASYNC_FLUSH with and without the write-buffer pool,
 * SYNC_FLUSH with 1/16/64 producers, beside a raw sequential write + fdatasync of the same volume.
 */
registerScenario({
  name: 'store-append',
  description: 'DefaultMessageStore.putMessage vs a raw sequential file write of the same volume',
  async run(args: BenchArgs): Promise<BenchResult[]> {
    const out: BenchResult[] = [];
    const variants: [string, Partial<MessageStoreConfig>, number][] = [
      ['async', {}, 64],
      ['async-pool', { transientStorePoolEnable: true }, 64],
      ['sync-1', { flushDiskType: 'SYNC_FLUSH' }, 1],
      ['sync-16', { flushDiskType: 'SYNC_FLUSH' }, 16],
      ['sync-64', { flushDiskType: 'SYNC_FLUSH' }, 64],
    ];
    for (const [name, cfg, producers] of variants) {
      const r = await runStore(args, name, cfg, producers);
      const raw = await runRaw(args, r.messages * args.msgSize);
      r.ratioToRaw = r.mbPerSec / raw;
      r.rawMbPerSec = raw;
      out.push(r);
    }
    return out;
  },
  summarize: (results) => results.map((r) => `${r.scenario}: ${(Number(r.ratioToRaw) * 100).toFixed(1)} % of raw ${Number(r.rawMbPerSec).toFixed(0)} MiB/s`),
});

async function runStore(args: BenchArgs, name: string, cfg: Partial<MessageStoreConfig>, producers: number): Promise<BenchResult> {
  const root = await tempStoreDir();
  const store = new DefaultMessageStore(smallConfig(root, { mappedFileSizeCommitLog: 256 * MiB, maxMessageSize: 4 * MiB, writeBufferSize: 8 * MiB, ...cfg }));
  await store.start();
  const rss = new RssSampler();
  const lat = new LatencyRecorder();
  const body = Buffer.alloc(args.msgSize, 0x61);
  const deadline = performance.now() + args.seconds * 1000;
  let messages = 0;
  const begin = performance.now();
  await Promise.all(
    Array.from({ length: producers }, async (_, p) => {
      while (performance.now() < deadline) {
        const t = performance.now();
        await store.putMessage(inner('BenchTopic', p % 8, body));
        lat.record(performance.now() - t);
        messages++;
      }
    }),
  );
  const seconds = (performance.now() - begin) / 1000;
  await store.shutdown();
  await rm(root, { recursive: true, force: true });
  const [p50, p99] = lat.percentiles(50, 99);
  return {
    scenario: `store-append-${name}`,
    msgSize: args.msgSize,
    messages,
    seconds,
    msgsPerSec: messages / seconds,
    mbPerSec: (messages * args.msgSize) / seconds / MiB,
    p50Ms: p50!,
    p99Ms: p99!,
    maxRssMb: rss.stop(),
    producers,
  };
}

/** Raw baseline: sequential 4 MiB positional writes of `bytes`, then one fdatasync; MiB/s. */
async function runRaw(args: BenchArgs, bytes: number): Promise<number> {
  const root = await tempStoreDir();
  const h = await open(`${root}/raw`, 'w');
  const chunk = Buffer.alloc(RAW_CHUNK, 0x61);
  const begin = performance.now();
  for (let pos = 0; pos < bytes; pos += RAW_CHUNK) await h.write(chunk, 0, Math.min(RAW_CHUNK, bytes - pos), pos);
  await h.datasync();
  const seconds = (performance.now() - begin) / 1000;
  await h.close();
  await rm(root, { recursive: true, force: true });
  void args;
  return bytes / MiB / Math.max(seconds, 1e-6);
}
