import { expect } from 'chai';

import { FIRST_DELAY_TIME } from '../../../src/broker/schedule/schedule-message-service.js';
import { type MessageExt } from '../../../src/common/message/index.js';
import { messageProperties2String } from '../../../src/common/message/index.js';
import { createRequestWithHeader } from '../../../src/common/protocol/headers/command-header.js';
import { ConsumerSendMsgBackRequestHeader } from '../../../src/common/protocol/headers/consumer-manage.js';
import { SendMessageRequestHeaderV2 } from '../../../src/common/protocol/headers/send-message.js';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import { decodeWholeFrame } from '../../../src/common/remoting/frame-codec.js';
import type { RemotingClient } from '../../../src/common/remoting/remoting-client.js';
import type { RemotingCommand } from '../../../src/common/remoting/remoting-command.js';
import type { LocalCluster } from '../../../src/broker/local-cluster.js';
import { patchedLike, realRecordAt, sleep, waitUnits } from './delay-helpers.js';
import { BrokerFixture, TIMEOUT, frameBytes, sendV2 } from './helpers.js';

const SCHEDULE = 'SCHEDULE_TOPIC_XXXX';
/** Level 3 is the first retry's; level 5, the last, takes every retry from the third on. */
const LEVELS = '100ms 200ms 300ms 350ms 400ms';
const MAX_LEVEL = 5;
const DELAY_3 = 300;

interface SendBackOptions {
  delayLevel?: number;
  maxReconsumeTimes?: number;
  version?: number;
}

function sendBack(offset: number, group: string, o: SendBackOptions = {}): RemotingCommand {
  const req = createRequestWithHeader(RequestCode.CONSUMER_SEND_MSG_BACK, ConsumerSendMsgBackRequestHeader, {
    offset,
    group,
    delayLevel: o.delayLevel ?? 0,
    originTopic: 'RetryT',
    unitMode: false,
    ...(o.maxReconsumeTimes === undefined ? {} : { maxReconsumeTimes: o.maxReconsumeTimes }),
    bname: 'broker-a',
  });
  if (o.version !== undefined) req.version = o.version;
  return req;
}

/** The captured fixkey-3 message as the Java producer sent it (stored at real commitlog 684). */
function fixkey3(): RemotingCommand {
  const real = realRecordAt(684).msg;
  const properties = new Map(real.properties);
  properties.delete('CLUSTER');
  properties.set('WAIT', 'true');
  return sendV2('FixT', real.body, { properties, queueId: real.queueId, bornTimestamp: real.bornTimestamp });
}

/** `real` with its ORIGIN_MESSAGE_ID text swapped for ours (same length for IPv4 store hosts). */
function withOrigin(real: Buffer, realOrigin: string, ourOrigin: string): Buffer {
  return Buffer.from(real.toString('latin1').replace(realOrigin, ourOrigin), 'latin1');
}

