import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DefaultMQProducer } from '../../src/client/producer/default-mq-producer.js';
import { createLogger } from '../../src/common/logging/logger.js';
import { Message } from '../../src/common/message/message.js';
import { createTopicConfig } from '../../src/common/protocol/body/topic-config.js';
import { startNamesrv } from '../../src/namesrv/start-namesrv.js';
import { FakeBroker } from '../../test/integration/client/fake-broker.js';
import { intOption, type BenchArgs } from '../lib/args.js';
import { registerScenario } from '../lib/registry.js';
import type { BenchResult } from '../lib/report.js';
import { LatencyRecorder, RssSampler } from '../lib/stats.js';

const DEFAULT_CONCURRENCY = 64;
const TOPIC = 'BenchSendTopic';
type Mode = 'sync' | 'async' | 'oneway';

/**
 * DefaultMQProducer sends: sync (`--concurrency` sends in flight per producer, default 64), async
 * (callbacks, same window) and oneway, with `--producers N` producers (default 1).
 *
 * Target: `--namesrv host:port` (a LocalCluster or a real RocketMQ 4.9 with autoCreateTopicEnable).
 * Without it the scenario runs against the test suite's FakeBroker and labels its results `send-fake`:
 * that is a harness check only (the fake broker stores nothing), not a send figure.
 */
registerScenario({
  name: 'send',
  description: 'DefaultMQProducer sync/async/oneway msgs/s (--namesrv host:port; else a fake broker, harness check only)',
  async run(args: BenchArgs): Promise<BenchResult[]> {
    const producers = intOption(args, 'producers', 1);
    const concurrency = intOption(args, 'concurrency', DEFAULT_CONCURRENCY);
    const modes = (args.extra.get('modes') ?? 'sync,async,oneway').split(',') as Mode[];
    const external = args.extra.get('namesrv');
    const quiet = createLogger('rocketmq', { level: 'error' });
    const cleanups: (() => Promise<void>)[] = [];
    let namesrvAddr = external;
    try {
      if (namesrvAddr === undefined) {
        const dir = await mkdtemp(join(tmpdir(), 'rmq-bench-send-'));
        cleanups.push(() => rm(dir, { recursive: true, force: true }));
        const ns = await startNamesrv({ logger: quiet, kvConfigPath: join(dir, 'kvConfig.json') });
        cleanups.unshift(() => ns.shutdown());
        const broker = await FakeBroker.start({ namesrvAddr: ns.address, brokerName: 'bench-broker', topics: [createTopicConfig(TOPIC, { readQueueNums: 8, writeQueueNums: 8 })] });
        cleanups.unshift(() => broker.stop());
        // The fake broker records every send; drop the records as we go so memory stays flat.
        const drain = setInterval(() => broker.sends.splice(0), 100);
        cleanups.unshift(async () => clearInterval(drain));
        namesrvAddr = ns.address;
      }
      const clients = Array.from({ length: producers }, (_, i) => new DefaultMQProducer({ producerGroup: `PG_BENCH_${i}`, namesrvAddr, logger: quiet, instanceName: `bench-${i}` }));
      for (const p of clients) await p.start();
      cleanups.unshift(async () => {
        for (const p of clients) await p.shutdown();
      });
      const body = Buffer.alloc(args.msgSize, 'x');
      for (const p of clients) await p.send(new Message(TOPIC, body)); // routes and connections
      const results: BenchResult[] = [];
      for (const mode of modes) {
        if (args.warmupSeconds > 0) await runMode(clients, mode, body, concurrency, args.warmupSeconds);
        const rss = new RssSampler();
        const r = await runMode(clients, mode, body, concurrency, args.seconds);
        const [p50, p99] = r.latency.percentiles(50, 99);
        results.push({
          scenario: `${external === undefined ? 'send-fake' : 'send'}-${mode}`,
          msgSize: args.msgSize,
          messages: r.messages,
          seconds: r.seconds,
          msgsPerSec: r.messages / r.seconds,
          mbPerSec: (r.messages * args.msgSize) / r.seconds / (1024 * 1024),
          p50Ms: p50 ?? Number.NaN,
          p99Ms: p99 ?? Number.NaN,
          maxRssMb: rss.stop(),
          producers,
          errors: r.errors,
        });
      }
      return results;
    } finally {
      for (const c of cleanups) await c();
    }
  },
  summarize(results) {
    return results.some((r) => r.scenario.startsWith('send-fake')) ? ['send-fake-*: fake broker (stores nothing) — a harness check, not a send figure.'] : [];
  },
});

interface ModeResult {
  messages: number;
  errors: number;
  seconds: number;
  latency: LatencyRecorder;
}

/** `concurrency` send loops per producer until the deadline; each loop waits for its send. */
async function runMode(clients: DefaultMQProducer[], mode: Mode, body: Buffer, concurrency: number, seconds: number): Promise<ModeResult> {
  const latency = new LatencyRecorder();
  const deadline = Date.now() + seconds * 1000;
  const begin = process.hrtime.bigint();
  let messages = 0;
  let errors = 0;
  const loop = async (p: DefaultMQProducer): Promise<void> => {
    while (Date.now() < deadline) {
      const t0 = process.hrtime.bigint();
      try {
        if (mode === 'sync') await p.send(new Message(TOPIC, body));
        else if (mode === 'oneway') await p.sendOneway(new Message(TOPIC, body));
        else await new Promise<void>((resolve, reject) => p.send(new Message(TOPIC, body), { onSuccess: () => resolve(), onException: reject }));
        messages++;
        latency.record(Number(process.hrtime.bigint() - t0) / 1e6);
      } catch {
        // Counted, not thrown: a bench run reports its error count instead of dying mid-way.
        errors++;
      }
    }
  };
  await Promise.all(clients.flatMap((p) => Array.from({ length: concurrency }, () => loop(p))));
  return { messages, errors, seconds: Number(process.hrtime.bigint() - begin) / 1e9, latency };
}
