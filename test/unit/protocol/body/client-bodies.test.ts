import { expect } from 'chai';
import {
  buildSubscriptionData,
  buildSubscriptionDataOfType,
  decodeGetConsumerListByGroupResponseBody,
  decodeHeartbeatData,
  decodeLockBatchRequestBody,
  decodeLockBatchResponseBody,
  decodeUnlockBatchRequestBody,
  encodeGetConsumerListByGroupResponseBody,
  encodeHeartbeatData,
  encodeLockBatchRequestBody,
  encodeLockBatchResponseBody,
  encodeUnlockBatchRequestBody,
  type HeartbeatData,
} from '../../../../src/common/protocol/body/index.js';
import { RemotingCommandException } from '../../../../src/common/errors.js';
import { javaStringHashCode } from '../../../../src/common/util/java-hash-map-order.js';
import { frameBody } from './fixture-util.js';

describe('HeartbeatData', () => {
  const body = frameBody('broker-34-heartbeat-consumer-producer.req.bin');

  it('decodes the heartbeat of a real 4.9.8 push consumer', () => {
    const hb = decodeHeartbeatData(body);
    expect(hb.clientID).to.equal('192.0.2.2@consumer1');
    expect(hb.producerDataSet).to.deep.equal([{ groupName: 'CLIENT_INNER_PRODUCER' }]);
    const cd = hb.consumerDataSet[0]!;
    expect(cd).to.include({
      groupName: 'FixG',
      consumeType: 'CONSUME_PASSIVELY',
      messageModel: 'CLUSTERING',
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
      unitMode: false,
    });
    const fixT = cd.subscriptionDataSet.find((s) => s.topic === 'FixT')!;
    expect(fixT).to.deep.equal({
      classFilterMode: false,
      topic: 'FixT',
      subString: 'TagA || TagB',
      tagsSet: ['TagA', 'TagB'],
      codeSet: [2598919, 2598920],
      subVersion: 1795623684966,
      expressionType: 'TAG',
    });
  });

  it('re-encodes it byte for byte', () => {
    expect(encodeHeartbeatData(decodeHeartbeatData(body)).equals(body)).to.equal(true);
  });

  it('builds the same bytes from FilterAPI subscriptions, as the Java client does', () => {
    const hb: HeartbeatData = {
      clientID: '192.0.2.2@consumer1',
      consumerDataSet: [
        {
          groupName: 'FixG',
          consumeType: 'CONSUME_PASSIVELY',
          messageModel: 'CLUSTERING',
          consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
          subscriptionDataSet: [
            buildSubscriptionData('%RETRY%FixG', '*', 1795623684970),
            buildSubscriptionData('FixT', 'TagA || TagB', 1795623684966),
          ],
          unitMode: false,
        },
      ],
      producerDataSet: [{ groupName: 'CLIENT_INNER_PRODUCER' }],
    };
    expect(encodeHeartbeatData(hb).toString()).to.equal(body.toString());
  });

  it('accepts an ali-ons heartbeat without expressionType, unitMode or codeSet', () => {
    const hb = decodeHeartbeatData(
      Buffer.from(
        '{"clientID":"10.0.0.1@1","producerDataSet":[],"consumerDataSet":[{"groupName":"g","consumeType":"CONSUME_PASSIVELY",' +
          '"messageModel":"CLUSTERING","consumeFromWhere":"CONSUME_FROM_LAST_OFFSET","subscriptionDataSet":' +
          '[{"topic":"t","subString":"*","classFilterMode":false,"tagsSet":[],"subVersion":1}]}]}',
      ),
    );
    const cd = hb.consumerDataSet[0]!;
    expect(cd.unitMode).to.equal(false);
    expect(cd.subscriptionDataSet[0]).to.include({ expressionType: 'TAG', subVersion: 1 });
    expect(cd.subscriptionDataSet[0]!.codeSet).to.deep.equal([]);
  });

  it('rejects an unknown enum name with RemotingCommandException', () => {
    expect(() => decodeHeartbeatData(Buffer.from('{"consumerDataSet":[{"consumeType":"NOPE"}]}'))).to.throw(
      RemotingCommandException,
      /consumeType/,
    );
  });
});

