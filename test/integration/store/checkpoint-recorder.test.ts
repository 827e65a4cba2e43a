import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { expect } from 'chai';

import { readInt64BE, type DispatchRequest } from '../../../src/common/message/index.js';
import { StoreCheckpoint } from '../../../src/broker/store/checkpoint.js';
import { CheckpointRecorder } from '../../../src/broker/store/checkpoint-recorder.js';

function req(commitLogOffset: number, msgSize: number, storeTimestamp: number): DispatchRequest {
  return {
    topic: 'T',
    queueId: 0,
    commitLogOffset,
    msgSize,
    tagsCode: 0,
    storeTimestamp,
    queueOffset: 0,
    keys: '',
    uniqKey: undefined,
    sysFlag: 0,
    preparedTransactionOffset: 0,
    bodyCRC: 0,
    propertiesMap: new Map(),
  };
}

describe('store/CheckpointRecorder', () => {
  let dir: string;
  let cp: StoreCheckpoint;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rmq-cpr-'));
    cp = StoreCheckpoint.open(join(dir, 'checkpoint'));
  });
  afterEach(async () => {
    await cp.shutdown();
    await rm(dir, { recursive: true, force: true });
  });

  it('sets physic to the newest dispatched record wholly below the flushed position, logics to what was captured', async () => {
    let flushed = 0;
    const r = new CheckpointRecorder(cp, () => flushed);
    r.dispatch(req(0, 100, 1000));
    r.dispatch(req(100, 100, 1000));
    r.dispatch(req(200, 100, 1001));
    r.dispatch(req(300, 100, 1002));
    const logics = r.captureLogics();
    expect(logics).to.equal(1002);
    flushed = 250; // the record at 200 is not wholly durable
    await r.flush(logics);
    expect([cp.physicMsgTimestamp, cp.logicsMsgTimestamp]).to.deep.equal([1000, 1002]);
    flushed = 400;
    await r.flush(0);
    const bytes = await readFile(join(dir, 'checkpoint'));
    expect([readInt64BE(bytes, 0), readInt64BE(bytes, 8), readInt64BE(bytes, 16)]).to.deep.equal([1002, 1002, 0]);
  });

  it('never moves a timestamp backwards', async () => {
    let flushed = 1000;
    const r = new CheckpointRecorder(cp, () => flushed);
    r.dispatch(req(0, 100, 5000));
    await r.flush(5000);
    flushed = 0;
    await r.flush(10);
    expect([cp.physicMsgTimestamp, cp.logicsMsgTimestamp]).to.deep.equal([5000, 5000]);
  });
});
