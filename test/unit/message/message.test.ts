import { expect } from 'chai';
import { MQClientException, RemotingCommandException } from '../../../src/common/errors.js';
import {
  COMPRESS_MSG_BODY_OVER_HOWMUCH,
  CompressionType,
  Message,
  MessageConst,
  MessageExt,
  MessageExtBatch,
  MessageExtBrokerInner,
  MessageSysFlag,
  STRING_HASH_SET,
  clearCompressedFlag,
  compressBody,
  compressionFlag,
  decompressBody,
  getCompressionType,
  getTransactionValue,
  ipBytesToString,
  ipToBytes,
  parseSocketAddress,
  resetTransactionValue,
  shouldCompressBody,
  tagsString2tagsCode,
} from '../../../src/common/message/index.js';
import { extFields, fixture, frameBody } from './fixtures.js';

describe('Message', () => {
  it('puts TAGS, KEYS and WAIT=true like the Java constructors, and writes the real producer bytes', () => {
    const m = new Message('FixT', 'TagA', 'fixkey-0', 'fix body 0');
    m.putUserProperty('fixprop', 'v0');
    m.putProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX, 'FD00000000000000000000000000000256065FFD2B277F1B21AF0000');
    expect(m.body.toString()).to.equal('fix body 0');
    expect(m.propertiesString()).to.equal(extFields('broker-310-send-v2-tags-keys-prop.req.bin')['i']);
    expect(new Message('T', Buffer.from([1, 2])).propertiesString()).to.equal('WAIT\u0001true');
    expect(new Message('T', undefined, 'b').tags).to.equal(undefined);
  });

  it('writes the real delayed-send properties when built in the Java producer order', () => {
    const m = new Message('FixT', 'TagA', 'delaykey-0', 'delayed body');
    m.putUserProperty('fixprop', 'delayed');
    m.delayTimeLevel = 2;
    m.putProperty('UNIQ_KEY', 'FD00000000000000000000000000000256065FFD2B277F1B2346000E');
    expect(m.propertiesString()).to.equal(extFields('broker-310-send-delay-level2.req.bin')['i']);
  });

  it('has Java-named accessors over the properties', () => {
    const m = new Message('T', 'TagA', 'body');
    m.keys = ['k1', 'k2'];
    expect(m.keys).to.equal('k1 k2');
    expect(m.delayTimeLevel).to.equal(0);
    m.delayTimeLevel = 3;
    expect(m.getProperty('DELAY')).to.equal('3');
    expect(m.waitStoreMsgOK).to.equal(true);
    m.waitStoreMsgOK = false;
    expect(m.getProperty('WAIT')).to.equal('false');
    m.buyerId = 'b';
    m.transactionId = 'tx';
    expect([m.buyerId, m.transactionId, m.flag]).to.deep.equal(['b', 'tx', 0]);
    m.tags = undefined;
    expect(m.properties.has('TAGS')).to.equal(false);
  });

  it('rejects reserved, blank and separator-bearing user properties', () => {
    const m = new Message('T', 'b');
    for (const name of STRING_HASH_SET) expect(() => m.putUserProperty(name, 'x')).to.throw(MQClientException, /used by system/);
    expect(() => m.putUserProperty(' ', 'x')).to.throw(MQClientException, /blank/);
    expect(() => m.putUserProperty('a', '')).to.throw(MQClientException, /blank/);
    expect(() => m.putUserProperty('a\u0001', 'x')).to.throw(MQClientException, /separator/);
    expect(() => m.putUserProperty('a', 'x\u0002y')).to.throw(MQClientException, /separator/);
    m.putUserProperty('CHECK_IMMUNITY_TIME_IN_SECONDS', '60'); // not reserved in 4.9.8
    expect(m.getUserProperty('CHECK_IMMUNITY_TIME_IN_SECONDS')).to.equal('60');
    expect(STRING_HASH_SET.size).to.equal(31);
  });

  it('forgets a decoded properties string once a property changes', () => {
    const m = new Message('T', 'b');
    m.setProperties(new Map([['WAIT', 'true'], ['TAGS', 'A']]), 'WAIT\u0001true\u0002TAGS\u0001A\u0002WAIT\u0001true');
    expect(m.propertiesString()).to.equal('WAIT\u0001true\u0002TAGS\u0001A\u0002WAIT\u0001true');
    m.putProperty('TAGS', 'B');
    expect(m.propertiesString()).to.equal('WAIT\u0001true\u0002TAGS\u0001B');
  });

  it('setProperties copies the map, adoptProperties keeps it; both keep the given properties string', () => {
    const copied = new Map([['TAGS', 'A']]);
    const m = new Message('T', 'b');
    m.setProperties(copied, 'TAGS\u0001A');
    copied.set('TAGS', 'changed');
    expect(m.tags).to.equal('A');
    const adopted = new Map([['TAGS', 'A'], ['KEYS', 'k']]);
    const n = new MessageExt('T');
    n.adoptProperties(adopted, 'TAGS\u0001A\u0002KEYS\u0001k');
    expect(n.properties).to.equal(adopted);
    expect(n.propertiesString()).to.equal('TAGS\u0001A\u0002KEYS\u0001k');
    n.putProperty('TAGS', 'B');
    expect(n.propertiesString()).to.equal('KEYS\u0001k\u0002TAGS\u0001B');
  });

  it('MessageExt and its subclasses start without properties (no WAIT); Message subclasses keep WAIT', () => {
    for (const m of [new MessageExt('T'), new MessageExtBrokerInner('T', 'b'), new MessageExtBatch('T', 'b')]) {
      expect([...m.properties]).to.deep.equal([]);
      expect(m.propertiesString()).to.equal('');
      expect(m.waitStoreMsgOK).to.equal(true);
    }
    class AppMessage extends Message {}
    expect([...new AppMessage('T', 'b').properties]).to.deep.equal([['WAIT', 'true']]);
    const inner = new MessageExtBrokerInner('T', 'b');
    inner.putProperty('TAGS', 'A');
    expect(inner.propertiesString()).to.equal('TAGS\u0001A');
  });

  it('MessageExt: msgId is UNIQ_KEY when present, else the offset msgId', () => {
    const m = new MessageExt('T');
    expect(m.properties.size).to.equal(0);
    m.storeHost = { host: '127.0.0.2', port: 30911 };
    m.commitLogOffset = 228;
    expect(m.msgId).to.equal('7F000002000078BF00000000000000E4');
    m.putProperty('UNIQ_KEY', 'ABC');
    expect([m.msgId, m.offsetMsgId]).to.deep.equal(['ABC', '7F000002000078BF00000000000000E4']);
  });
});

