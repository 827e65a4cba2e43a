import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { bodyCRC } from '../../src/common/message/body-crc.js';
import { createDataVersion } from '../../src/common/protocol/body/data-version.js';
import { encodeRegisterBrokerBody } from '../../src/common/protocol/body/register-broker-body.js';
import { createTopicConfig, type TopicConfig } from '../../src/common/protocol/body/topic-config.js';
import { createRequestWithHeader } from '../../src/common/protocol/headers/command-header.js';
import { RegisterBrokerRequestHeader } from '../../src/common/protocol/headers/namesrv/register-broker.js';
import { GetRouteInfoRequestHeader } from '../../src/common/protocol/headers/namesrv/route.js';
import { RequestCode } from '../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../src/common/protocol/response-code.js';
import { RemotingClient } from '../../src/common/remoting/remoting-client.js';
import type { RemotingCommand } from '../../src/common/remoting/remoting-command.js';
import { createLogger } from '../../src/common/logging/logger.js';
import { startNamesrv } from '../../src/namesrv/start-namesrv.js';
import { intOption, type BenchArgs } from '../lib/args.js';
import { DriverHolder, measureRound, type EchoStack } from '../lib/echo-stack.js';
import { registerScenario } from '../lib/registry.js';
import type { BenchResult } from '../lib/report.js';
import { RssSampler } from '../lib/stats.js';

const DEFAULT_WINDOW = 64;
const DEFAULT_TOPICS = 1000;
const DEFAULT_BROKERS = 2;
const CALL_TIMEOUT_MILLIS = 30_000;
/** A Java 4.9.8 client's request version (≥ 401: standard JSON); 395 asks for fastjson's legacy form. */
const VERSION_STANDARD = 409;
const VERSION_LEGACY = 395;

/**
 * GET_ROUTEINFO_BY_TOPIC against an in-process name server holding `--topics` topics (default
 * 1,000) on `--brokers` master brokers (default 2, registered over the wire with full topic
 * tables), `--window` requests in flight (default 64) over one client connection, cycling through
 * the topics. `--form standard|legacy` picks the route JSON form (default standard, what a 4.9.8
 * client gets). `msgSize` in the result is the mean route body in bytes, so MiB/s is route bytes.
 */
registerScenario({
  name: 'namesrv',
  description: 'GET_ROUTEINFO_BY_TOPIC requests/s against an in-process name server (1,000 topics × 2 brokers)',
  async run(args: BenchArgs): Promise<BenchResult[]> {
    const window = intOption(args, 'window', DEFAULT_WINDOW);
    const topics = intOption(args, 'topics', DEFAULT_TOPICS);
    const brokerCount = intOption(args, 'brokers', DEFAULT_BROKERS);
    const form = (args.extra.get('form') ?? 'standard').toLowerCase();
    if (form !== 'standard' && form !== 'legacy') throw new Error(`--form must be standard or legacy, got "${form}"`);
    const rss = new RssSampler();
    // Route lookups log nothing, but registrations log every new topic: keep the bench quiet.
    const dir = await mkdtemp(join(tmpdir(), 'rmq-bench-namesrv-'));
    const ns = await startNamesrv({ logger: createLogger('rocketmq', { level: 'warn' }), kvConfigPath: join(dir, 'kvConfig.json') });
    const brokers: RemotingClient[] = [];
    const client = new RemotingClient();
    const holder = new DriverHolder();
    try {
      const table: TopicConfig[] = [];
      for (let i = 0; i < topics; i++) table.push(createTopicConfig(`BenchTopic-${i}`, { readQueueNums: 8, writeQueueNums: 8 }));
      for (let b = 0; b < brokerCount; b++) {
        const broker = new RemotingClient();
        brokers.push(broker);
        const res = await broker.invokeSync(ns.address, registerRequest(`bench-broker-${b}`, `127.0.0.1:${20911 + b * 100}`, table), CALL_TIMEOUT_MILLIS);
        if (res.code !== ResponseCode.SUCCESS) throw new Error(`REGISTER_BROKER failed: ${res.code} ${res.remark ?? ''}`);
      }
      const version = form === 'standard' ? VERSION_STANDARD : VERSION_LEGACY;
      let next = 0;
      let bodyBytes = 0;
      let answers = 0;
      const onAnswer = (slot: number, sentAt: number, res: RemotingCommand): void => {
        if (res.code !== ResponseCode.SUCCESS) {
          holder.fail(new Error(`GET_ROUTEINFO_BY_TOPIC answered ${res.code} ${res.remark ?? ''}`));
          return;
        }
        bodyBytes += res.body?.length ?? 0;
        answers++;
        holder.complete(slot, sentAt);
      };
      const onError = (e: unknown): void => holder.fail(e);
      const stack: EchoStack = {
        issue(slot: number): void {
          const sentAt = performance.now();
          const request = createRequestWithHeader(RequestCode.GET_ROUTEINFO_BY_TOPIC, GetRouteInfoRequestHeader, { topic: `BenchTopic-${next}` });
          request.version = version;
          next = (next + 1) % topics;
          client.invokeSync(ns.address, request, CALL_TIMEOUT_MILLIS).then((res) => onAnswer(slot, sentAt, res), onError);
        },
        close: () => Promise.resolve(),
      };
      const r = await measureRound(stack, holder, window, args.warmupSeconds, args.seconds);
      const [p50, p99] = r.latency.percentiles(50, 99);
      const msgSize = answers === 0 ? 0 : Math.round(bodyBytes / answers);
      const msgsPerSec = r.messages / r.seconds;
      return [
        {
          scenario: 'namesrv-route',
          msgSize,
          messages: r.messages,
          seconds: r.seconds,
          msgsPerSec,
          mbPerSec: (msgsPerSec * msgSize) / (1024 * 1024),
          p50Ms: p50!,
          p99Ms: p99!,
          maxRssMb: rss.stop(),
          window,
          topics,
          brokers: brokerCount,
          form,
        },
      ];
    } finally {
      // Stops the sampler's timer if the run failed before the result was built (a second stop is harmless).
      rss.stop();
      await client.shutdown();
      await Promise.all(brokers.map((b) => b.shutdown()));
      await ns.shutdown();
      await rm(dir, { recursive: true, force: true });
    }
  },
  summarize(results) {
    return results.map(
      (r) => `${String(r.form)} routes, ${String(r.topics)} topics × ${String(r.brokers)} brokers, window ${String(r.window)}: ${Math.round(r.msgsPerSec).toLocaleString('en-US')} req/s`,
    );
  },
});

function registerRequest(brokerName: string, brokerAddr: string, table: readonly TopicConfig[]): RemotingCommand {
  const body = encodeRegisterBrokerBody(
    {
      topicConfigSerializeWrapper: { topicConfigTable: new Map(table.map((t) => [t.topicName, t])), dataVersion: createDataVersion(Date.now(), 1) },
      filterServerList: [],
    },
    false,
  );
  return createRequestWithHeader(
    RequestCode.REGISTER_BROKER,
    RegisterBrokerRequestHeader,
    {
      brokerName,
      brokerAddr,
      clusterName: 'BenchCluster',
      haServerAddr: brokerAddr.replace(/:\d+$/, ':10912'),
      brokerId: 0,
      compressed: false,
      bodyCrc32: bodyCRC(body),
    },
    body,
  );
}
