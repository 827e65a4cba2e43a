import { expect } from 'chai';

import { encodeFrame } from '../../../src/common/remoting/frame-codec.js';
import { FrameDecoder } from '../../../src/common/remoting/frame-decoder.js';
import { RemotingCommand, SerializeType } from '../../../src/common/remoting/remoting-command.js';
import { WriteBatcher, type BatchSocket } from '../../../src/common/remoting/write-batcher.js';

type Cb = (err?: Error | null) => void;

/** Records what reaches the socket: each write (with corked state) and its callback. */
class FakeSocket implements BatchSocket {
  destroyed = false;
  writableLength = 0;
  corked = 0;
  readonly writes: { data: Buffer; corked: boolean }[] = [];
  readonly callbacks: Cb[] = [];
  // Copies: the bytes must be final when handed over, later frames must not overwrite them.
  write(data: Uint8Array | string, a?: unknown, b?: unknown): boolean {
    const cb = (typeof a === 'function' ? a : b) as Cb | undefined;
    this.writes.push({ data: Buffer.from(data as Uint8Array), corked: this.corked > 0 });
    if (cb !== undefined) this.callbacks.push(cb);
    return true;
  }
  cork(): void {
    this.corked++;
  }
  uncork(): void {
    this.corked--;
  }
  stream(): Buffer {
    return Buffer.concat(this.writes.map((w) => w.data));
  }
}

const tick = (): Promise<void> => new Promise((resolve) => process.nextTick(resolve));

function cmd(i: number, bodyLen: number, serializeType: SerializeType = SerializeType.JSON): RemotingCommand {
  const c = new RemotingCommand({ code: 10 + i, opaque: i, extFields: { k: `v${i}`, 'ключ': 'значение' }, serializeType });
  if (bodyLen > 0) c.body = Buffer.alloc(bodyLen, i & 0xff);
  return c;
}

describe('WriteBatcher', () => {
  it('writes the frames of one tick as one contiguous write, the bytes encodeFrame gives', async () => {
    const socket = new FakeSocket();
    const w = new WriteBatcher(socket);
    const cmds = [cmd(1, 1024), cmd(2, 0, SerializeType.ROCKETMQ), cmd(3, 100)];
    for (const c of cmds) w.add(c);
    expect(socket.writes).to.have.length(0);
    expect(w.bufferedBytes).to.equal(cmds.reduce((n, c) => n + encodeFrame(c).length, 0));
    await tick();
    expect(socket.writes).to.have.length(1);
    expect(socket.stream()).to.deep.equal(Buffer.concat(cmds.map(encodeFrame)));
    expect(w.bufferedBytes).to.equal(0);
  });

  it('keeps order across slabs and large uncopied bodies, under one cork', async () => {
    const socket = new FakeSocket();
    const w = new WriteBatcher(socket);
    // 600 KiB of 1 KiB frames crosses several 256 KiB slabs; two big bodies go out as they are.
    const cmds: RemotingCommand[] = [];
    for (let i = 0; i < 600; i++) cmds.push(cmd(i, i === 200 || i === 201 ? 64 * 1024 : 1000));
    for (const c of cmds) w.add(c);
    await tick();
    expect(socket.writes.length).to.be.greaterThan(3);
    expect(socket.writes.every((x) => x.corked)).to.equal(true);
    expect(socket.writes.some((x) => x.data.length === 64 * 1024)).to.equal(true);
    const frames = new FrameDecoder().push(socket.stream());
    expect(frames).to.have.length(600);
    expect(socket.stream()).to.deep.equal(Buffer.concat(cmds.map(encodeFrame)));
  });

  it('does not overwrite flushed bytes when the next batch reuses the slab', async () => {
    const a = new FakeSocket();
    const b = new FakeSocket();
    const wa = new WriteBatcher(a);
    const wb = new WriteBatcher(b);
    wa.add(cmd(1, 500));
    await tick();
    const first = a.writes[0]!.data;
    wb.add(cmd(2, 500));
    wa.add(cmd(3, 500));
    await tick();
    expect(first).to.deep.equal(encodeFrame(cmd(1, 500)));
    expect(b.stream()).to.deep.equal(encodeFrame(cmd(2, 500)));
    expect(a.stream()).to.deep.equal(Buffer.concat([encodeFrame(cmd(1, 500)), encodeFrame(cmd(3, 500))]));
  });

  it('reuses a slab only after every socket write of it completed', async () => {
    // Keeps the buffers it is handed (no copy), as a socket does until its write completes.
    const held: Buffer[] = [];
    const pending: Cb[] = [];
    const socket: BatchSocket = {
      destroyed: false,
      writableLength: 0,
      write(data: Uint8Array | string, a?: unknown, b?: unknown): boolean {
        held.push(data as Buffer);
        const cb = (typeof a === 'function' ? a : b) as Cb | undefined;
        if (cb !== undefined) pending.push(cb);
        return true;
      },
      cork(): void {},
      uncork(): void {},
    } as BatchSocket;
    const w = new WriteBatcher(socket);
    const expected: Buffer[] = [];
    const batches = async (from: number): Promise<void> => {
      // 30 batches of ~100 KiB: several times what the free list keeps.
      for (let b = from; b < from + 30; b++) {
        for (let i = 0; i < 100; i++) {
          const c = cmd(b * 100 + i, 1000);
          w.add(c);
          expected.push(encodeFrame(c));
        }
        await tick();
      }
    };
    await batches(0);
    expect(Buffer.concat(held).equals(Buffer.concat(expected))).to.equal(true);
    const firstBuffers = new Set(held.map((x) => x.buffer));
    const firstCount = held.length;
    for (const cb of pending.splice(0)) cb(null);
    const firstBytes = Buffer.concat(expected).length;
    await batches(30);
    // What the socket still holds was not overwritten, and the completed slabs came back.
    expect(Buffer.concat(held.slice(firstCount)).equals(Buffer.concat(expected).subarray(firstBytes))).to.equal(true);
    expect(held.slice(firstCount).some((x) => firstBuffers.has(x.buffer))).to.equal(true);
  });

  it('calls every callback of a batch once the batch is written', async () => {
    const socket = new FakeSocket();
    const w = new WriteBatcher(socket);
    const seen: (Error | null | undefined)[] = [];
    w.add(cmd(1, 10), (e) => seen.push(e));
    w.add(cmd(2, 64 * 1024));
    w.add(cmd(3, 10), (e) => seen.push(e));
    await tick();
    expect(socket.callbacks).to.have.length(1);
    expect(seen).to.have.length(0);
    socket.callbacks[0]!(null);
    expect(seen).to.deep.equal([null, null]);
  });

  it('fails the callbacks of a discarded batch and of a batch flushed to a destroyed socket', async () => {
    const socket = new FakeSocket();
    const w = new WriteBatcher(socket);
    const seen: string[] = [];
    w.add(cmd(1, 10), (e) => seen.push(e?.message ?? 'ok'));
    w.discard(new Error('gone'));
    w.add(cmd(2, 10), (e) => seen.push(e?.message ?? 'ok'));
    socket.destroyed = true;
    await tick();
    expect(seen).to.deep.equal(['gone', 'socket closed before the write']);
    expect(socket.writes).to.have.length(0);
  });

  it('adds nothing when a command cannot be encoded', async () => {
    const socket = new FakeSocket();
    const w = new WriteBatcher(socket);
    const bad = cmd(1, 10);
    // A BigInt cannot be serialized (JSON.stringify throws): the frame must not be half written.
    (bad.extFields as Record<string, unknown>).n = 1n;
    expect(() => w.add(bad)).to.throw(TypeError);
    w.add(cmd(2, 10));
    await tick();
    expect(socket.stream()).to.deep.equal(encodeFrame(cmd(2, 10)));
  });
});

