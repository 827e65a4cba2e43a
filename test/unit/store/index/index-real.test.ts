import { expect } from 'chai';
import { closeSync, openSync, readSync, statSync, writeSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import { IndexHeader, INDEX_HEADER_SIZE } from '../../../../src/broker/store/index/index-header.js';
import { IndexFile, INDEX_SIZE, indexFileSize, indexKeyHashMethod } from '../../../../src/broker/store/index/index-file.js';
import { IndexService } from '../../../../src/broker/store/index/index-service.js';
import {
  REAL_HASH_SLOT_NUM,
  REAL_INDEX_NAME,
  REAL_INDEX_NUM,
  realDispatchRequests,
  realIndexSidecar,
  storeFixture,
  tempDir,
} from './fixtures.js';

const ENTRIES_POSITION = INDEX_HEADER_SIZE + REAL_HASH_SLOT_NUM * 4;

function readAt(path: string, position: number, length: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    readSync(fd, buf, 0, length, position);
    return buf;
  } finally {
    closeSync(fd);
  }
}

describe('IndexFile against a real RocketMQ 4.9.8 index file', () => {
  const sidecar = realIndexSidecar();
  const realHeader = storeFixture(`index-${REAL_INDEX_NAME}.header40`);
  const realEntries = storeFixture(`index-${REAL_INDEX_NAME}.entries20`);
  let tmp: ReturnType<typeof tempDir>;

  beforeEach(() => {
    tmp = tempDir('index-real');
  });
  afterEach(() => tmp.remove());

  it('decodes the real 40-byte header and re-encodes it byte for byte', () => {
    const h = IndexHeader.decode(realHeader);
    expect({ ...h }).to.deep.equal(sidecar.header);
    expect(h.encode().equals(realHeader)).to.equal(true);
  });

  it('hashes every real key to the keyHash and slot Java wrote', () => {
    for (const e of sidecar.entries) {
      expect(indexKeyHashMethod(e.key), e.key).to.equal(e.keyHash);
      expect(e.keyHash % REAL_HASH_SLOT_NUM).to.equal(e.slot);
    }
  });

  it('rebuilds the real index from the real commitlog records byte for byte (header, 38 entries, slots)', async () => {
    const requests = realDispatchRequests();
    expect(requests).to.have.length(19);
    const service = new IndexService({ storePathRootDir: tmp.dir, indexCommitIntervalMs: 0, now: () => sidecar.header.beginTimestamp + 56 });
    for (const r of requests) service.dispatch(r);
    const [file] = service.indexFiles;
    expect(service.indexFiles).to.have.length(1);
    await service.shutdown();

    const path = file!.fileName;
    expect(statSync(path).size).to.equal(sidecar.fileSize);
    expect(indexFileSize(REAL_HASH_SLOT_NUM, REAL_INDEX_NUM)).to.equal(420_000_040);
    expect(readAt(path, 0, INDEX_HEADER_SIZE).toString('hex')).to.equal(realHeader.toString('hex'));
    // Entry #0 unused, #1..#38 the real bytes, #39 still zero.
    const entries = readAt(path, ENTRIES_POSITION, INDEX_SIZE * 40);
    expect(entries.subarray(0, INDEX_SIZE).equals(Buffer.alloc(INDEX_SIZE))).to.equal(true);
    expect(entries.subarray(INDEX_SIZE, INDEX_SIZE * 39).toString('hex')).to.equal(realEntries.toString('hex'));
    expect(entries.subarray(INDEX_SIZE * 39).equals(Buffer.alloc(INDEX_SIZE))).to.equal(true);
    // The whole slot table: exactly the 38 real slots are set, each to its entry number.
    const slots = readAt(path, INDEX_HEADER_SIZE, REAL_HASH_SLOT_NUM * 4);
    const expected = Buffer.alloc(REAL_HASH_SLOT_NUM * 4);
    for (const e of sidecar.entries) expected.writeInt32BE(e.slotValue, e.slot * 4);
    expect(slots.equals(expected)).to.equal(true);
  });

  it('loads a Java-written index file and answers queries from it', async () => {
    // Reassemble the real file (sparse): header, slots from the sidecar, entries.
    const path = join(tmp.dir, REAL_INDEX_NAME);
    const fd = openSync(path, 'w');
    ftruncateSync(fd, sidecar.fileSize);
    writeSync(fd, realHeader, 0, realHeader.length, 0);
    for (const e of sidecar.entries) {
      const slot = Buffer.alloc(4);
      slot.writeInt32BE(e.slotValue);
      writeSync(fd, slot, 0, 4, INDEX_HEADER_SIZE + e.slot * 4);
    }
    writeSync(fd, realEntries, 0, realEntries.length, ENTRIES_POSITION + INDEX_SIZE);
    closeSync(fd);

    const f = await IndexFile.load(path, REAL_HASH_SLOT_NUM, REAL_INDEX_NUM);
    try {
      expect({ ...f.indexHeader }).to.deep.equal(sidecar.header);
      for (const e of sidecar.entries) {
        const found: number[] = [];
        f.selectPhyOffset(found, e.key, 64, 0, Number.MAX_SAFE_INTEGER);
        expect(found, e.key).to.deep.equal([e.phyOffset]);
      }
      // fixkey-3: the send (FixT, 684), its retry (SCHEDULE_TOPIC_XXXX 4030, %RETRY%FixG 4684) are separate topics.
      const retry: number[] = [];
      f.selectPhyOffset(retry, '%RETRY%FixG#fixkey-3', 64, 0, Number.MAX_SAFE_INTEGER);
      expect(retry).to.deep.equal([4684]);
    } finally {
      await f.close();
    }
  });
});
