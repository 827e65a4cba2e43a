import { expect } from 'chai';

import { RECORD_HEAD_VALUES, RingReader, RingWriter, createRingBuffers } from '../../../../src/broker/store/index/index-ring.js';

interface Seen {
  offset: number;
  timestamp: number;
  hashes: number[];
}

function drainAll(reader: RingReader): Seen[] {
  const seen: Seen[] = [];
  reader.drain((offset, timestamp, values, from, n) => seen.push({ offset, timestamp, hashes: Array.from(values.subarray(from, from + n)) }));
  return seen;
}

describe('index ring (main thread → index worker)', () => {
  it('hands records over in order with their key hashes, exactly (offsets up to 2^53, int32 hashes)', () => {
    const buffers = createRingBuffers(64);
    const writer = new RingWriter(buffers);
    const reader = new RingReader(buffers);
    expect(writer.tryWrite(Number.MAX_SAFE_INTEGER, 1_795_623_684_576, [0x7fffffff, 0], 2)).to.equal(true);
    expect(writer.tryWrite(0, 1, [], 0)).to.equal(true);
    expect(drainAll(reader)).to.deep.equal([
      { offset: Number.MAX_SAFE_INTEGER, timestamp: 1_795_623_684_576, hashes: [0x7fffffff, 0] },
      { offset: 0, timestamp: 1, hashes: [] },
    ]);
    expect(drainAll(reader)).to.deep.equal([]);
  });

  it('never splits a record at the ring end: the rest is skipped and the record starts again at 0', () => {
    const size = 16;
    const buffers = createRingBuffers(size);
    const writer = new RingWriter(buffers);
    const reader = new RingReader(buffers);
    const expected: Seen[] = [];
    // Records of 3 + 2 values: the fourth does not fit in the 1 value left before the end.
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 3; i++) {
        const r = { offset: round * 10 + i, timestamp: round, hashes: [round, i] };
        expect(writer.tryWrite(r.offset, r.timestamp, r.hashes, 2), `round ${round} record ${i}`).to.equal(true);
        expected.push(r);
      }
      expect(drainAll(reader)).to.deep.equal(expected.splice(0));
    }
  });

  it('refuses a record when full until the reader frees room, which a waiting writer is told of', async () => {
    const buffers = createRingBuffers(16);
    const writer = new RingWriter(buffers);
    const reader = new RingReader(buffers);
    const record = RECORD_HEAD_VALUES + 1;
    let written = 0;
    while (writer.tryWrite(written, 0, [written], 1)) written++;
    expect(written).to.equal(Math.floor(16 / record));
    expect(await writer.waitForRoom(1)).to.equal(false);
    expect(drainAll(reader).map((r) => r.offset)).to.deep.equal(Array.from({ length: written }, (_, i) => i));
    expect(await writer.waitForRoom(1)).to.equal(true);
    expect(writer.tryWrite(99, 0, [99], 1)).to.equal(true);
    expect(drainAll(reader).map((r) => r.offset)).to.deep.equal([99]);
  });

  it('a writer waiting on a full ring does not block its thread and wakes when the reader drains', async () => {
    const buffers = createRingBuffers(16);
    const writer = new RingWriter(buffers);
    const reader = new RingReader(buffers);
    while (writer.tryWrite(1, 0, [1], 1));
    let ticked = false;
    // A 60 s wait: only the reader's notify can end it before the test's timeout.
    const waiting = writer.waitForRoom(60_000);
    await new Promise<void>((resolve) => setImmediate(() => {
      ticked = true;
      resolve();
    }));
    expect(ticked, 'the event loop ran while the writer waited').to.equal(true);
    drainAll(reader);
    expect(await waiting).to.equal(true);
  });

  it('caps the keys of one record at half the ring, so any record fits once the ring is drained', () => {
    const writer = new RingWriter(createRingBuffers(64));
    expect(writer.maxKeys).to.equal(32 - RECORD_HEAD_VALUES);
  });

  it('accepts only power-of-two sizes', () => {
    expect(() => createRingBuffers(100)).to.throw(RangeError);
  });
});
