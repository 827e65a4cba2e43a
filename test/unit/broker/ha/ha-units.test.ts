import { strict as assert } from 'node:assert';

import { createLogger } from '../../../../src/common/logging/logger.js';
import { ChunkQueue } from '../../../../src/broker/ha/chunk-queue.js';
import { GroupTransferService } from '../../../../src/broker/ha/group-transfer-service.js';
import { decodeTransferHeader, encodeReport, encodeTransferHeader, lastReport, TRANSFER_HEADER_SIZE } from '../../../../src/broker/ha/ha-wire.js';
import { WaitNotifyObject } from '../../../../src/broker/ha/wait-notify-object.js';

const log = createLogger('ha-unit');

describe('HA wire', () => {
  it('transfer header: int64 offset + int32 size, big-endian', () => {
    const h = encodeTransferHeader(0x1_0000_0002, 32768);
    assert.equal(h.length, TRANSFER_HEADER_SIZE);
    assert.equal(h.toString('hex'), '0000000100000002' + '00008000');
    assert.deepEqual(decodeTransferHeader(h, 0), { phyOffset: 0x1_0000_0002, bodySize: 32768 });
  });

  it('reports: only the last whole 8 bytes count, a partial one waits', () => {
    assert.equal(encodeReport(5).toString('hex'), '0000000000000005');
    assert.equal(lastReport(Buffer.alloc(7)), undefined);
    const two = Buffer.concat([encodeReport(1), encodeReport(9), Buffer.from([0, 0, 0])]);
    assert.deepEqual(lastReport(two), { offset: 9, consumed: 16 });
  });
});

describe('ChunkQueue', () => {
  it('peeks across chunks, takes and skips, and a zero-length take on an empty queue (heartbeat) is empty', () => {
    const q = new ChunkQueue();
    q.push(encodeTransferHeader(100, 0));
    q.skip(TRANSFER_HEADER_SIZE);
    assert.equal(q.take(0).length, 0);
    q.push(Buffer.from([1, 2, 3]));
    q.push(Buffer.from([4, 5]));
    q.push(Buffer.from([6]));
    assert.deepEqual([...q.peek(4)], [1, 2, 3, 4]);
    assert.deepEqual([...q.take(5)], [1, 2, 3, 4, 5]);
    assert.equal(q.length, 1);
    assert.throws(() => q.take(2), RangeError);
  });
});

describe('GroupTransferService', () => {
  it('answers PUT_OK as soon as an ack covers a request, in order, and FLUSH_SLAVE_TIMEOUT at the deadline', async () => {
    let acked = 0;
    const g = new GroupTransferService(() => acked, log);
    const a = g.putRequest(100, 10_000);
    const b = g.putRequest(200, 10_000);
    acked = 150;
    g.notifyTransferSome();
    assert.equal(await a, 'PUT_OK');
    assert.equal(g.pending, 1);
    acked = 200;
    g.notifyTransferSome();
    assert.equal(await b, 'PUT_OK');
    const began = Date.now();
    assert.equal(await g.putRequest(300, 50), 'FLUSH_SLAVE_TIMEOUT');
    assert.ok(Date.now() - began >= 45);
    assert.equal(await g.putRequest(150, 50), 'PUT_OK', 'already acked');
    const left = g.putRequest(1000, 10_000);
    g.shutdown();
    assert.equal(await left, 'FLUSH_SLAVE_TIMEOUT');
  });
});

describe('WaitNotifyObject', () => {
  it('wakeupAll releases waiters before their timeout; close releases all and later waits return at once', async () => {
    const w = new WaitNotifyObject();
    const began = Date.now();
    const p = w.waitForRunning(10_000);
    assert.equal(w.waiting, 1);
    w.wakeupAll();
    await p;
    assert.ok(Date.now() - began < 1000);
    const q = w.waitForRunning(10_000);
    w.close();
    await q;
    await w.waitForRunning(10_000);
    assert.equal(w.waiting, 0);
  });
});
