import { open, rm } from 'node:fs/promises';

import { DefaultMessageStore } from '../../src/broker/store/message-store.js';
import type { MessageStoreConfig } from '../../src/broker/store/store-config.js';
import { intOption, type BenchArgs } from '../lib/args.js';
import { registerScenario } from '../lib/registry.js';
import type { BenchResult } from '../lib/report.js';
import { LatencyRecorder, RssSampler } from '../lib/stats.js';
import { benchMessage, benchStoreConfig, tempStoreDir } from '../lib/store-fixtures.js';

const MiB = 1024 * 1024;
/** Raw ASYNC baseline chunk: what an efficient sequential writer issues (the store commits 8 MiB buffers). */
const RAW_CHUNK = 4 * MiB;
const TOPIC = 'BenchTopic';
const QUEUES = 8;
/** getMessage batch of the scan (a pull's default maxMsgNums). */
const SCAN_BATCH = 32;

interface Variant {
  readonly name: string;
  readonly config: Partial<MessageStoreConfig>;
  readonly producers: number;
  readonly sync: boolean;
}

/** Messages the opt-in `hold10m` variant puts (issue 5: RSS while holding 10 M small messages); `--messages N` overrides. */
const HOLD_MESSAGES = 10_000_000;
/** The hold variant's put latencies are sampled, 1 put in this many. */
const HOLD_LATENCY_SAMPLING = 64;

const VARIANTS: readonly Variant[] = [
  { name: 'async', config: {}, producers: 64, sync: false },
  { name: 'async-pool', config: { transientStorePoolEnable: true }, producers: 64, sync: false },
  // The opt-in index worker (messageIndexWorkerEnable): less main-thread CPU per put, another thread busy.
  { name: 'async-idxworker', config: { messageIndexWorkerEnable: true }, producers: 64, sync: false },
  { name: 'sync-1', config: { flushDiskType: 'SYNC_FLUSH' }, producers: 1, sync: true },
  { name: 'sync-16', config: { flushDiskType: 'SYNC_FLUSH' }, producers: 16, sync: true },
  { name: 'sync-64', config: { flushDiskType: 'SYNC_FLUSH' }, producers: 64, sync: true },
];

/**
 * DefaultMessageStore alone (no network): ASYNC_FLUSH with and without the write-buffer pool and
 * SYNC_FLUSH with 1/16/64 producers, each followed at once by a raw write of the same volume to the
 * same disk (so a busy machine slows both alike). `--variants async,sync-64` picks some.
 *
 * The volume is what the store wrote: its CommitLog bytes (a 1 KiB body is a ~1.2 KiB record with its
 * header, topic and properties). `ratioToRaw` compares the store's write bandwidth (CommitLog bytes
 * per second) with the raw writer's; `payloadRatioToRaw` compares the message bodies alone (what the
 * producers handed in) with it, for reference.
 *
 * The raw baselines are what an efficient writer gets from the disk under the same durability rule:
 * - ASYNC: sequential 4 MiB positional writes, one fdatasync at the end (ASYNC_FLUSH acknowledges
 *   before the data is durable, and its flush service syncs behind the writes).
 * - SYNC: N producers each waiting for a durable ack can have at most N × size bytes outstanding, so
 *   the raw writer writes N × size bytes and fdatasyncs, again and again (a group of N puts per sync
 *   is the best any SYNC_FLUSH store can do); size is the store's mean record size (`recordBytes`).
 *   `ratioToRaw` is against this; `ratioToRawEndSync` is against the ASYNC-style raw (one sync at
 *   the end), for reference.
 *
 * After the first ASYNC variant (unless `--scan false`) the stored messages are scanned with
 * getMessage, 32 at a time, the 8 queues in turn (what a consumer of the topic catching up does): the
 * `store-scan-get32` row.
 */
