import { expect } from 'chai';
import { inflateSync } from 'node:zlib';
import {
  createDataVersion,
  createSubscriptionGroupConfig,
  createTopicConfig,
  dataVersionEquals,
  decodeConsumerOffsetSerializeWrapper,
  decodeDataVersion,
  decodeDelayOffsetSerializeWrapper,
  decodeRegisterBrokerBody,
  decodeSubscriptionGroupWrapper,
  decodeTopicConfigLine,
  decodeTopicConfigSerializeWrapper,
  encodeConsumerOffsetSerializeWrapper,
  encodeDataVersion,
  encodeDelayOffsetSerializeWrapper,
  encodeRegisterBrokerBody,
  encodeSubscriptionGroupWrapper,
  encodeTopicConfigLine,
  encodeTopicConfigSerializeWrapper,
  nextDataVersion,
  perm2String,
  PermName,
  splitTopicAtGroup,
} from '../../../../src/common/protocol/body/index.js';
import { RemotingCommandException } from '../../../../src/common/errors.js';
import { fixtureBytes, frameBody } from './fixture-util.js';

describe('RegisterBrokerBody', () => {
  it('decodes the real start-up registration of broker-a', () => {
    const body = decodeRegisterBrokerBody(frameBody('ns-103-register-broker-full.req.bin'));
    expect(body.filterServerList).to.deep.equal([]);
    const w = body.topicConfigSerializeWrapper;
    expect(w.dataVersion).to.deep.equal({ counter: 0, timestamp: 1795623665279 });
    expect([...w.topicConfigTable.keys()]).to.deep.equal([
      'SCHEDULE_TOPIC_XXXX',
      'SELF_TEST_TOPIC',
      'DefaultCluster',
      'DefaultCluster_REPLY_TOPIC',
      'broker-a',
      'TBW102',
      'BenchmarkTest',
      'OFFSET_MOVED_EVENT',
    ]);
    expect(w.topicConfigTable.get('TBW102')).to.deep.equal(
      createTopicConfig('TBW102', { readQueueNums: 8, writeQueueNums: 8, perm: 7 }),
    );
  });

  it('re-encodes both captured registrations byte for byte', () => {
    for (const name of ['ns-103-register-broker-full.req.bin', 'ns-103-register-broker-oneway.req.bin']) {
      const raw = frameBody(name);
      expect(encodeRegisterBrokerBody(decodeRegisterBrokerBody(raw)).equals(raw), name).to.equal(true);
    }
  });

  it('round-trips the compressed form (zlib of length-prefixed DataVersion, topic lines, filter list)', () => {
    const body = decodeRegisterBrokerBody(frameBody('ns-103-register-broker-full.req.bin'));
    body.filterServerList = ['10.0.0.9:30000'];
    const compressed = encodeRegisterBrokerBody(body, true);
    expect(compressed[0]).to.equal(0x78); // zlib header
    const raw = inflateSync(compressed);
    const dvLen = raw.readInt32BE(0);
    expect(raw.subarray(4, 4 + dvLen).toString()).to.equal('{"counter":0,"timestamp":1795623665279}');
    expect(raw.readInt32BE(4 + dvLen)).to.equal(8);
    const back = decodeRegisterBrokerBody(compressed, true);
    expect(back.filterServerList).to.deep.equal(['10.0.0.9:30000']);
    expect(back.topicConfigSerializeWrapper).to.deep.equal(body.topicConfigSerializeWrapper);
  });

  it('rejects a corrupt compressed body with RemotingCommandException', () => {
    expect(() => decodeRegisterBrokerBody(Buffer.from('not zlib'), true)).to.throw(RemotingCommandException);
  });
});

