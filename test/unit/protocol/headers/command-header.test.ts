import { expect } from 'chai';
import { RemotingCommandException } from '../../../../src/common/errors.js';
import * as H from '../../../../src/common/protocol/headers/index.js';
import { RequestCode } from '../../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../../src/common/protocol/response-code.js';
import { decodeWholeFrame, encodeFrame, encodeHeader } from '../../../../src/common/remoting/frame-codec.js';
import { RemotingCommand, SerializeType } from '../../../../src/common/remoting/remoting-command.js';

describe('setHeader / readHeader', () => {
  it('gives a fresh request its header and reads the same values back', () => {
    const header = { consumerGroup: 'G', topic: 'T', queueId: 2, bname: 'broker-a' };
    const req = H.createRequestWithHeader(RequestCode.QUERY_CONSUMER_OFFSET, H.QueryConsumerOffsetRequestHeader, header);
    expect(req.fastFieldCount).to.equal(0);
    expect(H.readHeader(decodeWholeFrame(encodeFrame(req)), H.QueryConsumerOffsetRequestHeader)).to.deep.equal(header);
  });

  it('replaces the fields of a previous header and keeps hand-added ones', () => {
    const req = new RemotingCommand({ code: RequestCode.PULL_MESSAGE });
    req.addExtField('extra', 'x');
    const pull = {
      consumerGroup: 'G', topic: 'T', queueId: 0, queueOffset: 0, maxMsgNums: 32, sysFlag: 2, commitOffset: 0,
      suspendTimeoutMillis: 15000, subVersion: 1, subscription: '*',
    };
    H.setHeader(req, H.PullMessageRequestHeader, pull);
    expect(req.fastFieldCount).to.equal(10);
    H.setHeader(req, H.PullMessageRequestHeader, { ...pull, subscription: undefined });
    expect(req.fastFieldCount).to.equal(9);
    expect(req.extFields).to.not.have.property('subscription');
    expect(req.getExtField('extra')).to.equal('x');
    H.setHeader(req, H.GetConsumerListByGroupRequestHeader, { consumerGroup: 'G' });
    expect(req.fastFieldCount).to.equal(0);
    expect(req.extFields).to.deep.equal({ extra: 'x', consumerGroup: 'G' });
  });

  it('writes "extFields":{} for a response header without values, as Java does', () => {
    const req = new RemotingCommand({ code: RequestCode.UNREGISTER_CLIENT, opaque: 313 });
    const res = H.createResponseWithHeader(req, ResponseCode.SUCCESS, H.UnregisterClientResponseHeader, {});
    expect(encodeHeader(res).toString('utf8')).to.equal(
      '{"code":0,"extFields":{},"flag":1,"language":"JAVA","opaque":313,"serializeTypeCurrentRPC":"JSON","version":409}',
    );
    const reg = H.createResponseWithHeader(req, ResponseCode.SUCCESS, H.RegisterBrokerResponseHeader, {});
    expect(reg.extFields).to.deep.equal({});
  });

  it('answers an undecodable header with SYSTEM_ERROR and the exception text, in the request serialization', () => {
    const req = new RemotingCommand({ code: RequestCode.QUERY_CONSUMER_OFFSET, opaque: 9, serializeType: SerializeType.ROCKETMQ, extFields: { topic: 'T' } });
    let error: unknown;
    try {
      H.readHeader(req, H.QueryConsumerOffsetRequestHeader);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(RemotingCommandException);
    const res = H.customHeaderErrorResponse(req, error as RemotingCommandException);
    expect([res.code, res.remark, res.opaque, res.serializeType, res.isResponse]).to.deep.equal([
      ResponseCode.SYSTEM_ERROR, 'the custom field <consumerGroup> is null', 9, SerializeType.ROCKETMQ, true,
    ]);
  });

  it('reports an unparsable int with the field name', () => {
    const req = new RemotingCommand({ code: RequestCode.QUERY_CONSUMER_OFFSET, extFields: { consumerGroup: 'G', topic: 'T', queueId: 'zero' } });
    expect(() => H.readHeader(req, H.QueryConsumerOffsetRequestHeader)).to.throw(RemotingCommandException, /<queueId>/);
  });
});

describe('header specifics', () => {
  it('carries RpcRequestHeader bname as an optional field of the headers that extend it', () => {
    for (const codec of [
      H.SendMessageRequestHeader, H.PullMessageRequestHeader, H.QueryConsumerOffsetRequestHeader, H.UpdateConsumerOffsetRequestHeader,
      H.SearchOffsetRequestHeader, H.GetMaxOffsetRequestHeader, H.GetMinOffsetRequestHeader, H.GetEarliestMsgStoretimeRequestHeader,
      H.ConsumerSendMsgBackRequestHeader, H.EndTransactionRequestHeader, H.CheckTransactionStateRequestHeader,
    ]) {
      expect(codec.schema, codec.name).to.have.property('bname');
      expect(codec.schema['bname']!.required, codec.name).to.equal(undefined);
    }
    expect(H.GetConsumerListByGroupRequestHeader.schema).to.not.have.property('bname');
    // V2 carries the broker name as `n`.
    expect(H.SendMessageRequestHeaderV2.schema['bname']!.wire).to.equal('n');
  });

  it('sends ResetOffsetRequestHeader.isForce under the key isForce', () => {
    const ext = H.ResetOffsetRequestHeader.encode({ topic: 'T', group: 'G', timestamp: 1, isForce: true });
    expect(ext).to.deep.equal({ topic: 'T', group: 'G', timestamp: '1', isForce: 'true' });
    expect(H.ResetOffsetRequestHeader.decode(ext).isForce).to.equal(true);
    expect(() => H.ResetOffsetRequestHeader.decode({ topic: 'T', group: 'G', timestamp: '1' })).to.throw('the custom field <isForce> is null');
  });

  it('marks a QUERY_MESSAGE as unique-key query with the _UNIQUE_KEY_QUERY extra field, ahead of the header', () => {
    const req = H.createRequestWithHeader(RequestCode.QUERY_MESSAGE, H.QueryMessageRequestHeader, {
      topic: 'T', key: 'K', maxNum: 32, beginTimestamp: 0, endTimestamp: 9,
    });
    expect(H.isUniqueKeyQuery(req)).to.equal(false);
    H.setUniqueKeyQuery(req, true);
    expect(Object.keys(req.extFields ?? {})[0]).to.equal(H.UNIQUE_MSG_QUERY_FLAG);
    expect(req.getExtField('_UNIQUE_KEY_QUERY')).to.equal('true');
    expect(H.isUniqueKeyQuery(decodeWholeFrame(encodeFrame(req)))).to.equal(true);
    H.setUniqueKeyQuery(req, false);
    expect(H.isUniqueKeyQuery(req)).to.equal(false);
    expect(H.readHeader(req, H.QueryMessageRequestHeader).key).to.equal('K');
  });

  it('always sends the Java primitives and initialised fields', () => {
    expect(H.RegisterBrokerRequestHeader.encode({ brokerName: 'b', brokerAddr: 'a:1', clusterName: 'c', haServerAddr: 'a:2', brokerId: 0 })).to.include({
      compressed: 'false', bodyCrc32: '0',
    });
    expect(H.CreateTopicRequestHeader.encode({ topic: 'T', defaultTopic: 'TBW102', readQueueNums: 4, writeQueueNums: 4, perm: 6, topicFilterType: 'SINGLE_TAG' })).to.include({ order: 'false' });
    expect(H.ConsumerSendMsgBackRequestHeader.encode({ offset: 1, group: 'G', delayLevel: 0 })).to.include({ unitMode: 'false' });
    expect(H.EndTransactionRequestHeader.encode({ producerGroup: 'P', tranStateTableOffset: 1, commitLogOffset: 2, commitOrRollback: 8, msgId: 'm' })).to.include({ fromTransactionCheck: 'false' });
    expect(H.GetConsumerRunningInfoRequestHeader.encode({ consumerGroup: 'G', clientId: 'c' })).to.include({ jstackEnable: 'false' });
    expect(H.DeleteSubscriptionGroupRequestHeader.encode({ groupName: 'G' })).to.include({ removeOffset: 'false' });
  });
});
