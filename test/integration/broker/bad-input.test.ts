import { expect } from 'chai';

import { readHeader } from '../../../src/common/protocol/headers/command-header.js';
import { createRequestWithHeader } from '../../../src/common/protocol/headers/command-header.js';
import { CreateTopicRequestHeader } from '../../../src/common/protocol/headers/admin.js';
import { SendMessageResponseHeader } from '../../../src/common/protocol/headers/send-message.js';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import { RemotingCommand } from '../../../src/common/remoting/remoting-command.js';
import { decodeWholeFrame } from '../../../src/common/remoting/frame-codec.js';
import { BrokerFixture, TIMEOUT, exchangeResponse, frameBytes, heartbeat, pull, sendBatch, sendV2, Message } from './helpers.js';

describe('Broker bad input: answered with RocketMQ codes, the broker keeps serving', function () {
  this.timeout(15000);
  let fx: BrokerFixture;

  beforeEach(() => {
    fx = new BrokerFixture();
  });
  afterEach(() => fx.close());

  it('answers every bad request with its code and still stores the next good message', async () => {
    const c = await fx.cluster({ messageStoreConfig: { maxMessageSize: 1024 } });
    const client = fx.client();
    const call = (req: RemotingCommand): Promise<RemotingCommand> => client.invokeSync(c.brokerAddr, req, TIMEOUT);

    const big = await call(sendV2('BadT', Buffer.alloc(2048)));
    expect(big.code).to.equal(ResponseCode.MESSAGE_ILLEGAL);
    expect(big.remark).to.contain('msg body length limit 1024B');
    expect(big.getExtField('MSG_REGION')).to.equal('DefaultRegion');
    const bigBatch = await call(sendBatch('BadT', [new Message('BadT', Buffer.alloc(2048))]));
    expect(bigBatch.code).to.equal(ResponseCode.MESSAGE_ILLEGAL);
    const badTopic = await call(sendV2('bad topic!', 'x'));
    expect(badTopic.code).to.equal(ResponseCode.SYSTEM_ERROR);
    expect(badTopic.remark).to.equal('The specified topic contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$');
    const longTopic = await call(sendV2('T'.repeat(128), 'x'));
    expect(longTopic.code).to.equal(ResponseCode.SYSTEM_ERROR);
    expect(longTopic.remark).to.equal('The specified topic is longer than topic max length.');
    const forbidden = await call(sendV2('SCHEDULE_TOPIC_XXXX', 'x'));
    expect(forbidden.code).to.equal(ResponseCode.NO_PERMISSION);
    expect(forbidden.remark).to.equal('Sending message to topic[SCHEDULE_TOPIC_XXXX] is forbidden.');

    const ro = createRequestWithHeader(RequestCode.UPDATE_AND_CREATE_TOPIC, CreateTopicRequestHeader, {
      topic: 'ReadOnlyT',
      defaultTopic: 'TBW102',
      readQueueNums: 2,
      writeQueueNums: 2,
      perm: 4,
      topicFilterType: 'SINGLE_TAG',
    });
    expect((await call(ro)).code).to.equal(ResponseCode.SUCCESS);
    expect((await call(sendV2('ReadOnlyT', 'x'))).code).to.equal(ResponseCode.NO_PERMISSION);
    const badQueue = await call(sendV2('ReadOnlyT', 'x', { queueId: 9 }));
    expect(badQueue.code).to.equal(ResponseCode.NO_PERMISSION);
    await call(sendV2('QT', 'x', { queueId: 0 }));
    const queueTooBig = await call(sendV2('QT', 'x', { queueId: 99 }));
    expect(queueTooBig.code).to.equal(ResponseCode.SYSTEM_ERROR);
    expect(queueTooBig.remark).to.match(/^request queueId\[99\] is illegal, TopicConfig \[topicName=QT, readQueueNums=4/);
    const sysTopic = await call(
      createRequestWithHeader(RequestCode.UPDATE_AND_CREATE_TOPIC, CreateTopicRequestHeader, {
        topic: 'TBW102', defaultTopic: 'TBW102', readQueueNums: 1, writeQueueNums: 1, perm: 6, topicFilterType: 'SINGLE_TAG',
      }),
    );
    expect(sysTopic.code).to.equal(ResponseCode.SYSTEM_ERROR);
    expect(sysTopic.remark).to.equal('The topic[TBW102] is conflict with system topic.');

    const unknown = await call(RemotingCommand.createRequest(9999));
    expect(unknown.code).to.equal(ResponseCode.REQUEST_CODE_NOT_SUPPORTED);
    expect(unknown.remark).to.equal(' request type 9999 not supported');
    const missing = await call(RemotingCommand.createRequest(RequestCode.SEND_MESSAGE_V2, { a: 'PG' }, Buffer.from('x')));
    expect(missing.code).to.equal(ResponseCode.SYSTEM_ERROR);
    expect(missing.remark).to.equal('the custom field <b> is null');
    const garbageHb = await call(RemotingCommand.createRequest(RequestCode.HEART_BEAT, undefined, Buffer.from('{not json')));
    expect(garbageHb.code).to.equal(ResponseCode.SYSTEM_ERROR);
    const garbageBatch = await call(RemotingCommand.createRequest(RequestCode.SEND_BATCH_MESSAGE, sendBatch('BadT', []).extFields, Buffer.from([0, 0, 0, 99, 1, 2])));
    expect(garbageBatch.code).to.equal(ResponseCode.MESSAGE_ILLEGAL);
    const noTopic = await call(pull('NoSuchTopic', 0));
    expect(noTopic.code).to.equal(ResponseCode.TOPIC_NOT_EXIST);
    const noSub = await call(pull('QT', 0, { sysFlag: 0x2 }));
    expect(noSub.code).to.equal(ResponseCode.SUBSCRIPTION_NOT_EXIST);
    const sql = await call(pull('QT', 0, { subscription: 'a > 1' }));
    expect(sql.code).to.equal(ResponseCode.PULL_RETRY_IMMEDIATELY); // as TAG, "a > 1" is a tag nothing carries
    const badQueuePull = await call(pull('QT', 0, { queueId: 77 }));
    expect(badQueuePull.code).to.equal(ResponseCode.SYSTEM_ERROR);
    expect(badQueuePull.remark).to.match(/^queueId\[77\] is illegal/);

    const ok = await call(sendV2('QT', 'still fine', { queueId: 0 }));
    expect(ok.code).to.equal(ResponseCode.SUCCESS);
    expect(readHeader(ok, SendMessageResponseHeader).queueOffset).to.equal(1);
  });

  it('answers real heartbeat, consumer-list, lock and unlock captures with the captured frames', async () => {
    const c = await fx.cluster();
    // One connection per request: the heartbeat's connection also receives NOTIFY_CONSUMER_IDS_CHANGED.
    const replay = async (name: string): Promise<Buffer> => exchangeResponse(await fx.raw(c.brokerAddr), frameBytes(`${name}.req.bin`));
    expect((await replay('broker-34-heartbeat-consumer-producer')).equals(frameBytes('broker-34-heartbeat-consumer-producer.resp.bin'))).to.equal(true);
    const list = decodeWholeFrame(await replay('broker-38-consumer-list-one'));
    const real = decodeWholeFrame(frameBytes('broker-38-consumer-list-one.resp.bin'));
    expect(list.code).to.equal(real.code);
    expect(list.extFields).to.deep.equal(real.extFields);
    expect(list.body!.toString()).to.equal(real.body!.toString());
    expect((await replay('broker-41-lock-batch-mq')).equals(frameBytes('broker-41-lock-batch-mq.resp.bin'))).to.equal(true);
    expect((await replay('broker-42-unlock-batch-mq')).equals(frameBytes('broker-42-unlock-batch-mq.resp.bin'))).to.equal(true);
    expect((await replay('broker-17-update-create-topic')).equals(frameBytes('broker-17-update-create-topic.resp.bin'))).to.equal(true);
    expect((await replay('broker-35-unregister-client')).equals(frameBytes('broker-35-unregister-client.resp.bin'))).to.equal(true);
  });

  it('a flood of suspended pulls is bounded: beyond maxPullRequestsHeld they answer at once', async () => {
    const c = await fx.cluster({ brokerConfig: { maxPullRequestsHeld: 5 } });
    const client = fx.client();
    await client.invokeSync(c.brokerAddr, heartbeat('x@1', 'CG', ['FloodT']), TIMEOUT);
    await client.invokeSync(c.brokerAddr, sendV2('FloodT', 'x', { queueId: 1 }), TIMEOUT);
    const started = Date.now();
    const pulls = Array.from({ length: 20 }, () => client.invokeSync(c.brokerAddr, pull('FloodT', 0, { suspendTimeoutMillis: 600 }), 5000));
    const answers = await Promise.all(pulls.map(async (p) => ({ res: await p, at: Date.now() - started })));
    expect(answers.every((a) => a.res.code === ResponseCode.PULL_NOT_FOUND)).to.equal(true);
    expect(answers.filter((a) => a.at < 300)).to.have.length(15);
    expect(c.broker.pullRequestHoldService.heldCount).to.equal(0);
  });
});
