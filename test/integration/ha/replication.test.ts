import { strict as assert } from 'node:assert';
import { rm } from 'node:fs/promises';
import { connect, createServer, type Socket } from 'node:net';
import { join } from 'node:path';

import { encodeReport, encodeTransferHeader } from '../../../src/broker/ha/ha-wire.js';
import { tempStoreDir } from '../store/store-fixtures.js';
import { fill, HA_FILE_SIZE, haConfig, readTree, startNode, stopNode, waitCaughtUp, waitFor, type HANode } from './ha-fixtures.js';

const MiB = 1024 * 1024;

describe('HA replication over real sockets (store + HAService)', function () {
  this.timeout(40_000);
  const dirs: string[] = [];
  const nodes: HANode[] = [];

  async function node(dir: string, role: 'ASYNC_MASTER' | 'SYNC_MASTER' | 'SLAVE', port = 0, extra = {}): Promise<HANode> {
    const n = await startNode(haConfig(dir, { brokerRole: role, ...extra }), port);
    nodes.push(n);
    return n;
  }
  async function stop(n: HANode): Promise<void> {
    nodes.splice(nodes.indexOf(n), 1);
    await stopNode(n);
  }
  async function dir(): Promise<string> {
    const d = await tempStoreDir();
    dirs.push(d);
    return d;
  }

  afterEach(async () => {
    for (const n of nodes.splice(0).reverse()) await stopNode(n);
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });

  it('a slave that was away catches up on tens of MB: CommitLog files byte-identical, ConsumeQueues equal', async () => {
    const [md, sd] = [await dir(), await dir()];
    const master = await node(md, 'ASYNC_MASTER');
    const masterAddr = `127.0.0.1:${master.ha.port}`;
    let slave = await node(sd, 'SLAVE');
    slave.ha.updateMasterAddress(masterAddr);
    await waitFor('slave connection', () => master.ha.connectionCount === 1);
    await fill(master.store, 'HA_T', 1 * MiB);
    await waitCaughtUp(master.store, slave.store);
    await stop(slave);

    await fill(master.store, 'HA_T', 24 * MiB);
    const began = Date.now();
    slave = await node(sd, 'SLAVE');
    slave.ha.updateMasterAddress(masterAddr);
    await waitCaughtUp(master.store, slave.store);
    const secs = (Date.now() - began) / 1000;
    assert.ok(master.store.getMaxPhyOffset() > 25 * MiB);
    assert.ok(slave.ha.haClient.appendedBytes >= 24 * MiB, `appended ${slave.ha.haClient.appendedBytes}`);
    void secs;

    await stop(slave);
    await stop(master);
    const [m, s] = [await readTree(join(md, 'commitlog')), await readTree(join(sd, 'commitlog'))];
    assert.deepEqual([...s.keys()].sort(), [...m.keys()].sort());
    assert.ok(m.size > 90, `${m.size} files`);
    for (const [name, bytes] of m) assert.ok(bytes.equals(s.get(name)!), `commitlog ${name} differs`);
    const [mcq, scq] = [await readTree(join(md, 'consumequeue')), await readTree(join(sd, 'consumequeue'))];
    assert.deepEqual([...scq.keys()].sort(), [...mcq.keys()].sort());
    for (const [name, bytes] of mcq) assert.ok(bytes.equals(scq.get(name)!), `consumequeue ${name} differs`);
  });

  it('an empty slave starts at the start of the master\'s last file (Java), and its files from there match', async () => {
    const [md, sd] = [await dir(), await dir()];
    const master = await node(md, 'ASYNC_MASTER');
    await fill(master.store, 'HA_L', 3 * MiB);
    const slave = await node(sd, 'SLAVE');
    slave.ha.updateMasterAddress(`127.0.0.1:${master.ha.port}`);
    await waitCaughtUp(master.store, slave.store);
    const lastFileStart = master.store.getMaxPhyOffset() - (master.store.getMaxPhyOffset() % HA_FILE_SIZE);
    assert.equal(slave.store.getMinPhyOffset(), lastFileStart);
    await fill(master.store, 'HA_L', 1 * MiB);
    await waitCaughtUp(master.store, slave.store);
    // Messages on the slave are readable through its own ConsumeQueues.
    const r = await slave.store.getMessage('G', 'HA_L', 0, slave.store.getMaxOffsetInQueue('HA_L', 0) - 1, 1);
    assert.equal(r.status, 'FOUND');
    await stop(slave);
    await stop(master);
    const [m, s] = [await readTree(join(md, 'commitlog')), await readTree(join(sd, 'commitlog'))];
    for (const [name, bytes] of s) assert.ok(bytes.equals(m.get(name)!), `commitlog ${name} differs`);
  });

  it('the slave reconnects after the master restarts and resumes without a hole', async () => {
    const [md, sd] = [await dir(), await dir()];
    let master = await node(md, 'ASYNC_MASTER');
    const port = master.ha.port;
    const slave = await node(sd, 'SLAVE');
    slave.ha.updateMasterAddress(`127.0.0.1:${port}`);
    await fill(master.store, 'HA_R', 2 * MiB);
    await waitCaughtUp(master.store, slave.store);
    await stop(master);
    await waitFor('slave sees the master gone', () => !slave.ha.haClient.isConnected);
    master = await node(md, 'ASYNC_MASTER', port);
    await fill(master.store, 'HA_R', 2 * MiB);
    await waitFor('slave reconnects', () => master.ha.connectionCount === 1);
    await waitCaughtUp(master.store, slave.store);
    await stop(slave);
    await stop(master);
    const [m, s] = [await readTree(join(md, 'commitlog')), await readTree(join(sd, 'commitlog'))];
    assert.deepEqual([...s.keys()].sort(), [...m.keys()].sort());
    for (const [name, bytes] of m) assert.ok(bytes.equals(s.get(name)!), `commitlog ${name} differs`);
  });

  it('SYNC_MASTER: PUT_OK only once the slave acked, SLAVE_NOT_AVAILABLE without a slave, FLUSH_SLAVE_TIMEOUT with a silent one', async () => {
    const [md, sd] = [await dir(), await dir()];
    const master = await node(md, 'SYNC_MASTER', 0, { slaveTimeout: 300 });
    const none = await fill(master.store, 'HA_S', 4000, 4000, 1);
    assert.equal(none, 1);
    const { inner } = await import('../store/store-fixtures.js');
    const r0 = await master.store.putMessage(inner('HA_S', 0, 'x'));
    assert.equal(r0.status, 'SLAVE_NOT_AVAILABLE');

    const slave = await node(sd, 'SLAVE');
    slave.ha.updateMasterAddress(`127.0.0.1:${master.ha.port}`);
    await waitFor('slave connection', () => master.ha.connectionCount === 1);
    for (let i = 0; i < 20; i++) {
      const r = await master.store.putMessage(inner('HA_S', 0, `m${i}`));
      assert.equal(r.status, 'PUT_OK');
      assert.ok('appendMessageResult' in r);
      const end = r.appendMessageResult.wroteOffset + r.appendMessageResult.wroteBytes;
      assert.ok(master.ha.push2SlaveMaxOffset >= end);
      assert.ok(slave.store.getMaxPhyOffset() >= end, 'acknowledged data is on the slave');
    }
    // A put that does not wait for the store does not wait for the slave either.
    const noWait = inner('HA_S', 0, 'nowait');
    noWait.waitStoreMsgOK = false;
    assert.equal((await master.store.putMessage(noWait)).status, 'PUT_OK');
    await stop(slave);
    await waitFor('connection dropped', () => master.ha.connectionCount === 0);
    assert.equal((await master.store.putMessage(inner('HA_S', 0, 'y'))).status, 'SLAVE_NOT_AVAILABLE');

    // A slave that reports once and then never acks: the put times out after slaveTimeout.
    const fake = connect({ host: '127.0.0.1', port: master.ha.port });
    fake.on('error', () => undefined);
    await new Promise<void>((resolve) => fake.once('connect', () => resolve()));
    fake.write(encodeReport(master.store.getMaxPhyOffset()));
    await waitFor('fake slave', () => master.ha.connectionCount === 1 && master.ha.connectionList[0]!.slaveRequestOffset >= 0);
    const began = Date.now();
    const r = await master.store.putMessage(inner('HA_S', 0, 'z'));
    assert.equal(r.status, 'FLUSH_SLAVE_TIMEOUT');
    assert.ok(Date.now() - began >= 250);
    fake.destroy();
  });

  it('bad input: a slave reporting beyond the master CommitLog is dropped with a log line, the master keeps working', async () => {
    const md = await dir();
    const master = await node(md, 'ASYNC_MASTER');
    await fill(master.store, 'HA_B', 100_000);
    const bad = connect({ host: '127.0.0.1', port: master.ha.port });
    bad.on('error', () => undefined);
    await new Promise<void>((resolve) => bad.once('connect', () => resolve()));
    const closed = new Promise<void>((resolve) => bad.once('close', () => resolve()));
    bad.write(encodeReport(master.store.getMaxPhyOffset() + 1_000_000));
    await closed;
    // garbage: a negative offset
    const junk = connect({ host: '127.0.0.1', port: master.ha.port });
    junk.on('error', () => undefined);
    const junkClosed = new Promise<void>((resolve) => junk.once('close', () => resolve()));
    junk.write(Buffer.alloc(8, 0xff));
    await junkClosed;
    assert.equal(master.ha.connectionCount, 0);
    assert.equal((await fill(master.store, 'HA_B', 4000, 4000, 1)), 1);
  });

  it('a master pushing at the wrong offset (a gap) or garbage is dropped; the slave reconnects and asks again from its own max offset', async () => {
    const sd = await dir();
    const slave = await node(sd, 'SLAVE');
    const reports: number[] = [];
    const sockets: Socket[] = [];
    let connections = 0;
    const server = createServer((socket) => {
      sockets.push(socket);
      const n = ++connections;
      socket.on('error', () => undefined);
      socket.once('data', (b: Buffer) => {
        const offset = Number(b.readBigInt64BE(0));
        reports.push(offset);
        // 1st: a gap of 4 KiB past the file start; 2nd: a negative body size; later: nothing.
        if (n === 1) socket.write(Buffer.concat([encodeTransferHeader(HA_FILE_SIZE + 4096, 16), Buffer.alloc(16, 1)]));
        if (n === 2) socket.write(encodeTransferHeader(offset, -5));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      slave.ha.updateMasterAddress(`127.0.0.1:${port}`);
      await waitFor('three connections', () => connections >= 3 && reports.length >= 3);
      assert.deepEqual(reports.slice(0, 3), [0, 0, 0]);
      assert.equal(slave.store.getMaxPhyOffset(), 0, 'nothing appended from a bad stream');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