registerScenario({
  name: 'store-append',
  description: 'DefaultMessageStore.putMessage vs a raw sequential file write of the same volume; getMessage scan',
  async run(args: BenchArgs): Promise<BenchResult[]> {
    const picked = args.extra.get('variants')?.split(',');
    const unknown = picked?.filter((n) => n !== 'hold10m' && !VARIANTS.some((v) => v.name === n)) ?? [];
    if (unknown.length > 0) throw new Error(`--variants: unknown ${unknown.join(', ')}; known: ${VARIANTS.map((v) => v.name).join(', ')}, hold10m`);
    const out: BenchResult[] = [];
    if (picked?.includes('hold10m') === true) out.push(...(await runHold(args, intOption(args, 'messages', HOLD_MESSAGES))));
    let scanned = args.extra.get('scan') === 'false';
    for (const v of VARIANTS) {
      if (picked !== undefined && !picked.includes(v.name)) continue;
      const scan: boolean = !v.sync && !scanned;
      scanned ||= scan;
      const results = await runStore(args, v, scan);
      const r = results[0]!;
      // The same volume as the store wrote: its CommitLog bytes, records with their headers and properties.
      const bytes = Number(r.commitLogBytes);
      const rawEndSync = await runRaw(bytes, RAW_CHUNK, false);
      const raw = v.sync ? await runRaw(bytes, v.producers * Number(r.recordBytes), true) : rawEndSync;
      r.rawMbPerSec = raw;
      r.ratioToRaw = Number(r.commitLogMbPerSec) / raw;
      r.payloadRatioToRaw = r.mbPerSec / raw;
      if (v.sync) {
        r.rawEndSyncMbPerSec = rawEndSync;
        r.ratioToRawEndSync = Number(r.commitLogMbPerSec) / rawEndSync;
      }
      out.push(...results);
    }
    return out;
  },
  summarize: (results) =>
    results.map((r) => {
      if (r.scenario.startsWith('store-hold')) {
        return `${r.scenario}: RSS ${Number(r.rssMb).toFixed(0)} MiB (peak ${Number(r.maxRssMb).toFixed(0)}) holding ${Number(r.held).toLocaleString('en-US')} messages (target < 250 MB) — heapUsed ${Number(r.heapUsedMb).toFixed(0)}, external ${Number(r.externalMb).toFixed(0)}, arrayBuffers ${Number(r.arrayBuffersMb).toFixed(0)} MiB`;
      }
      const cpu = `${Math.round(r.messages / Number(r.cpuSeconds)).toLocaleString('en-US')} msgs per CPU second, CPU ${pct(Number(r.cpuSeconds) / r.seconds)} of wall`;
      if (r.scenario === 'store-scan-get32') return `${r.scenario}: ${Math.round(r.msgsPerSec).toLocaleString('en-US')} msgs/s (target ≥ 200k); ${cpu}`;
      const wrote = `CommitLog ${Number(r.commitLogMbPerSec).toFixed(0)} MiB/s = ${pct(r.ratioToRaw)} of raw ${Number(r.rawMbPerSec).toFixed(0)} MiB/s`;
      const bodies = `message bodies ${r.mbPerSec.toFixed(0)} MiB/s = ${pct(r.payloadRatioToRaw)} of raw`;
      if (r.ratioToRawEndSync === undefined) return `${r.scenario}: ${wrote} (target ≥ 50 %); ${bodies}; ${cpu}`;
      return `${r.scenario}: ${wrote} synced every ${Number(r.producers) * Number(r.recordBytes)} B (target for 64 producers ≥ 30 %); ${bodies}; ${pct(r.ratioToRawEndSync)} of raw ${Number(r.rawEndSyncMbPerSec).toFixed(0)} MiB/s synced once; ${cpu}`;
    }),
});

function pct(ratio: string | number | undefined): string {
  return `${(Number(ratio) * 100).toFixed(1)} %`;
}

