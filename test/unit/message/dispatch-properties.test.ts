import { expect } from 'chai';
import {
  MessageExtBrokerInner,
  checkMessageAndReturnSize,
  encodeMessageExt,
  string2messageProperties,
} from '../../../src/common/message/index.js';
import { LazyPropertiesMap } from '../../../src/common/message/properties-codec.js';
import { tagsString2tagsCode } from '../../../src/common/message/tags.js';

/** Properties strings whose TAGS / KEYS / UNIQ_KEY a careless scanner would read differently from Java's parser. */
const TRICKY = [
  '',
  'TAGS\u0001a',
  'TAGS\u0001a\u0002TAGS\u0001b',
  'TAGS\u0001\u0002KEYS\u0001k1 k2',
  'TAGS\u0001x\u0001y\u0002UNIQ_KEY\u0001U1\u0002',
  'TAGSX\u0001no\u0002XTAGS\u0001no\u0002KEYS\u0001k',
  '\u0001TAGS\u0002TAGS\u0002UNIQ_KEY\u0001',
  'UNIQ_KEY\u0001u\u0002UNIQ_KEY\u0001v\u0002WAIT\u0001true',
  'KEYS\u0001é ü\u0002TAGS\u0001标签',
  'TAGS\u0002\u0001a\u0002TAGS\u0001ok',
  'WAIT\u0001true\u0002\u0002\u0002TAGS\u0001last',
];

describe('dispatch properties (reput reads TAGS, KEYS, UNIQ_KEY without building the map)', () => {
  it('gives the DispatchRequest the values string2messageProperties gives, for malformed and duplicated segments too', () => {
    for (const props of TRICKY) {
      const m = new MessageExtBrokerInner('T', Buffer.from('body'));
      m.bornHost = { host: '127.0.0.1', port: 1 };
      m.storeHost = { host: '127.0.0.1', port: 2 };
      m.propertiesStringOverride = props;
      const r = checkMessageAndReturnSize(encodeMessageExt(m), 0);
      if (r.status !== 'MESSAGE') throw new Error(`not a message: ${r.status}`);
      const map = string2messageProperties(props);
      const d = r.dispatch;
      expect([d.tagsCode, d.keys, d.uniqKey], JSON.stringify(props)).to.deep.equal([
        tagsString2tagsCode(map.get('TAGS')),
        map.get('KEYS') ?? '',
        map.get('UNIQ_KEY'),
      ]);
      expect([...d.propertiesMap]).to.deep.equal([...map]);
      expect(d.propertiesMap.size).to.equal(map.size);
    }
  });

  it('LazyPropertiesMap behaves as the map it stands for', () => {
    const props = 'A\u00011\u0002B\u00012\u0002A\u00013';
    const lazy = new LazyPropertiesMap(props);
    const map = string2messageProperties(props);
    expect(lazy.get('A')).to.equal('3');
    expect(lazy.has('B')).to.equal(true);
    expect([...lazy.keys()]).to.deep.equal([...map.keys()]);
    expect([...lazy.values()]).to.deep.equal([...map.values()]);
    expect([...lazy.entries()]).to.deep.equal([...map.entries()]);
    const seen: string[] = [];
    lazy.forEach((v, k, self) => {
      expect(self).to.equal(lazy);
      seen.push(`${k}=${v}`);
    });
    expect(seen).to.deep.equal(['A=3', 'B=2']);
  });
});