describe('tagsString2tagsCode', () => {
  it('is Java String.hashCode over UTF-16 code units, 0 for no tags', () => {
    expect(tagsString2tagsCode('TagA')).to.equal(2598919);
    expect(tagsString2tagsCode('TagB')).to.equal(2598920);
    expect(tagsString2tagsCode('TagBatch')).to.equal(-726516768);
    expect(tagsString2tagsCode('TagBig')).to.equal(-1797401818);
    expect(tagsString2tagsCode('polygenelubricants')).to.equal(-2147483648);
    expect(tagsString2tagsCode('😀')).to.equal(0xd83d * 31 + 0xde00);
    expect(tagsString2tagsCode('')).to.equal(0);
    expect(tagsString2tagsCode(undefined)).to.equal(0);
  });

  it('matches the sign-extended tagsCode of the real FixB ConsumeQueue units', () => {
    // CQ unit = commitLogOffset int64 + size int32 + tagsCode int64 (20 bytes).
    const cq = fixture('consumequeue-FixB-3-00000000000000000000.head60');
    for (let unit = 0; unit < 3; unit++) {
      expect(Number(cq.readBigInt64BE(unit * 20 + 12))).to.equal(tagsString2tagsCode('TagBatch'));
    }
    expect(cq.subarray(12, 20).toString('hex')).to.equal('ffffffffd4b23be0');
  });
});

