import { strict as assert } from 'node:assert';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { LocalCluster } from '../../src/broker/local-cluster.js';
import { ResponseCode } from '../../src/common/protocol/response-code.js';
import { RemotingClient } from '../../src/common/remoting/remoting-client.js';
import { sendV2, TIMEOUT } from '../integration/broker/helpers.js';
import { waitFor } from '../integration/ha/ha-fixtures.js';

const READY = /rmq broker ready at (\S+)/;

describe("'rmq broker' with brokerRole=SLAVE (e2e)", function () {
  this.timeout(30_000);
  let child: ChildProcessWithoutNullStreams | undefined;
  let cluster: LocalCluster | undefined;
  let dir = '';
  const client = new RemotingClient({ connectTimeoutMillis: 1000 });

  after(async () => {
    if (child !== undefined && child.exitCode === null) child.kill('SIGKILL');
    await client.shutdown();
    await cluster?.stop();
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('follows a SYNC_MASTER found through the name server: sends are acked by it, SIGTERM exits 0', async () => {
    cluster = await LocalCluster.start({ messageStoreConfig: { brokerRole: 'SYNC_MASTER', mappedFileSizeCommitLog: 1024 * 1024, writeBufferSize: 1024 * 1024 } });
    dir = await mkdtemp(join(tmpdir(), 'rmq-ha-cli-'));
    const args = ['--import', 'tsx', 'src/cli/main.ts', 'broker', '-n', cluster.namesrvAddr, '--listenPort=0', `--storePathRootDir=${dir}`, `--brokerName=${cluster.broker.brokerConfig.brokerName}`];
    args.push('--brokerIP1=127.0.0.1', '--brokerIP2=127.0.0.1', '--bindAddress=127.0.0.1', '--brokerRole=SLAVE', '--brokerId=1', '--mappedFileSizeCommitLog=1048576');
    child = spawn(process.execPath, args, { stdio: 'pipe' });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor('slave ready', () => READY.test(out), 20_000);
    const ha = cluster.broker.replication.haService;
    await waitFor('slave HA connection', () => ha.connectionCount === 1, 10_000);
    for (let i = 0; i < 5; i++) {
      const r = await client.invokeSync(cluster.brokerAddr, sendV2('HA_CLI', `m${i}`), TIMEOUT);
      assert.equal(r.code, ResponseCode.SUCCESS, r.remark);
    }
    assert.equal(ha.push2SlaveMaxOffset, cluster.broker.messageStore.getMaxPhyOffset());
    const code = new Promise<number | null>((resolve) => child!.once('exit', (c) => resolve(c)));
    child.kill('SIGTERM');
    assert.equal(await code, 0, out);
  });
});
