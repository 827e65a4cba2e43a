import { expect } from 'chai';
import {
  encodeFastJson,
  formatJavaDouble,
  javaDouble,
  STANDARD_JSON_OPTIONS,
  toFastJson,
} from '../../../../src/common/protocol/json/index.js';

describe('toFastJson', () => {
  it('writes bean properties alphabetically and omits undefined/null ones', () => {
    expect(toFastJson({ topic: 't', queueId: 0, brokerName: 'b', remark: undefined, jstack: null })).to.equal(
      '{"brokerName":"b","queueId":0,"topic":"t"}',
    );
  });

  it('writes Map entries in Map order, Integer/Long keys unquoted, null values skipped', () => {
    expect(toFastJson(new Map<number, string | null>([[1, 's'], [0, 'm'], [2, null]]))).to.equal('{1:"s",0:"m"}');
    expect(toFastJson(new Map([['b', 1], ['a', 2]]))).to.equal('{"b":1,"a":2}');
    expect(toFastJson(new Map([[5n, 1]]))).to.equal('{5:1}');
  });

  it('writes bean keys as object literals in key position', () => {
    const key = { brokerName: 'b', queueId: 0, topic: 't' };
    expect(toFastJson({ offsetTable: new Map([[key, 42]]) })).to.equal(
      '{"offsetTable":{{"brokerName":"b","queueId":0,"topic":"t"}:42}}',
    );
    expect(toFastJson(new Map([[key, 42]]), { browserCompatible: true })).to.equal(
      '{"{\\"brokerName\\":\\"b\\",\\"queueId\\":0,\\"topic\\":\\"t\\"}":42}',
    );
  });

  it('quotes non-string keys, sorts maps and writes big longs as strings in standard-JSON mode', () => {
    const m = new Map<number | bigint, string | bigint>([[2, 'x'], [0, 'y'], [10, 9007199254740993n]]);
    expect(toFastJson(m, STANDARD_JSON_OPTIONS)).to.equal('{"0":"y","2":"x","10":"9007199254740993"}');
  });

  it('escapes strings like fastjson SerializeWriter', () => {
    expect(toFastJson('a"b\\c\n\t\r\b\f\u0001\u001f/é\u007f\u2028')).to.equal(
      '"a\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\\u001F/é\\u007F\\u2028"',
    );
    expect(toFastJson('/é', { browserCompatible: true })).to.equal('"\\/\\u00E9"');
  });

  it('writes doubles like Java Double.toString and integers as integers', () => {
    expect(toFastJson({ consumeTps: javaDouble(0), n: 3, big: 9007199254740993n })).to.equal(
      '{"big":9007199254740993,"consumeTps":0.0,"n":3}',
    );
    expect(toFastJson([javaDouble(NaN), javaDouble(Infinity), 0.5])).to.equal('[null,null,0.5]');
  });

  it('pretty-prints like toJSONString(obj, true): tabs, Lists broken, Sets and non-string-key maps inline', () => {
    const v = {
      list: [1, 2],
      set: new Set(['a', 'b']),
      ints: new Map([[0, 1], [1, 2]]),
      strs: new Map([['k', { x: 1 }]]),
      empty: [],
    };
    expect(toFastJson(v, { pretty: true })).to.equal(
      '{\n\t"empty":[],\n\t"ints":{0:1,1:2\n\t},\n\t"list":[\n\t\t1,\n\t\t2\n\t],\n\t"set":["a","b"],' +
        '\n\t"strs":{\n\t\t"k":{\n\t\t\t"x":1\n\t\t}\n\t}\n}',
    );
  });

  it('encodes UTF-8 bytes', () => {
    expect(encodeFastJson({ s: 'é' }).equals(Buffer.from('{"s":"é"}', 'utf8'))).to.equal(true);
  });

  it('writes a 1,000-topic table quickly (per-request cost)', () => {
    const table = new Map<string, { order: boolean; perm: number; topicName: string }>();
    for (let i = 0; i < 1000; i++) table.set(`Topic${i}`, { order: false, perm: 6, topicName: `Topic${i}` });
    const start = process.hrtime.bigint();
    for (let i = 0; i < 20; i++) toFastJson({ topicConfigTable: table });
    const ms = Number(process.hrtime.bigint() - start) / 1e6 / 20;
    expect(ms).to.be.below(20);
  });
});

describe('formatJavaDouble', () => {
  const cases: [number, string][] = [
    [0, '0.0'],
    [-0, '-0.0'],
    [1, '1.0'],
    [12.5, '12.5'],
    [100, '100.0'],
    [0.001, '0.001'],
    [0.0001, '1.0E-4'],
    [1234567.5, '1234567.5'],
    [1e7, '1.0E7'],
    [12345678.9, '1.23456789E7'],
    [-2.5e-5, '-2.5E-5'],
    [0.1 + 0.2, '0.30000000000000004'],
    [1.7976931348623157e308, '1.7976931348623157E308'],
  ];
  for (const [v, s] of cases) {
    it(`formats ${Object.is(v, -0) ? "-0" : v} as ${s}`, () => expect(formatJavaDouble(v)).to.equal(s));
  }
});
