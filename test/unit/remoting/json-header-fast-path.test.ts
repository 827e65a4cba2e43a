import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { decodeJsonHeader, decodeJsonHeaderFast, decodeJsonHeaderText, encodeFrame } from '../../../src/common/remoting/frame-codec.js';
import { RemotingCommand, SerializeType } from '../../../src/common/remoting/remoting-command.js';

/*
 * decodeJsonHeaderFast must answer exactly as JSON.parse of the whole header (decodeJsonHeaderText)
 * or not at all. Checked on every golden JSON header of a real RocketMQ 4.9.8, on what our writer
 * emits, on hand-made edge cases and on thousands of mutations of the golden headers.
 */
const FRAMES_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/frames');

/** Everything a decoded header carries, extFields key order included. */
function outcome(decode: () => RemotingCommand): string {
  try {
    const c = decode();
    return JSON.stringify([c.code, c.language, c.version, c.opaque, c.flag, c.remark ?? null, c.extFields === undefined ? null : Object.entries(c.extFields), c.serializeType]);
  } catch (e) {
    return `${(e as Error).constructor.name}: ${(e as Error).message}`;
  }
}

function headerOf(frame: Buffer): Buffer {
  const headerLen = frame.readInt32BE(4) & 0xffffff;
  return frame.subarray(8, 8 + headerLen);
}

const goldenJsonHeaders = readdirSync(FRAMES_DIR)
  .filter((f) => f.endsWith('.bin'))
  .sort()
  .map((f) => ({ name: f, frame: readFileSync(join(FRAMES_DIR, f)) }))
  .filter((x) => x.frame[4] === SerializeType.JSON)
  .map((x) => ({ name: x.name, header: headerOf(x.frame) }));

