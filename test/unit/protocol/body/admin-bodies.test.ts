import { expect } from 'chai';
import {
  buildSubscriptionData,
  compareMessageQueue,
  computeMinVersion,
  computeTotalDiff,
  createMessageQueue,
  decodeCheckClientRequestBody,
  decodeConsumeMessageDirectlyResult,
  decodeConsumerConnection,
  decodeConsumerRunningInfo,
  decodeConsumeStats,
  decodeGroupList,
  decodeKVTable,
  decodeProducerConnection,
  decodeResetOffsetBody,
  decodeTopicList,
  decodeTopicStatsTable,
  encodeCheckClientRequestBody,
  encodeConsumeMessageDirectlyResult,
  encodeConsumerConnection,
  encodeConsumerRunningInfo,
  encodeConsumeStats,
  encodeGroupList,
  encodeKVTable,
  encodeProducerConnection,
  encodeResetOffsetBody,
  encodeTopicList,
  encodeTopicStatsTable,
  MessageQueueMap,
  messageQueueKey,
  messageQueueToString,
  parseMessageQueueKey,
  type ConsumerRunningInfo,
  type ProcessQueueInfo,
} from '../../../../src/common/protocol/body/index.js';
import { RemotingCommandException } from '../../../../src/common/errors.js';

const mq0 = createMessageQueue('t', 'b', 0);
const mq1 = createMessageQueue('t', 'b', 1);

describe('MessageQueue', () => {
  it('keys queues by value, keeps insertion order and replaces in place', () => {
    const m = new MessageQueueMap<number>([[mq1, 1], [mq0, 0]]);
    m.set(createMessageQueue('t', 'b', 1), 11);
    expect(m.get({ topic: 't', brokerName: 'b', queueId: 1 })).to.equal(11);
    expect([...m.keys()].map((q) => q.queueId)).to.deep.equal([1, 0]);
    expect(m.delete(mq0)).to.equal(true);
    expect(m.size).to.equal(1);
  });

  it('has a reversible key string, Java compareTo order and Java toString', () => {
    const odd = createMessageQueue('a"b', 'x@y', 3);
    expect(parseMessageQueueKey(messageQueueKey(odd))).to.deep.equal(odd);
    expect(messageQueueKey(createMessageQueue('a', 'b@c', 1))).not.to.equal(messageQueueKey(createMessageQueue('a@b', 'c', 1)));
    const sorted = [mq1, createMessageQueue('a', 'z', 9), mq0].sort(compareMessageQueue);
    expect(sorted.map(messageQueueKey)).to.deep.equal([createMessageQueue('a', 'z', 9), mq0, mq1].map(messageQueueKey));
    expect(messageQueueToString(mq0)).to.equal('MessageQueue [topic=t, brokerName=b, queueId=0]');
  });
});

describe('ResetOffsetBody', () => {
  it('writes queues as object keys and reads them back', () => {
    const body = encodeResetOffsetBody({ offsetTable: new MessageQueueMap([[mq0, 5], [mq1, 9]]) });
    expect(body.toString()).to.equal(
      '{"offsetTable":{{"brokerName":"b","queueId":0,"topic":"t"}:5,{"brokerName":"b","queueId":1,"topic":"t"}:9}}',
    );
    expect([...decodeResetOffsetBody(body).offsetTable]).to.deep.equal([[mq0, 5], [mq1, 9]]);
  });

  it('rejects a string key where a MessageQueue is expected', () => {
    expect(() => decodeResetOffsetBody(Buffer.from('{"offsetTable":{"x":1}}'))).to.throw(RemotingCommandException, /MessageQueue/);
  });
});

describe('ConsumeStats and TopicStatsTable', () => {
  it('round-trips ConsumeStats with consumeTps as a Java double and computes the lag', () => {
    const cs = {
      consumeTps: 0,
      offsetTable: new MessageQueueMap([[mq0, { brokerOffset: 10, consumerOffset: 7, lastTimestamp: 1700000000000 }]]),
    };
    const body = encodeConsumeStats(cs);
    expect(body.toString()).to.equal(
      '{"consumeTps":0.0,"offsetTable":{{"brokerName":"b","queueId":0,"topic":"t"}:' +
        '{"brokerOffset":10,"consumerOffset":7,"lastTimestamp":1700000000000}}}',
    );
    const back = decodeConsumeStats(body);
    expect(back.offsetTable.get(mq0)).to.deep.equal(cs.offsetTable.get(mq0));
    expect(computeTotalDiff(back)).to.equal(3);
  });

  it('round-trips TopicStatsTable', () => {
    const t = { offsetTable: new MessageQueueMap([[mq1, { minOffset: 0, maxOffset: 3, lastUpdateTimestamp: 5 }]]) };
    const body = encodeTopicStatsTable(t);
    expect(body.toString()).to.equal(
      '{"offsetTable":{{"brokerName":"b","queueId":1,"topic":"t"}:{"lastUpdateTimestamp":5,"maxOffset":3,"minOffset":0}}}',
    );
    expect(decodeTopicStatsTable(body).offsetTable.get(mq1)).to.deep.equal({ minOffset: 0, maxOffset: 3, lastUpdateTimestamp: 5 });
  });
});