describe('TopicConfig', () => {
  it('has Java defaults and the compressed-registration line form', () => {
    const tc = createTopicConfig('T');
    expect(tc).to.deep.equal({
      topicName: 'T',
      readQueueNums: 16,
      writeQueueNums: 16,
      perm: 6,
      topicFilterType: 'SINGLE_TAG',
      topicSysFlag: 0,
      order: false,
    });
    expect(encodeTopicConfigLine({ ...tc, perm: 7 })).to.equal('T 16 16 7 SINGLE_TAG');
    expect(decodeTopicConfigLine('T 4 2 6 MULTI_TAG')).to.include({ readQueueNums: 4, writeQueueNums: 2, topicFilterType: 'MULTI_TAG' });
    expect(() => decodeTopicConfigLine('T 4 2 6')).to.throw(RemotingCommandException);
    expect(() => decodeTopicConfigLine('T x 2 6 SINGLE_TAG')).to.throw(RemotingCommandException);
  });

  it('names permissions like PermName.perm2String', () => {
    expect(perm2String(PermName.PERM_READ | PermName.PERM_WRITE)).to.equal('RW-');
    expect(perm2String(7)).to.equal('RWX');
    expect(perm2String(PermName.PERM_READ)).to.equal('R--');
  });
});

describe('DataVersion', () => {
  it('encodes as the QUERY_DATA_VERSION body and compares like DataVersion.equals', () => {
    const dv = createDataVersion(1700000000000, 2);
    expect(encodeDataVersion(dv).toString()).to.equal('{"counter":2,"timestamp":1700000000000}');
    expect(dataVersionEquals(decodeDataVersion(encodeDataVersion(dv)), dv)).to.equal(true);
    nextDataVersion(dv, 1700000000001);
    expect(dv).to.deep.equal({ counter: 3, timestamp: 1700000000001 });
    expect(dataVersionEquals(dv, createDataVersion(1700000000001, 2))).to.equal(false);
  });
});

describe('config files (store/config/*.json, pretty fastjson)', () => {
  it('re-encodes the real topics.json byte for byte', () => {
    const raw = fixtureBytes('config-topics.json');
    const w = decodeTopicConfigSerializeWrapper(raw);
    expect(w.dataVersion).to.deep.equal({ counter: 6, timestamp: 1795623733793 });
    expect(w.topicConfigTable.get('%RETRY%FixG')).to.include({ readQueueNums: 1, perm: 6 });
    expect(encodeTopicConfigSerializeWrapper(w, true).equals(raw)).to.equal(true);
  });

  it('re-encodes the real subscriptionGroup.json byte for byte', () => {
    const raw = fixtureBytes('config-subscriptionGroup.json');
    const w = decodeSubscriptionGroupWrapper(raw);
    expect(w.subscriptionGroupTable.get('FixG')).to.deep.equal(createSubscriptionGroupConfig('FixG'));
    expect(encodeSubscriptionGroupWrapper(w, true).equals(raw)).to.equal(true);
  });

  it('re-encodes the real consumerOffset.json (unquoted queueId keys) byte for byte', () => {
    const raw = fixtureBytes('config-consumerOffset.json');
    const w = decodeConsumerOffsetSerializeWrapper(raw);
    expect([...w.offsetTable.get('FixT@FixG')!]).to.deep.equal([[0, 3], [1, 3], [2, 2], [3, 3]]);
    expect(encodeConsumerOffsetSerializeWrapper(w, true).equals(raw)).to.equal(true);
    expect(splitTopicAtGroup('%RETRY%FixG@FixG')).to.deep.equal({ topic: '%RETRY%FixG', group: 'FixG' });
    expect(splitTopicAtGroup('a@b@c')).to.equal(undefined);
  });

  it('re-encodes the real delayOffset.json (unquoted level keys) byte for byte', () => {
    const raw = fixtureBytes('config-delayOffset.json');
    const w = decodeDelayOffsetSerializeWrapper(raw);
    expect([...w.offsetTable]).to.deep.equal([[2, 1], [3, 1]]);
    expect(encodeDelayOffsetSerializeWrapper(w, true).equals(raw)).to.equal(true);
    expect(encodeDelayOffsetSerializeWrapper(w).toString()).to.equal('{"offsetTable":{2:1,3:1}}');
  });

  it('writes empty tables the way fastjson does', () => {
    expect(encodeDelayOffsetSerializeWrapper({ offsetTable: new Map() }, true).toString()).to.equal('{\n\t"offsetTable":{}\n}');
    expect(encodeConsumerOffsetSerializeWrapper({ offsetTable: new Map([['t@g', new Map()]]) }, true).toString()).to.equal(
      '{\n\t"offsetTable":{\n\t\t"t@g":{}\n\t}\n}',
    );
  });
});
