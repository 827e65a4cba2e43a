import { LocalCluster } from '../../src/broker/local-cluster.js';
import type { BenchArgs } from '../lib/args.js';
import { intOption } from '../lib/args.js';
import { RawSender } from '../lib/raw-send.js';
import { registerScenario } from '../lib/registry.js';
import type { BenchResult } from '../lib/report.js';
import { RssSampler } from '../lib/stats.js';

const TOPIC = 'BenchSend';
const QUEUES = 8;
const DEFAULT_IN_FLIGHT = 64;

/**
 * `broker-send`: a raw-protocol load generator (SEND_MESSAGE_V2 frames from a RemotingClient, `--inflight`
 * requests outstanding, default 64) against an in-process LocalCluster, once with ASYNC_FLUSH and once
 * with SYNC_FLUSH. Compare with `store-append` in the same run (`npm run bench -- store-append broker-send`).
 */
registerScenario({
  name: 'broker-send',
  description: 'raw SEND_MESSAGE_V2 over a socket to an in-process broker (ASYNC_FLUSH and SYNC_FLUSH), N in flight',
  async run(args: BenchArgs): Promise<BenchResult[]> {
    const inFlight = intOption(args, 'inflight', DEFAULT_IN_FLIGHT);
    const out: BenchResult[] = [];
    for (const flushDiskType of ['ASYNC_FLUSH', 'SYNC_FLUSH'] as const) {
      const cluster = await LocalCluster.start({ messageStoreConfig: { flushDiskType } });
      const sender = new RawSender({ brokerAddr: cluster.brokerAddr, topic: TOPIC, queues: QUEUES, msgSize: args.msgSize, inFlight });
      try {
        await sender.runFor(args.warmupSeconds * 1000, false);
        const rss = new RssSampler();
        const r = await sender.runFor(args.seconds * 1000);
        const maxRssMb = rss.stop();
        const [p50Ms, p99Ms] = r.latency.percentiles(50, 99);
        out.push({
          scenario: `broker-send-${flushDiskType === 'SYNC_FLUSH' ? 'sync' : 'async'}`,
          msgSize: args.msgSize,
          messages: r.messages,
          seconds: r.seconds,
          msgsPerSec: r.messages / r.seconds,
          mbPerSec: (r.messages * args.msgSize) / r.seconds / (1024 * 1024),
          p50Ms: p50Ms!,
          p99Ms: p99Ms!,
          maxRssMb,
          inFlight,
        });
      } finally {
        await sender.shutdown();
        await cluster.stop();
      }
    }
    return out;
  },
});
