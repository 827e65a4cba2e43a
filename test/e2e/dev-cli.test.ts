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

function rmq(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { stdio: 'pipe' });
}

function exited(p: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => p.once('exit', (code) => resolve(code)));
}

describe('rmq dev / rmq broker (e2e)', function () {
  this.timeout(20000);
  let dir: string;
  let child: ChildProcessWithoutNullStreams | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rmq-dev-cli-'));
  });
  afterEach(() => {
    if (child !== undefined && child.exitCode === null) child.kill('SIGKILL');
    child = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('rmq dev prints both addresses and "ready", the broker is registered with the name server, SIGTERM exits 0', async () => {
    child = rmq(['dev', '--namesrvPort=0', '--listenPort=0', `--storePathRootDir=${dir}`, '--mappedFileSizeCommitLog=4194304']);
    let out = '';
    const [namesrvAddr, brokerAddr] = await new Promise<[string, string]>((resolve, reject) => {
      child!.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /ready: namesrvAddr=(\S+) brokerAddr=(\S+)/.exec(out);
        if (m) resolve([m[1]!, m[2]!]);
      });
      child!.once('exit', (code) => reject(new Error(`exited ${code} before ready: ${out}`)));
    });
    expect(namesrvAddr).to.match(/^127\.0\.0\.1:\d+$/);
    expect(brokerAddr).to.match(/^127\.0\.0\.1:\d+$/);
    const client = new RemotingClient();
    try {
      const res = await client.invokeSync(namesrvAddr, RemotingCommand.createRequest(RequestCode.GET_BROKER_CLUSTER_INFO), 3000);
      expect(res.code).to.equal(ResponseCode.SUCCESS);
      const info = decodeClusterInfo(res.body!);
      expect([...info.brokerAddrTable.values()][0]?.brokerAddrs.get(0)).to.equal(brokerAddr);
      const cfg = await client.invokeSync(brokerAddr, RemotingCommand.createRequest(RequestCode.GET_BROKER_CONFIG), 3000);
      expect(cfg.code).to.equal(ResponseCode.SUCCESS);
      expect(cfg.body!.toString()).to.contain('mappedFileSizeCommitLog=4194304');
    } finally {
      await client.shutdown();
    }
    const exit = exited(child);
    child.kill('SIGTERM');
    expect(await exit).to.equal(0);
  });

  it('a bad key is one error line naming it, exit 1 (dev and broker)', async () => {
    for (const args of [['dev', '--noSuchKey=1'], ['broker', '-n', '127.0.0.1:9', '--flushDiskType=SOMETIMES']]) {
      child = rmq(args);
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      expect(await exited(child)).to.equal(1);
      expect(err.trim().split('\n')).to.have.length(1);
      expect(err).to.match(/noSuchKey|flushDiskType/);
    }
  });
});
