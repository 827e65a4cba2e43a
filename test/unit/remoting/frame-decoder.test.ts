import { expect } from 'chai';

import { RemotingCommandException } from '../../../src/common/errors.js';
import { FrameDecoder } from '../../../src/common/remoting/frame-decoder.js';

/** A length-prefixed frame whose payload is `payload` (at least the 4-byte header length field). */
function frame(payload: Buffer): Buffer {
  const b = Buffer.allocUnsafe(4 + payload.length);
  b.writeInt32BE(payload.length, 0);
  payload.copy(b, 4);
  return b;
}

function payload(n: number, seed: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = (seed * 31 + i) & 0xff;
  return b;
}

function lengthPrefix(len: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(len, 0);
  return b;
}

describe('FrameDecoder', () => {
  const payloads = [payload(4, 1), payload(37, 2), payload(5, 3), payload(300, 4)];
  const stream = Buffer.concat(payloads.map(frame));

  it('decodes frames coalesced in one chunk, without their length prefix', () => {
    const frames = new FrameDecoder().push(stream);
    expect(frames.map((f) => f.toString('hex'))).to.deep.equal(payloads.map((p) => p.toString('hex')));
  });

  it('decodes the same frames whatever byte boundary splits the stream in two', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const d = new FrameDecoder();
      const frames = [...d.push(stream.subarray(0, cut)), ...d.push(stream.subarray(cut))];
      expect(frames.map((f) => f.toString('hex')), `cut at ${cut}`).to.deep.equal(payloads.map((p) => p.toString('hex')));
      expect(d.bufferedBytes).to.equal(0);
    }
  });

  it('decodes a stream fed one byte at a time', () => {
    const d = new FrameDecoder();
    const frames: Buffer[] = [];
    for (let i = 0; i < stream.length; i++) frames.push(...d.push(stream.subarray(i, i + 1)));
    expect(frames.map((f) => f.toString('hex'))).to.deep.equal(payloads.map((p) => p.toString('hex')));
  });

  it('decodes every three-way split of the stream', () => {
    const expected = payloads.map((p) => p.toString('hex'));
    const n = stream.length;
    for (let a = 0; a <= n; a += 3) {
      for (let b = a; b <= n; b += 5) {
        const d = new FrameDecoder();
        const frames = [...d.push(stream.subarray(0, a)), ...d.push(stream.subarray(a, b)), ...d.push(stream.subarray(b))];
        expect(frames.map((f) => f.toString('hex'))).to.deep.equal(expected);
      }
    }
  });

  it('returns views of the chunk for whole frames (no copy)', () => {
    const [first] = new FrameDecoder().push(stream);
    expect(first!.buffer).to.equal(stream.buffer);
  });

  it('assembles a large frame arriving in many pieces and reports what it buffers', () => {
    const big = payload(1_000_000, 9);
    const bytes = frame(big);
    const d = new FrameDecoder();
    const frames: Buffer[] = [];
    for (let p = 0; p < bytes.length; p += 65536) {
      frames.push(...d.push(bytes.subarray(p, p + 65536)));
      if (p + 65536 < bytes.length) expect(d.bufferedBytes).to.equal(p + 65536);
    }
    expect(frames).to.have.length(1);
    expect(frames[0]!.equals(big)).to.equal(true);
    expect(d.bufferedBytes).to.equal(0);
  });

  it('accepts a frame exactly at the limit, counting the length prefix as Netty does', () => {
    const d = new FrameDecoder(4 + 100);
    expect(d.push(frame(payload(100, 1)))).to.have.length(1);
  });

  it('rejects a negative length', () => {
    const d = new FrameDecoder();
    expect(() => d.push(lengthPrefix(-1))).to.throw(RemotingCommandException, /negative frame length/);
  });

  it('rejects an oversized length as soon as the prefix is complete, before any body arrives', () => {
    const d = new FrameDecoder(1024);
    const prefix = lengthPrefix(1021);
    expect(d.push(prefix.subarray(0, 2))).to.deep.equal([]);
    expect(() => d.push(prefix.subarray(2))).to.throw(RemotingCommandException, /exceeds the limit 1024/);
  });

  it('rejects a length too short to hold the header length field', () => {
    expect(() => new FrameDecoder().push(lengthPrefix(3))).to.throw(RemotingCommandException, /shorter than its header/);
  });

  it('stays failed after a bad length: the stream cannot be re-synchronised', () => {
    const d = new FrameDecoder();
    expect(() => d.push(lengthPrefix(-5))).to.throw(RemotingCommandException);
    expect(() => d.push(stream)).to.throw(RemotingCommandException, /negative frame length/);
  });

  it('yields the good frames before a bad length only from earlier pushes', () => {
    const d = new FrameDecoder();
    expect(d.push(frame(payload(8, 1)))).to.have.length(1);
    expect(() => d.push(Buffer.concat([frame(payload(8, 2)), lengthPrefix(-1)]))).to.throw(RemotingCommandException);
  });
});
