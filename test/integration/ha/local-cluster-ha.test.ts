import { strict as assert } from 'node:assert';

import { LocalCluster } from '../../../src/broker/local-cluster.js';
import { readHeader } from '../../../src/common/protocol/headers/command-header.js';
import { PullMessageResponseHeader } from '../../../src/common/protocol/headers/pull-message.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import { RemotingClient } from '../../../src/common/remoting/remoting-client.js';
import { pull, sendV2, TIMEOUT } from '../broker/helpers.js';
import { waitFor } from './ha-fixtures.js';

const SMALL = { mappedFileSizeCommitLog: 1024 * 1024, mappedFileSizeConsumeQueue: 20 * 1000, writeBufferSize: 1024 * 1024 };

describe('LocalCluster { slave: true }: master + SLAVE over the name server', function () {
  this.timeout(30_000);
  let cluster: LocalCluster | undefined;
  const client = new RemotingClient({ connectTimeoutMillis: 1000 });

  afterEach(async () => {
    await cluster?.stop();
    cluster = undefined;
  });
  after(() => client.shutdown());

  it('SYNC_MASTER sends are acked by the slave, the slave serves pulls of them, refuses sends, and syncs topics and offsets', async () => {
    cluster = await LocalCluster.start({ slave: true, messageStoreConfig: { ...SMALL, brokerRole: 'SYNC_MASTER', slaveTimeout: 1000 } });
    const master = cluster.broker;
    const slave = cluster.slave!;
    assert.ok(cluster.slaveAddr !== undefined && cluster.slaveAddr !== cluster.brokerAddr);
    // The slave learnt the master's HA address from its registration result.
    assert.equal(slave.replication.haService.haClient.currentMasterAddress, `127.0.0.1:${master.messageStoreConfig.haListenPort}`);
    await waitFor('slave connected', () => master.replication.haService.connectionCount === 1);

    for (let i = 0; i < 10; i++) {
      const r = await client.invokeSync(cluster.brokerAddr, sendV2('HA_TOPIC', `hello ${i}`), TIMEOUT);
      assert.equal(r.code, ResponseCode.SUCCESS, r.remark);
    }
    assert.ok(slave.messageStore.getMaxPhyOffset() >= master.messageStore.getMaxPhyOffset() - 0, 'acked sends are on the slave');

    // The slave refuses writes.
    const refused = await client.invokeSync(cluster.slaveAddr!, sendV2('HA_TOPIC', 'to the slave'), TIMEOUT);
    assert.equal(refused.code, ResponseCode.SERVICE_NOT_AVAILABLE);

    // SlaveSynchronize: topics and consumer offsets from the master.
    master.consumerOffsetManager.commitOffset('test', 'CG_HA', 'HA_TOPIC', 0, 7);
    const sync = slave.replication.slaveSynchronize!;
    assert.equal(sync.masterAddr, cluster.brokerAddr);
    await sync.syncAll();
    assert.ok(slave.topicConfigManager.selectTopicConfig('HA_TOPIC') !== undefined);
    assert.equal(slave.consumerOffsetManager.queryOffset('CG_HA', 'HA_TOPIC', 0), 7);

    // Pull from the slave: the records built into its own ConsumeQueue.
    await waitFor('slave dispatched', () => slave.messageStore.dispatchBehindBytes() === 0 && slave.messageStore.getMaxOffsetInQueue('HA_TOPIC', 0) === 10);
    const p = await client.invokeSync(cluster.slaveAddr!, pull('HA_TOPIC', 0, { sysFlag: 0x4, suspendTimeoutMillis: 0 }), TIMEOUT);
    assert.equal(p.code, ResponseCode.SUCCESS, p.remark);
    assert.equal(readHeader(p, PullMessageResponseHeader).nextBeginOffset, 10);

    // No slave: SLAVE_NOT_AVAILABLE.
    await slave.shutdown();
    await waitFor('connection dropped', () => master.replication.haService.connectionCount === 0);
    const r = await client.invokeSync(cluster.brokerAddr, sendV2('HA_TOPIC', 'alone'), TIMEOUT);
    assert.equal(r.code, ResponseCode.SLAVE_NOT_AVAILABLE);
  });

  it('ASYNC_MASTER: sends do not wait, the slave follows', async () => {
    cluster = await LocalCluster.start({ slave: true, messageStoreConfig: SMALL });
    for (let i = 0; i < 20; i++) assert.equal((await client.invokeSync(cluster.brokerAddr, sendV2('HA_ASYNC', `m${i}`), TIMEOUT)).code, ResponseCode.SUCCESS);
    const [m, s] = [cluster.broker.messageStore, cluster.slave!.messageStore];
    await waitFor('slave caught up', () => s.getMaxPhyOffset() === m.getMaxPhyOffset());
  });
});
