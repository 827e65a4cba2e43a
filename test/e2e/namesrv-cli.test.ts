import { expect } from 'chai';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { decodeClusterInfo } from '../../src/common/protocol/body/cluster-info.js';
import { RequestCode } from '../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../src/common/protocol/response-code.js';
import { RemotingClient } from '../../src/common/remoting/remoting-client.js';
import { RemotingCommand } from '../../src/common/remoting/remoting-command.js';

/** Runs the CLI from its TypeScript sources (dist/ is only there after `npm run build`). */
function rmq(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { stdio: 'pipe' });
}

function exited(p: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => p.once('exit', (code) => resolve(code)));
}

describe('rmq namesrv (e2e)', function () {
  this.timeout(20000);
  let dir: string;
  let child: ChildProcessWithoutNullStreams | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rmq-namesrv-cli-'));
  });
  afterEach(() => {
    if (child !== undefined && child.exitCode === null) child.kill('SIGKILL');
    child = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints its address and "ready", answers requests, and exits 0 on SIGTERM', async () => {
    child = rmq(['namesrv', '--listenPort=0', `--kvConfigPath=${join(dir, 'kv.json')}`]);
    let out = '';
    const addr = await new Promise<string>((resolve, reject) => {
      child!.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /ready at (\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child!.once('exit', (code) => reject(new Error(`exited ${code} before ready: ${out}`)));
    });
    expect(addr).to.match(/^127\.0\.0\.1:\d+$/);
    const client = new RemotingClient();
    try {
      const res = await client.invokeSync(addr, RemotingCommand.createRequest(RequestCode.GET_BROKER_CLUSTER_INFO), 3000);
      expect(res.code).to.equal(ResponseCode.SUCCESS);
      expect(decodeClusterInfo(res.body!).brokerAddrTable.size).to.equal(0);
    } finally {
      await client.shutdown();
    }
    const exit = exited(child);
    child.kill('SIGTERM');
    expect(await exit).to.equal(0);
  });

  it('an unknown key is one clear error naming it, exit 1', async () => {
    child = rmq(['namesrv', '--listenPort=0', '--noSuchKey=1']);
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    expect(await exited(child)).to.equal(1);
    expect(err.trim().split('\n')).to.have.length(1);
    expect(err).to.contain("'noSuchKey'");
  });

  it('a bad value names the key, exit 1', async () => {
    child = rmq(['namesrv', '--listenPort=notaport']);
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    expect(await exited(child)).to.equal(1);
    expect(err).to.contain("'listenPort'");
  });
});
