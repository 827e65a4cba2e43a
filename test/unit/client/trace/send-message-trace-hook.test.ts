import { expect } from 'chai';

import { decodePubTraces, encodePubTrace, SendMessageTraceHook, TraceMessageType, type PubTraceContext } from '../../../../src/client/trace/send-message-trace-hook.js';
import type { SendMessageContext } from '../../../../src/client/producer/send-message-hook.js';
import { SendResult, SendStatus } from '../../../../src/client/producer/send-result.js';
import { Message } from '../../../../src/common/message/message.js';

const CTX: PubTraceContext = {
  timeStamp: 1700000000123,
  regionId: 'DefaultRegion',
  groupName: 'PG',
  costTime: 7,
  success: true,
  topic: 'T',
  msgId: '7F00000100002A9F0000000000000000',
  offsetMsgId: '7F00000100002A9F00000000000000C8',
  tags: 'TagA',
  keys: 'K1 K2',
  storeHost: '127.0.0.1:10911',
  bodyLength: 11,
  msgType: TraceMessageType.Normal_Msg,
};

describe('message trace: Pub records (TraceDataEncoder, SendMessageTraceHookImpl)', () => {
  it('writes the fields in TraceDataEncoder order, split by \\u0001 and ended by \\u0002; keys are the msgId and each message key', () => {
    const bean = encodePubTrace(CTX);
    expect(bean.transData).to.equal(
      ['Pub', '1700000000123', 'DefaultRegion', 'PG', 'T', CTX.msgId, 'TagA', 'K1 K2', '127.0.0.1:10911', '11', '7', '0', CTX.offsetMsgId, 'true'].join('\u0001') + '\u0002',
    );
    expect([...bean.transKey].sort()).to.deep.equal(['K1', 'K2', CTX.msgId].sort());
    expect(decodePubTraces(bean.transData + bean.transData)).to.deep.equal([CTX, CTX]);
  });

  it('writes an absent tag or key as "null", as Java\'s StringBuilder does, and then keys only by msgId', () => {
    const bean = encodePubTrace({ ...CTX, tags: undefined, keys: undefined });
    expect(bean.transData.split('\u0001').slice(6, 8)).to.deep.equal(['null', 'null']);
    expect(bean.transKey).to.deep.equal([CTX.msgId]);
  });

  it('the hook records a traced answer, skips traceOn=false answers, failed attempts and sends to the trace topic', () => {
    const got: PubTraceContext[] = [];
    const hook = new SendMessageTraceHook((t) => got.push(t));
    const context = (topic: string, traceOn: boolean, withResult = true): SendMessageContext => {
      const message = new Message(topic, 'TagA', 'K1', 'hello');
      const c: SendMessageContext = { producerGroup: 'PG', message, mq: { topic, brokerName: 'b', queueId: 0 }, brokerAddr: '127.0.0.1:10911', communicationMode: 'SYNC', props: new Map(), namespace: '' };
      hook.sendMessageBefore(c);
      if (withResult) c.sendResult = new SendResult({ sendStatus: SendStatus.SEND_OK, msgId: 'M', offsetMsgId: 'O', messageQueue: c.mq, queueOffset: 0, regionId: 'R1', traceOn });
      hook.sendMessageAfter(c);
      return c;
    };
    context('T', true);
    context('T', false);
    context('T', true, false);
    context('RMQ_SYS_TRACE_TOPIC', true);
    expect(got).to.have.length(1);
    expect(got[0]).to.deep.include({ regionId: 'R1', groupName: 'PG', topic: 'T', msgId: 'M', offsetMsgId: 'O', tags: 'TagA', keys: 'K1', storeHost: '127.0.0.1:10911', bodyLength: 5, msgType: TraceMessageType.Normal_Msg, success: true });
  });
});