describe('Retries: CONSUMER_SEND_MSG_BACK, %RETRY% and %DLQ% (real sockets)', function () {
  this.timeout(20000);
  let fx: BrokerFixture;
  let client: RemotingClient;
  let c: LocalCluster;

  beforeEach(async () => {
    fx = new BrokerFixture();
    client = fx.client();
    c = await fx.cluster({ messageStoreConfig: { messageDelayLevel: LEVELS } });
  });
  afterEach(() => fx.close());

  async function stored(topic: string, queueId: number, count: number): Promise<MessageExt[]> {
    return (await waitUnits(c, topic, queueId, count)).map((u) => u.msg);
  }

  it('answers the real send-back like Java and stores the Java SCHEDULE and %RETRY%FixG records', async () => {
    await sleep(FIRST_DELAY_TIME);
    expect((await client.invokeSync(c.brokerAddr, fixkey3(), TIMEOUT)).code).to.equal(ResponseCode.SUCCESS);
    const [orig] = await stored('FixT', 2, 1);
    // The captured request, pointed at our copy of fixkey-3.
    const captured = decodeWholeFrame(frameBytes('broker-36-consumer-send-msg-back.req.bin'));
    captured.extFields!['offset'] = String(orig!.commitLogOffset);
    const resp = await client.invokeSync(c.brokerAddr, captured, TIMEOUT);
    const real = decodeWholeFrame(frameBytes('broker-36-consumer-send-msg-back.resp.bin'));
    expect({ code: resp.code, remark: resp.remark, extFields: resp.extFields }).to.deep.equal({ code: real.code, remark: real.remark, extFields: real.extFields });

    const ourOrigin = orig!.offsetMsgId;
    const realOrigin = '7F000002000078BF00000000000002AC';
    const [sched] = await waitUnits(c, SCHEDULE, 2, 1);
    const realSched = realRecordAt(4030);
    expect(patchedLike(sched!.buf, realSched.buf).equals(withOrigin(realSched.buf, realOrigin, ourOrigin)), 'SCHEDULE record').to.equal(true);
    expect(sched!.tagsCode).to.equal(sched!.msg.storeTimestamp + DELAY_3);

    const [retry] = await waitUnits(c, '%RETRY%FixG', 0, 1);
    const realRetry = realRecordAt(4684);
    expect(patchedLike(retry!.buf, realRetry.buf).equals(withOrigin(realRetry.buf, realOrigin, ourOrigin)), '%RETRY% record').to.equal(true);
    expect(retry!.msg.storeTimestamp - sched!.msg.storeTimestamp).to.be.at.least(DELAY_3);
    expect(c.broker.topicConfigManager.selectTopicConfig('%RETRY%FixG')).to.include({ readQueueNums: 1, writeQueueNums: 1, perm: 6 });
  });

  it('returns a message N times at level 3 + reconsumeTimes, then puts it in %DLQ% with its body, keys, tags and properties', async () => {
    await sleep(FIRST_DELAY_TIME);
    const props = new Map([['TAGS', 'TagR'], ['KEYS', 'rk-1'], ['WAIT', 'true'], ['up', 'v']]);
    expect((await client.invokeSync(c.brokerAddr, sendV2('RetryT', 'retry body', { properties: props }), TIMEOUT)).code).to.equal(ResponseCode.SUCCESS);
    let [msg] = await stored('RetryT', 0, 1);
    const original = msg!;
    const maxReconsumeTimes = 3;
    for (let n = 1; n <= maxReconsumeTimes; n++) {
      const r = await client.invokeSync(c.brokerAddr, sendBack(msg!.commitLogOffset, 'RG', { maxReconsumeTimes }), TIMEOUT);
      expect(r.code, r.remark).to.equal(ResponseCode.SUCCESS);
      const retries = await stored('%RETRY%RG', 0, n);
      expect(retries, `retry ${n}`).to.have.length(n);
      msg = retries[n - 1];
      expect(msg!.reconsumeTimes).to.equal(n);
      // Level 3 + reconsumeTimes, clamped to the table's last level.
      expect(msg!.getProperty('DELAY')).to.equal(String(Math.min(2 + n, MAX_LEVEL)));
      expect(msg!.getProperty('RETRY_TOPIC')).to.equal('RetryT');
      expect(msg!.getProperty('ORIGIN_MESSAGE_ID'), 'the first message id, through every retry').to.equal(original.offsetMsgId);
      expect(msg!.body.toString()).to.equal('retry body');
    }
    const last = await client.invokeSync(c.brokerAddr, sendBack(msg!.commitLogOffset, 'RG', { maxReconsumeTimes }), TIMEOUT);
    expect(last.code).to.equal(ResponseCode.SUCCESS);
    const [dead] = await stored('%DLQ%RG', 0, 1);
    expect(dead!.reconsumeTimes).to.equal(maxReconsumeTimes + 1);
    expect(dead!.body.equals(original.body)).to.equal(true);
    expect([dead!.tags, dead!.keys, dead!.getProperty('up'), dead!.getProperty('UNIQ_KEY')]).to.deep.equal([original.tags, original.keys, 'v', original.getProperty('UNIQ_KEY')]);
    // Java sets the level to 0 (not cleared) on the way to the DLQ; nothing is scheduled.
    expect(dead!.getProperty('DELAY')).to.equal('0');
    expect(dead!.getProperty('ORIGIN_MESSAGE_ID')).to.equal(original.offsetMsgId);
    expect(c.broker.topicConfigManager.selectTopicConfig('%DLQ%RG')).to.include({ readQueueNums: 1, writeQueueNums: 1, perm: 6 });
  });

  it('takes the group retryMaxTimes for clients older than V3_4_9 and a negative level straight to the DLQ', async () => {
    const props = new Map([['TAGS', 'T'], ['WAIT', 'true']]);
    await client.invokeSync(c.brokerAddr, sendV2('RetryT', 'old', { properties: props }), TIMEOUT);
    const [msg] = await stored('RetryT', 0, 1);
    // An old client's maxReconsumeTimes 0 is ignored: the group allows 16, so this is a retry.
    const old = await client.invokeSync(c.brokerAddr, sendBack(msg!.commitLogOffset, 'OG', { maxReconsumeTimes: 0, version: 120 }), TIMEOUT);
    expect(old.code).to.equal(ResponseCode.SUCCESS);
    expect(await stored(SCHEDULE, 2, 1)).to.have.length(1);
    const neg = await client.invokeSync(c.brokerAddr, sendBack(msg!.commitLogOffset, 'NG', { delayLevel: -1 }), TIMEOUT);
    expect(neg.code).to.equal(ResponseCode.SUCCESS);
    const [dead] = await stored('%DLQ%NG', 0, 1);
    expect(dead!.reconsumeTimes).to.equal(1);
  });

  it('puts a direct send to %RETRY%<group> past its reconsume limit in %DLQ%<group>', async () => {
    const header = {
      producerGroup: 'PG',
      topic: '%RETRY%DG',
      defaultTopic: 'TBW102',
      defaultTopicQueueNums: 4,
      queueId: 0,
      sysFlag: 0,
      bornTimestamp: Date.now(),
      flag: 0,
      properties: messageProperties2String(new Map([['TAGS', 'T'], ['WAIT', 'true'], ['RETRY_TOPIC', 'X']])),
      unitMode: false,
      batch: false,
    };
    const under = await client.invokeSync(c.brokerAddr, createRequestWithHeader(RequestCode.SEND_MESSAGE_V2, SendMessageRequestHeaderV2, { ...header, reconsumeTimes: 1, maxReconsumeTimes: 2 }, Buffer.from('under')), TIMEOUT);
    const over = await client.invokeSync(c.brokerAddr, createRequestWithHeader(RequestCode.SEND_MESSAGE_V2, SendMessageRequestHeaderV2, { ...header, reconsumeTimes: 2, maxReconsumeTimes: 2 }, Buffer.from('over')), TIMEOUT);
    expect([under.code, over.code]).to.deep.equal([ResponseCode.SUCCESS, ResponseCode.SUCCESS]);
    expect((await stored('%RETRY%DG', 0, 1)).map((m) => m.body.toString())).to.deep.equal(['under']);
    const [dead] = await stored('%DLQ%DG', 0, 1);
    expect(dead!.body.toString()).to.equal('over');
    expect(dead!.reconsumeTimes).to.equal(2);
  });

  it('answers bad send-backs with Java codes and keeps serving', async () => {
    const unknown = await client.invokeSync(c.brokerAddr, sendBack(987_654, 'BG'), TIMEOUT);
    expect([unknown.code, unknown.remark]).to.deep.equal([ResponseCode.SYSTEM_ERROR, 'look message by offset failed, 987654']);
    await client.invokeSync(c.brokerAddr, sendV2('RetryT', 'x', {}), TIMEOUT);
    const [msg] = await stored('RetryT', 0, 1);
    // Inside a record: no record starts there.
    const inside = await client.invokeSync(c.brokerAddr, sendBack(msg!.commitLogOffset + 7, 'BG'), TIMEOUT);
    expect(inside.code).to.equal(ResponseCode.SYSTEM_ERROR);
    const ok = await client.invokeSync(c.brokerAddr, sendBack(msg!.commitLogOffset, 'BG'), TIMEOUT);
    expect(ok.code).to.equal(ResponseCode.SUCCESS);
  });

  it('refuses unknown groups when autoCreateSubscriptionGroup=false, and a broker without PERM_WRITE', async () => {
    const strict = await fx.cluster({ brokerConfig: { autoCreateSubscriptionGroup: false }, messageStoreConfig: { messageDelayLevel: LEVELS } });
    const r = await client.invokeSync(strict.brokerAddr, sendBack(0, 'NoSuchGroup'), TIMEOUT);
    expect(r.code).to.equal(ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST);
    expect(r.remark).to.equal('subscription group not exist, NoSuchGroup \nSee http://rocketmq.apache.org/docs/faq/ for further details.');
    c.broker.brokerConfig.brokerPermission = 4;
    const ro = await client.invokeSync(c.brokerAddr, sendBack(0, 'RG'), TIMEOUT);
    expect([ro.code, ro.remark]).to.deep.equal([ResponseCode.NO_PERMISSION, 'the broker[127.0.0.1] sending message is forbidden']);
  });
});
