import { expect } from 'chai';
import { RemotingCommandException } from '../../../src/common/errors.js';
import {
  BLANK_MAGIC_CODE,
  MessageExt,
  MessageExtBrokerInner,
  MessageSysFlag,
  PHY_POS_POSITION,
  QUEUE_OFFSET_POSITION,
  RECORD_FIXED_LENGTH_V4,
  SYSFLAG_POSITION,
  bodyCRC,
  calMsgLength,
  checkMessageAndReturnSize,
  decodeRecord,
  decodes,
  encodeMessageExt,
  encodeRecord,
  measureRecord,
  patchAppendFields,
  recordInputOf,
  socketAddressToString,
  storeTimestampPosition,
  writeBlankRecord,
} from '../../../src/common/message/index.js';
import { COMMITLOG, commitlogSidecar, fixture, frameBody } from './fixtures.js';

const log = fixture(COMMITLOG);
const sidecar = commitlogSidecar();

function decodeAll(buf: Buffer): MessageExt[] {
  const out: MessageExt[] = [];
  for (let pos = 0; pos < buf.length; ) {
    const m = decodeRecord(buf, pos);
    out.push(m);
    pos += m.storeSize;
  }
  return out;
}

describe('RecordCodec', () => {
  describe('real 4.9.8 commitlog', () => {
    const msgs = decodeAll(log);

    it('decodes all 19 records with the fields the capture sidecar lists', () => {
      expect(msgs).to.have.length(19);
      msgs.forEach((m, i) => {
        const r = sidecar[i]!;
        expect(m.storeSize, `#${i} size`).to.equal(r.totalSize);
        expect(m.commitLogOffset).to.equal(r.physicalOffset).and.to.equal(r._at);
        expect(m.bodyCRC).to.equal(r.bodyCRC);
        expect(m.queueId).to.equal(r.queueId);
        expect(m.flag).to.equal(r.flag);
        expect(m.queueOffset).to.equal(r.queueOffset);
        expect(m.sysFlag).to.equal(r.sysFlag);
        expect(m.bornTimestamp).to.equal(r.bornTimestamp);
        expect(socketAddressToString(m.bornHost)).to.equal(r.bornHost);
        expect(m.storeTimestamp).to.equal(r.storeTimestamp);
        expect(socketAddressToString(m.storeHost)).to.equal(r.storeHost);
        expect(m.reconsumeTimes).to.equal(r.reconsumeTimes);
        expect(m.preparedTransactionOffset).to.equal(r.preparedTransactionOffset);
        expect(m.topic).to.equal(r.topic);
        expect(m.body.length).to.equal(r.body.length);
        if (r.body.utf8 !== undefined) expect(m.body.toString('utf8')).to.equal(r.body.utf8);
        expect(Object.fromEntries(m.properties)).to.deep.equal(r.properties);
        expect(m.propertiesString()).to.equal(r.propertiesRaw);
        expect(m.offsetMsgId).to.equal(r.offsetMsgId);
        expect(m.msgId).to.equal(r.properties['UNIQ_KEY']);
        expect(bodyCRC(m.body)).to.equal(r.bodyCRC);
      });
    });

    it('re-encodes every record byte for byte (into one caller buffer, at its position)', () => {
      const out = Buffer.alloc(log.length);
      for (const m of msgs) {
        expect(encodeRecord(out, m.commitLogOffset, recordInputOf(m))).to.equal(m.storeSize);
        expect(encodeMessageExt(m).equals(log.subarray(m.commitLogOffset, m.commitLogOffset + m.storeSize))).to.equal(true);
      }
      expect(out.equals(log)).to.equal(true);
    });

    it('computes each record length from body, topic and properties lengths (91 + lengths for IPv4 hosts)', () => {
      for (const r of sidecar) {
        const propsLen = Buffer.byteLength(r.propertiesRaw);
        expect(calMsgLength(r.sysFlag, r.body.length, r.topic.length, propsLen)).to.equal(r.totalSize);
        expect(RECORD_FIXED_LENGTH_V4 + r.body.length + r.topic.length + propsLen).to.equal(r.totalSize);
      }
    });

    it('reads the dispatch header of each record without decoding the body, and ends at the zeros after the data', () => {
      const padded = Buffer.concat([log, Buffer.alloc(64)]);
      let pos = 0;
      for (const r of sidecar) {
        const res = checkMessageAndReturnSize(padded, pos, { checkCRC: true });
        if (res.status !== 'MESSAGE') expect.fail(`${res.status} at ${pos}`);
        const d = res.dispatch;
        expect(res.size).to.equal(r.totalSize);
        expect([d.topic, d.queueId, d.queueOffset, d.commitLogOffset, d.storeTimestamp, d.sysFlag, d.bodyCRC]).to.deep.equal([
          r.topic, r.queueId, r.queueOffset, r.physicalOffset, r.storeTimestamp, r.sysFlag, r.bodyCRC,
        ]);
        expect(d.keys).to.equal(r.properties['KEYS']);
        expect(d.uniqKey).to.equal(r.properties['UNIQ_KEY']);
        expect(d.tagsCode).to.equal(r.tagsHashCode);
        pos += res.size;
      }
      expect(pos).to.equal(5284);
      expect(checkMessageAndReturnSize(padded, pos)).to.deep.equal({ status: 'END' });
    });

    it('gives the ConsumeQueue tagsCode of the fixture records, negative hashes included', () => {
      const codes = sidecar.map((r) => {
        const res = checkMessageAndReturnSize(log, r._at);
        return res.status === 'MESSAGE' ? res.dispatch.tagsCode : NaN;
      });
      expect(codes.slice(0, 2)).to.deep.equal([2598919, 2598920]); // TagA, TagB
      expect(codes[10]).to.equal(-726516768); // TagBatch
      expect(codes[13]).to.equal(-1797401818); // TagBig
    });

    it('inflates the compressed record body on the client side only', () => {
      const broker = decodeRecord(log, 3048);
      expect(broker.sysFlag).to.equal(0x301);
      expect(broker.body.length).to.equal(468);
      expect(broker.body.subarray(0, 2).toString('hex')).to.equal('785e');
      const client = decodeRecord(log, 3048, { decompressBody: true });
      expect(client.body.length).to.equal(6028);
      expect(client.body.toString('utf8')).to.match(/^large compressible body line 0\n/);
    });
  });

  describe('pull body', () => {
    it('decodes the records of a real PULL_MESSAGE FOUND response (decodes)', () => {
      const msgs = decodes(frameBody('broker-11-pull-found.resp.bin'), { decompressBody: true });
      expect(msgs.map((m) => [m.commitLogOffset, m.queueOffset, m.body.toString()])).to.deep.equal([
        [228, 0, 'fix body 1'],
        [1140, 1, 'fix body 5'],
        [2052, 2, 'fix body 9'],
      ]);
      expect(msgs.map((m) => m.offsetMsgId)).to.deep.equal([
        '7F000002000078BF00000000000000E4',
        '7F000002000078BF0000000000000474',
        '7F000002000078BF0000000000000804',
      ]);
    });

    it('leaves bodies out when asked (readBody: false)', () => {
      const msgs = decodes(frameBody('broker-11-pull-found.resp.bin'), { readBody: false });
      expect(msgs.every((m) => m.body.length === 0 && m.storeSize === 228)).to.equal(true);
    });
  });

  describe('IPv6 hosts', () => {
    function v6Message(): MessageExtBrokerInner {
      const m = new MessageExtBrokerInner('TopicV6', 'hello v6');
      m.tags = 'TagA';
      m.putProperty('UNIQ_KEY', 'FD00000000000000000000000000000256065FFD2B277F1B21AF0000');
      m.queueId = 2;
      m.bornTimestamp = 1795623684528;
      m.bornHost = { host: 'fd00::2', port: 52868 };
      m.storeHost = { host: '2001:db8::1:0:0:1', port: 10911 };
      m.applyHostFlags();
      m.bodyCRC = bodyCRC(m.body);
      return m;
    }

    it('sets flags 0x10 / 0x20 and grows the record by 12 bytes per IPv6 host', () => {
      const m = v6Message();
      expect(m.sysFlag).to.equal(MessageSysFlag.BORNHOST_V6_FLAG | MessageSysFlag.STOREHOSTADDRESS_V6_FLAG);
      const size = measureRecord(recordInputOf(m)).totalSize;
      const props = Buffer.byteLength(m.propertiesString());
      expect(size).to.equal(91 + 24 + 8 + 7 + props);
      expect(calMsgLength(MessageSysFlag.BORNHOST_V6_FLAG, 8, 7, props)).to.equal(91 + 12 + 8 + 7 + props);
      expect(storeTimestampPosition(m.sysFlag)).to.equal(68);
    });

    it('encodes per the layout, decodes and round-trips', () => {
      const m = v6Message();
      const buf = encodeMessageExt(m, { queueOffset: 7, commitLogOffset: 4096, storeTimestamp: 1795623684600 });
      // The layout, by hand: born host at 48 (16 + 4 bytes), store timestamp at 68, store host at 76.
      expect(buf.subarray(48, 64).toString('hex')).to.equal('fd000000000000000000000000000002');
      expect(buf.readInt32BE(64)).to.equal(52868);
      expect(Number(buf.readBigInt64BE(68))).to.equal(1795623684600);
      expect(buf.subarray(76, 92).toString('hex')).to.equal('20010db8000000000001000000000001');
      expect(buf.readInt32BE(92)).to.equal(10911);
      const d = decodeRecord(buf, 0, { checkCRC: true });
      expect(d.bornHost).to.deep.equal({ host: 'fd00::2', port: 52868 });
      expect(d.storeHost).to.deep.equal({ host: '2001:db8::1:0:0:1', port: 10911 });
      expect([d.queueOffset, d.commitLogOffset, d.storeTimestamp, d.storeSize]).to.deep.equal([7, 4096, 1795623684600, buf.length]);
      expect(d.offsetMsgId).to.equal('20010DB800000000000100000000000100002A9F0000000000001000');
      expect(encodeMessageExt(d).equals(buf)).to.equal(true);
    });

    it('refuses a sysFlag whose v6 bits do not match the hosts', () => {
      const m = v6Message();
      m.sysFlag = 0;
      expect(() => encodeMessageExt(m)).to.throw(RemotingCommandException, /v6 bits/);
    });
  });

  describe('append path', () => {
    it('patches QUEUEOFFSET, PHYSICALOFFSET and STORETIMESTAMP at their fixed positions', () => {
      const original = log.subarray(0, 228);
      const copy = Buffer.from(original);
      copy.fill(0, QUEUE_OFFSET_POSITION, SYSFLAG_POSITION);
      copy.fill(0, 56, 64);
      patchAppendFields(copy, 0, { queueOffset: 0, commitLogOffset: 0, storeTimestamp: 1795623684576 });
      expect(copy.equals(original)).to.equal(true);
      patchAppendFields(copy, 0, { queueOffset: 5, commitLogOffset: 2 ** 40 });
      expect(Number(copy.readBigInt64BE(PHY_POS_POSITION))).to.equal(2 ** 40);
      expect(decodeRecord(copy, 0).queueOffset).to.equal(5);
    });

    it('writes the end-of-file BLANK record that readers skip to the next file', () => {
      const file = Buffer.alloc(64);
      writeBlankRecord(file, 40, 24);
      expect(file.readInt32BE(44)).to.equal(BLANK_MAGIC_CODE);
      expect(file.subarray(44, 48).toString('hex')).to.equal('cbd43194');
      expect(checkMessageAndReturnSize(file, 40)).to.deep.equal({ status: 'BLANK', size: 24 });
      expect(() => decodeRecord(file, 40)).to.throw(RemotingCommandException, /BLANK/);
    });

    it('refuses to encode past the end of the target buffer', () => {
      const m = decodeRecord(log, 0);
      expect(() => encodeRecord(Buffer.alloc(300), 100, recordInputOf(m))).to.throw(RemotingCommandException, /does not fit/);
    });
  });

  describe('malformed records', () => {
    const first = (): Buffer => Buffer.from(log.subarray(0, 228));

    it('reports a truncated record and never reads past the buffer', () => {
      expect(checkMessageAndReturnSize(first().subarray(0, 3), 0)).to.deep.equal({ status: 'END' }); // only zeros left
      for (const cut of [7, 50, 227]) {
        const res = checkMessageAndReturnSize(first().subarray(0, cut), 0);
        expect(res.status, `cut ${cut}`).to.equal('CORRUPT');
        if (res.status === 'CORRUPT') expect(res.reason).to.equal('TRUNCATED');
        expect(() => decodes(first().subarray(0, cut))).to.throw(RemotingCommandException);
      }
    });

    it('reports a bad magic code', () => {
      const b = first();
      b.writeInt32BE(0x12345678, 4);
      expect(checkMessageAndReturnSize(b, 0)).to.include({ status: 'CORRUPT', reason: 'BAD_MAGIC' });
      expect(() => decodeRecord(b, 0)).to.throw(RemotingCommandException, /magic/);
    });

    it('reports a total size that disagrees with the lengths inside', () => {
      const b = Buffer.concat([first(), Buffer.alloc(8)]);
      b.writeInt32BE(232, 0);
      expect(checkMessageAndReturnSize(b, 0)).to.include({ status: 'CORRUPT', reason: 'SIZE_MISMATCH' });
      const c = first();
      c.writeInt32BE(0x7fff0000, 84); // BODYLENGTH (at 84 with IPv4 hosts) far beyond the record
      expect(checkMessageAndReturnSize(c, 0)).to.include({ status: 'CORRUPT', reason: 'SIZE_MISMATCH' });
      const d = first();
      d.writeInt32BE(-5, 84);
      expect(checkMessageAndReturnSize(d, 0)).to.include({ status: 'CORRUPT', reason: 'MALFORMED' });
    });

    it('reports a body CRC mismatch when asked to check it', () => {
      const b = first();
      b[92] = b[92]! ^ 0xff; // a body byte
      expect(checkMessageAndReturnSize(b, 0).status).to.equal('MESSAGE');
      expect(checkMessageAndReturnSize(b, 0, { checkCRC: true })).to.include({ status: 'CORRUPT', reason: 'CRC_MISMATCH' });
      expect(() => decodeRecord(b, 0, { checkCRC: true })).to.throw(RemotingCommandException, /CRC/);
    });

    it('refuses a record smaller than the fixed part instead of looping', () => {
      const b = first();
      b.writeInt32BE(0, 0);
      expect(checkMessageAndReturnSize(b, 0)).to.include({ status: 'CORRUPT', reason: 'MALFORMED' });
      expect(() => decodes(b)).to.throw(RemotingCommandException);
    });
  });
});
