import { expect } from 'chai';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { StoreCheckpoint } from '../../../../src/broker/store/checkpoint.js';
import { humanStringToTimeMillis, timeMillisToHumanString } from '../../../../src/broker/store/index/index-file-name.js';
import { IndexService, type IndexServiceOptions } from '../../../../src/broker/store/index/index-service.js';
import { MessageSysFlag } from '../../../../src/common/message/index.js';
import { dispatchRequest, realDispatchRequests, realIndexSidecar, tempDir } from './fixtures.js';

const T0 = 1_795_623_684_576;
const ALL: [number, number] = [0, Number.MAX_SAFE_INTEGER];

describe('IndexService', () => {
  let tmp: ReturnType<typeof tempDir>;
  const services: IndexService[] = [];
  const checkpoints: StoreCheckpoint[] = [];
  let clock = T0;

  function service(options: Partial<IndexServiceOptions> = {}): IndexService {
    const s = new IndexService({
      storePathRootDir: tmp.dir,
      maxHashSlotNum: 101,
      maxIndexNum: 50,
      indexCommitIntervalMs: 0,
      now: () => clock,
      ...options,
    });
    services.push(s);
    return s;
  }
  function checkpoint(): StoreCheckpoint {
    const c = StoreCheckpoint.open(join(tmp.dir, 'checkpoint'));
    checkpoints.push(c);
    return c;
  }

  beforeEach(() => {
    tmp = tempDir('index-service');
    clock = T0;
  });
  afterEach(async () => {
    for (const s of services.splice(0)) await s.shutdown();
    for (const c of checkpoints.splice(0)) await c.shutdown();
    tmp.remove();
  });

  describe('with the real 4.9.8 records', () => {
    const sidecar = realIndexSidecar();
    let s: IndexService;
    beforeEach(() => {
      s = service({ maxHashSlotNum: 5_000_000, maxIndexNum: 20_000_000 });
      for (const r of realDispatchRequests()) s.dispatch(r);
    });

    it('indexes UNIQ_KEY and KEYS of all 19 records: the real indexCount and header', () => {
      expect({ ...s.indexFiles[0]!.indexHeader }).to.deep.equal(sidecar.header);
    });

    it('finds a record by KEYS and by UNIQ_KEY, and reports the index freshness', () => {
      const byKey = s.queryOffset('FixT', 'fixkey-3', 32, ...ALL);
      expect(byKey).to.deep.equal({ phyOffsets: [684], indexLastUpdateTimestamp: sidecar.header.endTimestamp, indexLastUpdatePhyoffset: 5040 });
      expect(s.queryOffset('FixT', 'FD00000000000000000000000000000256065FFD2B277F1B229D0003', 32, ...ALL).phyOffsets).to.deep.equal([684]);
      // The delayed message: its SCHEDULE_TOPIC_XXXX record and the delivered FixT record share keys but not topics.
      expect(s.queryOffset('SCHEDULE_TOPIC_XXXX', 'delaykey-0', 32, ...ALL).phyOffsets).to.deep.equal([3725]);
      expect(s.queryOffset('FixT', 'delaykey-0', 32, ...ALL).phyOffsets).to.deep.equal([4394]);
      expect(s.queryOffset('FixB', 'batchkey-1', 32, ...ALL).phyOffsets).to.deep.equal([2536]);
      expect(s.queryOffset('FixT', 'no-such-key', 32, ...ALL).phyOffsets).to.deep.equal([]);
    });

    it('applies the time range (whole seconds after the file begin)', () => {
      const binStore = sidecar.header.beginTimestamp + 49_000;
      expect(s.queryOffset('FixBin', 'binkey-0', 32, binStore, binStore).phyOffsets).to.deep.equal([5040]);
      expect(s.queryOffset('FixBin', 'binkey-0', 32, 0, binStore - 1).phyOffsets).to.deep.equal([]);
      expect(s.queryOffset('FixBin', 'binkey-0', 32, binStore + 1, Number.MAX_SAFE_INTEGER).phyOffsets).to.deep.equal([]);
    });
  });

  it('caps maxNum at maxMsgsNumBatch', () => {
    const s = service({ maxIndexNum: 500, maxMsgsNumBatch: 5 });
    for (let i = 0; i < 20; i++) s.dispatch(dispatchRequest({ topic: 'T', keys: 'k', commitLogOffset: i * 100, storeTimestamp: T0 + i }));
    expect(s.queryOffset('T', 'k', 64, ...ALL).phyOffsets).to.deep.equal([1900, 1800, 1700, 1600, 1500]);
    expect(s.queryOffset('T', 'k', 2, ...ALL).phyOffsets).to.deep.equal([1900, 1800]);
  });

  it('indexes every non-empty space-separated key, and the UNIQ_KEY first', () => {
    const s = service();
    s.dispatch(dispatchRequest({ topic: 'T', uniqKey: 'U1', keys: ' a  b ', commitLogOffset: 10, storeTimestamp: T0 }));
    expect(s.indexFiles[0]!.indexHeader.indexCount).to.equal(4);
    for (const key of ['U1', 'a', 'b']) expect(s.queryOffset('T', key, 32, ...ALL).phyOffsets, key).to.deep.equal([10]);
  });

  it('skips ROLLBACK records but indexes PREPARED and COMMIT ones (as CommitLogDispatcherBuildIndex does)', () => {
    const s = service();
    const sysFlags = {
      rollback: MessageSysFlag.TRANSACTION_ROLLBACK_TYPE,
      prepared: MessageSysFlag.TRANSACTION_PREPARED_TYPE,
      commit: MessageSysFlag.TRANSACTION_COMMIT_TYPE,
    };
    let offset = 0;
    for (const [key, sysFlag] of Object.entries(sysFlags)) {
      s.dispatch(dispatchRequest({ topic: 'T', keys: key, sysFlag, commitLogOffset: (offset += 100), storeTimestamp: T0 }));
    }
    expect(s.queryOffset('T', 'rollback', 32, ...ALL).phyOffsets).to.deep.equal([]);
    expect(s.queryOffset('T', 'prepared', 32, ...ALL).phyOffsets).to.deep.equal([200]);
    expect(s.queryOffset('T', 'commit', 32, ...ALL).phyOffsets).to.deep.equal([300]);
  });

  it('skips records below the last indexed offset (re-dispatch during recovery)', () => {
    const s = service();
    s.dispatch(dispatchRequest({ topic: 'T', keys: 'a', commitLogOffset: 500, storeTimestamp: T0 }));
    s.dispatch(dispatchRequest({ topic: 'T', keys: 'b', commitLogOffset: 400, storeTimestamp: T0 }));
    s.dispatch(dispatchRequest({ topic: 'T', keys: 'c', commitLogOffset: 500, storeTimestamp: T0 }));
    expect(s.queryOffset('T', 'b', 32, ...ALL).phyOffsets).to.deep.equal([]);
    expect(s.queryOffset('T', 'c', 32, ...ALL).phyOffsets).to.deep.equal([500]);
  });

  it('builds nothing when messageIndexEnable is false', () => {
    const s = service({ messageIndexEnable: false });
    s.dispatch(dispatchRequest({ topic: 'T', keys: 'a', commitLogOffset: 1, storeTimestamp: T0 }));
    expect(s.indexFiles).to.have.length(0);
    expect(existsSync(join(tmp.dir, 'index'))).to.equal(false);
  });

  it('rolls to a new yyyyMMddHHmmssSSS file when full, inheriting the end offset and time, and queries across files', async () => {
    const cp = checkpoint();
    const s = service({ maxIndexNum: 4, storeCheckpoint: cp }); // 3 keys per file
    for (let i = 0; i < 8; i++) {
      s.dispatch(dispatchRequest({ topic: 'T', keys: 'k', commitLogOffset: i * 100, storeTimestamp: T0 + i * 1000 }));
    }
    const files = s.indexFiles;
    expect(files).to.have.length(3);
    // Same clock for all three: names are bumped by 1 ms to stay unique and ordered.
    expect(files.map((f) => f.name)).to.deep.equal([T0, T0 + 1, T0 + 2].map(timeMillisToHumanString));
    expect(readdirSync(join(tmp.dir, 'index')).sort()).to.deep.equal(files.map((f) => f.name));
    expect(files[1]!.indexHeader.beginPhyOffset).to.equal(300);
    expect(files[1]!.indexHeader.beginTimestamp).to.equal(T0 + 3000);
    expect(s.queryOffset('T', 'k', 32, ...ALL).phyOffsets).to.deep.equal([700, 600, 500, 400, 300, 200, 100, 0]);
    expect(s.queryOffset('T', 'k', 32, T0 + 2000, T0 + 4000).phyOffsets).to.deep.equal([400, 300, 200]);
    expect(s.queryOffset('T', 'k', 4, ...ALL).phyOffsets).to.deep.equal([700, 600, 500, 400]);
    // A full file's flush moves the checkpoint's index timestamp to its end.
    await s.shutdown();
    expect(cp.indexMsgTimestamp).to.equal(T0 + 5000);
  });

  it('reloads its files after a clean exit and continues the last one', async () => {
    const s = service({ maxIndexNum: 4 });
    for (let i = 0; i < 5; i++) s.dispatch(dispatchRequest({ topic: 'T', keys: `k${i}`, commitLogOffset: i, storeTimestamp: T0 + i }));
    await s.shutdown();

    const t = service({ maxIndexNum: 4 });
    expect(await t.load(true)).to.equal(true);
    expect(t.indexFiles.map((f) => f.indexHeader.indexCount)).to.deep.equal([4, 3]);
    t.dispatch(dispatchRequest({ topic: 'T', keys: 'k5', commitLogOffset: 5, storeTimestamp: T0 + 5 }));
    expect(t.indexFiles).to.have.length(2);
    for (let i = 0; i < 6; i++) expect(t.queryOffset('T', `k${i}`, 32, ...ALL).phyOffsets).to.deep.equal([i]);
  });

  it('after an abnormal exit drops the files newer than the checkpoint index timestamp', async () => {
    const cp = checkpoint();
    const s = service({ maxIndexNum: 4, storeCheckpoint: cp });
    for (let i = 0; i < 5; i++) s.dispatch(dispatchRequest({ topic: 'T', keys: `k${i}`, commitLogOffset: i, storeTimestamp: T0 + i * 1000 }));
    await s.shutdown();
    expect(cp.indexMsgTimestamp).to.equal(T0 + 2000); // the full first file

    const t = service({ maxIndexNum: 4, storeCheckpoint: cp });
    expect(await t.load(false)).to.equal(true);
    expect(t.indexFiles).to.have.length(1);
    expect(readdirSync(join(tmp.dir, 'index'))).to.have.length(1);
    expect(t.queryOffset('T', 'k2', 32, ...ALL).phyOffsets).to.deep.equal([2]);
    expect(t.queryOffset('T', 'k3', 32, ...ALL).phyOffsets).to.deep.equal([]);
    // Recovery re-dispatches the lost records into a new file.
    clock += 10;
    t.dispatch(dispatchRequest({ topic: 'T', keys: 'k3', commitLogOffset: 3, storeTimestamp: T0 + 3000 }));
    expect(t.queryOffset('T', 'k3', 32, ...ALL).phyOffsets).to.deep.equal([3]);
  });

  it('fails load(false) without a checkpoint and load of a file of another size', async () => {
    const s = service();
    s.dispatch(dispatchRequest({ topic: 'T', keys: 'a', commitLogOffset: 1, storeTimestamp: T0 }));
    await s.shutdown();
    let error: unknown;
    try {
      await service().load(false);
    } catch (e: unknown) {
      error = e;
    }
    expect(String(error)).to.match(/storeCheckpoint/);
    expect(await service({ maxHashSlotNum: 7 }).load(true)).to.equal(false);
  });

  it('deletes leading files whose entries all point below the offset, never the last file', async () => {
    const s = service({ maxIndexNum: 3 }); // 2 keys per file
    for (let i = 0; i < 7; i++) s.dispatch(dispatchRequest({ topic: 'T', keys: `k${i}`, commitLogOffset: i * 100, storeTimestamp: T0 + i }));
    expect(s.indexFiles.map((f) => f.endPhyOffset)).to.deep.equal([100, 300, 500, 600]);
    await s.deleteExpiredFile(100);
    expect(s.indexFiles).to.have.length(4);
    await s.deleteExpiredFile(400);
    expect(s.indexFiles.map((f) => f.endPhyOffset)).to.deep.equal([500, 600]);
    expect(readdirSync(join(tmp.dir, 'index'))).to.have.length(2);
    expect(s.queryOffset('T', 'k1', 32, ...ALL).phyOffsets).to.deep.equal([]);
    expect(s.queryOffset('T', 'k5', 32, ...ALL).phyOffsets).to.deep.equal([500]);
    await s.deleteExpiredFile(Number.MAX_SAFE_INTEGER);
    expect(s.indexFiles.map((f) => f.endPhyOffset)).to.deep.equal([600]);
  });

  it('commits the file being written on its timer', async () => {
    const s = service({ indexCommitIntervalMs: 10 });
    s.start();
    s.dispatch(dispatchRequest({ topic: 'T', keys: 'a', commitLogOffset: 1, storeTimestamp: T0 }));
    await new Promise((resolve) => setTimeout(resolve, 60));
    const t = service();
    expect(await t.load(true)).to.equal(true);
    expect(t.queryOffset('T', 'a', 32, ...ALL).phyOffsets).to.deep.equal([1]);
  });

  it('ignores dispatches after shutdown', async () => {
    const s = service();
    s.dispatch(dispatchRequest({ topic: 'T', keys: 'a', commitLogOffset: 1, storeTimestamp: T0 }));
    await s.shutdown();
    s.dispatch(dispatchRequest({ topic: 'T', keys: 'b', commitLogOffset: 2, storeTimestamp: T0 }));
    expect(s.indexFiles).to.have.length(1);
  });

  it('destroy deletes every file', async () => {
    const s = service({ maxIndexNum: 3 });
    for (let i = 0; i < 5; i++) s.dispatch(dispatchRequest({ topic: 'T', keys: `k${i}`, commitLogOffset: i, storeTimestamp: T0 }));
    await s.destroy();
    expect(s.indexFiles).to.have.length(0);
    expect(readdirSync(join(tmp.dir, 'index'))).to.have.length(0);
  });
});

describe('index file names', () => {
  it('are the local time as yyyyMMddHHmmssSSS (UtilAll.timeMillisToHumanString)', () => {
    const t = new Date(2026, 10, 25, 16, 21, 24, 632).getTime();
    expect(timeMillisToHumanString(t)).to.equal('20261125162124632');
    expect(humanStringToTimeMillis('20261125162124632')).to.equal(t);
    expect(timeMillisToHumanString(new Date(2001, 0, 2, 3, 4, 5, 6).getTime())).to.equal('20010102030405006');
    expect(humanStringToTimeMillis('checkpoint')).to.equal(undefined);
  });

  it('name the real file as the UTC broker did', () => {
    const saved = process.env.TZ;
    process.env.TZ = 'UTC';
    try {
      expect(timeMillisToHumanString(realIndexSidecar().header.beginTimestamp + 56)).to.equal('20261125162124632');
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});
