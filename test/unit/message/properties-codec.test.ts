import { expect } from 'chai';
import { messageProperties2String, string2messageProperties } from '../../../src/common/message/index.js';
import { commitlogSidecar, extFields } from './fixtures.js';

const SEND = 'broker-310-send-v2-tags-keys-prop.req.bin';

describe('Properties codec', () => {
  it('parses the real send header properties string', () => {
    const raw = extFields(SEND)['i'] as string;
    const map = string2messageProperties(raw);
    expect([...map.entries()]).to.deep.equal([
      ['fixprop', 'v0'],
      ['KEYS', 'fixkey-0'],
      ['UNIQ_KEY', 'FD00000000000000000000000000000256065FFD2B277F1B21AF0000'],
      ['WAIT', 'true'],
      ['TAGS', 'TagA'],
    ]);
  });

  it('re-encodes a Java-written string identically (it is in HashMap order already)', () => {
    for (const r of commitlogSidecar().filter((x) => !x.propertiesRaw.includes('WAIT\u0001true\u0002TAGS\u0001TagBatch'))) {
      expect(messageProperties2String(string2messageProperties(r.propertiesRaw))).to.equal(r.propertiesRaw);
    }
  });

  it('writes in Java HashMap order given the insertion order Java used', () => {
    // Java producer: new Message(topic, tags, keys, body) puts TAGS, KEYS, WAIT; then the user
    // property; then the producer's UNIQ_KEY.
    const producer = new Map([['TAGS', 'TagA'], ['KEYS', 'fixkey-0'], ['WAIT', 'true'], ['fixprop', 'v0'], ['UNIQ_KEY', 'FD00000000000000000000000000000256065FFD2B277F1B21AF0000']]);
    expect(messageProperties2String(producer)).to.equal(extFields(SEND)['i']);
    // Broker: parses the header string, drops WAIT, adds CLUSTER (what is stored for a plain send).
    const broker = string2messageProperties(extFields(SEND)['i']);
    broker.delete('WAIT');
    broker.set('CLUSTER', 'DefaultCluster');
    expect(messageProperties2String(broker)).to.equal(commitlogSidecar()[0]!.propertiesRaw);
    expect(messageProperties2String(broker, 'insertion')).to.equal(
      'fixprop\u0001v0\u0002KEYS\u0001fixkey-0\u0002UNIQ_KEY\u0001FD00000000000000000000000000000256065FFD2B277F1B21AF0000\u0002TAGS\u0001TagA\u0002CLUSTER\u0001DefaultCluster',
    );
  });

  it('skips malformed segments the way Java does', () => {
    const s = ['', 'a', 'ab', '\u0001bc', 'ab\u0001', 'k\u0001v', 'noSeparator', 'x\u0001y\u0001z', 'k2\u0001v2'].join('\u0002');
    expect([...string2messageProperties(s).entries()]).to.deep.equal([
      ['k', 'v'],
      ['x', 'y\u0001z'], // the key ends at the first \u0001
      ['k2', 'v2'],
    ]);
    // A segment whose first \u0001 lies only in a later segment is skipped.
    expect([...string2messageProperties('abc\u0002d\u0001e').entries()]).to.deep.equal([['d', 'e']]);
    // A 2-char segment is too short even with a separator.
    expect(string2messageProperties('a\u0001').size).to.equal(0);
  });

  it('tolerates the trailing separator ali-ons writes, and keeps the first position of a repeated key', () => {
    expect([...string2messageProperties('KEYS\u0001k\u0002TAGS\u0001t\u0002').entries()]).to.deep.equal([['KEYS', 'k'], ['TAGS', 't']]);
    // Batch records carry WAIT twice (own + batch properties): one entry, later value wins.
    const batch = string2messageProperties('WAIT\u0001true\u0002TAGS\u0001T\u0002WAIT\u0001false');
    expect([...batch.entries()]).to.deep.equal([['WAIT', 'false'], ['TAGS', 'T']]);
  });

  it('writes nothing for an empty map and skips undefined values', () => {
    expect(messageProperties2String(new Map())).to.equal('');
    expect(messageProperties2String(undefined)).to.equal('');
    expect(messageProperties2String(new Map([['A', undefined], ['B', 'b']]))).to.equal('B\u0001b');
  });

  it('handles non-ASCII values (UTF-16 in memory, UTF-8 on the wire)', () => {
    const raw = 'k\u0001日本語 ✓\u0002e\u0001😀';
    expect(messageProperties2String(string2messageProperties(raw), 'insertion')).to.equal(raw);
  });
});