describe('JSON header fast path', () => {
  it('has golden JSON headers to check', () => {
    expect(goldenJsonHeaders.length).to.be.greaterThan(20);
  });

  for (const { name, header } of goldenJsonHeaders) {
    it(`takes the fast path and agrees with JSON.parse: ${name}`, () => {
      const fast = decodeJsonHeaderFast(header, 0, header.length);
      expect(fast, 'fastjson shape recognised').to.not.equal(undefined);
      expect(outcome(() => fast!)).to.equal(outcome(() => decodeJsonHeaderText(header.toString('utf8'))));
    });
  }

  it('takes the fast path for what writeFrame emits, with and without extFields and remark', () => {
    const cmds = [
      new RemotingCommand({ code: 30001, opaque: 7 }),
      new RemotingCommand({ code: 0, opaque: -2147483648, flag: 1, remark: 'ok: all good', language: 'GO', version: 317 }),
      new RemotingCommand({ code: 1, flag: 1, remark: 'a "q" \\ \n\t é 中 😀 \u0001' }),
      new RemotingCommand({ code: 10, opaque: 2147483647, extFields: { topic: 'T', queueId: '3', '1': 'one', 'k"q': 'v\\n', 'ключ': '值' } }),
      new RemotingCommand({ code: 10, extFields: {}, serializeType: SerializeType.JSON }),
    ];
    for (const c of cmds) {
      const header = headerOf(encodeFrame(c));
      const fast = decodeJsonHeaderFast(header, 0, header.length);
      expect(fast, header.toString()).to.not.equal(undefined);
      expect(outcome(() => fast!)).to.equal(outcome(() => decodeJsonHeaderText(header.toString('utf8'))));
    }
  });

  const cases: [string, string, boolean][] = [
    // [name, header text, whether the fast path should answer]
    ['plain', '{"code":1,"flag":0,"language":"JAVA","opaque":5,"serializeTypeCurrentRPC":"JSON","version":409}', true],
    ['ROCKETMQ serializeTypeCurrentRPC', '{"code":1,"flag":0,"language":"JAVA","opaque":5,"serializeTypeCurrentRPC":"ROCKETMQ","version":409}', true],
    ['unknown language', '{"code":1,"flag":0,"language":"COBOL","opaque":5,"serializeTypeCurrentRPC":"JSON","version":409}', true],
    ['language named like an Object.prototype key', '{"code":1,"flag":0,"language":"constructor","opaque":5,"serializeTypeCurrentRPC":"JSON","version":409}', true],
    ['negative zero and 10-digit numbers', '{"code":-0,"flag":4294967297,"language":"JAVA","opaque":-2147483649,"serializeTypeCurrentRPC":"JSON","version":9999999999}', true],
    ['15-digit number', '{"code":123456789012345,"flag":0,"language":"JAVA","opaque":5,"serializeTypeCurrentRPC":"JSON","version":1}', true],
    ['16-digit number', '{"code":1234567890123456,"flag":0,"language":"JAVA","opaque":5,"serializeTypeCurrentRPC":"JSON","version":1}', false],
    ['leading zero', '{"code":01,"flag":0,"language":"JAVA","opaque":5,"serializeTypeCurrentRPC":"JSON","version":1}', false],
    ['fraction', '{"code":1.5,"flag":0,"language":"JAVA","opaque":5,"serializeTypeCurrentRPC":"JSON","version":1}', false],
    ['integral fraction', '{"code":1.0,"flag":0,"language":"JAVA","opaque":5,"serializeTypeCurrentRPC":"JSON","version":1}', false],
    ['exponent', '{"code":1e2,"flag":0,"language":"JAVA","opaque":5,"serializeTypeCurrentRPC":"JSON","version":1}', false],
    ['number as a string', '{"code":"12","flag":0,"language":"JAVA","opaque":5,"serializeTypeCurrentRPC":"JSON","version":1}', false],
    ['white space', '{"code":1, "flag":0,"language":"JAVA","opaque":5,"serializeTypeCurrentRPC":"JSON","version":1}', false],
    ['trailing white space', '{"code":1,"flag":0,"language":"JAVA","opaque":5,"serializeTypeCurrentRPC":"JSON","version":1} ', false],
    ['trailing garbage', '{"code":1,"flag":0,"language":"JAVA","opaque":5,"serializeTypeCurrentRPC":"JSON","version":1}}', false],
    ['other key order', '{"code":1,"language":"JAVA","flag":0,"opaque":5,"serializeTypeCurrentRPC":"JSON","version":1}', false],
    ['missing version', '{"code":1,"flag":0,"language":"JAVA","opaque":5,"serializeTypeCurrentRPC":"JSON"}', false],
    ['extra key', '{"code":1,"flag":0,"language":"JAVA","opaque":5,"serializeTypeCurrentRPC":"JSON","version":1,"x":2}', false],
    ['remark', '{"code":1,"flag":0,"language":"JAVA","opaque":5,"remark":"No topic route info, see http://x/y?z=1#a","serializeTypeCurrentRPC":"JSON","version":1}', true],
    ['empty remark', '{"code":1,"flag":0,"language":"JAVA","opaque":5,"remark":"","serializeTypeCurrentRPC":"JSON","version":1}', true],
    ['remark with escapes', '{"code":1,"flag":0,"language":"JAVA","opaque":5,"remark":"a\\"b\\n\\\\\\u00e9","serializeTypeCurrentRPC":"JSON","version":1}', true],
    ['remark ending in an escaped backslash', '{"code":1,"flag":0,"language":"JAVA","opaque":5,"remark":"a\\\\","serializeTypeCurrentRPC":"JSON","version":1}', true],
    ['remark with a bad escape', '{"code":1,"flag":0,"language":"JAVA","opaque":5,"remark":"a\\x","serializeTypeCurrentRPC":"JSON","version":1}', false],
    ['remark with a raw new line', '{"code":1,"flag":0,"language":"JAVA","opaque":5,"remark":"a\nb","serializeTypeCurrentRPC":"JSON","version":1}', false],
    ['remark with non-ASCII', '{"code":1,"flag":0,"language":"JAVA","opaque":5,"remark":"é 中 😀","serializeTypeCurrentRPC":"JSON","version":1}', true],
    ['unterminated remark', '{"code":1,"flag":0,"language":"JAVA","opaque":5,"remark":"abc\\","serializeTypeCurrentRPC":"JSON","version":1}', false],
    ['null remark', '{"code":1,"flag":0,"language":"JAVA","opaque":5,"remark":null,"serializeTypeCurrentRPC":"JSON","version":1}', false],
    ['numeric remark', '{"code":1,"flag":0,"language":"JAVA","opaque":5,"remark":12,"serializeTypeCurrentRPC":"JSON","version":1}', false],
    ['extFields', '{"code":1,"extFields":{"b":"2","a":"1","3":"x"},"flag":0,"language":"JAVA","opaque":5,"serializeTypeCurrentRPC":"JSON","version":1}', true],
    ['empty extFields', '{"code":1,"extFields":{},"flag":0,"language":"JAVA","opaque":5,"serializeTypeCurrentRPC":"JSON","version":1}', true],
    ['extFields with numbers, booleans and nulls (ali-ons)', '{"code":1,"extFields":{"n":12,"t":true,"z":null,"f":1.5},"flag":0,"language":"JAVA","opaque":5,"serializeTypeCurrentRPC":"JSON","version":1}', true],
    ['extFields with escapes and ,"flag": in a value', '{"code":1,"extFields":{"k":"}\\",\\"flag\\":1","\\u00e9":"\\ud83d\\ude00"},"flag":0,"language":"JAVA","opaque":5,"serializeTypeCurrentRPC":"JSON","version":1}', true],
    ['extFields with a duplicate key', '{"code":1,"extFields":{"a":"1","b":"2","a":"3"},"flag":0,"language":"JAVA","opaque":5,"serializeTypeCurrentRPC":"JSON","version":1}', true],
    ['extFields with __proto__', '{"code":1,"extFields":{"__proto__":"x","a":"1"},"flag":0,"language":"JAVA","opaque":5,"serializeTypeCurrentRPC":"JSON","version":1}', true],
    ['extFields with a nested object ending before "flag"', '{"code":1,"extFields":{"a":{"b":"1"},"flag":"2"},"flag":0,"language":"JAVA","opaque":5,"serializeTypeCurrentRPC":"JSON","version":1}', false],
    ['extFields with a nested object', '{"code":1,"extFields":{"a":{"b":"1"}},"flag":0,"language":"JAVA","opaque":5,"serializeTypeCurrentRPC":"JSON","version":1}', false],
    ['extFields an array', '{"code":1,"extFields":["a"],"flag":0,"language":"JAVA","opaque":5,"serializeTypeCurrentRPC":"JSON","version":1}', false],
    ['extFields null', '{"code":1,"extFields":null,"flag":0,"language":"JAVA","opaque":5,"serializeTypeCurrentRPC":"JSON","version":1}', false],
    ['extFields unterminated', '{"code":1,"extFields":{"a":"1","flag":0,"language":"JAVA","opaque":5,"serializeTypeCurrentRPC":"JSON","version":1}', false],
    ['raw control character in extFields', '{"code":1,"extFields":{"a":"\u0001"},"flag":0,"language":"JAVA","opaque":5,"serializeTypeCurrentRPC":"JSON","version":1}', false],
    ['empty', '', false],
    ['not an object', '[1]', false],
  ];
  for (const [name, text, fastExpected] of cases) {
    it(`edge case: ${name}`, () => {
      const bytes = Buffer.from(text, 'utf8');
      const fast = decodeJsonHeaderFast(bytes, 0, bytes.length);
      expect(fast !== undefined, 'fast path taken').to.equal(fastExpected);
      expect(outcome(() => decodeJsonHeader(bytes))).to.equal(outcome(() => decodeJsonHeaderText(text)));
    });
  }

  it('agrees with JSON.parse on 20,000 mutations of the golden headers (bytes changed, inserted, removed)', () => {
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    // Bytes that matter to the grammar, plus a few arbitrary ones.
    const alphabet = Buffer.from('{}[]":,\\-+.0123456789eEnulltrfas AJV\u00e9', 'utf8');
    let fastAnswers = 0;
    for (let i = 0; i < 20_000; i++) {
      const base = goldenJsonHeaders[rand(goldenJsonHeaders.length)]!.header;
      let bytes = Buffer.from(base);
      const edits = 1 + rand(3);
      for (let e = 0; e < edits; e++) {
        const at = rand(bytes.length + 1);
        const b = rand(4) === 0 ? rand(256) : alphabet[rand(alphabet.length)]!;
        const op = rand(3);
        if (op === 0 && at < bytes.length) bytes[at] = b;
        else if (op === 1) bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([b]), bytes.subarray(at)]);
        else bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]);
      }
      if (decodeJsonHeaderFast(bytes, 0, bytes.length) !== undefined) fastAnswers++;
      const fast = outcome(() => decodeJsonHeader(bytes));
      const slow = outcome(() => decodeJsonHeaderText(bytes.toString('utf8')));
      if (fast !== slow) expect.fail(`mutation ${i} ${JSON.stringify(bytes.toString('latin1'))}: ${fast} vs ${slow}`);
    }
    // Many mutations keep the shape (e.g. a digit or a value byte changed): both paths exercised.
    expect(fastAnswers).to.be.greaterThan(1000);
  });
});
