import { expect } from 'chai';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { INDEX_HEADER_SIZE, IndexHeader } from '../../../../src/broker/store/index/index-header.js';
import { IndexFile, INDEX_SIZE, indexFileSize, indexKeyHashMethod, topicKeyHash } from '../../../../src/broker/store/index/index-file.js';
import { javaStringHashCode } from '../../../../src/common/util/java-hash-map-order.js';
import { tempDir } from './fixtures.js';

const T0 = 1_795_623_684_576;
const ALL_TIME: [number, number] = [0, Number.MAX_SAFE_INTEGER];

function fileBytes(path: string, position: number, length: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    readSync(fd, buf, 0, length, position);
    return buf;
  } finally {
    closeSync(fd);
  }
}

function select(f: IndexFile, key: string, maxNum = 64, [begin, end] = ALL_TIME): number[] {
  const out: number[] = [];
  f.selectPhyOffset(out, key, maxNum, begin, end);
  return out;
}

describe('IndexFile', () => {
  let tmp: ReturnType<typeof tempDir>;
  const open: IndexFile[] = [];
  const create = (slots: number, num: number, name = 'f', endPhyOffset = 0, endTimestamp = 0): IndexFile => {
    const f = IndexFile.create(join(tmp.dir, name), slots, num, endPhyOffset, endTimestamp);
    open.push(f);
    return f;
  };

  beforeEach(() => {
    tmp = tempDir('index-file');
  });
  afterEach(async () => {
    for (const f of open.splice(0)) await f.close();
    tmp.remove();
  });

  describe('indexKeyHashMethod', () => {
    it('is abs(String.hashCode)', () => {
      expect(javaStringHashCode('FixT#fixkey-0')).to.equal(-2124942767);
      expect(indexKeyHashMethod('FixT#fixkey-0')).to.equal(2124942767);
      expect(javaStringHashCode('T#k')).to.be.greaterThan(0);
      expect(indexKeyHashMethod('T#k')).to.equal(javaStringHashCode('T#k'));
    });

    it('maps Integer.MIN_VALUE (Math.abs overflows in Java) to 0', () => {
      expect(javaStringHashCode('polygenelubricants')).to.equal(-0x80000000);
      expect(indexKeyHashMethod('polygenelubricants')).to.equal(0);
    });
  });

  describe('topicKeyHash', () => {
    it('equals indexKeyHashMethod(topic#key) whatever topics came before (its topic prefix is cached)', () => {
      const topics = ['FixT', 'FixT', 'T', '', 'TopicA', 'FixT', 'T\u00e9', 'T'];
      const keys = ['fixkey-0', 'k', '', '7F000001A1B2C3D4E5F6071800000001', 'polygenelubricants', '#', 'x y'];
      for (let i = 0; i < 40; i++) {
        const topic = topics[i % topics.length]!;
        const key = keys[(i * 3) % keys.length]!;
        expect(topicKeyHash(topic, key), `${topic}#${key}`).to.equal(indexKeyHashMethod(`${topic}#${key}`));
      }
    });
  });

  it('preallocates 40 + slots×4 + num×20 bytes', () => {
    const f = create(11, 7);
    expect(statSync(f.fileName).size).to.equal(indexFileSize(11, 7)).and.to.equal(40 + 44 + 140);
  });

  it('starts with indexCount 1 and takes begin from the first key, timeDiff in whole seconds after it', async () => {
    const f = create(100, 10);
    expect(f.indexHeader.indexCount).to.equal(1);
    expect(f.putKey('T#a', 1000, T0)).to.equal(true);
    expect(f.putKey('T#b', 2000, T0 + 1999)).to.equal(true); // 1.999 s truncates to 1
    expect(f.putKey('T#c', 3000, T0 + 7000)).to.equal(true);
    expect({ ...f.indexHeader }).to.deep.equal({
      beginTimestamp: T0,
      endTimestamp: T0 + 7000,
      beginPhyOffset: 1000,
      endPhyOffset: 3000,
      hashSlotCount: 3,
      indexCount: 4,
    });
    await f.flush();
    const entries = fileBytes(f.fileName, INDEX_HEADER_SIZE + 100 * 4, INDEX_SIZE * 4);
    const timeDiffs = [1, 2, 3].map((n) => entries.readInt32BE(n * INDEX_SIZE + 12));
    expect(timeDiffs).to.deep.equal([0, 1, 7]);
    expect(IndexHeader.decode(fileBytes(f.fileName, 0, INDEX_HEADER_SIZE))).to.deep.equal(f.indexHeader);
  });

  it('clamps timeDiff at 0 for a record older than the file begin', async () => {
    const f = create(10, 10, 'f', 500, T0);
    expect(f.putKey('T#a', 600, T0 + 5000)).to.equal(true); // against the inherited begin: 5 s
    expect(f.indexHeader.beginTimestamp).to.equal(T0 + 5000);
    expect(f.putKey('T#b', 700, T0 + 1000)).to.equal(true); // earlier than the begin: 0
    await f.flush();
    const entries = fileBytes(f.fileName, INDEX_HEADER_SIZE + 40, INDEX_SIZE * 3);
    expect(entries.readInt32BE(INDEX_SIZE + 12)).to.equal(5);
    expect(entries.readInt32BE(2 * INDEX_SIZE + 12)).to.equal(0);
  });

  it('links entries of one slot newest to oldest and returns only the matching hash', async () => {
    const f = create(1, 20); // one slot: every key collides on the slot
    f.putKey('T#x', 100, T0);
    f.putKey('T#y', 200, T0 + 1000);
    f.putKey('T#x', 300, T0 + 2000);
    f.putKey('T#z', 400, T0 + 3000);
    expect(f.indexHeader.hashSlotCount).to.equal(1);
    expect(select(f, 'T#x')).to.deep.equal([300, 100]);
    expect(select(f, 'T#y')).to.deep.equal([200]);
    expect(select(f, 'T#none')).to.deep.equal([]);
    await f.flush();
    const entries = fileBytes(f.fileName, INDEX_HEADER_SIZE + 4, INDEX_SIZE * 5);
    expect([1, 2, 3, 4].map((n) => entries.readInt32BE(n * INDEX_SIZE + 16))).to.deep.equal([0, 1, 2, 3]);
    expect(fileBytes(f.fileName, INDEX_HEADER_SIZE, 4).readInt32BE(0)).to.equal(4);
  });

  it('returns records of a true String.hashCode collision too (the client filters by key)', () => {
    expect(javaStringHashCode('T#Aa')).to.equal(javaStringHashCode('T#BB'));
    const f = create(101, 10);
    f.putKey('T#Aa', 100, T0);
    f.putKey('T#BB', 200, T0);
    expect(select(f, 'T#Aa')).to.deep.equal([200, 100]);
  });

  it('caps the hits at maxNum, newest first', () => {
    const f = create(7, 50);
    for (let i = 0; i < 10; i++) f.putKey('T#k', i * 100, T0 + i * 1000);
    expect(select(f, 'T#k', 3)).to.deep.equal([900, 800, 700]);
    const existing = [1, 2];
    f.selectPhyOffset(existing, 'T#k', 3, ...ALL_TIME);
    expect(existing).to.deep.equal([1, 2, 900]);
  });

  it('keeps only hits stored within [begin, end] and stops at the first older entry', () => {
    const f = create(7, 50);
    for (let i = 0; i < 10; i++) f.putKey('T#k', i * 100, T0 + i * 1000);
    expect(select(f, 'T#k', 64, [T0 + 3000, T0 + 5000])).to.deep.equal([500, 400, 300]);
    expect(select(f, 'T#k', 64, [T0 + 3500, T0 + 3900])).to.deep.equal([]);
    expect(select(f, 'T#k', 64, [0, T0 - 1])).to.deep.equal([]);
  });

  it('is time-matched when [begin, end] overlaps the file span', () => {
    const f = create(7, 50);
    f.putKey('T#a', 1, T0);
    f.putKey('T#a', 2, T0 + 10_000);
    expect(f.isTimeMatched(T0 - 5, T0 + 20_000)).to.equal(true); // covers
    expect(f.isTimeMatched(T0 + 1, T0 + 2)).to.equal(true); // inside
    expect(f.isTimeMatched(T0 - 5, T0)).to.equal(true); // ends at begin
    expect(f.isTimeMatched(T0 + 10_000, T0 + 99_999)).to.equal(true); // starts at end
    expect(f.isTimeMatched(0, T0 - 1)).to.equal(false);
    expect(f.isTimeMatched(T0 + 10_001, T0 + 99_999)).to.equal(false);
  });

  it('refuses keys when full: a file holds indexNum − 1 entries', () => {
    const f = create(5, 4);
    expect([1, 2, 3].map((i) => f.putKey(`T#${i}`, i, T0))).to.deep.equal([true, true, true]);
    expect(f.isWriteFull()).to.equal(true);
    expect(f.putKey('T#4', 4, T0)).to.equal(false);
    expect(f.indexHeader.indexCount).to.equal(4);
  });

  it('writes nothing until commit, then the changed bytes without a sync', async () => {
    const f = create(1000, 100);
    f.putKey('T#a', 123, T0);
    expect(fileBytes(f.fileName, 0, INDEX_HEADER_SIZE).equals(Buffer.alloc(INDEX_HEADER_SIZE))).to.equal(true);
    await f.commit();
    expect(IndexHeader.decode(fileBytes(f.fileName, 0, INDEX_HEADER_SIZE)).indexCount).to.equal(2);
    const slot = indexKeyHashMethod('T#a') % 1000;
    expect(fileBytes(f.fileName, INDEX_HEADER_SIZE + slot * 4, 4).readInt32BE(0)).to.equal(1);
    // Entries keep being served from memory and disk alike across commits.
    for (let i = 0; i < 50; i++) f.putKey('T#a', 1000 + i, T0 + i);
    await f.commit();
    f.putKey('T#a', 9999, T0 + 99);
    expect(select(f, 'T#a', 3)).to.deep.equal([9999, 1049, 1048]);
  });

  it('reloads from disk: header, slots and chains, and keeps appending after the last entry', async () => {
    const path = join(tmp.dir, 'reload');
    const f = IndexFile.create(path, 13, 100, 0, 0);
    for (let i = 0; i < 30; i++) f.putKey(`T#k${i % 4}`, i * 10, T0 + i * 1000);
    const header = { ...f.indexHeader };
    await f.close();

    const g = await IndexFile.load(path, 13, 100);
    open.push(g);
    expect({ ...g.indexHeader }).to.deep.equal(header);
    expect(select(g, 'T#k1', 64)).to.deep.equal([290, 250, 210, 170, 130, 90, 50, 10]);
    expect(g.putKey('T#k1', 300, T0 + 30_000)).to.equal(true);
    expect(select(g, 'T#k1', 2)).to.deep.equal([300, 290]);
    expect(g.indexHeader.indexCount).to.equal(32);
  });

  it('serves entries across in-memory chunk boundaries, commits and a reload', async () => {
    const path = join(tmp.dir, 'many');
    const f = IndexFile.create(path, 97, 20_000, 0, 0);
    const expected = new Map<string, number[]>();
    for (let i = 0; i < 10_000; i++) {
      const key = `T#k${i % 50}`;
      f.putKey(key, i, T0 + i);
      expected.set(key, [i, ...(expected.get(key) ?? [])]);
      if (i % 3001 === 0) await f.commit();
    }
    expect(select(f, 'T#k7', 64)).to.deep.equal(expected.get('T#k7')!.slice(0, 64));
    await f.close();
    const g = await IndexFile.load(path, 97, 20_000);
    open.push(g);
    for (const key of ['T#k0', 'T#k33', 'T#k49']) expect(select(g, key, 200), key).to.deep.equal(expected.get(key));
  });

  it('answers from disk once a full file is flushed and sealed', async () => {
    const path = join(tmp.dir, 'sealed');
    const f = IndexFile.create(path, 3, 6, 0, 0);
    open.push(f);
    for (let i = 0; i < 5; i++) f.putKey(`T#k${i % 2}`, i, T0 + i * 1000);
    await f.flush();
    expect(select(f, 'T#k0')).to.deep.equal([4, 2, 0]);
    const g = await IndexFile.load(path, 3, 6);
    open.push(g);
    expect(g.isWriteFull()).to.equal(true);
    expect(select(g, 'T#k1')).to.deep.equal([3, 1]);
  });

  it('refuses to load a file whose size does not match the slot and index numbers', async () => {
    const f = create(10, 10, 'sized');
    await f.flush();
    let error: unknown;
    try {
      await IndexFile.load(f.fileName, 11, 10);
    } catch (e: unknown) {
      error = e;
    }
    expect(error).to.be.instanceOf(RangeError);
  });

  it('never reuses an existing file name', () => {
    create(10, 10, 'same');
    expect(() => IndexFile.create(join(tmp.dir, 'same'), 10, 10, 0, 0)).to.throw(/EEXIST/);
  });

  it('deletes its file on destroy', async () => {
    const f = IndexFile.create(join(tmp.dir, 'gone'), 10, 10, 0, 0);
    f.putKey('T#a', 1, T0);
    await f.destroy();
    expect(() => statSync(f.fileName)).to.throw(/ENOENT/);
    expect(select(f, 'T#a')).to.deep.equal([]);
    expect(f.putKey('T#b', 2, T0)).to.equal(false);
  });
});
