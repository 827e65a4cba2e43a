import { expect } from 'chai';
import { encodeFrame, writeFrame, type FrameSink } from '../../../src/common/remoting/frame-codec.js';
import { RemotingCommand, SerializeType, type ExtFields } from '../../../src/common/remoting/remoting-command.js';
import { javaStringHashCode } from '../../../src/common/util/java-hash-map-order.js';

/*
 * writeFrame writes JSON header strings straight into the frame buffer instead of through
 * JSON.stringify. These tests hold it to JSON.stringify's bytes for arbitrary strings: a reference
 * header built here with JSON.stringify and a HashMap order computed the plain way, and encodeFrame.
 */

/** A small deterministic PRNG (mulberry32), so a failure is reproducible from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Code units drawn from the classes a JSON writer must tell apart. */
function randomString(r: () => number, maxLen: number): string {
  const len = Math.floor(r() * (maxLen + 1));
  let s = '';
  for (let i = 0; i < len; i++) {
    const kind = Math.floor(r() * 10);
    switch (kind) {
      case 0:
        s += String.fromCharCode(Math.floor(r() * 0x20)); // control characters, incl. \u0001 \u0002 \b \t \n \f \r
        break;
      case 1:
        s += ['"', '\\', '/', '\u007f', "'"][Math.floor(r() * 5)];
        break;
      case 2:
        s += String.fromCharCode(0x80 + Math.floor(r() * (0x800 - 0x80))); // two UTF-8 bytes
        break;
      case 3:
        s += String.fromCharCode(0x800 + Math.floor(r() * (0xd800 - 0x800))); // three bytes
        break;
      case 4:
        s += String.fromCharCode(0xe000 + Math.floor(r() * 0x2000)); // three bytes above the surrogates
        break;
      case 5:
        s += String.fromCodePoint(0x10000 + Math.floor(r() * 0xfffff)); // a surrogate pair
        break;
      case 6:
        s += String.fromCharCode(0xd800 + Math.floor(r() * 0x800)); // a lone (or accidentally paired) surrogate
        break;
      default:
        s += String.fromCharCode(0x20 + Math.floor(r() * 0x5f)); // printable ASCII
    }
  }
  return s;
}

/** java.util.HashMap iteration order, the plain way: objects sorted by (bucket, insertion index). */
function referenceOrder(keysInInsertionOrder: readonly string[]): string[] {
  let cap = 16;
  while (keysInInsertionOrder.length > cap * 0.75) cap *= 2;
  return keysInInsertionOrder
    .map((key, i) => {
      const h = javaStringHashCode(key);
      return { key, i, bucket: ((h ^ (h >>> 16)) & 0x7fffffff) & (cap - 1) };
    })
    .sort((a, b) => a.bucket - b.bucket || a.i - b.i)
    .map((e) => e.key);
}

/** The header fastjson writes, built with JSON.stringify (fast fields inserted last, see frame-codec). */
function referenceHeader(cmd: RemotingCommand): string {
  let ext = '';
  if (cmd.extFields !== undefined) {
    const keys = Object.keys(cmd.extFields);
    const f = Math.min(cmd.fastFieldCount, keys.length);
    const parts = referenceOrder([...keys.slice(f), ...keys.slice(0, f)]).map((k) => `${JSON.stringify(k)}:${JSON.stringify(cmd.extFields![k])}`);
    ext = `,"extFields":{${parts.join(',')}}`;
  }
  const remark = cmd.remark !== undefined ? `,"remark":${JSON.stringify(cmd.remark)}` : '';
  return `{"code":${cmd.code}${ext},"flag":${cmd.flag},"language":"${cmd.language}","opaque":${cmd.opaque}${remark},"serializeTypeCurrentRPC":"JSON","version":${cmd.version}}`;
}

class TestSink implements FrameSink {
  buffer = Buffer.alloc(0);
  private end = 0;
  reserve(bytes: number): number {
    this.buffer = Buffer.alloc(bytes + 8, 0xee);
    return 8;
  }
  commit(end: number): void {
    this.end = end;
  }
  written(): Buffer {
    return this.buffer.subarray(8, this.end);
  }
}

function randomCommand(r: () => number): RemotingCommand {
  let extFields: ExtFields | undefined;
  if (r() < 0.9) {
    extFields = {};
    const n = Math.floor(r() * 40);
    for (let i = 0; i < n; i++) extFields[r() < 0.3 ? `k${i}` : randomString(r, 12)] = randomString(r, r() < 0.1 ? 300 : 24);
  }
  return new RemotingCommand({
    code: Math.floor(r() * 400) - 10,
    opaque: Math.floor(r() * 2 ** 32) - 2 ** 31,
    flag: Math.floor(r() * 4),
    remark: r() < 0.3 ? randomString(r, 40) : undefined,
    extFields,
    fastFieldCount: extFields !== undefined && r() < 0.5 ? Math.floor(r() * 20) : 0,
    body: r() < 0.5 ? Buffer.from(randomString(r, 30)) : undefined,
  });
}

describe('writeFrame JSON header writer, randomized against JSON.stringify', () => {
  it('writes JSON.stringify bytes for 3000 random commands (controls, quotes, backslashes, non-ASCII, surrogates)', () => {
    const r = rng(0x5eed);
    for (let round = 0; round < 3000; round++) {
      const cmd = randomCommand(r);
      const sink = new TestSink();
      writeFrame(cmd, sink, true);
      const frame = sink.written();
      const header = Buffer.from(referenceHeader(cmd), 'utf8');
      const body = cmd.body ?? Buffer.alloc(0);
      const expected = Buffer.alloc(8 + header.length + body.length);
      expected.writeInt32BE(4 + header.length + body.length, 0);
      expected.writeInt32BE(header.length, 4);
      header.copy(expected, 8);
      body.copy(expected, 8 + header.length);
      expect(frame.toString('hex'), `round ${round}`).to.equal(expected.toString('hex'));
      expect(encodeFrame(cmd).toString('hex'), `round ${round} (encodeFrame)`).to.equal(expected.toString('hex'));
    }
  });

  it('escapes every BMP code unit alone as JSON.stringify does', () => {
    for (let c = 0; c < 0x10000; c += 1) {
      const s = String.fromCharCode(c);
      const cmd = new RemotingCommand({ code: 1, remark: s, extFields: { [s]: `x${s}y` } });
      const sink = new TestSink();
      writeFrame(cmd, sink, true);
      const got = sink.written().subarray(8).toString('hex');
      const want = Buffer.from(referenceHeader(cmd), 'utf8').toString('hex');
      if (got !== want) expect(got, `U+${c.toString(16)}`).to.equal(want);
    }
  });

  it('orders keys as java.util.HashMap for random key sets of up to 200 keys (typed-array sort path too)', () => {
    const r = rng(42);
    for (let round = 0; round < 300; round++) {
      const ext: ExtFields = {};
      const n = Math.floor(r() * 200);
      for (let i = 0; i < n; i++) ext[randomString(r, 6) + String(i)] = 'v';
      const cmd = new RemotingCommand({ code: 1, extFields: ext, fastFieldCount: Math.floor(r() * 5), serializeType: SerializeType.JSON });
      const sink = new TestSink();
      writeFrame(cmd, sink, false);
      expect(sink.written().subarray(8).toString('utf8')).to.equal(referenceHeader(cmd));
    }
  });
});
