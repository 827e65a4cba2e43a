import { expect } from 'chai';

import { ConsumerRelayProcessor } from '../../../src/broker/processor/consumer-relay-processor.js';
import { TRANSACTION_NOT_SUPPORTED_REMARK } from '../../../src/broker/processor/end-transaction-processor.js';
import { RemotingTimeoutException } from '../../../src/common/errors.js';
import { createLogger } from '../../../src/common/logging/logger.js';
import { MessageSysFlag } from '../../../src/common/message/index.js';
import { decodeMessageId } from '../../../src/common/message/message-id.js';
import { createMessageQueue } from '../../../src/common/protocol/body/message-queue.js';
import { decodeResetOffsetBody } from '../../../src/common/protocol/body/reset-offset-body.js';
import { createRequestWithHeader } from '../../../src/common/protocol/headers/command-header.js';
import { ConsumeMessageDirectlyResultRequestHeader, GetConsumerRunningInfoRequestHeader, ResetOffsetRequestHeader } from '../../../src/common/protocol/headers/consumer-control.js';
import { UpdateConsumerOffsetRequestHeader } from '../../../src/common/protocol/headers/consumer-offset.js';
import { EndTransactionRequestHeader } from '../../../src/common/protocol/headers/transaction.js';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import type { RemotingChannel } from '../../../src/common/remoting/remoting-channel.js';
import { RemotingCommand } from '../../../src/common/remoting/remoting-command.js';
import { BrokerFixture, TIMEOUT, heartbeat, sendV2, waitFor } from './helpers.js';

const resetOffset = (topic: string, group: string, timestamp: number, isForce: boolean): RemotingCommand =>
  createRequestWithHeader(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, ResetOffsetRequestHeader, { topic, group, timestamp, isForce });
const commitOffset = (group: string, topic: string, queueId: number, offset: number): RemotingCommand =>
  createRequestWithHeader(RequestCode.UPDATE_CONSUMER_OFFSET, UpdateConsumerOffsetRequestHeader, { consumerGroup: group, topic, queueId, commitOffset: offset });
const endTransaction = (commitOrRollback: number, commitLogOffset: number, producerGroup = 'TPG'): RemotingCommand =>
  createRequestWithHeader(RequestCode.END_TRANSACTION, EndTransactionRequestHeader, {
    producerGroup,
    tranStateTableOffset: 0,
    commitLogOffset,
    commitOrRollback,
    fromTransactionCheck: false,
    msgId: 'ABC',
  });

