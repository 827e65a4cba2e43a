import { LocalCluster } from '../../src/broker/local-cluster.js';
import { messageProperties2String } from '../../src/common/message/index.js';
import { createRequestWithHeader } from '../../src/common/protocol/headers/command-header.js';
import { PullMessageRequestHeader } from '../../src/common/protocol/headers/pull-message.js';
import { SendMessageRequestHeaderV2 } from '../../src/common/protocol/headers/send-message.js';
import { RequestCode } from '../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../src/common/protocol/response-code.js';
import { RemotingClient } from '../../src/common/remoting/remoting-client.js';
import type { BenchArgs } from '../lib/args.js';
import { registerScenario } from '../lib/registry.js';
import type { BenchResult } from '../lib/report.js';
import { LatencyRecorder, RssSampler } from '../lib/stats.js';

const TOPIC = 'BenchLongPoll';
/** Far above any wake latency: a pull answered by its timeout would show up as ~5 s. */
const SUSPEND_MILLIS = 5000;
/** Lets the broker park the pull before the waking put is sent. */
const PARK_MILLIS = 20;

/**
 * `long-poll`: how fast a suspended PULL_MESSAGE is answered after a matching put (issue 6: "within
 * milliseconds"). Each round parks one pull at the queue's end, sends one message, and records the
 * time from the send's start to the pull's answer. The latency is the figure; msgs/s is rounds/s.
 */
registerScenario({
  name: 'long-poll',
  description: 'wake latency of a suspended pull after a matching put (in-process broker, raw protocol)',
  async run(args: BenchArgs): Promise<BenchResult[]> {
    const cluster = await LocalCluster.start();
    const client = new RemotingClient();
    const addr = cluster.brokerAddr;
    const properties = messageProperties2String(new Map([['WAIT', 'true']]));
    const body = Buffer.alloc(args.msgSize, 0x61);
    const send = () =>
      createRequestWithHeader(
        RequestCode.SEND_MESSAGE_V2,
        SendMessageRequestHeaderV2,
        { producerGroup: 'BenchPG', topic: TOPIC, defaultTopic: 'TBW102', defaultTopicQueueNums: 1, queueId: 0, sysFlag: 0, bornTimestamp: Date.now(), flag: 0, properties },
        body,
      );
    const pull = (queueOffset: number) =>
      createRequestWithHeader(RequestCode.PULL_MESSAGE, PullMessageRequestHeader, {
        consumerGroup: 'BenchLP',
        topic: TOPIC,
        queueId: 0,
        queueOffset,
        maxMsgNums: 32,
        sysFlag: 0x6, // suspend | subscription
        commitOffset: 0,
        suspendTimeoutMillis: SUSPEND_MILLIS,
        subscription: '*',
        subVersion: 0,
      });
    try {
      // The first send creates the topic through TBW102.
      const first = await client.invokeSync(addr, send(), 5000);
      if (first.code !== ResponseCode.SUCCESS) throw new Error(`send failed: ${first.code} ${first.remark ?? ''}`);
      // The ConsumeQueue is built asynchronously (ReputMessageService): let it catch up once.
      await new Promise((r) => setTimeout(r, 200));
      let offset = 1;
      const lat = new LatencyRecorder();
      const rss = new RssSampler();
      const deadline = performance.now() + (args.warmupSeconds + args.seconds) * 1000;
      const measureFrom = performance.now() + args.warmupSeconds * 1000;
      let rounds = 0;
      let measuredStart = 0;
      while (performance.now() < deadline) {
        const held = client.invokeSync(addr, pull(offset), SUSPEND_MILLIS + 3000);
        await new Promise((r) => setTimeout(r, PARK_MILLIS));
        const t0 = performance.now();
        const sent = await client.invokeSync(addr, send(), 5000);
        if (sent.code !== ResponseCode.SUCCESS) throw new Error(`send failed: ${sent.code}`);
        const res = await held;
        const t1 = performance.now();
        if (res.code !== ResponseCode.SUCCESS) throw new Error(`pull answered ${res.code} ${res.remark ?? ''}`);
        offset++;
        if (t0 >= measureFrom) {
          if (rounds === 0) measuredStart = t0;
          lat.record(t1 - t0);
          rounds++;
        }
      }
      const seconds = (performance.now() - measuredStart) / 1000;
      const [p50Ms, p99Ms] = lat.percentiles(50, 99);
      return [
        {
          scenario: 'long-poll',
          msgSize: args.msgSize,
          messages: rounds,
          seconds,
          msgsPerSec: rounds / seconds,
          mbPerSec: (rounds * args.msgSize) / seconds / (1024 * 1024),
          p50Ms: p50Ms!,
          p99Ms: p99Ms!,
          maxRssMb: rss.stop(),
        },
      ];
    } finally {
      await client.shutdown();
      await cluster.stop();
    }
  },
  summarize(results) {
    const r = results[0];
    return r === undefined ? [] : [`wake latency (send start → held pull answered): p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms (target: within 50 ms)`];
  },
});
