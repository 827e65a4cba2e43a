import { ResponseCode } from '../../src/common/protocol/response-code.js';
import { RemotingClient } from '../../src/common/remoting/remoting-client.js';
import { RemotingCommand } from '../../src/common/remoting/remoting-command.js';
import { RemotingServer } from '../../src/common/remoting/remoting-server.js';
import { intOption, type BenchArgs } from '../lib/args.js';
import { PipelineDriver, type PipelineResult } from '../lib/pipeline.js';
import { registerScenario } from '../lib/registry.js';
import type { BenchResult } from '../lib/report.js';
import { RssSampler } from '../lib/stats.js';
import { runFramedEcho } from './framed-echo.js';

/** A request code no real server uses, so the bench cannot be mistaken for traffic. */
const BENCH_ECHO = 30001;
const DEFAULT_WINDOW = 512;

/**
 * Pipelined request/response over one RemotingClient → RemotingServer connection (JSON header,
 * `--size` bytes of body each way), beside the raw framed-echo baseline measured in the same
 * process and run. `--window N` sets the outstanding requests (default 512).
 */
registerScenario({
  name: 'remoting',
  description: 'pipelined request/response over one connection vs a raw framed-echo baseline',
  async run(args: BenchArgs): Promise<BenchResult[]> {
    const window = intOption(args, 'window', DEFAULT_WINDOW);
    const rssBaseline = new RssSampler();
    const baseline = await runFramedEcho(args.msgSize, window, args.warmupSeconds, args.seconds);
    const baselineResult = toResult('remoting-baseline', args, baseline, rssBaseline.stop());
    const rss = new RssSampler();
    const remoting = await runRemoting(args.msgSize, window, args.warmupSeconds, args.seconds);
    const result = toResult('remoting', args, remoting, rss.stop());
    result.window = window;
    result.baselineMsgsPerSec = baselineResult.msgsPerSec;
    result.ratioToBaseline = result.msgsPerSec / baselineResult.msgsPerSec;
    return [baselineResult, result];
  },
  summarize(results) {
    const r = results.find((x) => x.scenario === 'remoting');
    if (r === undefined) return [];
    const ratio = Number(r.ratioToBaseline);
    return [`remoting / baseline = ${(ratio * 100).toFixed(1)} % (target ≥ 40 %)`];
  },
});

async function runRemoting(msgSize: number, window: number, warmupSeconds: number, seconds: number): Promise<PipelineResult> {
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
  try {
    await client.invokeSync(addr, RemotingCommand.createRequest(BENCH_ECHO, undefined, payload), 3000); // connect
    const driver: PipelineDriver = new PipelineDriver(window, (slot) => {
      const sentAt = performance.now();
      client.invokeSync(addr, RemotingCommand.createRequest(BENCH_ECHO, undefined, payload), 30_000).then(
        () => driver.complete(slot, sentAt),
        (e: unknown) => driver.fail(e),
      );
    });
    return await driver.run(warmupSeconds, seconds);
  } finally {
    await client.shutdown();
    await server.shutdown();
  }
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