describe('Broker → client admin paths (reset offset, running info relay, END_TRANSACTION)', function () {
  this.timeout(20000);
  let fx: BrokerFixture;

  beforeEach(() => {
    fx = new BrokerFixture();
  });
  afterEach(() => fx.close());

  it('INVOKE_BROKER_TO_RESET_OFFSET: offsets by time, RESET_CONSUMER_CLIENT_OFFSET to the online member, ResetOffsetBody answer; Java errors', async () => {
    const c = await fx.cluster();
    const admin = fx.client();
    const consumer = fx.client();
    const resets: RemotingCommand[] = [];
    consumer.registerProcessor(RequestCode.RESET_CONSUMER_CLIENT_OFFSET, {
      processRequest: (_ch, req) => {
        resets.push(req);
        return null;
      },
    });
    const call = (req: RemotingCommand): Promise<RemotingCommand> => admin.invokeSync(c.brokerAddr, req, TIMEOUT);
    for (let i = 0; i < 5; i++) await call(sendV2('ResetT', `m${i}`, { queueId: 0, defaultTopicQueueNums: 2 }));
    await waitFor(() => c.broker.messageStore.getMaxOffsetInQueue('ResetT', 0) === 5);

    const noTopic = await call(resetOffset('NoSuchT', 'RG', 0, true));
    expect([noTopic.code, noTopic.remark]).to.deep.equal([ResponseCode.SYSTEM_ERROR, '[reset-offset] reset offset failed, no topic in this broker. topic=NoSuchT']);
    const noGroup = await call(resetOffset('ResetT', 'RG', 0, true));
    expect([noGroup.code, noGroup.remark]).to.deep.equal([ResponseCode.SYSTEM_ERROR, 'THe consumer group <RG> not exist']);
    await call(commitOffset('RG', 'ResetT', 0, 4));
    await call(commitOffset('RG', 'ResetT', 1, 0));
    const offline = await call(resetOffset('ResetT', 'RG', 0, true));
    expect(offline.code).to.equal(ResponseCode.CONSUMER_NOT_ONLINE);
    expect(offline.remark).to.equal('Consumer not online, so can not reset offset, Group: RG Topic: ResetT Timestamp: 0');

    expect((await consumer.invokeSync(c.brokerAddr, heartbeat('10.0.0.1@rc', 'RG', ['ResetT']), TIMEOUT)).code).to.equal(ResponseCode.SUCCESS);
    // Timestamp 0 is before every message: queue 0 goes back to 0 (forced or not, it moves back).
    const r = await call(resetOffset('ResetT', 'RG', 0, false));
    expect(r.code).to.equal(ResponseCode.SUCCESS);
    const table = decodeResetOffsetBody(r.body!).offsetTable;
    expect(table.get(createMessageQueue('ResetT', 'broker-a', 0))).to.equal(0);
    expect(table.get(createMessageQueue('ResetT', 'broker-a', 1))).to.equal(0);
    await waitFor(() => resets.length === 1);
    const notify = resets[0]!;
    expect(notify.getExtField('topic')).to.equal('ResetT');
    expect(notify.getExtField('group')).to.equal('RG');
    expect(notify.getExtField('timestamp')).to.equal('0');
    expect(notify.getExtField('isForce')).to.equal('false');
    expect(decodeResetOffsetBody(notify.body!).offsetTable.get(createMessageQueue('ResetT', 'broker-a', 0))).to.equal(0);
    // As Java, the broker leaves the stored offsets to the consumers.
    expect(c.broker.consumerOffsetManager.queryOffset('RG', 'ResetT', 0)).to.equal(4);

    // -1 = the max offset: not forced, a move forward keeps the current offset; forced, it moves.
    const keep = decodeResetOffsetBody((await call(resetOffset('ResetT', 'RG', -1, false))).body!).offsetTable;
    expect(keep.get(createMessageQueue('ResetT', 'broker-a', 0))).to.equal(4);
    const forced = decodeResetOffsetBody((await call(resetOffset('ResetT', 'RG', -1, true))).body!).offsetTable;
    expect(forced.get(createMessageQueue('ResetT', 'broker-a', 0))).to.equal(5);
  });

  it('GET_CONSUMER_RUNNING_INFO and CONSUME_MESSAGE_DIRECTLY are relayed over the consumer\'s own connection', async () => {
    const c = await fx.cluster();
    const admin = fx.client();
    const consumer = fx.client();
    const seen: RemotingCommand[] = [];
    const answer = (req: RemotingCommand): RemotingCommand => {
      seen.push(req);
      const res = RemotingCommand.createResponse(req, ResponseCode.SUCCESS, 'from consumer');
      res.body = Buffer.from(`{"code":${req.code}}`);
      return res;
    };
    consumer.registerProcessor(RequestCode.GET_CONSUMER_RUNNING_INFO, { processRequest: (_ch, req) => answer(req) });
    consumer.registerProcessor(RequestCode.CONSUME_MESSAGE_DIRECTLY, { processRequest: (_ch, req) => answer(req) });
    await consumer.invokeSync(c.brokerAddr, heartbeat('10.0.0.2@relay', 'RelayG', ['RelayT']), TIMEOUT);

    const info = await admin.invokeSync(
      c.brokerAddr,
      createRequestWithHeader(RequestCode.GET_CONSUMER_RUNNING_INFO, GetConsumerRunningInfoRequestHeader, { consumerGroup: 'RelayG', clientId: '10.0.0.2@relay', jstackEnable: false }),
      TIMEOUT,
    );
    expect([info.code, info.remark, info.body!.toString()]).to.deep.equal([ResponseCode.SUCCESS, 'from consumer', '{"code":307}']);
    expect(seen[0]!.getExtField('clientId')).to.equal('10.0.0.2@relay');

    const sent = await admin.invokeSync(c.brokerAddr, sendV2('RelayT', 'direct'), TIMEOUT);
    const msgId = sent.getExtField('msgId')!;
    const direct = await admin.invokeSync(
      c.brokerAddr,
      createRequestWithHeader(RequestCode.CONSUME_MESSAGE_DIRECTLY, ConsumeMessageDirectlyResultRequestHeader, { consumerGroup: 'RelayG', clientId: '10.0.0.2@relay', msgId }),
      TIMEOUT,
    );
    expect(direct.code).to.equal(ResponseCode.SUCCESS);
    const forwarded = seen[1]!;
    expect(forwarded.getExtField('brokerName')).to.equal('broker-a');
    expect(forwarded.body!.includes(Buffer.from('direct'))).to.equal(true);
    expect(forwarded.body!.readInt32BE(0)).to.equal(forwarded.body!.length);

    const offline = await admin.invokeSync(
      c.brokerAddr,
      createRequestWithHeader(RequestCode.GET_CONSUMER_RUNNING_INFO, GetConsumerRunningInfoRequestHeader, { consumerGroup: 'RelayG', clientId: 'nobody', jstackEnable: false }),
      TIMEOUT,
    );
    expect([offline.code, offline.remark]).to.deep.equal([ResponseCode.SYSTEM_ERROR, 'The Consumer <RelayG> <nobody> not online']);
  });

  it('relay: a consumer that does not answer gives CONSUME_MSG_TIMEOUT, one that fails SYSTEM_ERROR', async () => {
    const outcomes: Error[] = [new RemotingTimeoutException('wait response timeout 10000ms'), new Error('channel closed')];
    const processor = new ConsumerRelayProcessor({
      consumerManager: {
        getConsumerGroupInfo: () =>
          ({
            channelInfoTable: new Map([[1, { clientId: 'cid', version: 409, language: 'JAVA', lastUpdateTimestamp: 0, channel: { invokeSync: () => Promise.reject(outcomes.shift()!) } }]]),
          }) as never,
      },
      store: { selectOneMessageByOffset: () => Promise.resolve(undefined) },
      brokerName: () => 'b',
      log: createLogger('test'),
    });
    const req = (): RemotingCommand =>
      createRequestWithHeader(RequestCode.GET_CONSUMER_RUNNING_INFO, GetConsumerRunningInfoRequestHeader, { consumerGroup: 'G', clientId: 'cid', jstackEnable: false });
    const channel = {} as RemotingChannel;
    const timeout = await processor.processRequest(channel, req());
    expect(timeout.code).to.equal(ResponseCode.CONSUME_MSG_TIMEOUT);
    expect(timeout.remark).to.match(/^consumer <G> <cid> Timeout: /);
    const failed = await processor.processRequest(channel, req());
    expect([failed.code, failed.remark]).to.deep.equal([ResponseCode.SYSTEM_ERROR, 'invoke consumer <G> <cid> Exception: channel closed']);
  });

  it('END_TRANSACTION: pending state unanswered; COMMIT/ROLLBACK checked with Java\'s remarks; never crashes', async () => {
    const c = await fx.cluster();
    const client = fx.client();
    const call = (req: RemotingCommand): Promise<RemotingCommand> => client.invokeSync(c.brokerAddr, req, TIMEOUT);
    const missing = await call(endTransaction(MessageSysFlag.TRANSACTION_ROLLBACK_TYPE, 123456789));
    expect([missing.code, missing.remark]).to.deep.equal([ResponseCode.SYSTEM_ERROR, 'Find prepared transaction message failed']);
    const sent = await call(sendV2('TxT', 'plain'));
    expect(sent.code).to.equal(ResponseCode.SUCCESS);
    const wrongGroup = await call(endTransaction(MessageSysFlag.TRANSACTION_COMMIT_TYPE, 0));
    expect([wrongGroup.code, wrongGroup.remark]).to.deep.equal([ResponseCode.SYSTEM_ERROR, 'The producer group wrong']);
    // A half message stored by a Java broker would pass the checks; this broker cannot complete it.
    const pgroup = await call(sendV2('TxT2', 'with pgroup', { properties: new Map([['PGROUP', 'TPG'], ['WAIT', 'true']]) }));
    expect(pgroup.code).to.equal(ResponseCode.SUCCESS);
    const phy = decodeMessageId(pgroup.getExtField('msgId')!).offset;
    const unsupported = await call(endTransaction(MessageSysFlag.TRANSACTION_COMMIT_TYPE, phy));
    expect([unsupported.code, unsupported.remark]).to.deep.equal([ResponseCode.SYSTEM_ERROR, TRANSACTION_NOT_SUPPORTED_REMARK]);
    // UNKNOW: Java returns null — no answer; the oneway form is what producers send.
    await client.invokeOneway(c.brokerAddr, endTransaction(MessageSysFlag.TRANSACTION_NOT_TYPE, 0).markOneway(), TIMEOUT);
    expect((await call(endTransaction(MessageSysFlag.TRANSACTION_ROLLBACK_TYPE, -5))).remark).to.equal('Find prepared transaction message failed');
  });
});
