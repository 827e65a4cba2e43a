import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { expect } from 'chai';

import { DeliverDelayedMessageTimerTask, type DeliverContext } from '../../../../src/broker/schedule/deliver-delayed-message-timer-task.js';
import { ScheduleMessageService } from '../../../../src/broker/schedule/schedule-message-service.js';
import { createLogger } from '../../../../src/common/logging/logger.js';
import { FakeScheduleStore } from './fake-schedule-store.js';

const REAL_DELAY_OFFSET_JSON = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/body/config-delayOffset.json');
const log = createLogger('test', { level: 'silent' });
const LEVEL = 2;
const LEVEL_DELAY = 200;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function until(cond: () => boolean, timeoutMillis = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

describe('DeliverDelayedMessageTimerTask', () => {
  let store: FakeScheduleStore;
  let offsets: Map<number, number>;
  let started: boolean;
  let task: DeliverDelayedMessageTimerTask;

  function context(): DeliverContext {
    return {
      store,
      log,
      now: Date.now,
      isStarted: () => started,
      delayMillis: () => LEVEL_DELAY,
      updateOffset: (level, next) => offsets.set(level, next),
    };
  }

  beforeEach(() => {
    store = new FakeScheduleStore(LEVEL - 1);
    offsets = new Map();
    started = true;
    task = new DeliverDelayedMessageTimerTask(LEVEL, 0, context());
  });
  afterEach(async () => {
    started = false;
    await task.stop();
  });

  it('delivers due units in order, never before their time', async () => {
    const t0 = Date.now();
    for (const d of [0, 50, 120, 180]) store.addUnit(t0 + d);
    task.schedule(0);
    await until(() => store.puts.length === 4);
    store.puts.forEach((p, i) => expect(p.at, `unit ${i}`).to.be.at.least(t0 + [0, 50, 120, 180][i]!));
    expect(offsets.get(LEVEL)).to.equal(4);
    expect(store.puts.every((p) => p.msg.topic === 'FixT' && p.msg.queueId === 1)).to.equal(true);
  });

  it('retries a refused delivery at the same offset: nothing skipped, nothing twice', async () => {
    const t0 = Date.now();
    for (let i = 0; i < 5; i++) store.addUnit(t0);
    store.refusals.push('OS_PAGECACHE_BUSY', 'OS_PAGECACHE_BUSY');
    task.schedule(0);
    await until(() => store.puts.length === 5);
    await sleep(150);
    expect(store.puts).to.have.length(5);
    expect(offsets.get(LEVEL)).to.equal(5);
  });

  it('treats a deliver time beyond now + the level delay (a clock set back) as due now', async () => {
    store.addUnit(Date.now() + 60_000);
    task.schedule(0);
    await until(() => store.puts.length === 1);
  });

  it('moves an offset below the queue to its min (expired units)', async () => {
    for (let i = 0; i < 4; i++) store.addUnit(Date.now());
    store.minOffset = 2;
    task.schedule(0);
    await until(() => store.puts.length === 2);
    expect(offsets.get(LEVEL)).to.equal(4);
  });

  it('stop() waits for a put in progress, and nothing runs after it', async () => {
    store.addUnit(Date.now());
    store.addUnit(Date.now());
    let open!: () => void;
    store.putGate = new Promise<void>((r) => (open = r));
    task.schedule(0);
    await sleep(30);
    started = false;
    const stopped = task.stop();
    open();
    await stopped;
    const n = store.puts.length;
    expect(n).to.equal(1);
    expect(offsets.get(LEVEL)).to.equal(1);
    await sleep(150);
    expect(store.puts).to.have.length(n);
  });
});

describe('ScheduleMessageService', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rmq-schedule-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  function service(): ScheduleMessageService {
    return new ScheduleMessageService({ messageDelayLevel: '100ms 200ms 300ms', flushDelayOffsetInterval: () => 10_000, configPath: join(dir, 'delayOffset.json'), log });
  }

  it('writes delayOffset.json byte for byte as the real 4.9.8 broker did, and reads it back', async () => {
    const s = service();
    s.offsetTable.set(3, 1);
    s.offsetTable.set(2, 1);
    await s.persist();
    const real = await readFile(REAL_DELAY_OFFSET_JSON);
    expect((await readFile(join(dir, 'delayOffset.json'))).equals(real)).to.equal(true);
    const again = service();
    await again.load(new FakeScheduleStore(99));
    expect([...again.offsetTable]).to.deep.equal([[2, 1], [3, 1]]);
  });

  it('corrects a persisted offset past the queue end at load (correctDelayOffset)', async () => {
    await writeFile(join(dir, 'delayOffset.json'), '{"offsetTable":{2:50}}');
    const store = new FakeScheduleStore(1);
    for (let i = 0; i < 3; i++) store.addUnit(Date.now());
    const s = service();
    await s.load(store);
    expect(s.offsetTable.get(2)).to.equal(3);
  });

  it('delivers from the persisted offset after start, persists at shutdown, reports running stats', async () => {
    await writeFile(join(dir, 'delayOffset.json'), '{"offsetTable":{2:1}}');
    const store = new FakeScheduleStore(1);
    for (let i = 0; i < 3; i++) store.addUnit(Date.now());
    const s = service();
    await s.load(store);
    s.start(store);
    await until(() => store.puts.length === 2);
    await s.shutdown();
    expect(await readFile(join(dir, 'delayOffset.json'), 'utf8')).to.equal('{\n\t"offsetTable":{2:3\n\t}\n}');
    expect(Object.fromEntries(s.buildRunningStats(() => 3))).to.deep.equal({ scheduleMessageOffset_2: '3,3' });
  });
});