describe('Connections', () => {
  it('round-trips ConsumerConnection and ProducerConnection', () => {
    const conn = { clientId: '192.0.2.2@c1', clientAddr: '127.0.0.1:5000', language: 'JAVA' as const, version: 409 };
    const cc = {
      connectionSet: [conn, { ...conn, clientId: 'x', version: 121 }],
      subscriptionTable: new Map([['FixT', buildSubscriptionData('FixT', 'TagA', 1)]]),
      consumeType: 'CONSUME_PASSIVELY' as const,
      messageModel: 'CLUSTERING' as const,
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' as const,
    };
    const body = encodeConsumerConnection(cc);
    expect(body.toString()).to.match(
      /^\{"connectionSet":\[\{"clientAddr":"127\.0\.0\.1:5000","clientId":"192\.0\.2\.2@c1","language":"JAVA","version":409\},.*\],"consumeFromWhere":"CONSUME_FROM_FIRST_OFFSET","consumeType":"CONSUME_PASSIVELY","messageModel":"CLUSTERING","subscriptionTable":\{"FixT":\{/,
    );
    const back = decodeConsumerConnection(body);
    expect(back).to.deep.equal(cc);
    expect(computeMinVersion(back)).to.equal(121);
    const pc = { connectionSet: [conn] };
    expect(decodeProducerConnection(encodeProducerConnection(pc))).to.deep.equal(pc);
  });

  it('reads an unknown language name as OTHER', () => {
    const pc = decodeProducerConnection(Buffer.from('{"connectionSet":[{"clientId":"c","language":"COBOL","version":1}]}'));
    expect(pc.connectionSet[0]!.language).to.equal('OTHER');
  });
});

describe('small bodies', () => {
  it('round-trips KVTable, TopicList and GroupList', () => {
    const kv = { table: new Map([['brokerVersion', '409'], ['putTps', '0.0']]) };
    expect(encodeKVTable(kv).toString()).to.equal('{"table":{"brokerVersion":"409","putTps":"0.0"}}');
    expect(decodeKVTable(encodeKVTable(kv))).to.deep.equal(kv);
    expect(encodeTopicList({ topicList: ['A', 'B'] }).toString()).to.equal('{"topicList":["A","B"]}');
    const tl = { topicList: ['A'], brokerAddr: '127.0.0.1:10911' };
    expect(encodeTopicList(tl).toString()).to.equal('{"brokerAddr":"127.0.0.1:10911","topicList":["A"]}');
    expect(decodeTopicList(encodeTopicList(tl))).to.deep.equal(tl);
    expect(decodeGroupList(encodeGroupList({ groupList: ['g'] }))).to.deep.equal({ groupList: ['g'] });
  });

  it('round-trips CheckClientRequestBody and ConsumeMessageDirectlyResult', () => {
    const check = { clientId: 'c', group: 'g', subscriptionData: buildSubscriptionData('t', 'a', 1) };
    expect(decodeCheckClientRequestBody(encodeCheckClientRequestBody(check))).to.deep.equal(check);
    const result = { order: false, autoCommit: true, consumeResult: 'CR_SUCCESS' as const, spentTimeMills: 3 };
    expect(encodeConsumeMessageDirectlyResult(result).toString()).to.equal(
      '{"autoCommit":true,"consumeResult":"CR_SUCCESS","order":false,"spentTimeMills":3}',
    );
    expect(decodeConsumeMessageDirectlyResult(encodeConsumeMessageDirectlyResult(result))).to.deep.equal(result);
  });
});

describe('ConsumerRunningInfo', () => {
  it('writes Tree collections sorted, doubles as Java doubles, and reads back', () => {
    const pq: ProcessQueueInfo = {
      commitOffset: 3,
      cachedMsgMinOffset: 0,
      cachedMsgMaxOffset: 0,
      cachedMsgCount: 0,
      cachedMsgSizeInMiB: 0,
      transactionMsgMinOffset: 0,
      transactionMsgMaxOffset: 0,
      transactionMsgCount: 0,
      locked: false,
      tryUnlockTimes: 0,
      lastLockTimestamp: 0,
      droped: false,
      lastPullTimestamp: 1700000000000,
      lastConsumeTimestamp: 1700000000001,
    };
    const status = { pullRT: 1.5, pullTPS: 0, consumeRT: 2, consumeOKTPS: 0, consumeFailedTPS: 0, consumeFailedMsgs: 0 };
    const info: ConsumerRunningInfo = {
      properties: new Map([['PROP_CONSUME_TYPE', 'CONSUME_PASSIVELY']]),
      subscriptionSet: [buildSubscriptionData('t', '*', 2), buildSubscriptionData('%RETRY%g', '*', 1)],
      mqTable: new MessageQueueMap([[mq1, pq], [mq0, pq]]),
      statusTable: new Map([['t', status], ['%RETRY%g', status]]),
    };
    const text = encodeConsumerRunningInfo(info).toString();
    expect(text.indexOf('"queueId":0')).to.be.lessThan(text.indexOf('"queueId":1'));
    expect(text).to.contain('"statusTable":{"%RETRY%g":{"consumeFailedMsgs":0,"consumeFailedTPS":0.0,"consumeOKTPS":0.0,"consumeRT":2.0,"pullRT":1.5,"pullTPS":0.0},"t":');
    expect(text).to.contain('"subscriptionSet":[{"classFilterMode":false,"codeSet":[],"expressionType":"TAG","subString":"*","subVersion":1,"tagsSet":[],"topic":"%RETRY%g"}');
    expect(text).not.to.contain('jstack');
    const back = decodeConsumerRunningInfo(Buffer.from(text));
    expect(back.mqTable.get(mq1)).to.deep.equal(pq);
    expect(back.statusTable.get('t')).to.deep.equal(status);
    expect(back.properties.get('PROP_CONSUME_TYPE')).to.equal('CONSUME_PASSIVELY');
    expect(back.subscriptionSet.map((s) => s.topic)).to.deep.equal(['%RETRY%g', 't']);
  });
});
