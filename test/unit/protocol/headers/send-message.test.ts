import { expect } from 'chai';
import { RemotingCommandException } from '../../../../src/common/errors.js';
import * as H from '../../../../src/common/protocol/headers/index.js';
import { RequestCode } from '../../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../../src/common/protocol/response-code.js';
import { decodeWholeFrame, encodeFrame, encodeHeader } from '../../../../src/common/remoting/frame-codec.js';
import { RemotingCommand, SerializeType } from '../../../../src/common/remoting/remoting-command.js';

const V1: H.SendMessageRequestHeader = {
  producerGroup: 'FixPG',
  topic: 'FixT',
  defaultTopic: 'TBW102',
  defaultTopicQueueNums: 4,
  queueId: 3,
  sysFlag: 0,
  bornTimestamp: 1795623684528,
  flag: 0,
  properties: 'TAGS\u0001TagA',
  reconsumeTimes: 0,
  unitMode: false,
  batch: false,
  bname: 'broker-a',
};

describe('send headers', () => {
  it('converts V1 → V2 → V1 like createSendMessageRequestHeaderV2 / V1, defaulting the primitives', () => {
    const { unitMode: _u, batch: _b, ...withoutPrimitives } = V1;
    const v2 = H.createSendMessageRequestHeaderV2(withoutPrimitives);
    expect(v2.unitMode).to.equal(false);
    expect(v2.batch).to.equal(false);
    expect(H.createSendMessageRequestHeaderV1(v2)).to.deep.equal({ ...V1, maxReconsumeTimes: undefined });
  });

  it('puts V1 on the wire with long names and V2 with a..n (k, m always present; no l when null)', () => {
    expect(H.SendMessageRequestHeader.encode(V1)).to.deep.equal({
      producerGroup: 'FixPG', topic: 'FixT', defaultTopic: 'TBW102', defaultTopicQueueNums: '4', queueId: '3', sysFlag: '0',
      bornTimestamp: '1795623684528', flag: '0', properties: 'TAGS\u0001TagA', reconsumeTimes: '0', unitMode: 'false', batch: 'false', bname: 'broker-a',
    });
    const v2 = H.SendMessageRequestHeaderV2.encode(H.createSendMessageRequestHeaderV2(V1));
    expect(Object.keys(v2)).to.deep.equal(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'm', 'n']);
    expect(H.SendMessageRequestHeaderV2.encode({ ...V1, maxReconsumeTimes: 16, batch: true })).to.include({ l: '16', m: 'true' });
  });

  it('reads a V1 header from SEND_MESSAGE and converts V2 from SEND_MESSAGE_V2 / SEND_BATCH_MESSAGE', () => {
    const v1Request = H.createRequestWithHeader(RequestCode.SEND_MESSAGE, H.SendMessageRequestHeader, V1);
    expect(H.readSendMessageRequestHeader(v1Request)).to.deep.equal(V1);
    for (const code of [RequestCode.SEND_MESSAGE_V2, RequestCode.SEND_BATCH_MESSAGE, RequestCode.SEND_REPLY_MESSAGE_V2]) {
      const req = H.createRequestWithHeader(code, H.SendMessageRequestHeaderV2, H.createSendMessageRequestHeaderV2(V1));
      expect(req.fastFieldCount).to.equal(13);
      expect(H.readSendMessageRequestHeader(req)).to.deep.equal({ ...V1, maxReconsumeTimes: undefined });
    }
    const bad = new RemotingCommand({ code: RequestCode.SEND_MESSAGE_V2, extFields: { a: 'PG' } });
    expect(() => H.readSendMessageRequestHeader(bad)).to.throw(RemotingCommandException, '<b>');
  });

  it('writes a V2 request in ROCKETMQ serialization in FastCodesHeader order', () => {
    const req = new RemotingCommand({ code: RequestCode.SEND_MESSAGE_V2, serializeType: SerializeType.ROCKETMQ });
    H.setHeader(req, H.SendMessageRequestHeaderV2, { ...V1, reconsumeTimes: undefined, maxReconsumeTimes: 3 });
    const decoded = decodeWholeFrame(encodeFrame(req));
    expect(Object.keys(decoded.extFields ?? {})).to.deep.equal(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'k', 'l', 'm', 'n']);
  });

  it('adds MSG_REGION and TRACE_ON to a send response and reads them back like MQClientAPIImpl', () => {
    const res = RemotingCommand.createResponse(new RemotingCommand({ code: 310, opaque: 4 }), ResponseCode.SUCCESS);
    H.setSendResponseExtras(res, { regionId: 'DefaultRegion', traceOn: true });
    H.setHeader(res, H.SendMessageResponseHeader, { msgId: '7F000002000078BF0000000000000000', queueId: 3, queueOffset: 0 });
    // The same bytes a real 4.9.8 broker wrote (broker-310-send-v2-tags-keys-prop.resp).
    expect(encodeHeader(res).toString('utf8')).to.equal(
      '{"code":0,"extFields":{"queueId":"3","TRACE_ON":"true","MSG_REGION":"DefaultRegion","msgId":"7F000002000078BF0000000000000000","queueOffset":"0"},' +
        '"flag":1,"language":"JAVA","opaque":4,"serializeTypeCurrentRPC":"JSON","version":409}',
    );
    expect(H.readSendResponseExtras(res)).to.deep.equal({ regionId: 'DefaultRegion', traceOn: true });
    expect(H.readSendResponseExtras(new RemotingCommand({ code: 0, extFields: { TRACE_ON: 'false' } }))).to.deep.equal({ regionId: 'DefaultRegion', traceOn: false });
    expect(H.readSendResponseExtras(new RemotingCommand({ code: 0 }))).to.deep.equal({ regionId: 'DefaultRegion', traceOn: true });
    expect(H.readHeader(res, H.SendMessageResponseHeader)).to.deep.equal({ msgId: '7F000002000078BF0000000000000000', queueId: 3, queueOffset: 0 });
  });
});
