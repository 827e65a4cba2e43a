import { expect } from 'chai';
import { RemotingCommandException } from '../../../src/common/errors.js';
import {
  PullMessageRequestHeader,
  SendMessageRequestHeaderV2,
  SendMessageResponseHeader,
  readHeader,
  setHeader,
  setSendResponseExtras,
} from '../../../src/common/protocol/headers/index.js';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import {
  DEFAULT_FRAME_MAX_LENGTH,
  decodeFrame,
  decodeWholeFrame,
  encodeFrame,
  encodeHeader,
} from '../../../src/common/remoting/frame-codec.js';
import { RemotingCommand, SerializeType, type ExtFields } from '../../../src/common/remoting/remoting-command.js';

/** A frame around raw header bytes, as a peer would send them. */
function frameOf(header: Buffer, type: number, body: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(8);
  head.writeInt32BE(4 + header.length + body.length, 0);
  head.writeInt32BE(((type & 0xff) << 24) | header.length, 4);
  return Buffer.concat([head, header, body]);
}

const jsonFrame = (text: string, body?: Buffer): Buffer => frameOf(Buffer.from(text, 'utf8'), SerializeType.JSON, body);

function request(serializeType: SerializeType, extFields?: ExtFields, body?: Buffer): RemotingCommand {
  return new RemotingCommand({ code: RequestCode.QUERY_CONSUMER_OFFSET, opaque: 7, extFields, body, serializeType });
}

function expectSameCommand(a: RemotingCommand, b: RemotingCommand): void {
  expect([a.code, a.language, a.version, a.opaque, a.flag, a.remark]).to.deep.equal([b.code, b.language, b.version, b.opaque, b.flag, b.remark]);
  expect(a.extFields).to.deep.equal(b.extFields);
  expect(a.body?.toString('hex')).to.equal(b.body?.toString('hex'));
}

