import { expect } from 'chai';

import { checkGroup, checkMessage, checkTopic } from '../../../src/client/validators.js';
import { ClientErrorCode, MQClientException } from '../../../src/common/errors.js';
import { Message } from '../../../src/common/message/message.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';

function codeOf(fn: () => void): number | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    expect(e).to.be.instanceOf(MQClientException);
    return (e as MQClientException).code;
  }
}

describe('Validators (Java client rules)', () => {
  const MAX = 4 * 1024 * 1024;

  it('accepts topic names of ^[%|a-zA-Z0-9_-]+$ up to 127 chars, TBW102 included', () => {
    for (const t of ['TopicTest', 'a|b', '%RETRY%g', 'a-b_c', 'T'.repeat(127), 'TBW102']) expect(codeOf(() => checkTopic(t))).to.equal(undefined);
  });

  it('rejects blank, illegal and too long topics with code -1', () => {
    for (const t of ['', '  ', 'a b', 'a.b', 'tópico', 'T'.repeat(128)]) expect(codeOf(() => checkTopic(t))).to.equal(ClientErrorCode.CLIENT_VALIDATION);
  });

  it('forbids sending to the system topics Java forbids, with code -1', () => {
    for (const t of ['SCHEDULE_TOPIC_XXXX', 'RMQ_SYS_TRANS_HALF_TOPIC', 'RMQ_SYS_TRANS_OP_HALF_TOPIC', 'TRANS_CHECK_MAX_TIME_TOPIC', 'SELF_TEST_TOPIC', 'OFFSET_MOVED_EVENT']) {
      expect(codeOf(() => checkMessage(new Message(t, 'x'), MAX))).to.equal(ClientErrorCode.CLIENT_VALIDATION);
    }
    expect(codeOf(() => checkMessage(new Message('RMQ_SYS_TRACE_TOPIC', 'x'), MAX))).to.equal(undefined);
  });

  it('rejects empty and oversized bodies with MESSAGE_ILLEGAL (13)', () => {
    expect(codeOf(() => checkMessage(new Message('T', ''), MAX))).to.equal(ResponseCode.MESSAGE_ILLEGAL);
    expect(codeOf(() => checkMessage(new Message('T', Buffer.alloc(11)), 10))).to.equal(ResponseCode.MESSAGE_ILLEGAL);
    expect(codeOf(() => checkMessage(new Message('T', Buffer.alloc(10)), 10))).to.equal(undefined);
    expect(codeOf(() => checkMessage(undefined, MAX))).to.equal(ResponseCode.MESSAGE_ILLEGAL);
  });

  it('checks group names: blank, > 255 chars, illegal chars', () => {
    expect(codeOf(() => checkGroup('PG'))).to.equal(undefined);
    for (const g of ['', 'g'.repeat(256), 'a b']) expect(codeOf(() => checkGroup(g))).to.equal(ClientErrorCode.CLIENT_VALIDATION);
  });
});