async function runStore(args: BenchArgs, v: Variant, scan: boolean): Promise<BenchResult[]> {
  const root = await tempStoreDir();
  const store = new DefaultMessageStore(benchStoreConfig(root, v.config));
  await store.start();
  const rss = new RssSampler();
  const lat = new LatencyRecorder();
  const body = Buffer.alloc(args.msgSize, 0x61);
  const deadline = performance.now() + args.seconds * 1000;
  let messages = 0;
  let failed = 0;
  const cpu0 = process.cpuUsage();
  const begin = performance.now();
  await Promise.all(
    Array.from({ length: v.producers }, async (_, p) => {
      // One clock read per put: the end of a put is the start of the producer's next one and is
      // checked against the deadline (three reads per put were ~2 % of the put phase's CPU).
      let t = performance.now();
      while (t < deadline) {
        const r = await store.putMessage(benchMessage(TOPIC, p % QUEUES, body, messages));
        const end = performance.now();
        lat.record(end - t);
        t = end;
        if (r.status === 'PUT_OK') messages++;
        else failed++;
      }
    }),
  );
  const seconds = (performance.now() - begin) / 1000;
  const cpuSeconds = cpuSecondsSince(cpu0);
  if (failed > 0) throw new Error(`store-append-${v.name}: ${failed} puts were not PUT_OK`);
  // A fresh store starts at CommitLog offset 0 and its files are large: this is what it wrote.
  const commitLogBytes = store.getMaxPhyOffset();
  const out: BenchResult[] = [];
  try {
    const [p50, p99] = lat.percentiles(50, 99);
    out.push({
      scenario: `store-append-${v.name}`,
      msgSize: args.msgSize,
      messages,
      seconds,
      msgsPerSec: messages / seconds,
      mbPerSec: (messages * args.msgSize) / seconds / MiB,
      p50Ms: p50!,
      p99Ms: p99!,
      maxRssMb: rss.stop(),
      producers: v.producers,
      cpuSeconds,
      commitLogBytes,
      commitLogMbPerSec: commitLogBytes / seconds / MiB,
      recordBytes: Math.round(commitLogBytes / messages),
    });
    if (scan) out.push(await runScan(args, store, messages));
  } finally {
    await store.shutdown();
    await rm(root, { recursive: true, force: true });
  }
  return out;
}

/**
 * The opt-in `hold10m` variant (`--variants hold10m --size 100`): ASYNC_FLUSH, 64 producers put
 * `count` messages, then RSS once the reput has caught up (`store-hold-put`) and again after every
 * message was read back with getMessage 32 at a time (`store-hold-scan`), with process.memoryUsage's
 * split (heapUsed / external / arrayBuffers) to tell the store's own structures from buffers.
 * At ~290 bytes a record, 10 M messages are ~2.9 GB of CommitLog in a temp dir, deleted after.
 */
async function runHold(args: BenchArgs, count: number): Promise<BenchResult[]> {
  const root = await tempStoreDir();
  const store = new DefaultMessageStore(benchStoreConfig(root));
  await store.start();
  const out: BenchResult[] = [];
  try {
    const body = Buffer.alloc(args.msgSize, 0x61);
    const lat = new LatencyRecorder();
    const peak = new RssSampler();
    let issued = 0;
    let failed = 0;
    const cpu0 = process.cpuUsage();
    const begin = performance.now();
    await Promise.all(
      Array.from({ length: 64 }, async (_, p) => {
        while (issued < count) {
          const seq = issued++;
          const t = performance.now();
          const r = await store.putMessage(benchMessage(TOPIC, p % QUEUES, body, seq));
          // One put in HOLD_LATENCY_SAMPLING: 10 M samples would be 128 MiB of the bench's own in the RSS measured.
          if (seq % HOLD_LATENCY_SAMPLING === 0) lat.record(performance.now() - t);
          if (r.status !== 'PUT_OK') failed++;
        }
      }),
    );
    await store.reputMessageService.waitCaughtUp();
    const seconds = (performance.now() - begin) / 1000;
    const cpuSeconds = cpuSecondsSince(cpu0);
    if (failed > 0) throw new Error(`store-hold: ${failed} puts were not PUT_OK`);
    const [p50, p99] = lat.percentiles(50, 99);
    out.push(holdResult('store-hold-put', args, count, seconds, cpuSeconds, p50!, p99!, peak.stop()));
    const scan = await runScan({ ...args, seconds: Number.POSITIVE_INFINITY }, store, count);
    out.push(holdResult('store-hold-scan', args, scan.messages, scan.seconds, Number(scan.cpuSeconds), scan.p50Ms, scan.p99Ms, scan.maxRssMb));
  } finally {
    await store.shutdown();
    await rm(root, { recursive: true, force: true });
  }
  return out;
}

