import { expect } from 'chai';
import { encodeRecord, measureRecord, type RecordEncodeInput } from '../../../src/common/message/index.js';

const BASE: RecordEncodeInput = {
  bodyCRC: 0,
  queueId: 0,
  flag: 0,
  queueOffset: 0,
  commitLogOffset: 0,
  sysFlag: 0,
  bornTimestamp: 0,
  bornHost: { host: '1.2.3.4', port: 1 },
  storeTimestamp: 0,
  storeHost: { host: '1.2.3.4', port: 1 },
  reconsumeTimes: 0,
  preparedTransactionOffset: 0,
  body: undefined,
  topic: '',
  properties: '',
};

/** Strings whose UTF-8 length a hand-written counter gets wrong first: surrogates, 2/3/4-byte chars. */
const TEXTS = ['', 'T', 'BenchTopic', '主题', 'é', '\ud800', '\udc00x', '\ud83d\ude00', 'a\ud83d\ude00b\ud800', '\ud800\ud800\udc00', 'x'.repeat(32), '\u07ff\u0800\uffff', 'é'.repeat(40)];

describe('record measure and ASCII/UTF-8 text paths', () => {
  it('measures topic and properties as Buffer.byteLength does and writes the same bytes as Buffer.write', () => {
    for (const text of TEXTS) {
      const topic = text.slice(0, 40);
      const input = { ...BASE, topic, properties: text };
      const size = measureRecord(input);
      expect([size.topicLength, size.propertiesLength], JSON.stringify(text)).to.deep.equal([Buffer.byteLength(topic), Buffer.byteLength(text)]);
      const out = Buffer.alloc(size.totalSize + 3, 0xee);
      expect(encodeRecord(out, 1, input, size)).to.equal(size.totalSize);
      const end = 1 + size.totalSize;
      expect(out.subarray(end - size.propertiesLength, end).equals(Buffer.from(text)), JSON.stringify(text)).to.equal(true);
      const topicAt = end - size.propertiesLength - 2 - size.topicLength;
      expect(out.subarray(topicAt, topicAt + size.topicLength).equals(Buffer.from(topic))).to.equal(true);
      expect([out[0], out[end]]).to.deep.equal([0xee, 0xee]);
    }
  });
});
