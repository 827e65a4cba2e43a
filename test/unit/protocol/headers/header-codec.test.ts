import { expect } from 'chai';
import { RemotingCommandException } from '../../../../src/common/errors.js';
import { defineHeader } from '../../../../src/common/protocol/header.js';
import * as H from '../../../../src/common/protocol/headers/index.js';
import { javaHashMapOrder, javaStringHashCode } from '../../../../src/common/util/java-hash-map-order.js';

describe('typed custom headers (defineHeader)', () => {
  const Sample = defineHeader('SampleHeader', {
    name: { type: 'string', required: true },
    count: { type: 'int', required: true },
    offset: { type: 'long' },
    on: { type: 'boolean', default: false },
    short: { type: 'string', wire: 's' },
  });

  it('encodes every value as a string, omits undefined ones and writes Java primitives always', () => {
    expect(Sample.encode({ name: 'n', count: -3, offset: 1795623733776 })).to.deep.equal({ name: 'n', count: '-3', offset: '1795623733776', on: 'false' });
    expect(Sample.encode({ name: 'n', count: 1, on: true, short: 'x' })).to.deep.equal({ name: 'n', count: '1', on: 'true', s: 'x' });
  });

  it('decodes typed values, with the default for an absent primitive', () => {
    expect(Sample.decode({ name: 'n', count: '7', offset: '9007199254740991', s: 'x', other: 'ignored' })).to.deep.equal({
      name: 'n', count: 7, offset: 9007199254740991, on: false, short: 'x',
    });
  });

  it('parses booleans like Boolean.parseBoolean: only case-insensitive "true" is true', () => {
    expect(Sample.decode({ name: 'n', count: '1', on: 'TRUE' }).on).to.equal(true);
    expect(Sample.decode({ name: 'n', count: '1', on: 'yes' }).on).to.equal(false);
  });

  it('throws RemotingCommandException "the custom field <x> is null" for a missing required field', () => {
    expect(() => Sample.decode({ count: '1' })).to.throw(RemotingCommandException, 'the custom field <name> is null');
    expect(() => Sample.decode(undefined)).to.throw(RemotingCommandException, 'the custom field <name> is null');
  });

  it('names the wire key (Java field name) of a missing V2 send field', () => {
    expect(() => H.SendMessageRequestHeaderV2.decode({ a: 'PG' })).to.throw(RemotingCommandException, 'the custom field <b> is null');
  });

  it('throws naming the field for unparsable or out-of-range numbers', () => {
    for (const count of ['x', '1.5', '', '2147483648', '0x10']) {
      expect(() => Sample.decode({ name: 'n', count }), count).to.throw(RemotingCommandException, /<count>/);
    }
    expect(() => Sample.decode({ name: 'n', count: '1', offset: '12ab' })).to.throw(RemotingCommandException, /<offset>/);
    expect(Sample.decode({ name: 'n', count: '-2147483648' }).count).to.equal(-2147483648);
  });

  it('inserts fields in Java reflective order, which real 4.9.8 frames reveal where keys share a bucket', () => {
    // broker-15-update-consumer-offset-oneway.req: bname precedes commitOffset (same bucket), which
    // declaration order (commitOffset first) would not give.
    expect(javaHashMapOrder([...H.UpdateConsumerOffsetRequestHeader.javaFieldOrder])).to.deep.equal(['queueId', 'bname', 'commitOffset', 'topic', 'consumerGroup']);
    expect(javaHashMapOrder([...H.UpdateConsumerOffsetRequestHeader.wireKeys])).to.not.deep.equal(['queueId', 'bname', 'commitOffset', 'topic', 'consumerGroup']);
    // broker-36-consumer-send-msg-back.req
    expect(javaHashMapOrder([...H.ConsumerSendMsgBackRequestHeader.javaFieldOrder])).to.deep.equal([
      'maxReconsumeTimes', 'offset', 'bname', 'delayLevel', 'originTopic', 'originMsgId', 'unitMode', 'group',
    ]);
    expect(H.UpdateConsumerOffsetRequestHeader.javaClass).to.equal('org.apache.rocketmq.common.protocol.header.UpdateConsumerOffsetRequestHeader');
    expect(H.RegisterBrokerRequestHeader.javaClass).to.equal('org.apache.rocketmq.common.protocol.header.namesrv.RegisterBrokerRequestHeader');
  });

  it('keeps the FastCodesHeaders JSON-exact: keys that can share a bucket agree in declaration and reflective order', () => {
    // The JSON writer only knows a fast header's keys in declaration order; this is why that suffices.
    for (const codec of [H.SendMessageRequestHeaderV2, H.SendMessageResponseHeader, H.PullMessageRequestHeader, H.PullMessageResponseHeader]) {
      expect(codec.fastCodes, codec.name).to.equal(true);
      const keys = codec.wireKeys;
      for (const capacity of [16, 32, 64]) {
        for (let i = 0; i < keys.length; i++) {
          for (let j = i + 1; j < keys.length; j++) {
            if (bucket(keys[i]!, capacity) !== bucket(keys[j]!, capacity)) continue;
            const reflectiveBefore = codec.javaFieldOrder.indexOf(keys[i]!) < codec.javaFieldOrder.indexOf(keys[j]!);
            expect(reflectiveBefore, `${codec.name}: ${keys[i]} / ${keys[j]} at ${capacity}`).to.equal(true);
          }
        }
      }
    }
  });
});

/** HashMap bucket of a String key: spread hash masked by the capacity. */
function bucket(key: string, capacity: number): number {
  const h = javaStringHashCode(key);
  return (h ^ (h >>> 16)) & (capacity - 1);
}
