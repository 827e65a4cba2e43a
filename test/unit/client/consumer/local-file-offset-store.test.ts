import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  LOCAL_OFFSET_STORE_DIR_ENV,
  LocalFileOffsetStore,
  defaultLocalOffsetStoreDir,
} from '../../../../src/client/consumer/offset-store/local-file-offset-store.js';
import { decodeOffsetSerializeWrapper } from '../../../../src/client/consumer/offset-store/offset-serialize-wrapper.js';
import { OFFSET_NOT_FOUND, ReadOffsetType } from '../../../../src/client/consumer/offset-store/offset-store.js';
import { MQClientException } from '../../../../src/common/errors.js';
import { createLogger } from '../../../../src/common/logging/logger.js';
import { createMessageQueue } from '../../../../src/common/protocol/body/message-queue.js';

const log = createLogger('test', { level: 'silent' });
/** Child processes killed mid-write in the crash test. */
const KILL_ROUNDS = 3;
const CLIENT = { clientId: '10.0.0.1@4242' };
const GROUP = 'CG_BROADCAST';
const mq0 = createMessageQueue('TopicTest', 'broker-a', 0);
const mq1 = createMessageQueue('TopicTest', 'broker-a', 1);

/** Java 4.9.8's OffsetSerializeWrapper.toJson(true) with {mq0: 42} (printed by the same Java 17 run as the allocation tables). */
const JAVA_OFFSETS_JSON = '{\n\t"offsetTable":{{\n\t\t\t"brokerName":"broker-a",\n\t\t\t"queueId":0,\n\t\t\t"topic":"TopicTest"\n\t\t}:42\n\t}\n}';

