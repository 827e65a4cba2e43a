import { expect } from 'chai';

import type { LocalCluster } from '../../../src/broker/local-cluster.js';
import { decodes } from '../../../src/common/message/record-decoder.js';
import { MessageConst } from '../../../src/common/message/message-const.js';
import { decodeOffsetMovedEvent, encodeOffsetMovedEvent } from '../../../src/common/protocol/body/offset-moved-event.js';
import { PullMessageResponseHeader } from '../../../src/common/protocol/headers/pull-message.js';
import { readHeader } from '../../../src/common/protocol/headers/command-header.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import type { RemotingCommand } from '../../../src/common/remoting/remoting-command.js';
import type { RemotingClient } from '../../../src/common/remoting/remoting-client.js';
import { BrokerFixture, TIMEOUT, pull, sendV2, waitFor } from './helpers.js';

const EVENT_TOPIC = 'OFFSET_MOVED_EVENT';

describe('PULL_OFFSET_MOVED writes an OffsetMovedEvent to OFFSET_MOVED_EVENT (PullMessageProcessor.generateOffsetMovedEvent)', function () {
  this.timeout(20000);
  let fx: BrokerFixture;
  let c: LocalCluster;
  let client: RemotingClient;
  const call = (req: RemotingCommand): Promise<RemotingCommand> => client.invokeSync(c.brokerAddr, req, TIMEOUT);

  beforeEach(async () => {
    fx = new BrokerFixture();
    c = await fx.cluster();
    client = fx.client();
  });
  afterEach(() => fx.close());

  it('the body is fastjson\'s bean text, field by field', () => {
    const body = encodeOffsetMovedEvent({
      consumerGroup: 'G',
      messageQueue: { topic: 'T', brokerName: 'broker-a', queueId: 2 },
      offsetRequest: 10,
      offsetNew: 3,
    });
    expect(body.toString()).to.equal('{"consumerGroup":"G","messageQueue":{"brokerName":"broker-a","queueId":2,"topic":"T"},"offsetNew":3,"offsetRequest":10}');
    expect(decodeOffsetMovedEvent(body)).to.deep.equal({ consumerGroup: 'G', messageQueue: { topic: 'T', brokerName: 'broker-a', queueId: 2 }, offsetRequest: 10, offsetNew: 3 });
  });

  it('a pull far past the queue end is corrected and reported once per corrected pull', async () => {
    for (let i = 0; i < 3; i++) expect((await call(sendV2('OmT', `m${i}`, { queueId: 0 }))).code).to.equal(ResponseCode.SUCCESS);
    const store = c.broker.messageStore;
    await waitFor(() => store.getMaxOffsetInQueue('OmT', 0) === 3);
    expect(store.getMaxOffsetInQueue(EVENT_TOPIC, 0), 'no event before any correction').to.equal(0);

    // OFFSET_OVERFLOW_BADLY: with minOffset 0 Java corrects to the min offset (0), not the max.
    const moved = await call(pull('OmT', 50, { group: 'CG_OM', queueId: 0, sysFlag: 0x4 }));
    expect(moved.code).to.equal(ResponseCode.PULL_OFFSET_MOVED);
    expect(readHeader(moved, PullMessageResponseHeader).nextBeginOffset).to.equal(0);
    await waitFor(() => store.getMaxOffsetInQueue(EVENT_TOPIC, 0) === 1);

    const r = await call(pull(EVENT_TOPIC, 0, { group: 'CG_TOOLS', queueId: 0, sysFlag: 0x4 }));
    expect(r.code).to.equal(ResponseCode.SUCCESS);
    const [msg, ...rest] = decodes(r.body!);
    expect(rest).to.have.length(0);
    expect(decodeOffsetMovedEvent(msg!.body)).to.deep.equal({
      consumerGroup: 'CG_OM',
      messageQueue: { topic: 'OmT', brokerName: c.broker.brokerConfig.brokerName, queueId: 0 },
      offsetRequest: 50,
      offsetNew: 0,
    });
    expect(msg!.tags).to.equal('CG_OM');
    expect(msg!.keys).to.equal('CG_OM');
    expect(msg!.getProperty(MessageConst.PROPERTY_DELAY_TIME_LEVEL), 'Java sets delay level 0, which writes DELAY=0').to.equal('0');
    expect(msg!.getProperty(MessageConst.PROPERTY_WAIT_STORE_MSG_OK), 'no WAIT: Java builds it with the no-argument constructor').to.equal(undefined);
    expect(msg!.queueId).to.equal(0);
    expect(msg!.bornHost).to.deep.equal(c.broker.storeHost);
    expect(msg!.storeHost).to.deep.equal(c.broker.storeHost);

    // A pull in range is not corrected and writes nothing.
    expect((await call(pull('OmT', 0, { group: 'CG_OM', queueId: 0, sysFlag: 0x4 }))).code).to.equal(ResponseCode.SUCCESS);
    const again = await call(pull('OmT', 60, { group: 'CG_OM', queueId: 0, sysFlag: 0x4 }));
    expect(again.code).to.equal(ResponseCode.PULL_OFFSET_MOVED);
    await waitFor(() => store.getMaxOffsetInQueue(EVENT_TOPIC, 0) === 2);
  });
});
