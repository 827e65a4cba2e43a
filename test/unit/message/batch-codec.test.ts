import { expect } from 'chai';
import { RemotingCommandException } from '../../../src/common/errors.js';
import {
  Message,
  MessageExtBatch,
  createMessageId,
  decodeMessages,
  encodeBatchRecords,
  encodeMessages,
  measureBatchRecords,
  string2messageProperties,
} from '../../../src/common/message/index.js';
import { COMMITLOG, extFields, fixture, frameBody } from './fixtures.js';

const BATCH = 'broker-320-send-batch.req.bin';

describe('BatchCodec', () => {
  it('decodes the real SEND_BATCH_MESSAGE body into 3 messages', () => {
    const msgs = decodeMessages(frameBody(BATCH), 'FixB');
    expect(msgs).to.have.length(3);
    msgs.forEach((m, i) => {
      expect(m.body.toString()).to.equal(`batch body ${i}`);
      expect(m.flag).to.equal(0);
      expect(m.tags).to.equal('TagBatch');
      expect(m.keys).to.equal(`batchkey-${i}`);
      expect(m.getUserProperty('fixprop')).to.equal(`b${i}`);
      expect(m.waitStoreMsgOK).to.equal(true);
      expect(m.getProperty('UNIQ_KEY')).to.have.length(56);
    });
  });

  it('re-encodes the decoded batch body byte for byte', () => {
    const body = frameBody(BATCH);
    expect(encodeMessages(decodeMessages(body)).equals(body)).to.equal(true);
  });

  it('encodes a batch built like the Java producer builds it to the same bytes', () => {
    const body = frameBody(BATCH);
    const uniq = decodeMessages(body).map((m) => m.getProperty('UNIQ_KEY') as string);
    const msgs = [0, 1, 2].map((i) => {
      const m = new Message('FixB', 'TagBatch', `batchkey-${i}`, `batch body ${i}`);
      m.putUserProperty('fixprop', `b${i}`);
      m.putProperty('UNIQ_KEY', uniq[i]!);
      return m;
    });
    expect(encodeMessages(msgs).equals(body)).to.equal(true);
  });

  it('splits the batch into the exact CommitLog records the real broker wrote (own + batch properties)', () => {
    const ext = extFields(BATCH);
    const batch = new MessageExtBatch('FixB', frameBody(BATCH));
    batch.queueId = Number(ext['e']);
    batch.sysFlag = Number(ext['f']);
    batch.bornTimestamp = Number(ext['g']);
    batch.bornHost = { host: '127.0.0.1', port: 52868 };
    batch.storeHost = { host: '127.0.0.2', port: 30911 };
    // SendMessageProcessor: the header's properties (WAIT=true), then CLUSTER.
    batch.setProperties(string2messageProperties(ext['i']));
    batch.putProperty('CLUSTER', 'DefaultCluster');
    expect(batch.propertiesString()).to.equal('CLUSTER\u0001DefaultCluster\u0002WAIT\u0001true');

    const stored = fixture(COMMITLOG).subarray(2280, 2280 + 3 * 256);
    expect(measureBatchRecords(batch)).to.deep.equal({ count: 3, totalSize: stored.length });
    const target = Buffer.alloc(stored.length + 10);
    const res = encodeBatchRecords(target, 10, batch, { queueOffset: 0, commitLogOffset: 2280, storeTimestamp: 1795623684896 });
    expect(res.count).to.equal(3);
    expect(res.totalSize).to.equal(stored.length);
    expect(target.subarray(10).equals(stored)).to.equal(true);
    // The send response's msgId: the comma-joined offset msgIds.
    const msgId = res.commitLogOffsets.map((o) => createMessageId(batch.storeHost, o)).join(',');
    expect(msgId).to.equal(extFields('broker-320-send-batch.resp.bin')['msgId']);
  });

  it('rejects malformed batch bodies with a clear error', () => {
    const body = Buffer.from(frameBody(BATCH));
    expect(() => decodeMessages(body.subarray(0, 149))).to.throw(RemotingCommandException, /malformed batch body at 0/);
    const wrongTotal = Buffer.from(body);
    wrongTotal.writeInt32BE(151, 0);
    expect(() => decodeMessages(wrongTotal)).to.throw(RemotingCommandException, /total size 151/);
    const hugeBody = Buffer.from(body);
    hugeBody.writeInt32BE(0x7fffffff, 16);
    expect(() => decodeMessages(hugeBody)).to.throw(RemotingCommandException, /body length/);
  });
});
