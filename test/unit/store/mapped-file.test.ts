import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { expect } from 'chai';

import { createLogger } from '../../../src/common/logging/logger.js';
import { MappedFile, offset2FileName } from '../../../src/broker/store/mapped-file.js';
import { ReadAheadCache } from '../../../src/broker/store/read-ahead-cache.js';
import { MappedFileQueue } from '../../../src/broker/store/mapped-file-queue.js';
import { WriteBufferPool } from '../../../src/broker/store/write-buffer-pool.js';

describe('store/MappedFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rmq-mf-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function append(f: MappedFile, bytes: Buffer): void {
    const s = f.writableSlice(bytes.length);
    if (s === undefined) throw new Error('no buffer');
    bytes.copy(s.buf, s.pos);
    f.appended(bytes.length);
  }

  it('appends into the buffer, serves the tail from it, commits and flushes', async () => {
    const pool = new WriteBufferPool(1024, 4);
    const f = await MappedFile.open(join(dir, offset2FileName(4096)), 4096, pool, true);
    expect(f.fileFromOffset).to.equal(4096);
    append(f, Buffer.from('hello '));
    append(f, Buffer.from('world'));
    expect(f.wrotePosition).to.equal(11);
    expect(f.committedPosition).to.equal(0);
    expect((await f.read(0, 11))!.toString()).to.equal('hello world');
    // Not on disk yet.
    expect((await readFile(f.fileName)).subarray(0, 5).toString()).to.equal('\0\0\0\0\0');
    await f.commit(0);
    expect(f.committedPosition).to.equal(11);
    expect((await readFile(f.fileName)).subarray(0, 11).toString()).to.equal('hello world');
    await f.flush(0);
    expect(f.flushedPosition).to.equal(11);
    expect(await f.read(5, 100)).to.equal(undefined);
    await f.shutdown();
  });

  it('seals full buffers, waits for a commit when the pool is empty, reads across disk and buffers', async () => {
    const pool = new WriteBufferPool(100, 2);
    const f = await MappedFile.open(join(dir, offset2FileName(0)), 1000, pool, true);
    const chunk = (c: number): Buffer => Buffer.alloc(60, c);
    append(f, chunk(1));
    append(f, chunk(2)); // seals buffer 1
    expect(f.writableSlice(60)).to.equal(undefined); // both buffers lent
    await f.commit(0);
    append(f, chunk(3));
    const all = await f.read(0, 180);
    expect([...all!.subarray(0, 60)].every((b) => b === 1)).to.equal(true);
    expect([...all!.subarray(60, 120)].every((b) => b === 2)).to.equal(true);
    expect([...all!.subarray(120, 180)].every((b) => b === 3)).to.equal(true);
    await f.commit(0);
    await f.shutdown();
  });

  it('refuses new readers once destroyed, after the last reader released it', async () => {
    const pool = new WriteBufferPool(100, 2);
    const f = await MappedFile.open(join(dir, offset2FileName(0)), 1000, pool, true);
    append(f, Buffer.alloc(10, 7));
    await f.commit(0);
    expect(f.hold()).to.equal(true);
    const closing = f.shutdown();
    expect(f.hold()).to.equal(false);
    f.release();
    await closing;
    expect(await f.read(0, 10)).to.equal(undefined);
  });

  it('MappedFileQueue rolls files named by 20-digit offsets and finds them by offset', async () => {
    const pool = new WriteBufferPool(64, 8);
    const q = new MappedFileQueue(dir, 100, pool, createLogger('t'));
    await q.load();
    for (let i = 0; i < 25; i++) {
      const f = await q.getLastMappedFileOrCreate(0);
      const s = f.writableSlice(20)!;
      s.buf.fill(i, s.pos, s.pos + 20);
      f.appended(20);
      await q.commit(0);
    }
    expect(q.mappedFiles.map((f) => f.fileName.slice(-20))).to.deep.equal([0, 100, 200, 300, 400].map(offset2FileName));
    expect(q.getMaxOffset()).to.equal(500);
    expect(q.getMinOffset()).to.equal(0);
    expect(q.findMappedFileByOffset(250)!.fileFromOffset).to.equal(200);
    expect(q.findMappedFileByOffset(500)).to.equal(undefined);
    await q.flush(0);
    expect(q.flushedWhere).to.equal(500);
    await q.truncateDirtyFiles(230);
    expect(q.getMaxOffset()).to.equal(230);
    expect(q.mappedFiles.length).to.equal(3);
    await q.shutdown();
  });

  it('reads the zeros a BLANK implies before the file is committed (reput reads to the file end)', async () => {
    const pool = new WriteBufferPool(100, 2);
    const f = await MappedFile.open(join(dir, offset2FileName(0)), 1000, pool, true);
    append(f, Buffer.alloc(40, 5));
    const s = f.writableSlice(8)!;
    s.buf.fill(9, s.pos, s.pos + 8);
    f.appended(8, 960); // a BLANK covering the rest of the file in 8 bytes
    expect(f.isFull()).to.equal(true);
    const all = (await f.read(0, 1000))!;
    expect(all.length).to.equal(1000);
    expect([...all.subarray(0, 40)].every((b) => b === 5)).to.equal(true);
    expect([...all.subarray(40, 48)].every((b) => b === 9)).to.equal(true);
    expect([...all.subarray(48)].every((b) => b === 0)).to.equal(true);
    expect([...(await f.read(500, 100))!].every((b) => b === 0)).to.equal(true);
    await f.commit(0);
    expect((await f.read(0, 1000))!.equals(all)).to.equal(true);
    await f.shutdown();
  });

  it('serves small reads of committed data from read-ahead windows, and forgets them on truncation', async () => {
    const pool = new WriteBufferPool(256, 4);
    const cache = new ReadAheadCache(128, 2);
    const f = await MappedFile.open(join(dir, offset2FileName(0)), 1024, pool, true, cache);
    for (let i = 0; i < 8; i++) {
      append(f, Buffer.alloc(32, i + 1));
      await f.commit(0);
    }
    append(f, Buffer.alloc(32, 99)); // the buffered tail: never read ahead
    expect([...(await f.read(32, 32))!].every((b) => b === 2)).to.equal(true);
    // The window [32, 160) now answers without the descriptor: prove it by reading it once more after
    // the on-disk bytes changed behind the file's back.
    const { open } = await import('node:fs/promises');
    const h = await open(f.fileName, 'r+');
    await h.write(Buffer.alloc(32, 77), 0, 32, 64);
    await h.close();
    expect([...(await f.read(64, 32))!].every((b) => b === 3)).to.equal(true);
    const view = (await f.readShared(40, 48))!; // a view of the window: same bytes, no copy
    expect([...view.subarray(0, 24)].every((b) => b === 2) && [...view.subarray(24)].every((b) => b === 3)).to.equal(true);
    // Reads beyond the window, and of the buffered tail, are exact.
    expect([...(await f.read(224, 32))!].every((b) => b === 8)).to.equal(true);
    expect([...(await f.read(256, 32))!].every((b) => b === 99)).to.equal(true);
    // Truncation drops the windows: the disk is the truth again.
    await f.truncateTo(200);
    expect([...(await f.read(64, 32))!].every((b) => b === 77)).to.equal(true);
    await f.shutdown();
  });

  it('a recycling read-ahead cache reuses replaced windows and never hands out views of them', async () => {
    const pool = new WriteBufferPool(256, 8);
    const cache = new ReadAheadCache(128, 2, true);
    const f = await MappedFile.open(join(dir, offset2FileName(0)), 2048, pool, true, cache);
    for (let i = 0; i < 16; i++) append(f, Buffer.alloc(64, i + 1));
    await f.commit(0);
    const created: ArrayBufferLike[] = [];
    const newWindow = cache.newWindow.bind(cache);
    cache.newWindow = (size: number) => {
      const w = newWindow(size);
      created.push(w.buffer);
      return w;
    };
    const shared = (await f.readShared(0, 16))!; // a copy here, whatever the cache does later
    const memories = new Set<ArrayBufferLike>();
    // A sequential reader of the committed part (the last 256 bytes stay in their write buffer): each
    // window replaces the oldest of two; every record still reads right.
    for (let i = 0; i < 12; i++) {
      const r = (await f.read(i * 64, 64))!;
      expect([...r].every((b) => b === i + 1), `record ${i}`).to.equal(true);
    }
    for (const w of (cache as unknown as { windows: { buf: Buffer }[] }).windows) memories.add(w.buf.buffer);
    expect([...shared].every((b) => b === 1)).to.equal(true);
    expect(memories.size).to.equal(2);
    // Six windows were read, into the memory of three: from the third on, each reused a replaced one.
    expect(created.length).to.equal(6);
    expect(new Set(created).size).to.equal(3);
    await f.shutdown();
  });
  it('readers that miss together share the window read in flight (one read, every record right)', async () => {
    const pool = new WriteBufferPool(512, 8);
    const cache = new ReadAheadCache(256, 4, true);
    const f = await MappedFile.open(join(dir, offset2FileName(0)), 4096, pool, true, cache);
    for (let i = 0; i < 32; i++) append(f, Buffer.alloc(32, i + 1));
    await f.commit(0);
    let windows = 0;
    const newWindow = cache.newWindow.bind(cache);
    cache.newWindow = (size: number) => {
      windows++;
      return newWindow(size);
    };
    // Eight readers of records 0-7 (all inside the first 256-byte window) issued in one turn, as the
    // pulls of eight queues interleaved in one CommitLog are: one window read serves them all.
    const first = await Promise.all(Array.from({ length: 8 }, (_, i) => f.read(i * 32, 32)));
    first.forEach((r, i) => expect([...r!].every((b) => b === i + 1), `record ${i}`).to.equal(true));
    expect(windows).to.equal(1);
    // The next eight records start past that window: one more read for all of them.
    const next = await Promise.all(Array.from({ length: 8 }, (_, i) => f.read((8 + i) * 32, 32)));
    next.forEach((r, i) => expect([...r!].every((b) => b === 9 + i), `record ${8 + i}`).to.equal(true));
    expect(windows).to.equal(2);
    await f.shutdown();
  });
  it('windows are aligned and read overhangBytes further: a record across a window boundary needs no second window', async () => {
    const pool = new WriteBufferPool(512, 8);
    const cache = new ReadAheadCache(128, 4, true, 64);
    const f = await MappedFile.open(join(dir, offset2FileName(0)), 4096, pool, true, cache);
    for (let i = 0; i < 24; i++) append(f, Buffer.alloc(48, i + 1)); // records at 0, 48, 96 (crosses 128), 144, ...
    await f.commit(0);
    const starts: number[] = [];
    const beginRead = cache.beginRead.bind(cache);
    cache.beginRead = (file, start, end) => {
      starts.push(start);
      return beginRead(file, start, end);
    };
    // Read from the middle first: the window is the aligned one, [128, 320), not one starting at 144.
    expect([...(await f.read(144, 48))!].every((b) => b === 4)).to.equal(true);
    for (let i = 0; i < 8; i++) {
      const r = (await f.read(i * 48, 48))!;
      expect([...r].every((b) => b === i + 1), `record ${i}`).to.equal(true);
    }
    // [0, 192) serves records 0-3 (record 2 ends at 144, past 128), [128, 320) records 3-5, [256, 448) records 6-7.
    expect(starts).to.deep.equal([128, 0, 256]);
    await f.shutdown();
  });
});