describe('writeFrame (JSON header written in place)', () => {
  const cases: [string, () => RemotingCommand][] = [
    ['negative and extreme numbers', () => new RemotingCommand({ code: -1, opaque: -2147483648, flag: 2147483647, version: 0 })],
    ['non-integer numbers as the template prints them', () => new RemotingCommand({ code: 1.5, opaque: Number.NaN, flag: 1e21, version: -0 })],
    ['remark with quotes, controls and non-ASCII', () => new RemotingCommand({ code: 1, remark: 'a "q" \\ \n\t é 中 😀 \u0001' })],
    ['empty remark', () => new RemotingCommand({ code: 1, remark: '' })],
    ['extFields with escapes and non-ASCII', () => new RemotingCommand({ code: 1, extFields: { 'k"1': 'v\n1', 'ключ': '值', empty: '' } })],
    ['empty extFields', () => new RemotingCommand({ code: 1, extFields: {} })],
    ['another language and version', () => new RemotingCommand({ code: 7, language: 'GO', serializeType: SerializeType.JSON, version: 317, opaque: 99 })],
    ['a language name outside LanguageCode', () => new RemotingCommand({ code: 7, language: 'KOTLIN\u00e9' as 'JAVA', opaque: 1 })],
  ];
  // Integers around every power of ten, both signs, as code / opaque / flag / version.
  for (let d = 0; d <= 10; d++) {
    const n = Math.min(10 ** d, 2 ** 31);
    for (const v of [n - 1, n, n + 1, -(n - 1), -n, -(n + 1)].filter((x) => x >= -(2 ** 31) && x < 2 ** 31)) {
      cases.push([`the integer ${v}`, () => new RemotingCommand({ code: v, opaque: -v | 0, flag: v, version: v })]);
    }
  }
  for (const [name, make] of cases) {
    it(`matches encodeFrame: ${name}`, async () => {
      const socket = new FakeSocket();
      const w = new WriteBatcher(socket);
      w.add(make());
      await tick();
      expect(socket.stream().toString('latin1')).to.equal(encodeFrame(make()).toString('latin1'));
    });
  }
});