describe('MessageSysFlag', () => {
  it('has RocketMQ values and helpers', () => {
    expect(MessageSysFlag.BORNHOST_V6_FLAG).to.equal(0x10);
    expect(MessageSysFlag.STOREHOSTADDRESS_V6_FLAG).to.equal(0x20);
    expect(compressionFlag(CompressionType.ZLIB)).to.equal(0x301);
    expect(getTransactionValue(0x30d)).to.equal(MessageSysFlag.TRANSACTION_ROLLBACK_TYPE);
    expect(resetTransactionValue(0x30d, MessageSysFlag.TRANSACTION_COMMIT_TYPE)).to.equal(0x309);
    expect(clearCompressedFlag(0x301)).to.equal(0x300);
    expect(getCompressionType(0x1)).to.equal(CompressionType.ZLIB); // pre-4.9.4 producers
    expect(getCompressionType(0x301)).to.equal(CompressionType.ZLIB);
    expect(getCompressionType(0x101)).to.equal(CompressionType.LZ4);
    expect(() => getCompressionType(0x501)).to.throw(RemotingCommandException, /unknown compression type 5/);
  });
});

describe('Compression', () => {
  it('inflates the real 6028-byte body a Java producer compressed (sysFlag 0x301)', () => {
    expect(extFields('broker-310-send-compressed-6028B.req.bin')['f']).to.equal('769');
    const body = frameBody('broker-310-send-compressed-6028B.req.bin');
    const inflated = decompressBody(body, 0x301);
    expect(inflated.length).to.equal(6028);
    expect(decompressBody(body, 0x1).equals(inflated)).to.equal(true);
  });

  it('deflates with zlib level 5 (header 78 5E) and round-trips', () => {
    const plain = decompressBody(frameBody('broker-310-send-compressed-6028B.req.bin'), 0x301);
    const ours = compressBody(plain);
    expect(ours.subarray(0, 2).toString('hex')).to.equal('785e');
    expect(decompressBody(ours, compressionFlag(CompressionType.ZLIB)).equals(plain)).to.equal(true);
  });

  it('compresses bodies of 4096 bytes or more', () => {
    expect(COMPRESS_MSG_BODY_OVER_HOWMUCH).to.equal(4096);
    expect(shouldCompressBody(4095)).to.equal(false);
    expect(shouldCompressBody(4096)).to.equal(true);
    expect(shouldCompressBody(100, 64)).to.equal(true);
  });

  it('leaves uncompressed bodies alone and refuses LZ4/ZSTD or corrupt zlib with a clear error', () => {
    const b = Buffer.from('plain');
    expect(decompressBody(b, 0)).to.equal(b);
    expect(() => decompressBody(b, 0x101)).to.throw(RemotingCommandException, /LZ4/);
    expect(() => decompressBody(b, 0x201)).to.throw(RemotingCommandException, /ZSTD/);
    expect(() => decompressBody(b, 0x301)).to.throw(RemotingCommandException, /does not inflate/);
  });
});

describe('SocketAddress', () => {
  it('encodes IPv4 in 4 bytes and IPv6 in 16, IPv4-mapped IPv6 as IPv4', () => {
    expect(ipToBytes('127.0.0.2').toString('hex')).to.equal('7f000002');
    expect(ipToBytes('::ffff:127.0.0.1').toString('hex')).to.equal('7f000001');
    expect(ipToBytes('fd00::2').toString('hex')).to.equal('fd000000000000000000000000000002');
    expect(ipToBytes('fe80::1%eth0').toString('hex')).to.equal('fe800000000000000000000000000001');
    expect(ipToBytes('::').toString('hex')).to.equal('0'.repeat(32));
    expect(ipToBytes('1:2:3:4:5:6:7:8').toString('hex')).to.equal('00010002000300040005000600070008');
    expect(ipBytesToString(Buffer.from('20010db8000000000001000000000001', 'hex'))).to.equal('2001:db8::1:0:0:1');
    expect(ipBytesToString(Buffer.alloc(16))).to.equal('::');
    expect(parseSocketAddress('[fd00::2]:10911')).to.deep.equal({ host: 'fd00::2', port: 10911 });
    expect(parseSocketAddress('127.0.0.1:9876')).to.deep.equal({ host: '127.0.0.1', port: 9876 });
  });

  it('rejects text that is not an IP address', () => {
    for (const bad of ['256.0.0.1', '1.2.3', 'host', '1::2::3', '1:2:3:4:5:6:7:8:9', '12345::']) {
      expect(() => ipToBytes(bad), bad).to.throw(RemotingCommandException);
    }
  });
});