describe('frame codec', () => {
  describe('JSON header (serialize type 0)', () => {
    it('writes a request as fastjson does: alphabetical properties, extFields in HashMap order', () => {
      const cmd = request(SerializeType.JSON, { consumerGroup: 'FixG', topic: 'FixT', queueId: '0', bname: 'broker-a' });
      expect(encodeHeader(cmd).toString('utf8')).to.equal(
        '{"code":14,"extFields":{"queueId":"0","bname":"broker-a","topic":"FixT","consumerGroup":"FixG"},' +
          '"flag":0,"language":"JAVA","opaque":7,"serializeTypeCurrentRPC":"JSON","version":409}',
      );
    });

    it('writes a response with its remark and no extFields when there are none', () => {
      const res = RemotingCommand.createResponse(request(SerializeType.JSON), ResponseCode.QUERY_NOT_FOUND, 'not found');
      const text = encodeHeader(res).toString('utf8');
      expect(text).to.equal('{"code":22,"flag":1,"language":"JAVA","opaque":7,"remark":"not found","serializeTypeCurrentRPC":"JSON","version":409}');
      expectSameCommand(decodeWholeFrame(encodeFrame(res)), res);
    });

    it('round-trips a request with a body', () => {
      const cmd = request(SerializeType.JSON, { topic: 'T' }, Buffer.from('body bytes'));
      const frame = encodeFrame(cmd);
      expect(frame.readInt32BE(0)).to.equal(frame.length - 4);
      expect(frame.readUInt8(4)).to.equal(SerializeType.JSON);
      expectSameCommand(decodeWholeFrame(frame), cmd);
    });

    it('accepts extFields values sent as JSON numbers and booleans (ali-ons) and stringifies them', () => {
      const cmd = decodeWholeFrame(
        jsonFrame('{"code":11,"language":"JAVA","version":121,"opaque":3,"flag":0,"extFields":{"queueId":3,"commitOffset":0,"unitMode":false,"topic":"T"}}'),
      );
      expect(cmd.extFields).to.deep.equal({ queueId: '3', commitOffset: '0', unitMode: 'false', topic: 'T' });
      expect(cmd.version).to.equal(121);
    });

    it('decodes without a body when the frame ends with the header', () => {
      const cmd = decodeWholeFrame(jsonFrame('{"code":34,"flag":0,"language":"JAVA","opaque":1,"version":409}'));
      expect(cmd.body).to.equal(undefined);
      expect(cmd.extFields).to.equal(undefined);
    });

    it('rejects a header that is not JSON', () => {
      expect(() => decodeWholeFrame(jsonFrame('{"code":1,'))).to.throw(RemotingCommandException, /JSON/);
    });

    it('rejects JSON that is not an object', () => {
      for (const text of ['[1,2]', '"code"', 'null', '42']) {
        expect(() => decodeWholeFrame(jsonFrame(text)), text).to.throw(RemotingCommandException);
      }
    });

    it('rejects extFields that are not an object of scalars', () => {
      expect(() => decodeWholeFrame(jsonFrame('{"code":1,"extFields":[1]}'))).to.throw(RemotingCommandException);
      expect(() => decodeWholeFrame(jsonFrame('{"code":1,"extFields":{"a":{"b":1}}}'))).to.throw(RemotingCommandException, /a/);
    });

    it('rejects a header without an integer code', () => {
      expect(() => decodeWholeFrame(jsonFrame('{"flag":0}'))).to.throw(RemotingCommandException);
      expect(() => decodeWholeFrame(jsonFrame('{"code":"x"}'))).to.throw(RemotingCommandException, /code/);
    });
  });

  describe('ROCKETMQ header (serialize type 1)', () => {
    it('writes code, language, version, opaque, flag, remark and the ext map in the documented layout', () => {
      const cmd = request(SerializeType.ROCKETMQ, { topic: 'T' });
      cmd.remark = 'hé';
      const h = encodeHeader(cmd);
      expect(h.readInt16BE(0)).to.equal(14);
      expect(h.readUInt8(2)).to.equal(0); // JAVA
      expect(h.readInt16BE(3)).to.equal(409);
      expect(h.readInt32BE(5)).to.equal(7);
      expect(h.readInt32BE(9)).to.equal(0);
      expect(h.readInt32BE(13)).to.equal(3); // 'hé' is 3 UTF-8 bytes
      expect(h.toString('utf8', 17, 20)).to.equal('hé');
      expect(h.readInt32BE(20)).to.equal(2 + 5 + 4 + 1);
      expect(h.readInt16BE(24)).to.equal(5);
      expect(h.toString('utf8', 26, 31)).to.equal('topic');
      expect(h.readInt32BE(31)).to.equal(1);
      expect(h.toString('utf8', 35)).to.equal('T');
      expect(h.length).to.equal(36);
    });

    it('round-trips a request and its response in the request serialization', () => {
      const req = request(SerializeType.ROCKETMQ, { consumerGroup: 'G', topic: 'T', queueId: '1' });
      const decoded = decodeWholeFrame(encodeFrame(req));
      expect(decoded.serializeType).to.equal(SerializeType.ROCKETMQ);
      expectSameCommand(decoded, req);

      const res = RemotingCommand.createResponse(decoded, ResponseCode.SUCCESS, undefined, { offset: '42' });
      expect(res.serializeType).to.equal(SerializeType.ROCKETMQ);
      expect(res.opaque).to.equal(7);
      const frame = encodeFrame(res);
      expect(frame.readUInt8(4)).to.equal(SerializeType.ROCKETMQ);
      expectSameCommand(decodeWholeFrame(frame), res);
    });

    it('writes an empty remark as length 0, which decodes as no remark (Java: null)', () => {
      const cmd = request(SerializeType.ROCKETMQ);
      cmd.remark = '';
      expect(decodeWholeFrame(encodeFrame(cmd)).remark).to.equal(undefined);
    });

    it('skips entries with a zero-length key or value, as Java reads them as null', () => {
      const cmd = request(SerializeType.ROCKETMQ, { a: '1' });
      const h = encodeHeader(cmd);
      // Rewrite the value length to 0 and drop the value byte.
      const mapStart = 17 + 4;
      const patched = Buffer.concat([h.subarray(0, 17), Buffer.from([0, 0, 0, 7]), h.subarray(mapStart, mapStart + 3), Buffer.from([0, 0, 0, 0])]);
      expect(decodeWholeFrame(frameOf(patched, SerializeType.ROCKETMQ)).extFields).to.deep.equal({});
    });

    it('writes a FastCodesHeader first, in declaration order, then the other ext fields', () => {
      const res = RemotingCommand.createResponse(request(SerializeType.ROCKETMQ), ResponseCode.SUCCESS);
      setSendResponseExtras(res, { regionId: 'DefaultRegion', traceOn: true });
      setHeader(res, SendMessageResponseHeader, { msgId: 'ID', queueId: 1, queueOffset: 9 });
      expect(res.fastFieldCount).to.equal(3);
      const decoded = decodeWholeFrame(encodeFrame(res));
      expect(Object.keys(decoded.extFields ?? {})).to.deep.equal(['msgId', 'queueId', 'queueOffset', 'TRACE_ON', 'MSG_REGION']);
    });

    const truncations: [string, (h: Buffer) => Buffer][] = [
      ['fixed fields', (h) => h.subarray(0, 10)],
      ['remark', (h) => Buffer.concat([h.subarray(0, 13), int32(1000), h.subarray(17)])],
      ['negative remark length', (h) => Buffer.concat([h.subarray(0, 13), int32(-1), h.subarray(17)])],
      ['extFields length', (h) => h.subarray(0, 19)],
      ['ext map beyond the header', (h) => Buffer.concat([h.subarray(0, 17), int32(h.readInt32BE(17) + 10), h.subarray(21)])],
      ['key length beyond the map', (h) => withMapBytes(h, Buffer.concat([int16(50), Buffer.from('topic'), int32(1), Buffer.from('T')]))],
      ['value length beyond the map', (h) => withMapBytes(h, Buffer.concat([int16(5), Buffer.from('topic'), int32(99), Buffer.from('T')]))],
      ['negative value length', (h) => withMapBytes(h, Buffer.concat([int16(5), Buffer.from('topic'), int32(-1), Buffer.from('T')]))],
      ['half a key length', (h) => withMapBytes(h, Buffer.from([0]))],
    ];
    for (const [what, corrupt] of truncations) {
      it(`rejects a malformed header: ${what}`, () => {
        const h = encodeHeader(request(SerializeType.ROCKETMQ, { topic: 'T' }));
        expect(() => decodeWholeFrame(frameOf(corrupt(h), SerializeType.ROCKETMQ))).to.throw(RemotingCommandException);
      });
    }
  });

  describe('frame', () => {
    it('rejects an unknown serialize type', () => {
      const f = jsonFrame('{"code":1}');
      f.writeUInt8(2, 4);
      expect(() => decodeWholeFrame(f)).to.throw(RemotingCommandException, /serialize type 2/);
    });

    it('rejects a header length beyond the frame', () => {
      const f = jsonFrame('{"code":1}');
      f.writeInt32BE(100, 4);
      expect(() => decodeWholeFrame(f)).to.throw(RemotingCommandException, /header length/);
    });

    it('rejects a length field that disagrees with the buffer, and frames too short to hold one', () => {
      const f = jsonFrame('{"code":1}');
      f.writeInt32BE(f.length, 0);
      expect(() => decodeWholeFrame(f)).to.throw(RemotingCommandException);
      expect(() => decodeWholeFrame(Buffer.alloc(5))).to.throw(RemotingCommandException);
      expect(() => decodeFrame(Buffer.alloc(3))).to.throw(RemotingCommandException);
    });

    it('decodes a frame without its length prefix (what the stream decoder yields)', () => {
      const cmd = request(SerializeType.JSON, { topic: 'T' }, Buffer.from('x'));
      expectSameCommand(decodeFrame(encodeFrame(cmd).subarray(4)), cmd);
    });

    it('has the 16 MiB default frame limit', () => {
      expect(DEFAULT_FRAME_MAX_LENGTH).to.equal(16777216);
    });
  });

  describe('cross-serialization', () => {
    it('encodes JSON, re-encodes the decoded command as ROCKETMQ, and decodes the same command', () => {
      const original = RemotingCommand.createRequest(RequestCode.PULL_MESSAGE, undefined, Buffer.from([1, 2, 3]));
      setHeader(original, PullMessageRequestHeader, {
        consumerGroup: 'G', topic: 'T', queueId: 2, queueOffset: 10, maxMsgNums: 32, sysFlag: 3,
        commitOffset: 5, suspendTimeoutMillis: 15000, subVersion: 1700000000000, expressionType: 'TAG', bname: 'b',
      });
      original.remark = 'r';
      const viaJson = decodeWholeFrame(encodeFrame(original));
      viaJson.serializeType = SerializeType.ROCKETMQ;
      const viaRocketMQ = decodeWholeFrame(encodeFrame(viaJson));
      expect(viaRocketMQ.serializeType).to.equal(SerializeType.ROCKETMQ);
      expectSameCommand(viaRocketMQ, original);
      expect(readHeader(viaRocketMQ, PullMessageRequestHeader)).to.deep.equal(readHeader(original, PullMessageRequestHeader));
    });

    it('carries a SEND_MESSAGE_V2 header through both serializations', () => {
      for (const serializeType of [SerializeType.JSON, SerializeType.ROCKETMQ]) {
        const cmd = new RemotingCommand({ code: RequestCode.SEND_MESSAGE_V2, opaque: 1, serializeType, body: Buffer.from('hi') });
        const header = {
          producerGroup: 'PG', topic: 'T', defaultTopic: 'TBW102', defaultTopicQueueNums: 4, queueId: 0, sysFlag: 0,
          bornTimestamp: 1795623733776, flag: 0, properties: 'TAGS\u0001A', reconsumeTimes: 0, unitMode: false, batch: false, bname: 'b',
        };
        setHeader(cmd, SendMessageRequestHeaderV2, header);
        const decoded = decodeWholeFrame(encodeFrame(cmd));
        expect(decoded.extFields).to.deep.equal({ a: 'PG', b: 'T', c: 'TBW102', d: '4', e: '0', f: '0', g: '1795623733776', h: '0', i: 'TAGS\u0001A', j: '0', k: 'false', m: 'false', n: 'b' });
        expect(readHeader(decoded, SendMessageRequestHeaderV2)).to.deep.equal(header);
      }
    });
  });

  describe('RemotingCommand.createResponse', () => {
    it('answers in the serialization of the request, with its opaque and the response flag', () => {
      for (const serializeType of [SerializeType.JSON, SerializeType.ROCKETMQ]) {
        const res = RemotingCommand.createResponse(request(serializeType), ResponseCode.SYSTEM_ERROR, 'boom');
        expect(res.serializeType).to.equal(serializeType);
        expect(res.opaque).to.equal(7);
        expect(res.isResponse).to.equal(true);
        expect(decodeWholeFrame(encodeFrame(res)).serializeType).to.equal(serializeType);
      }
    });
  });
});

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

function int16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
}

/** A ROCKETMQ header (no remark) whose ext map section is `map`, with a consistent map length. */
function withMapBytes(h: Buffer, map: Buffer): Buffer {
  return Buffer.concat([h.subarray(0, 17), int32(map.length), map]);
}
