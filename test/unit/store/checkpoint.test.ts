import { expect } from 'chai';
import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHECKPOINT_FILE_SIZE, MIN_TIMESTAMP_BACKOFF_MS, StoreCheckpoint } from '../../../src/broker/store/checkpoint.js';
import { storeFixture, tempDir } from './index/fixtures.js';

interface CheckpointSidecar {
  physicMsgTimestamp: number;
  logicsMsgTimestamp: number;
  indexMsgTimestamp: number;
}

describe('StoreCheckpoint', () => {
  let tmp: ReturnType<typeof tempDir>;
  const open: StoreCheckpoint[] = [];
  const openAt = (path: string): StoreCheckpoint => {
    const c = StoreCheckpoint.open(path);
    open.push(c);
    return c;
  };

  beforeEach(() => {
    tmp = tempDir('checkpoint');
  });
  afterEach(async () => {
    for (const c of open.splice(0)) await c.shutdown();
    tmp.remove();
  });

  it('decodes the real 4.9.8 checkpoint of a clean shutdown (index timestamp 0)', () => {
    const sidecar = JSON.parse(storeFixture('checkpoint.json').toString('utf8')) as CheckpointSidecar;
    const path = join(tmp.dir, 'checkpoint');
    copyFileSync(new URL('../../fixtures/store/checkpoint', import.meta.url), path);
    const c = openAt(path);
    expect(c.physicMsgTimestamp).to.equal(1795623733800).and.to.equal(sidecar.physicMsgTimestamp);
    expect(c.logicsMsgTimestamp).to.equal(sidecar.logicsMsgTimestamp);
    expect(c.indexMsgTimestamp).to.equal(0).and.to.equal(sidecar.indexMsgTimestamp);
    expect(c.getMinTimestamp()).to.equal(1795623733800 - 3000);
    expect(c.getMinTimestampIndex()).to.equal(0);
  });

  it('rewrites the real checkpoint byte for byte', async () => {
    const real = storeFixture('checkpoint');
    const path = join(tmp.dir, 'checkpoint');
    writeFileSync(path, real);
    const c = openAt(path);
    await c.flush();
    expect(readFileSync(path).equals(real)).to.equal(true);
    const fresh = openAt(join(tmp.dir, 'fresh', 'checkpoint'));
    fresh.physicMsgTimestamp = 1795623733800;
    fresh.logicsMsgTimestamp = 1795623733800;
    await fresh.flush();
    expect(readFileSync(fresh.path).equals(real)).to.equal(true);
  });

  it('creates a 4096-byte zero page (and its directory) when absent', () => {
    const path = join(tmp.dir, 'a', 'b', 'checkpoint');
    const c = openAt(path);
    expect(statSync(path).size).to.equal(CHECKPOINT_FILE_SIZE);
    expect(readFileSync(path).equals(Buffer.alloc(CHECKPOINT_FILE_SIZE))).to.equal(true);
    expect([c.physicMsgTimestamp, c.logicsMsgTimestamp, c.indexMsgTimestamp]).to.deep.equal([0, 0, 0]);
  });

  it('round-trips the three timestamps at 0, 8, 16 as int64 BE and leaves the rest of the page alone', async () => {
    const path = join(tmp.dir, 'checkpoint');
    const page = Buffer.alloc(CHECKPOINT_FILE_SIZE);
    page.write('tail', 4000);
    writeFileSync(path, page);
    const c = openAt(path);
    c.physicMsgTimestamp = 0x0102030405;
    c.logicsMsgTimestamp = 1795623733800;
    c.indexMsgTimestamp = 1795623684576;
    await c.flush();
    const bytes = readFileSync(path);
    expect(bytes.length).to.equal(CHECKPOINT_FILE_SIZE);
    expect(bytes.subarray(0, 24).toString('hex')).to.equal('0000000102030405' + '000001a21383ca28' + '000001a2138309e0');
    expect(bytes.toString('utf8', 4000, 4004)).to.equal('tail');
    await c.shutdown();
    const d = openAt(path);
    expect([d.physicMsgTimestamp, d.logicsMsgTimestamp, d.indexMsgTimestamp]).to.deep.equal([0x0102030405, 1795623733800, 1795623684576]);
  });

  it('extends a short file to one page', () => {
    const path = join(tmp.dir, 'checkpoint');
    const short = Buffer.alloc(8);
    short.writeUInt32BE(7, 4);
    writeFileSync(path, short);
    const c = openAt(path);
    expect(c.physicMsgTimestamp).to.equal(7);
    expect(statSync(path).size).to.equal(CHECKPOINT_FILE_SIZE);
  });

  it('computes getMinTimestamp as min(physic, logics) − 3 s floored at 0, and getMinTimestampIndex with the index', () => {
    const c = openAt(join(tmp.dir, 'checkpoint'));
    c.physicMsgTimestamp = 10_000;
    c.logicsMsgTimestamp = 20_000;
    c.indexMsgTimestamp = 5_000;
    expect(c.getMinTimestamp()).to.equal(10_000 - MIN_TIMESTAMP_BACKOFF_MS);
    expect(c.getMinTimestampIndex()).to.equal(5_000);
    c.indexMsgTimestamp = 50_000;
    expect(c.getMinTimestampIndex()).to.equal(7_000);
    c.physicMsgTimestamp = 2_000;
    expect(c.getMinTimestamp()).to.equal(0);
  });

  it('keeps concurrent flushes in call order and rejects values that are not safe integers', async () => {
    const path = join(tmp.dir, 'checkpoint');
    const c = openAt(path);
    const flushes: Promise<void>[] = [];
    for (let i = 1; i <= 20; i++) {
      c.physicMsgTimestamp = i;
      flushes.push(c.flush());
    }
    await Promise.all(flushes);
    expect(readFileSync(path).readUInt32BE(4)).to.equal(20);
    expect(() => {
      c.indexMsgTimestamp = 1.5;
    }).to.throw(RangeError);
  });

  it('rejects a flush after shutdown', async () => {
    const c = StoreCheckpoint.open(join(tmp.dir, 'checkpoint'));
    await c.shutdown();
    await c.shutdown();
    let error: unknown;
    try {
      await c.flush();
    } catch (e: unknown) {
      error = e;
    }
    expect(String(error)).to.match(/shut down/);
  });
});
