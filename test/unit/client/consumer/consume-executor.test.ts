import { strict as assert } from 'node:assert';

import { ConsumeExecutor } from '../../../../src/client/consumer/consume-executor.js';
import { createLogger } from '../../../../src/common/logging/logger.js';

const log = createLogger('test', { level: 'silent' });

/** A runner whose calls stay open until released, recording the order they started in. */
function gatedRunner(): { run: (n: number) => Promise<void>; started: number[]; releaseAll: () => void } {
  const started: number[] = [];
  const open: (() => void)[] = [];
  return {
    started,
    run: (n) => {
      started.push(n);
      return new Promise<void>((resolve) => open.push(resolve));
    },
    releaseAll: () => {
      for (const r of open.splice(0)) r();
    },
  };
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('ConsumeExecutor', () => {
  it('runs at most maxConcurrency items at once, the rest in FIFO order as slots free up', async () => {
    const g = gatedRunner();
    const ex = new ConsumeExecutor<number>(2, g.run, log);
    for (let i = 0; i < 5; i++) assert.equal(ex.submit(i), true);
    assert.deepEqual(g.started, [0, 1]);
    assert.equal(ex.activeCount, 2);
    assert.equal(ex.queueSize, 3);
    g.releaseAll();
    await settle();
    assert.deepEqual(g.started, [0, 1, 2, 3]);
    g.releaseAll();
    await settle();
    assert.deepEqual(g.started, [0, 1, 2, 3, 4]);
    g.releaseAll();
    await settle();
    assert.equal(ex.activeCount, 0);
    assert.equal(ex.queueSize, 0);
  });

  it('keeps FIFO order through a backlog far longer than its compaction threshold', async () => {
    const seen: number[] = [];
    const ex = new ConsumeExecutor<number>(1, async (n) => {
      seen.push(n);
      if (n < 100_000 && n % 500 === 0) ex.submit(100_000 + n); // more work arrives while the backlog drains
    }, log);
    for (let i = 0; i < 5000; i++) ex.submit(i);
    while (ex.queueSize > 0 || ex.activeCount > 0) await new Promise((r) => setImmediate(r));
    const expected = Array.from({ length: 5000 }, (_, i) => i);
    assert.deepEqual(seen.filter((n) => n < 100_000), expected);
    assert.equal(seen.length, 5010);
  });

  it('a task that finishes synchronously (undefined) frees its slot at once; mixed with async ones order holds', async () => {
    const started: number[] = [];
    const g = gatedRunner();
    const ex = new ConsumeExecutor<number>(2, (n) => {
      started.push(n);
      return n % 3 === 0 ? g.run(n) : undefined; // every third item stays open until released
    }, log);
    for (let i = 0; i < 10; i++) ex.submit(i);
    // 0 holds a slot; 1 and 2 finish synchronously in the other; 3 takes it and holds: two open.
    assert.deepEqual(started, [0, 1, 2, 3]);
    assert.equal(ex.activeCount, 2);
    while (ex.queueSize > 0 || ex.activeCount > 0) {
      g.releaseAll();
      await settle();
    }
    assert.deepEqual(started, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await ex.shutdown(1000);
    assert.equal(ex.submit(10), false);
  });

  it('a failing or throwing item is logged and frees its slot', async () => {
    const ran: number[] = [];
    const ex = new ConsumeExecutor<number>(1, (n) => {
      ran.push(n);
      if (n === 0) throw new Error('sync throw');
      return n === 1 ? Promise.reject(new Error('rejected')) : Promise.resolve();
    }, log);
    ex.submit(0);
    ex.submit(1);
    ex.submit(2);
    await settle();
    assert.deepEqual(ran, [0, 1, 2]);
    assert.equal(ex.activeCount, 0);
  });

  it('shutdown drops queued items, refuses new ones and waits (bounded) for the running ones', async () => {
    const g = gatedRunner();
    const ex = new ConsumeExecutor<number>(1, g.run, log);
    ex.submit(0);
    ex.submit(1);
    let done = false;
    const stopping = ex.shutdown(10_000).then(() => (done = true));
    assert.equal(ex.submit(2), false);
    await settle();
    assert.equal(done, false, 'waits for the running item');
    g.releaseAll();
    await stopping;
    assert.deepEqual(g.started, [0]);
    // Bounded: an item that never finishes does not hold shutdown past the bound.
    const stuck = new ConsumeExecutor<number>(1, () => new Promise<void>(() => undefined), log);
    stuck.submit(0);
    await stuck.shutdown(20);
  });
});
