import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { expect } from 'chai';

import type { DefaultMessageStore } from '../../../src/broker/store/message-store.js';
import { isPutOk } from '../../../src/broker/store/put-message-result.js';
import type { MessageStoreConfig } from '../../../src/broker/store/store-config.js';
import { inner, openStore, smallConfig, tempStoreDir } from './store-fixtures.js';

const HOUR = 3_600_000;

describe('store/expiry (CleanCommitLogService, CleanConsumeQueueService)', function () {
  this.timeout(20_000);
  let root: string;
  let store: DefaultMessageStore | undefined;
  /** The fake clock the clean services read. */
  let now = Date.now();
  let diskUsed = 0.1;

  beforeEach(async () => {
    root = await tempStoreDir();
    now = Date.now();
    diskUsed = 0.1;
  });
  afterEach(async () => {
    await store?.shutdown();
    store = undefined;
    await rm(root, { recursive: true, force: true });
  });

  /** Expiry never fires on its own here: deleteWhen is an hour the fake clock is not at unless a test says so. */
  function config(overrides: Partial<MessageStoreConfig> = {}): MessageStoreConfig {
    return smallConfig(root, {
      fileReservedTime: 1,
      deleteWhen: String((new Date(now).getHours() + 12) % 24),
      deleteCommitLogFilesInterval: 0,
      deleteConsumeQueueFilesInterval: 0,
      cleanResourceInterval: 3_600_000,
      maxHashSlotNum: 64,
      maxIndexNum: 60,
      ...overrides,
    });
  }

  async function open(cfg: MessageStoreConfig): Promise<DefaultMessageStore> {
    return openStore(cfg, { now: () => now, diskUsedRatio: async () => diskUsed });
  }

  async function putN(s: DefaultMessageStore, n: number): Promise<number[]> {
    const offsets: number[] = [];
    for (let i = 0; i < n; i++) {
      const m = inner('T', 0, Buffer.alloc(500, i % 256));
      m.keys = `key-${i}`;
      const r = await s.putMessage(m);
      if (!isPutOk(r)) throw new Error(r.status);
      offsets.push(r.appendMessageResult.wroteOffset);
    }
    await s.reputMessageService.waitCaughtUp();
    return offsets;
  }

  /** The index files on disk once every record dispatched so far is indexed (a query waits for that, inline or on the worker). */
  const indexFiles = async (s: DefaultMessageStore): Promise<string[]> => {
    await s.reputMessageService.waitCaughtUp();
    await s.indexService!.queryOffset('T', 'key-0', 1, 0, 0);
    return (await readdir(join(root, 'index'))).sort();
  };
  const commitLogFiles = async (): Promise<string[]> => (await readdir(join(root, 'commitlog'))).sort();
  const cqFiles = async (): Promise<string[]> => (await readdir(join(root, 'consumequeue', 'T', '0'))).sort();

  it('deletes CommitLog files older than fileReservedTime at a deleteWhen hour, then the ConsumeQueue and index files below the new min', async () => {
    store = await open(config());
    const offsets = await putN(store, 400);
    const filesBefore = await commitLogFiles();
    const cqBefore = await cqFiles();
    const indexBefore = await indexFiles(store);
    expect(filesBefore.length).to.be.greaterThan(3);
    expect(cqBefore.length).to.equal(4);

    // Not the hour, not expired: nothing happens.
    expect(await store.cleanFilesNow()).to.equal(0);
    // The hour, but not expired yet.
    now += HOUR / 2;
    store.config.deleteWhen = String(new Date(now).getHours());
    expect(await store.cleanFilesNow()).to.equal(0);
    // Expired: every file but the last goes.
    now += HOUR;
    store.config.deleteWhen = String(new Date(now).getHours());
    expect(await store.cleanFilesNow()).to.equal(filesBefore.length - 1);
    expect(await commitLogFiles()).to.deep.equal(filesBefore.slice(-1));
    const minPhy = store.getMinPhyOffset();
    expect(minPhy).to.equal(Number(filesBefore.at(-1)));

    // The ConsumeQueue: files whose last unit points below the min are gone; the min is the first unit at or above it.
    const firstKept = offsets.findIndex((o) => o >= minPhy);
    expect(store.getMinOffsetInQueue('T', 0)).to.equal(firstKept);
    expect((await cqFiles()).length).to.be.lessThan(cqBefore.length);
    expect(store.getMaxOffsetInQueue('T', 0)).to.equal(400);
    const tooSmall = await store.getMessage('G', 'T', 0, 0, 32);
    expect(tooSmall.status).to.equal('OFFSET_TOO_SMALL');
    expect(tooSmall.nextBeginOffset).to.equal(firstKept);
    const found = await store.getMessage('G', 'T', 0, firstKept, 1);
    expect(found.status).to.equal('FOUND');

    // Index files wholly below the min went too; a key there is no longer found.
    expect((await indexFiles(store)).length).to.be.lessThan(indexBefore.length);
    expect((await store.queryMessage('T', 'key-0', 32, 0, now + HOUR)).messageBufferList).to.deep.equal([]);
    expect((await store.queryMessage('T', 'key-399', 32, 0, now + HOUR)).messageBufferList.length).to.equal(1);

    // The min offsets survive a restart (the CQ min is corrected from the CommitLog's).
    await store.shutdown();
    store = await open(config());
    expect(store.getMinPhyOffset()).to.equal(minPhy);
    expect(store.getMinOffsetInQueue('T', 0)).to.equal(firstKept);
    expect(store.getMaxOffsetInQueue('T', 0)).to.equal(400);
  });

  it('keeps a file a reader holds (unreadable from then on) until it is released, or destroyMapedFileIntervalForcibly passed', async () => {
    store = await open(config({ destroyMapedFileIntervalForcibly: 60_000 }));
    await putN(store, 250);
    const files = await commitLogFiles();
    const first = store.commitLog.mappedFileQueue.getFirstMappedFile()!;
    expect(first.hold()).to.equal(true);
    now += 2 * HOUR;
    store.executeDeleteFilesManually();
    expect(await store.cleanFilesNow()).to.equal(0);
    expect(await commitLogFiles()).to.deep.equal(files);
    expect(first.isAvailable()).to.equal(false);
    // As Java: an unavailable first file no longer counts, so the min offsets already moved past it.
    expect(await store.lookMessageByOffset(0)).to.equal(undefined);
    expect(store.getMinPhyOffset()).to.equal(Number(files[1]));
    expect((await store.getMessage('G', 'T', 0, 0, 1)).status).to.equal('OFFSET_TOO_SMALL');
    first.release();
    expect(await store.cleanFilesNow()).to.equal(files.length - 1);
    expect(await commitLogFiles()).to.deep.equal(files.slice(-1));

    // Held for longer than the forcible interval: deleted anyway (the reader's descriptor stays valid).
    await putN(store, 250);
    const more = await commitLogFiles();
    const held = store.commitLog.mappedFileQueue.getFirstMappedFile()!;
    expect(held.hold()).to.equal(true);
    now += 2 * HOUR;
    expect(await store.cleanFilesNow()).to.equal(0);
    now += 61_000;
    expect(await store.cleanFilesNow()).to.equal(more.length - 1);
    held.release();
  });

  it('TRIGGER_DELETE_FILES deletes expired files outside deleteWhen, only expired ones, and only for a while', async () => {
    store = await open(config());
    await putN(store, 250);
    const files = await commitLogFiles();
    store.executeDeleteFilesManually();
    expect(await store.cleanFilesNow()).to.equal(0); // nothing is old enough yet
    now += 2 * HOUR;
    expect(await store.cleanFilesNow()).to.equal(files.length - 1);
  });

  it('cleans unexpired files when the disk is nearly full and refuses puts above the warning level', async () => {
    store = await open(config());
    await putN(store, 250);
    const files = await commitLogFiles();
    diskUsed = 0.8; // above diskMaxUsedSpaceRatio (75 %), below the forced-clean level: only expired files
    expect(await store.cleanFilesNow()).to.equal(0);
    diskUsed = 0.95; // above the warning level: unexpired files go and puts are refused
    expect(await store.cleanFilesNow()).to.equal(files.length - 1);
    const refused = await store.putMessage(inner('T', 0, 'x'));
    expect(refused.status).to.equal('SERVICE_NOT_AVAILABLE');
    diskUsed = 0.5;
    await store.cleanFilesNow();
    expect(isPutOk(await store.putMessage(inner('T', 0, 'y')))).to.equal(true);
  });
});
