import { LocalCluster } from '../../src/broker/local-cluster.js';
import { MQAdmin } from '../../src/client/admin/mq-admin.js';
import { DefaultMQProducer } from '../../src/client/producer/default-mq-producer.js';
import { createLogger } from '../../src/common/logging/logger.js';
import { Message } from '../../src/common/message/message.js';
import { createTopicConfig } from '../../src/common/protocol/body/topic-config.js';
import { intOption, type BenchArgs } from '../lib/args.js';
import { RawSender, type RawSendRun } from '../lib/raw-send.js';
import { registerScenario } from '../lib/registry.js';
import type { BenchResult } from '../lib/report.js';
import { LatencyRecorder, RssSampler } from '../lib/stats.js';

const DEFAULT_CONCURRENCY = 64;
const DEFAULT_SIZES = '128,1024';
const TOPIC = 'BenchSendTopic';
const QUEUES = 8;
/** Issue 9's target: our producer reaches at least this share of the raw-protocol send rate. */
const TARGET_RATIO = 0.6;
type Mode = 'sync' | 'async' | 'oneway';

/**
 * `send`: DefaultMQProducer against an in-process LocalCluster (ASYNC_FLUSH; `--flush sync` for
 * SYNC_FLUSH) — sync (`--concurrency` sends in flight per producer, default 64), async (callbacks, same
 * window) and oneway, `--producers N` producers, for each size of `--sizes` (default 128,1024; the
 * global --size is ignored here). Each size first measures the raw-protocol load generator of
 * `broker-send` with the same connections × in-flight (`send-raw`) on the same broker, and each
 * producer row carries `ratioToRaw` (target ≥ 0.6).
 *
 * `--namesrv host:port` points the producers at an external cluster instead (a real RocketMQ 4.9
 * with the topic or autoCreateTopicEnable); there is no raw baseline then.
 */
registerScenario({
  name: 'send',
  description: 'DefaultMQProducer sync/async/oneway vs raw SEND_MESSAGE_V2 on one in-process LocalCluster (--producers N, --sizes 128,1024)',
  async run(args: BenchArgs): Promise<BenchResult[]> {
    const producers = intOption(args, 'producers', 1);
    const concurrency = intOption(args, 'concurrency', DEFAULT_CONCURRENCY);
    const modes = (args.extra.get('modes') ?? 'sync,async,oneway').split(',') as Mode[];
    const sizes = (args.extra.get('sizes') ?? DEFAULT_SIZES).split(',').map(Number);
    const external = args.extra.get('namesrv');
    const quiet = createLogger('rocketmq', { level: 'error' });
    const cleanups: (() => Promise<void>)[] = [];
    try {
      let namesrvAddr = external;
      let brokerAddr: string | undefined;
      if (namesrvAddr === undefined) {
        const flushDiskType = args.extra.get('flush') === 'sync' ? 'SYNC_FLUSH' : 'ASYNC_FLUSH';
        const cluster = await LocalCluster.start({ messageStoreConfig: { flushDiskType }, logger: quiet });
        cleanups.unshift(() => cluster.stop());
        namesrvAddr = cluster.namesrvAddr;
        brokerAddr = cluster.brokerAddr;
        // The topic exists up front with 8 queues, as the raw sender's auto-creation would make it:
        // both sides write to the same queues, and no producer run pays for TBW102 route switching.
        const admin = new MQAdmin({ namesrvAddr, logger: quiet });
        await admin.start();
        try {
          await admin.createAndUpdateTopicConfig(brokerAddr, createTopicConfig(TOPIC, { readQueueNums: QUEUES, writeQueueNums: QUEUES }));
        } finally {
          await admin.shutdown();
        }
      }
      const clients = Array.from({ length: producers }, (_, i) => new DefaultMQProducer({ producerGroup: `PG_BENCH_${i}`, namesrvAddr, logger: quiet, instanceName: `bench-${i}` }));
      for (const p of clients) await p.start();
      cleanups.unshift(async () => {
        for (const p of clients) await p.shutdown();
      });
      const results: BenchResult[] = [];
      for (const msgSize of sizes) {
        if (!Number.isInteger(msgSize) || msgSize <= 0) throw new Error(`--sizes must list positive integers, got "${args.extra.get('sizes')}"`);
        const body = Buffer.alloc(msgSize, 'x');
        for (const p of clients) await p.send(new Message(TOPIC, body)); // routes and connections
        let rawRate: number | undefined;
        if (brokerAddr !== undefined) {
          const raw = new RawSender({ brokerAddr, topic: TOPIC, queues: QUEUES, msgSize, inFlight: concurrency, clients: producers });
          try {
            await raw.runFor(args.warmupSeconds * 1000, false);
            const rss = new RssSampler();
            const r = await raw.runFor(args.seconds * 1000);
            const row = toResult('send-raw', msgSize, r, rss.stop(), producers);
            rawRate = row.msgsPerSec;
            results.push(row);
          } finally {
            await raw.shutdown();
          }
        }
        for (const mode of modes) {
          if (args.warmupSeconds > 0) await runMode(clients, mode, body, concurrency, args.warmupSeconds);
          const rss = new RssSampler();
          const r = await runMode(clients, mode, body, concurrency, args.seconds);
          const row = toResult(`send-${mode}`, msgSize, r, rss.stop(), producers);
          row['errors'] = r.errors;
          if (rawRate !== undefined) row['ratioToRaw'] = row.msgsPerSec / rawRate;
          results.push(row);
        }
      }
      return results;
    } finally {
      for (const c of cleanups) await c();
    }
  },
  summarize(results) {
    const lines: string[] = [];
    for (const r of results) {
      const ratio = r['ratioToRaw'];
      if (typeof ratio !== 'number') continue;
      const verdict = ratio >= TARGET_RATIO ? 'ok' : `BELOW the ${TARGET_RATIO * 100} % target`;
      lines.push(`${r.scenario} ${r.msgSize} B: ${(ratio * 100).toFixed(0)} % of send-raw (${verdict})${Number(r['errors']) > 0 ? `, ${r['errors']} errors` : ''}`);
    }
    return lines;
  },
});