/** A hold row: `rssMb` and the memoryUsage split now, `maxRssMb` the peak of the phase. */
function holdResult(scenario: string, args: BenchArgs, messages: number, seconds: number, cpuSeconds: number, p50Ms: number, p99Ms: number, peakRssMb: number): BenchResult {
  const m = process.memoryUsage();
  const rss = m.rss / MiB;
  return {
    scenario,
    msgSize: args.msgSize,
    messages,
    seconds,
    msgsPerSec: messages / seconds,
    mbPerSec: (messages * args.msgSize) / seconds / MiB,
    p50Ms,
    p99Ms,
    maxRssMb: Math.max(peakRssMb, rss),
    rssMb: rss,
    held: messages,
    heapUsedMb: m.heapUsed / MiB,
    heapTotalMb: m.heapTotal / MiB,
    externalMb: m.external / MiB,
    arrayBuffersMb: m.arrayBuffers / MiB,
    cpuSeconds,
  };
}

/**
 * getMessage 32 at a time from offset 0 of every queue, the queues in turn (as a consumer of the
 * topic pulls its 8 queues), until all `expected` messages were read (checked) or `--seconds` ran out.
 */
async function runScan(args: BenchArgs, store: DefaultMessageStore, expected: number): Promise<BenchResult> {
  await store.reputMessageService.waitCaughtUp();
  const rss = new RssSampler();
  const lat = new LatencyRecorder();
  let messages = 0;
  const cpu0 = process.cpuUsage();
  const begin = performance.now();
  const deadline = begin + args.seconds * 1000;
  let complete = true;
  const offsets = new Array<number>(QUEUES).fill(0);
  const active = new Set(offsets.keys());
  while (active.size > 0) {
    if (performance.now() >= deadline) {
      complete = false;
      break;
    }
    for (const q of active) {
      const t = performance.now();
      const r = await store.getMessage('BenchGroup', TOPIC, q, offsets[q]!, SCAN_BATCH);
      lat.record(performance.now() - t);
      if (r.status !== 'FOUND') {
        active.delete(q);
        continue;
      }
      messages += r.messageBufferList.length;
      offsets[q] = r.nextBeginOffset;
    }
  }
  const seconds = (performance.now() - begin) / 1000;
  const cpuSeconds = cpuSecondsSince(cpu0);
  if (complete && messages !== expected) throw new Error(`scan read ${messages} messages, ${expected} were stored`);
  const [p50, p99] = lat.percentiles(50, 99);
  return {
    scenario: 'store-scan-get32',
    msgSize: args.msgSize,
    messages,
    seconds,
    msgsPerSec: messages / seconds,
    mbPerSec: (messages * args.msgSize) / seconds / MiB,
    p50Ms: p50!,
    p99Ms: p99!,
    maxRssMb: rss.stop(),
    cpuSeconds,
  };
}

/**
 * CPU seconds (user + system, every thread of the process) since `from`: on a shared machine,
 * messages per CPU second tell what the code costs when wall-clock rates only tell how busy the box was.
 */
function cpuSecondsSince(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1e6;
}

/**
 * Raw baseline: `bytes` written sequentially in `chunk`-byte positional writes to a new file on the
 * store's disk; with `syncEachChunk` an fdatasync after every chunk, else one at the end. MiB/s.
 */
async function runRaw(bytes: number, chunk: number, syncEachChunk: boolean): Promise<number> {
  const root = await tempStoreDir();
  const h = await open(`${root}/raw`, 'w');
  try {
    const data = Buffer.alloc(chunk, 0x61);
    const begin = performance.now();
    for (let pos = 0; pos < bytes; pos += chunk) {
      await h.write(data, 0, Math.min(chunk, bytes - pos), pos);
      if (syncEachChunk) await h.datasync();
    }
    if (!syncEachChunk) await h.datasync();
    const seconds = (performance.now() - begin) / 1000;
    return bytes / MiB / Math.max(seconds, 1e-6);
  } finally {
    await h.close();
    await rm(root, { recursive: true, force: true });
  }
}