describe('FilterAPI.buildSubscriptionData', () => {
  it('treats *, empty and absent expressions as subscribe-all', () => {
    for (const e of ['*', '', undefined]) {
      const sd = buildSubscriptionData('T', e, 5);
      expect(sd).to.deep.equal({
        classFilterMode: false,
        topic: 'T',
        subString: '*',
        tagsSet: [],
        codeSet: [],
        subVersion: 5,
        expressionType: 'TAG',
      });
    }
  });

  it('splits on ||, trims, drops empty tags and hashes each tag like String.hashCode', () => {
    const sd = buildSubscriptionData('T', ' TagA ||TagB||  || TagA', 1);
    expect(sd.subString).to.equal(' TagA ||TagB||  || TagA');
    expect(sd.tagsSet).to.deep.equal(['TagA', 'TagB']);
    expect(sd.codeSet).to.deep.equal([javaStringHashCode('TagA'), javaStringHashCode('TagB')]);
  });

  it('fails like Java when nothing is left after splitting', () => {
    expect(() => buildSubscriptionData('T', '||')).to.throw(RemotingCommandException);
  });

  it('keeps SQL92 expressions verbatim and requires them', () => {
    expect(buildSubscriptionDataOfType('T', 'a > 1', 'SQL92', 1)).to.include({ subString: 'a > 1', expressionType: 'SQL92' });
    expect(() => buildSubscriptionDataOfType('T', '', 'SQL92')).to.throw(RemotingCommandException);
    expect(buildSubscriptionDataOfType('T', 'X', undefined, 1).tagsSet).to.deep.equal(['X']);
  });
});

describe('LockBatch bodies', () => {
  it('decodes and re-encodes the real LOCK_BATCH_MQ request and response byte for byte', () => {
    const req = frameBody('broker-41-lock-batch-mq.req.bin');
    const decoded = decodeLockBatchRequestBody(req);
    expect(decoded).to.deep.equal({
      clientId: '192.0.2.2@orderly',
      consumerGroup: 'FixOG',
      mqSet: [{ topic: 'FixT', brokerName: 'broker-a', queueId: 0 }],
    });
    expect(encodeLockBatchRequestBody(decoded).equals(req)).to.equal(true);
    const resp = frameBody('broker-41-lock-batch-mq.resp.bin');
    const ok = decodeLockBatchResponseBody(resp);
    expect(ok.lockOKMQSet).to.deep.equal([{ topic: 'FixT', brokerName: 'broker-a', queueId: 0 }]);
    expect(encodeLockBatchResponseBody(ok).equals(resp)).to.equal(true);
  });

  it('decodes and re-encodes the real UNLOCK_BATCH_MQ request byte for byte', () => {
    const req = frameBody('broker-42-unlock-batch-mq.req.bin');
    const decoded = decodeUnlockBatchRequestBody(req);
    expect(decoded.mqSet).to.have.length(5);
    expect(decoded.mqSet[4]).to.deep.equal({ topic: '%RETRY%FixOG', brokerName: 'broker-a', queueId: 0 });
    expect(encodeUnlockBatchRequestBody(decoded).equals(req)).to.equal(true);
  });
});

describe('GetConsumerListByGroupResponseBody', () => {
  it('decodes and re-encodes the real one- and two-consumer answers byte for byte', () => {
    for (const [name, ids] of [
      ['broker-38-consumer-list-one.resp.bin', ['192.0.2.2@consumer1']],
      ['broker-38-consumer-list-two.resp.bin', ['192.0.2.2@consumer2', '192.0.2.2@consumer1']],
    ] as const) {
      const body = frameBody(name);
      const decoded = decodeGetConsumerListByGroupResponseBody(body);
      expect(decoded.consumerIdList).to.deep.equal(ids);
      expect(encodeGetConsumerListByGroupResponseBody(decoded).equals(body)).to.equal(true);
    }
  });
});