function toResult(scenario: string, msgSize: number, r: RawSendRun, maxRssMb: number, producers: number): BenchResult {
  const [p50, p99] = r.latency.percentiles(50, 99);
  return {
    scenario,
    msgSize,
    messages: r.messages,
    seconds: r.seconds,
    msgsPerSec: r.messages / r.seconds,
    mbPerSec: (r.messages * msgSize) / r.seconds / (1024 * 1024),
    p50Ms: p50 ?? Number.NaN,
    p99Ms: p99 ?? Number.NaN,
    maxRssMb,
    producers,
  };
}

interface ModeResult extends RawSendRun {
  readonly errors: number;
}

/** `concurrency` send loops per producer until the deadline; each loop waits for its send. */
async function runMode(clients: DefaultMQProducer[], mode: Mode, body: Buffer, concurrency: number, seconds: number): Promise<ModeResult> {
  const latency = new LatencyRecorder();
  const deadline = Date.now() + seconds * 1000;
  const begin = performance.now();
  let messages = 0;
  let errors = 0;
  let firstError: unknown;
  const loop = async (p: DefaultMQProducer): Promise<void> => {
    while (Date.now() < deadline) {
      const t0 = performance.now();
      try {
        if (mode === 'sync') await p.send(new Message(TOPIC, body));
        else if (mode === 'oneway') await p.sendOneway(new Message(TOPIC, body));
        else await new Promise<void>((resolve, reject) => p.send(new Message(TOPIC, body), { onSuccess: () => resolve(), onException: reject }));
        messages++;
        latency.record(performance.now() - t0);
      } catch (e: unknown) {
        // Counted, not thrown: a bench run reports its error count (and the first error) instead of dying mid-way.
        errors++;
        firstError ??= e;
      }
    }
  };
  await Promise.all(clients.flatMap((p) => Array.from({ length: concurrency }, () => loop(p))));
  if (firstError !== undefined) process.stderr.write(`send-${mode}: ${errors} errors, first: ${firstError instanceof Error ? firstError.message : String(firstError)}\n`);
  return { messages, errors, seconds: (performance.now() - begin) / 1000, latency };
}
