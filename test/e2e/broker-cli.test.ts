import { expect } from 'chai';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { NamesrvController } from '../../src/namesrv/namesrv-controller.js';
import { decodeClusterInfo } from '../../src/common/protocol/body/cluster-info.js';
import { decodeTopicRouteData } from '../../src/common/protocol/body/topic-route-data.js';
import { createRequestWithHeader } from '../../src/common/protocol/headers/command-header.js';
import { GetRouteInfoRequestHeader } from '../../src/common/protocol/headers/namesrv/route.js';
import { RequestCode } from '../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../src/common/protocol/response-code.js';
import { RemotingClient } from '../../src/common/remoting/remoting-client.js';
import { RemotingCommand } from '../../src/common/remoting/remoting-command.js';

const BROKER_NAME = 'broker-cli-e2e';

describe('rmq broker against our name server (e2e)', function () {
  this.timeout(20000);
  let dir: string;
  let namesrv: NamesrvController;
  let child: ChildProcessWithoutNullStreams | undefined;
  let client: RemotingClient;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rmq-broker-cli-'));
    namesrv = new NamesrvController({ listenPort: 0 });
    await namesrv.start();
    client = new RemotingClient();
  });
  afterEach(async () => {
    if (child !== undefined && child.exitCode === null) child.kill('SIGKILL');
    child = undefined;
    await client.shutdown();
    await namesrv.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints ready, registers (cluster info and route show it), serves, unregisters and exits 0 on SIGTERM', async () => {
    const namesrvAddr = `127.0.0.1:${namesrv.port}`;
    child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'broker', '-n', namesrvAddr, '--listenPort=0', `--storePathRootDir=${dir}`, `--brokerName=${BROKER_NAME}`, '--brokerIP1=127.0.0.1', '--mappedFileSizeCommitLog=4194304'],
      { stdio: 'pipe' },
    );
    let out = '';
    const brokerAddr = await new Promise<string>((resolve, reject) => {
      child!.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /ready at (\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child!.once('exit', (code) => reject(new Error(`exited ${code} before ready: ${out}`)));
    });
    expect(brokerAddr).to.match(/^127\.0\.0\.1:\d+$/);

    const cluster = decodeClusterInfo((await client.invokeSync(namesrvAddr, RemotingCommand.createRequest(RequestCode.GET_BROKER_CLUSTER_INFO), 3000)).body!);
    expect(cluster.brokerAddrTable.get(BROKER_NAME)?.brokerAddrs.get(0)).to.equal(brokerAddr);
    expect([...(cluster.clusterAddrTable.get('DefaultCluster') ?? [])]).to.include(BROKER_NAME);
    const route = await client.invokeSync(namesrvAddr, createRequestWithHeader(RequestCode.GET_ROUTEINFO_BY_TOPIC, GetRouteInfoRequestHeader, { topic: 'TBW102' }), 3000);
    expect(route.code).to.equal(ResponseCode.SUCCESS);
    expect(decodeTopicRouteData(route.body!).queueDatas.map((q) => q.brokerName)).to.include(BROKER_NAME);
    const runtime = await client.invokeSync(brokerAddr, RemotingCommand.createRequest(RequestCode.GET_BROKER_RUNTIME_INFO), 3000);
    expect(runtime.code).to.equal(ResponseCode.SUCCESS);

    const exit = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).to.equal(0);
    // Unregistered on the way out.
    const after = decodeClusterInfo((await client.invokeSync(namesrvAddr, RemotingCommand.createRequest(RequestCode.GET_BROKER_CLUSTER_INFO), 3000)).body!);
    expect(after.brokerAddrTable.get(BROKER_NAME)?.brokerAddrs.size ?? 0).to.equal(0);
  });
});
