import { expect } from 'chai';
import { RemotingCommandException } from '../../../../src/common/errors.js';
import {
  isJsonObjectNode,
  JsonObjectReader,
  parseFastJson,
  toFastJson,
  type JsonNode,
  type JsonObjectNode,
} from '../../../../src/common/protocol/json/index.js';

function obj(node: JsonNode): JsonObjectNode {
  if (!isJsonObjectNode(node)) throw new Error('not an object');
  return node;
}

describe('parseFastJson', () => {
  it('reads standard JSON: strings, numbers, booleans, null, arrays, nested objects', () => {
    const o = obj(parseFastJson('{"s":"a\\"b\\u00e9\\/","n":-12,"d":1.5e3,"t":true,"f":false,"z":null,"a":[1,[2],{}]}'));
    expect(o.get('s')).to.equal('a"bé/');
    expect(o.get('n')).to.equal(-12);
    expect(o.get('d')).to.equal(1500);
    expect(o.get('t')).to.equal(true);
    expect(o.get('f')).to.equal(false);
    expect(o.get('z')).to.equal(null);
    expect(o.get('a')).to.deep.equal([1, [2], new Map()]);
  });

  it('accepts unquoted integer keys and keeps them as exact text in document order', () => {
    const o = obj(parseFastJson('{"brokerAddrs":{1:"s",0:"m",-1:"x",12345678901234567890:"big"}}'));
    expect([...obj(o.get('brokerAddrs')!).keys()]).to.deep.equal(['1', '0', '-1', '12345678901234567890']);
  });

  it('accepts unquoted identifier keys, single quotes and trailing commas like fastjson', () => {
    const o = obj(parseFastJson("{name:'it''s',\"a\":[1,2,],}".replace("''", "\\'")));
    expect(o.get('name')).to.equal("it's");
    expect(o.get('a')).to.deep.equal([1, 2]);
  });

  it('accepts object keys (MessageQueue in key position)', () => {
    const o = obj(parseFastJson('{{"brokerName":"b","queueId":3,"topic":"t"}:42,{"brokerName":"b","queueId":4,"topic":"t"}:7}'));
    const entries = [...o];
    expect(entries).to.have.length(2);
    const [k, v] = entries[0]!;
    expect(v).to.equal(42);
    const key = JsonObjectReader.of(k as JsonObjectNode, 'key');
    expect(key.int('queueId', -1)).to.equal(3);
    expect(key.requiredString('topic')).to.equal('t');
  });

  it('keeps integers beyond 2^53 exact as bigint, safe ones as number', () => {
    const o = obj(parseFastJson('{"a":9007199254740991,"b":9007199254740993,"c":-9223372036854775808,"d":9223372036854775807,"e":1e20}'));
    expect(o.get('a')).to.equal(9007199254740991);
    expect(o.get('b')).to.equal(9007199254740993n);
    expect(o.get('c')).to.equal(-9223372036854775808n);
    expect(o.get('d')).to.equal(9223372036854775807n);
    expect(o.get('e')).to.equal(1e20);
    expect(toFastJson(new Map([['b', o.get('b') as bigint]]))).to.equal('{"b":9007199254740993}');
  });

  it('reads a Buffer as UTF-8 and tolerates whitespace, \\f, \\b and a BOM', () => {
    expect(parseFastJson(Buffer.from('\ufeff \n\t{ "k" :\f"é" }\r\n'))).to.deep.equal(new Map([['k', 'é']]));
  });

  it('returns scalars at the top level', () => {
    expect(parseFastJson('123')).to.equal(123);
    expect(parseFastJson('"x"')).to.equal('x');
    expect(parseFastJson('[]')).to.deep.equal([]);
  });

  const garbage = [
    '',
    '   ',
    '{',
    '{"a"',
    '{"a":',
    '{"a":1',
    '{"a" 1}',
    '[1 2]',
    '"unterminated',
    '{"a":tru}',
    '{"a":-}',
    '{"a":1.}',
    '{"a":1e}',
    '{"a":"\\q"}',
    '{"a":"\\u12"}',
    '{:1}',
    '{"a":1}}',
    '}',
    'nul',
    '\u0000\u0001binary',
    '['.repeat(100000),
    '{"a":'.repeat(50000),
    '{'.repeat(100000),
    '{{"a":1}:'.repeat(50000),
  ];
  for (const g of garbage) {
    it(`rejects ${JSON.stringify(g.length > 20 ? g.slice(0, 20) + '…' : g)} with RemotingCommandException`, () => {
      expect(() => parseFastJson(g)).to.throw(RemotingCommandException, /invalid JSON/);
    });
  }

  it('names the body in errors and never throws a raw SyntaxError', () => {
    expect(() => JsonObjectReader.parse(Buffer.from('{"brokerDatas":[}'), 'TopicRouteData')).to.throw(
      RemotingCommandException,
      /invalid TopicRouteData: .* at offset 16/,
    );
    expect(() => JsonObjectReader.parse(Buffer.alloc(0), 'KVTable')).to.throw(RemotingCommandException, /empty body/);
    expect(() => JsonObjectReader.parse(Buffer.from('[1]'), 'KVTable')).to.throw(RemotingCommandException, /expected an object/);
  });
});

describe('JsonObjectReader', () => {
  const r = JsonObjectReader.of(
    parseFastJson('{"i":"42","l":1700000000000,"b":"true","s":7,"e":1,"big":12345678901234567890,"o":{},"n":null}'),
    'Bean',
  );

  it('binds leniently like fastjson: numeric strings, stringified numbers, enum ordinals', () => {
    expect(r.int('i', 0)).to.equal(42);
    expect(r.long('l', 0)).to.equal(1700000000000);
    expect(r.bool('b', false)).to.equal(true);
    expect(r.string('s', '')).to.equal('7');
    expect(r.enum('e', ['A', 'B'] as const, 'A')).to.equal('B');
    expect(r.int('missing', 5)).to.equal(5);
    expect(r.optString('n')).to.equal(undefined);
  });

  it('rejects values of the wrong shape, naming the property path', () => {
    expect(() => r.string('o', '')).to.throw(RemotingCommandException, /Bean\.o: expected a string/);
    expect(() => r.long('big', 0)).to.throw(RemotingCommandException, /Bean\.big/);
    expect(() => r.int('l', 0)).to.throw(RemotingCommandException, /int32/);
    expect(() => r.array('i')).to.throw(RemotingCommandException, /expected an array/);
  });
});
