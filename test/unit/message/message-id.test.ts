import { expect } from 'chai';
import { RemotingCommandException } from '../../../src/common/errors.js';
import {
  UniqIdGenerator,
  createMessageId,
  decodeMessageId,
  getIPStrFromID,
  getLocalIP,
  getNearlyTimeFromID,
  getPidFromID,
  parseUniqID,
  createUniqID,
} from '../../../src/common/message/index.js';
import { commitlogSidecar, extFields } from './fixtures.js';

describe('Offset message id', () => {
  it('decodes the real send response msgId to 127.0.0.2:30911 and the commitlog offset', () => {
    const msgId = extFields('broker-310-send-v2-tags-keys-prop.resp.bin')['msgId'] as string;
    expect(msgId).to.equal('7F000002000078BF0000000000000000');
    expect(decodeMessageId(msgId)).to.deep.equal({ address: { host: '127.0.0.2', port: 30911 }, offset: 0 });
    expect(createMessageId({ host: '127.0.0.2', port: 30911 }, 0)).to.equal(msgId);
  });

  it('re-creates the offset msgId of every record in the real commitlog', () => {
    for (const r of commitlogSidecar()) {
      expect(createMessageId({ host: '127.0.0.2', port: 30911 }, r.physicalOffset)).to.equal(r.offsetMsgId);
      expect(decodeMessageId(r.offsetMsgId).offset).to.equal(r.physicalOffset);
    }
  });

  it('round-trips an IPv6 store host (56 hex chars) and large offsets', () => {
    const id = createMessageId({ host: 'fd00::2', port: 10911 }, 2 ** 40 + 5);
    expect(id).to.have.length(56);
    expect(id).to.equal('FD00000000000000000000000000000200002A9F0000010000000005');
    expect(decodeMessageId(id)).to.deep.equal({ address: { host: 'fd00::2', port: 10911 }, offset: 2 ** 40 + 5 });
  });

  it('rejects ids of other lengths or with non-hex chars', () => {
    expect(() => decodeMessageId('7F000002000078BF00000000000000')).to.throw(RemotingCommandException);
    expect(() => decodeMessageId('ZZ000002000078BF0000000000000000')).to.throw(RemotingCommandException);
  });
});

describe('UNIQ_KEY (MessageClientIDSetter)', () => {
  const REAL = 'FD00000000000000000000000000000256065FFD2B277F1B21AF0000';

  it('parses a real 56-hex-char key: IPv6 fd00::2, pid, classloader hash, time, counter', () => {
    const info = parseUniqID(REAL);
    expect(info.ipString).to.equal('fd00::2');
    expect(info.pid).to.equal(0x5606);
    expect(info.classLoaderHash).to.equal(0x5ffd2b27);
    expect(info.counter).to.equal(0);
    expect(getIPStrFromID(REAL)).to.equal('fd00::2');
    expect(getPidFromID(REAL)).to.equal(0x5606);
  });

  it('recovers the time of a real key (its born timestamp, within a few ms)', () => {
    const bornTimestamp = commitlogSidecar()[0]!.bornTimestamp;
    const { timeDiff } = parseUniqID(REAL);
    // The diff counts from the month start in the producer's local time zone; the capture ran in UTC.
    expect(Date.UTC(2026, 10, 1) + timeDiff).to.be.within(bornTimestamp - 10, bornTimestamp);
    // Read back in this process's time zone, as Java's getNearlyTimeFromID does.
    expect(getNearlyTimeFromID(REAL, bornTimestamp + 1000).getTime()).to.equal(new Date(2026, 10, 1).getTime() + timeDiff);
  });

  it('accepts 32-char IPv4 keys', () => {
    const gen = new UniqIdGenerator({ ip: Buffer.from([192, 0, 2, 2]), pid: 0x15606, classLoaderHash: -1 });
    const id = gen.createUniqID();
    expect(id).to.have.length(32);
    expect(id).to.match(/^C00002025606FFFFFFFF[0-9A-F]{8}0000$/);
    expect(parseUniqID(id)).to.include({ ipString: '192.0.2.2', pid: 0x5606, classLoaderHash: -1, counter: 0 });
  });

  it('generates unique ids with a monotonic counter and the month-relative time', () => {
    let now = new Date(2026, 10, 25, 16, 21, 24, 528).getTime();
    const gen = new UniqIdGenerator({ ip: Buffer.from('fd000000000000000000000000000002', 'hex'), pid: 0x5606, clock: () => now });
    const ids = Array.from({ length: 1000 }, () => gen.createUniqID());
    expect(new Set(ids).size).to.equal(1000);
    expect(ids.every((id) => id.length === 56 && /^[0-9A-F]+$/.test(id))).to.equal(true);
    expect(ids.map((id) => parseUniqID(id).counter)).to.deep.equal(Array.from({ length: 1000 }, (_, i) => i));
    expect(parseUniqID(ids[0]!).timeDiff).to.equal(now - new Date(2026, 10, 1).getTime());
    expect(getNearlyTimeFromID(ids[0]!, now + 5).getTime()).to.equal(now);
    now = new Date(2026, 11, 1, 0, 0, 0, 7).getTime(); // a new month restarts the time diff
    expect(parseUniqID(gen.createUniqID()).timeDiff).to.equal(7);
  });

  it('creates ids from the process-wide generator with this host IP', () => {
    const a = createUniqID();
    const b = createUniqID();
    expect(a).to.not.equal(b);
    expect([32, 56]).to.include(a.length);
    expect(parseUniqID(a).pid).to.equal(process.pid & 0xffff);
  });

  it('picks the first public IPv4 or non-internal IPv6 in interface order, a private IPv4 only as fallback', () => {
    const lo = [{ address: '127.0.0.1', family: 'IPv4', internal: true }, { address: '::1', family: 'IPv6', internal: true }];
    const ip = (ifs: Parameters<typeof getLocalIP>[0]): string => parseUniqID(new UniqIdGenerator({ ip: getLocalIP(ifs), pid: 0 }).createUniqID()).ipString;
    // The capture host as Java enumerated it: fd00::2 first.
    expect(ip({ lo, eth0: [{ address: 'fd00::2', family: 'IPv6', internal: false }, { address: '192.0.2.2', family: 'IPv4', internal: false }] })).to.equal('fd00::2');
    expect(ip({ lo, eth0: [{ address: '192.0.2.2', family: 'IPv4', internal: false }, { address: 'fd00::2', family: 'IPv6', internal: false }] })).to.equal('192.0.2.2');
    // Private IPv4s are kept as a fallback; link-local and site-local IPv6 are skipped.
    const privateFirst = { eth0: [
      { address: '10.1.2.3', family: 'IPv4', internal: false },
      { address: 'fe80::1', family: 'IPv6', internal: false },
      { address: 'fec0::1', family: 'IPv6', internal: false },
      { address: '172.16.0.9', family: 'IPv4', internal: false },
    ] };
    expect(ip(privateFirst)).to.equal('10.1.2.3');
    expect(ip({ ...privateFirst, eth1: [{ address: '2001:db8::7', family: 'IPv6', internal: false }] })).to.equal('2001:db8::7');
    // Nothing usable: Java's fake IP from the clock.
    expect(getLocalIP({ lo }, 0x0102030405).toString('hex')).to.equal('02030405');
  });

  it('rejects malformed keys', () => {
    expect(() => parseUniqID('ABC')).to.throw(RemotingCommandException);
    expect(() => parseUniqID(REAL.slice(0, 54) + 'GG')).to.throw(RemotingCommandException);
  });
});
