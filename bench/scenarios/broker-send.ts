import { LocalCluster } from '../../src/broker/local-cluster.js';
import { messageProperties2String } from '../../src/common/message/index.js';
import { createRequestWithHeader } from '../../src/common/protocol/headers/command-header.js';
import { SendMessageRequestHeaderV2 } from '../../src/common/protocol/headers/send-message.js';
import { RequestCode } from '../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../src/common/protocol/response-code.js';
import { RemotingClient } from '../../src/common/remoting/remoting-client.js';
import type { BenchArgs } from '../lib/args.js';
import { intOption } from '../lib/args.js';
import { registerScenario } from '../lib/registry.js';
import type { BenchResult } from '../lib/report.js';
import { LatencyRecorder, RssSampler } from '../lib/stats.js';

const TOPIC = 'BenchSend';
const QUEUES = 8;
const DEFAULT_IN_FLIGHT = 64;
const SEND_TIMEOUT_MILLIS = 10_000;

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
      const client = new RemotingClient();
      try {
        const body = Buffer.alloc(args.msgSize, 0x61);
        const properties = messageProperties2String(new Map([['WAIT', 'true']]));
        let seq = 0;
        const request = () =>
          createRequestWithHeader(
            RequestCode.SEND_MESSAGE_V2,
            SendMessageRequestHeaderV2,
            { producerGroup: 'BenchPG', topic: TOPIC, defaultTopic: 'TBW102', defaultTopicQueueNums: QUEUES, queueId: seq++ % QUEUES, sysFlag: 0, bornTimestamp: Date.now(), flag: 0, properties },
            body,
          );
        const runFor = async (millis: number, lat: LatencyRecorder | undefined): Promise<number> => {
          const end = Date.now() + millis;
          let done = 0;
          const worker = async (): Promise<void> => {
            while (Date.now() < end) {
              const t = performance.now();
              const res = await client.invokeSync(cluster.brokerAddr, request(), SEND_TIMEOUT_MILLIS);
              if (res.code !== ResponseCode.SUCCESS) throw new Error(`send failed: ${res.code} ${res.remark ?? ''}`);
              lat?.record(performance.now() - t);
              done++;
            }
          };
          await Promise.all(Array.from({ length: inFlight }, worker));
          return done;
        };
        await runFor(args.warmupSeconds * 1000, undefined);
        const lat = new LatencyRecorder();
        const rss = new RssSampler();
        const start = performance.now();
        const messages = await runFor(args.seconds * 1000, lat);
        const seconds = (performance.now() - start) / 1000;
        const maxRssMb = rss.stop();
        const [p50Ms, p99Ms] = lat.percentiles(50, 99);
        out.push({
          scenario: `broker-send-${flushDiskType === 'SYNC_FLUSH' ? 'sync' : 'async'}`,
          msgSize: args.msgSize,
          messages,
          seconds,
          msgsPerSec: messages / seconds,
          mbPerSec: (messages * args.msgSize) / seconds / (1024 * 1024),
          p50Ms: p50Ms!,
          p99Ms: p99Ms!,
          maxRssMb,
          inFlight,
        });
      } finally {
        await client.shutdown();
        await cluster.stop();
      }
    }
    return out;
  },
});
