import { expect } from 'chai';
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/*
 * Opt-in: real RocketMQ 4.9.8 Java clients and mqadmin against an `rmq dev` child (our name server +
 * broker) on ports of its own. Runs only with RMQ_INTEROP_JAVA=1 and a real build in
 * ~/.cache/real-rocketmq (see /work/shared/tools/real-rocketmq/README.md). RMQ_INTEROP_VERBOSE=1
 * prints what each mqadmin command printed.
 */
const REAL_BUILD = process.env['ANCHOR_BUILD'] ?? join(homedir(), '.cache', 'real-rocketmq');
const TOOLS = process.env['RMQ_REAL_TOOLS'] ?? '/work/shared/tools/real-rocketmq';
const ENABLED = process.env['RMQ_INTEROP_JAVA'] === '1' && existsSync(join(REAL_BUILD, 'lib')) && existsSync(join(TOOLS, 'mqadmin.sh'));
const VERBOSE = process.env['RMQ_INTEROP_VERBOSE'] === '1';
const TOPIC = 'InteropTopic';
const MESSAGES = 200;
const JAVA_TIMEOUT_MILLIS = 120_000;

interface Run {
  code: number | null;
  out: string;
}

function runTool(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(join(TOOLS, script), args, { env, timeout: JAVA_TIMEOUT_MILLIS, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ code, out: `${stdout}${stderr}` });
    });
  });
}

(ENABLED ? describe : describe.skip)('interop: real Java producer/consumer and mqadmin against rmq dev (opt-in)', function () {
  this.timeout(10 * 60_000);
  let dir: string;
  let child: ChildProcessWithoutNullStreams | undefined;
  let namesrvAddr = '';
  let brokerAddr = '';
  let env: NodeJS.ProcessEnv;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rmq-interop-'));
    child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'dev', '--namesrvPort=0', '--listenPort=0', `--storePathRootDir=${join(dir, 'store')}`, '--mappedFileSizeCommitLog=67108864'], {
      stdio: 'pipe',
    });
    let out = '';
    [namesrvAddr, brokerAddr] = await new Promise<[string, string]>((resolve, reject) => {
      child!.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /ready: namesrvAddr=(\S+) brokerAddr=(\S+)/.exec(out);
        if (m) resolve([m[1]!, m[2]!]);
      });
      child!.once('exit', (code) => reject(new Error(`rmq dev exited ${code} before ready: ${out}`)));
    });
    // mqadmin reads its logback config from ROCKETMQ_HOME (= $RMQ_BASE/home), as start.sh prepares it.
    const conf = join(dir, 'java', 'home', 'conf');
    mkdirSync(conf, { recursive: true });
    copyFileSync(join(REAL_BUILD, 'conf', 'logback_tools.xml'), join(conf, 'logback_tools.xml'));
    env = { ...process.env, RMQ_BASE: join(dir, 'java'), NAMESRV_PORT: namesrvAddr.split(':')[1]! };
  });

  after(async () => {
    if (child !== undefined && child.exitCode === null) {
      const exited = new Promise<void>((resolve) => child!.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const admin = async (args: string[]): Promise<string> => {
    const r = await runTool('mqadmin.sh', args, env);
    if (VERBOSE) process.stdout.write(`\n$ mqadmin ${args.join(' ')}  (exit ${r.code})\n${r.out}\n`);
    expect(r.code, r.out).to.equal(0);
    expect(r.out, r.out).to.not.match(/Exception/);
    return r.out;
  };

  it('the Java DefaultMQProducer sends and the DefaultMQPushConsumer consumes every message', async () => {
    const r = await runTool('check.sh', ['sendconsume', TOPIC, String(MESSAGES)], env);
    if (VERBOSE) process.stdout.write(`\n$ check.sh sendconsume ${TOPIC} ${MESSAGES}\n${r.out}\n`);
    expect(r.out).to.contain(`sent SEND_OK=${MESSAGES}/${MESSAGES}`);
    expect(r.out).to.match(new RegExp(`consumed distinct=${MESSAGES}/${MESSAGES}`));
  });

  it('mqadmin clusterList / topicRoute / topicStatus / consumerProgress / brokerStatus / queryMsgByKey', async () => {
    expect(await admin(['clusterList', '-n', namesrvAddr])).to.contain(brokerAddr);
    expect(await admin(['topicRoute', '-n', namesrvAddr, '-t', TOPIC])).to.contain(brokerAddr);
    const status = await admin(['topicStatus', '-n', namesrvAddr, '-t', TOPIC]);
    expect(status).to.contain('#Broker Name');
    const progress = await admin(['consumerProgress', '-n', namesrvAddr]);
    expect(progress).to.contain('anchor_cg_');
    const broker = await admin(['brokerStatus', '-n', namesrvAddr, '-b', brokerAddr]);
    expect(broker).to.contain('brokerVersionDesc').and.contain('msgPutTotalTodayNow');
    // One row: the message's UNIQ_KEY id, its queue and queue offset.
    const byKey = await admin(['queryMsgByKey', '-n', namesrvAddr, '-t', TOPIC, '-k', 'k7']);
    expect(byKey).to.match(/#Message ID\s+#QID\s+#Offset\s*\n[0-9A-F]{32,}\s+\d+\s+\d+/);
  });
});
