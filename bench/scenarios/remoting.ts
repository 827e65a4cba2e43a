import { ResponseCode } from '../../src/common/protocol/response-code.js';
import { RemotingClient } from '../../src/common/remoting/remoting-client.js';
import { RemotingCommand, SerializeType } from '../../src/common/remoting/remoting-command.js';
import { RemotingServer } from '../../src/common/remoting/remoting-server.js';
import { intOption, type BenchArgs } from '../lib/args.js';
import { DriverHolder, measureRound, mergeResults, type EchoStack } from '../lib/echo-stack.js';
import type { PipelineResult } from '../lib/pipeline.js';
import { registerScenario } from '../lib/registry.js';
import type { BenchResult } from '../lib/report.js';
import { RssSampler } from '../lib/stats.js';
import { startFramedEcho } from './framed-echo.js';

/** A request code no real server uses, so the bench cannot be mistaken for traffic. */
const BENCH_ECHO = 30001;
const DEFAULT_WINDOW = 512;
const DEFAULT_ROUNDS = 5;
/** Refills the pipeline after the first round (it drains at the end of each). */
const ROUND_WARMUP_SECONDS = 0.1;

/**
 * Pipelined request/response over one RemotingClient → RemotingServer connection, `--size`
 * bytes of body each way, beside the raw framed-echo baseline. Both stacks stay up and are
 * measured in alternating rounds (`--rounds`, default 5, splitting `--seconds`), so the ratio
 * holds on a busy machine. `--window N` outstanding requests (default 512); `--serialize
 * json|rocketmq` picks the header format (default json, what Java clients send).
 */
registerScenario({
  name: 'remoting',
  description: 'pipelined request/response over one connection vs a raw framed-echo baseline',
  async run(args: BenchArgs): Promise<BenchResult[]> {
    const window = intOption(args, 'window', DEFAULT_WINDOW);
    const rounds = intOption(args, 'rounds', DEFAULT_ROUNDS);
    const serialize = (args.extra.get('serialize') ?? 'json').toLowerCase();
    if (serialize !== 'json' && serialize !== 'rocketmq') throw new Error(`--serialize must be json or rocketmq, got "${serialize}"`);
    const serializeType = serialize === 'json' ? SerializeType.JSON : SerializeType.ROCKETMQ;
    const rss = new RssSampler();
    const baseHolder = new DriverHolder();
    const remHolder = new DriverHolder();
    const baseline = await startFramedEcho(args.msgSize, window, baseHolder);
    const remoting = await startRemoting(args.msgSize, serializeType, remHolder);
    const baseRounds: PipelineResult[] = [];
    const remRounds: PipelineResult[] = [];
    try {
      const perRound = args.seconds / rounds;
      for (let i = 0; i < rounds; i++) {
        const warmup = i === 0 ? args.warmupSeconds : ROUND_WARMUP_SECONDS;
        baseRounds.push(await measureRound(baseline, baseHolder, window, warmup, perRound));
        remRounds.push(await measureRound(remoting, remHolder, window, warmup, perRound));
      }
    } finally {
      await baseline.close();
      await remoting.close();
    }
    const maxRssMb = rss.stop();
    const baselineResult = toResult('remoting-baseline', args, mergeResults(baseRounds), maxRssMb);
    const result = toResult('remoting', args, mergeResults(remRounds), maxRssMb);
    result.window = window;
    result.serialize = serialize;
    result.baselineMsgsPerSec = baselineResult.msgsPerSec;
    result.ratioToBaseline = result.msgsPerSec / baselineResult.msgsPerSec;
    return [baselineResult, result];
  },
  summarize(results) {
    const r = results.find((x) => x.scenario === 'remoting');
    if (r === undefined) return [];
    const ratio = Number(r.ratioToBaseline);
    return [`remoting (${String(r.serialize)} headers, window ${String(r.window)}) / baseline = ${(ratio * 100).toFixed(1)} % (target ≥ 40 %)`];
  },
});

async function startRemoting(msgSize: number, serializeType: SerializeType, holder: DriverHolder): Promise<EchoStack> {
  const server = new RemotingServer({ listenPort: 0 });
  server.registerProcessor(BENCH_ECHO, {
    processRequest(_channel, request) {
      const response = RemotingCommand.createResponse(request, ResponseCode.SUCCESS);
      response.body = request.body;
      return response;
    },
  });
  await server.start();
  const client = new RemotingClient();
  const addr = server.address;
  const payload = Buffer.alloc(msgSize, 0x61);
  await client.invokeSync(addr, RemotingCommand.createRequest(BENCH_ECHO, undefined, payload), 3000); // connect
  const onError = (e: unknown): void => holder.fail(e);
  return {
    issue(slot: number): void {
      const sentAt = performance.now();
      const request = RemotingCommand.createRequest(BENCH_ECHO, undefined, payload);
      request.serializeType = serializeType;
      client.invokeSync(addr, request, 30_000).then(() => holder.complete(slot, sentAt), onError);
    },
    async close(): Promise<void> {
      await client.shutdown();
      await server.shutdown();
    },
  };
}

function toResult(scenario: string, args: BenchArgs, r: PipelineResult, maxRssMb: number): BenchResult {
  const [p50, p99] = r.latency.percentiles(50, 99);
  const msgsPerSec = r.messages / r.seconds;
  return {
    scenario,
    msgSize: args.msgSize,
    messages: r.messages,
    seconds: r.seconds,
    msgsPerSec,
    mbPerSec: (msgsPerSec * args.msgSize) / (1024 * 1024),
    p50Ms: p50!,
    p99Ms: p99!,
    maxRssMb,
  };
}