describe('LocalFileOffsetStore', () => {
  let dir: string;
  let store: LocalFileOffsetStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rmq-offsets-'));
    store = new LocalFileOffsetStore(CLIENT, GROUP, log, dir);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('lives at <dir>/<clientId>/<group>/offsets.json; the default dir is ~/.rocketmq_offsets or the env override', () => {
    expect(store.storePath).to.equal(join(dir, CLIENT.clientId, GROUP, 'offsets.json'));
    const saved = process.env[LOCAL_OFFSET_STORE_DIR_ENV];
    try {
      delete process.env[LOCAL_OFFSET_STORE_DIR_ENV];
      expect(defaultLocalOffsetStoreDir()).to.equal(join(homedir(), '.rocketmq_offsets'));
      process.env[LOCAL_OFFSET_STORE_DIR_ENV] = '/var/offsets';
      expect(new LocalFileOffsetStore(CLIENT, GROUP, log).storePath).to.equal(join('/var/offsets', CLIENT.clientId, GROUP, 'offsets.json'));
    } finally {
      if (saved === undefined) delete process.env[LOCAL_OFFSET_STORE_DIR_ENV];
      else process.env[LOCAL_OFFSET_STORE_DIR_ENV] = saved;
    }
  });

  it('writes the bytes a Java client writes, and a new store loads them', async () => {
    store.updateOffset(mq0, 42, true);
    await store.persistAll([mq0]);
    expect(await readFile(store.storePath, 'utf8')).to.equal(JAVA_OFFSETS_JSON);

    const next = new LocalFileOffsetStore(CLIENT, GROUP, log, dir);
    await next.load();
    expect(await next.readOffset(mq0, ReadOffsetType.READ_FROM_MEMORY)).to.equal(42);
  });

  it('reads a Java-written file with several queues (queue objects as keys)', async () => {
    await mkdir(dirname(store.storePath), { recursive: true });
    await writeFile(store.storePath, '{"offsetTable":{{"brokerName":"broker-a","queueId":1,"topic":"TopicTest"}:7,{"brokerName":"broker-a","queueId":0,"topic":"TopicTest"}:9}}');
    expect(await store.readOffset(mq1, ReadOffsetType.READ_FROM_STORE)).to.equal(7);
    expect(await store.readOffset(mq0, ReadOffsetType.MEMORY_FIRST_THEN_STORE)).to.equal(9);
    expect(await store.readOffset(createMessageQueue('TopicTest', 'broker-b', 0), ReadOffsetType.READ_FROM_STORE)).to.equal(OFFSET_NOT_FOUND);
    expect([...store.cloneOffsetTable('TopicTest')]).to.deep.equal([[mq1, 7], [mq0, 9]]);
  });

  it('persistAll merges into the file (queues of others kept), persist writes one queue; memory is increase-only', async () => {
    store.updateOffset(mq0, 10, true);
    store.updateOffset(mq1, 20, true);
    await store.persistAll([mq0]);
    store.updateOffset(mq0, 5, true); // ignored: lower
    await store.persist(mq1);
    const onDisk = decodeOffsetSerializeWrapper(await readFile(store.storePath));
    expect([...onDisk.offsetTable]).to.deep.equal([[mq0, 10], [mq1, 20]]);
    await store.persistAll([]); // nothing asked, nothing written
    await store.persist(createMessageQueue('T', 'b', 9)); // no offset in memory
    expect([...decodeOffsetSerializeWrapper(await readFile(store.storePath)).offsetTable]).to.have.length(2);
  });

  it('keeps the previous version as .bak and leaves no .tmp behind', async () => {
    store.updateOffset(mq0, 1, true);
    await store.persistAll([mq0]);
    store.updateOffset(mq0, 2, true);
    await store.persistAll([mq0]);
    const files = await readdir(dirname(store.storePath));
    expect(files.sort()).to.deep.equal(['offsets.json', 'offsets.json.bak']);
    expect(decodeOffsetSerializeWrapper(await readFile(store.storePath + '.bak')).offsetTable.get(mq0)).to.equal(1);
    expect(decodeOffsetSerializeWrapper(await readFile(store.storePath)).offsetTable.get(mq0)).to.equal(2);
  });

  it('crash recovery: a torn or empty file falls back to .bak; a stale .tmp of a crashed write is ignored and replaced', async () => {
    store.updateOffset(mq0, 100, true);
    await store.persistAll([mq0]);
    store.updateOffset(mq0, 200, true);
    await store.persistAll([mq0]); // .bak = 100, file = 200
    const cases: ReadonlyArray<readonly [string, string]> = [
      ['torn', '{\n\t"offsetTable":{{\n\t\t\t"brokerN'],
      ['empty', ''],
    ];
    for (const [what, content] of cases) {
      await writeFile(store.storePath, content);
      await writeFile(store.storePath + '.tmp', '{"half');
      const recovered = new LocalFileOffsetStore(CLIENT, GROUP, log, dir);
      await recovered.load();
      expect(await recovered.readOffset(mq0, ReadOffsetType.READ_FROM_MEMORY), what).to.equal(100);
    }
    // A missing file (crash between Java's delete and rename) reads .bak too.
    await rm(store.storePath);
    expect(await new LocalFileOffsetStore(CLIENT, GROUP, log, dir).readOffset(mq0, ReadOffsetType.READ_FROM_STORE)).to.equal(100);
    // The next write replaces the stale .tmp and leaves a complete file.
    store.updateOffset(mq0, 300, true);
    await store.persistAll([mq0]);
    expect(decodeOffsetSerializeWrapper(await readFile(store.storePath)).offsetTable.get(mq0)).to.equal(300);
    expect(await readdir(dirname(store.storePath))).to.not.include('offsets.json.tmp');
  });

  it('file and .bak both unreadable: load rejects, readOffset answers -1, persist logs and writes nothing', async () => {
    await mkdir(dirname(store.storePath), { recursive: true });
    await writeFile(store.storePath, 'not json');
    await writeFile(store.storePath + '.bak', '[1,2]');
    const err = await store.load().catch((e: unknown) => e);
    expect(err).to.be.instanceOf(MQClientException);
    expect(await store.readOffset(mq0, ReadOffsetType.READ_FROM_STORE)).to.equal(OFFSET_NOT_FOUND);
    store.updateOffset(mq0, 5, true);
    await store.persistAll([mq0]); // Java gives up this round too: the unreadable file stays
    expect(await readFile(store.storePath, 'utf8')).to.equal('not json');
  });

  it('writes are serialized: many concurrent persists end with the latest offsets and one consistent file', async () => {
    const writes: Array<Promise<void>> = [];
    for (let i = 1; i <= 25; i++) {
      store.updateOffset(i % 2 === 0 ? mq0 : mq1, i, true);
      writes.push(i % 3 === 0 ? store.persist(mq0) : store.persistAll([mq0, mq1]));
    }
    await Promise.all(writes);
    await store.flushed();
    const onDisk = decodeOffsetSerializeWrapper(await readFile(store.storePath));
    expect(onDisk.offsetTable.get(mq0)).to.equal(24);
    expect(onDisk.offsetTable.get(mq1)).to.equal(25);
  });

  it('SIGKILL while writing: the file always loads, never behind the last offset reported on disk', async function () {
    this.timeout(60_000);
    const writer = fileURLToPath(new URL('./fixtures/offset-writer.ts', import.meta.url));
    const path = join(dir, 'crash@1', 'CG', 'offsets.json');
    let floor = 0;
    for (let round = 0; round < KILL_ROUNDS; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', writer, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
      let lastReported = 0;
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const lines = out.split('\n');
        out = lines.pop() ?? '';
        for (const l of lines) lastReported = Number(l);
      });
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      // Kill at a different moment of the write cycle each round, once writes are flowing.
      while (lastReported < floor + 20) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, round * 3));
      child.kill('SIGKILL');
      await exited;
      const recovered = new LocalFileOffsetStore({ clientId: 'crash@1' }, 'CG', log, dir);
      await recovered.load();
      const offset = await recovered.readOffset(createMessageQueue('T', 'broker-a', 0), ReadOffsetType.READ_FROM_MEMORY);
      // A reported offset was renamed into place, and the rename replaces whole files: never older, never torn.
      expect(offset, `round ${round}: ${path}`).to.be.at.least(lastReported);
      floor = offset;
    }
  });

  it('updateConsumeOffsetToBroker is a no-op; removeOffset forgets in memory only', async () => {
    store.updateOffset(mq0, 8, true);
    await store.updateConsumeOffsetToBroker(mq0, 9, true);
    store.removeOffset(mq0);
    expect(await store.readOffset(mq0, ReadOffsetType.READ_FROM_MEMORY)).to.equal(OFFSET_NOT_FOUND);
  });
});
