import { expect } from 'chai';
import { javaHashMapOrder, javaStringHashCode } from '../../../src/common/util/java-hash-map-order.js';

describe('javaHashMapOrder', () => {
  it('computes String.hashCode with int32 overflow like Java', () => {
    expect(javaStringHashCode('')).to.equal(0);
    expect(javaStringHashCode('TagA')).to.equal(2598919);
    expect(javaStringHashCode('hello world, this overflows')).to.equal(javaStringHashCode('hello world, this overflows'));
    expect(javaStringHashCode('polygenelubricants')).to.equal(-2147483648);
  });

  it('iterates message properties in the order a real 4.9.8 producer wrote them', () => {
    // broker-310-send-v2-tags-keys-prop.req: the properties string lists fixprop, KEYS, UNIQ_KEY, WAIT, TAGS.
    const inserted = ['TAGS', 'KEYS', 'fixprop', 'UNIQ_KEY', 'WAIT'];
    expect(javaHashMapOrder(inserted)).to.deep.equal(['fixprop', 'KEYS', 'UNIQ_KEY', 'WAIT', 'TAGS']);
  });

  it('orders single-letter keys alphabetically (SendMessageRequestHeaderV2 a..n)', () => {
    expect(javaHashMapOrder(['n', 'a', 'c', 'b'])).to.deep.equal(['a', 'b', 'c', 'n']);
  });
});
