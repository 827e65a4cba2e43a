import { expect } from 'chai';

import { decodeRecord } from '../../../src/common/message/index.js';
import { readHeader } from '../../../src/common/protocol/headers/command-header.js';
import { PullMessageResponseHeader } from '../../../src/common/protocol/headers/pull-message.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import type { RemotingCommand } from '../../../src/common/remoting/remoting-command.js';
import { javaStringHashCode } from '../../../src/common/util/java-hash-map-order.js';
import { sleep } from './delay-helpers.js';
import { BrokerFixture, TIMEOUT, pull, sendV2 } from './helpers.js';

/** DefaultMQPushConsumer's brokerSuspendMaxTimeMillis: how long a Java push consumer's pull is held. */
const JAVA_SUSPEND_MILLIS = 15_000;
const LEVEL_1_MILLIS = 300;

/**
 * A Java push consumer waits for a delayed message in a held pull (FLAG_SUSPEND, 15 s). The record
 * ScheduleMessageService puts back to the real topic must answer that pull through the store's
 * arriving hook, and its ConsumeQueue tagsCode must be the TAGS hash (not the SCHEDULE deliver time)
 * so a tag subscription matches. Otherwise the consumer only sees the message when the hold times
 * out (up to 15 s late) — the suspected cause of a 24.5 s level-3 latency that turned out to be
 * the Java client's route discovery for a topic created after it started (the same on the real
 * broker). The assertions are about the mechanism, not tight wall-clock bounds.
 */
describe('Long polling and delayed messages (real sockets)', function () {
  this.timeout(30_000);
  let fx: BrokerFixture;

  beforeEach(() => {
    fx = new BrokerFixture();
  });
  afterEach(() => fx.close());

  it('a held pull (tag and * subscriptions) is answered by the schedule delivery, not by its suspend timeout', async () => {
    const c = await fx.cluster({ messageStoreConfig: { messageDelayLevel: `${LEVEL_1_MILLIS}ms 1s` } });
    const client = fx.client();
    const addr = c.brokerAddr;
    const tagD = new Map([['TAGS', 'TagD'], ['WAIT', 'true']]);
    // The topic exists and queue 1 holds one message: the consumer waits at offset 1.
    expect((await client.invokeSync(addr, sendV2('DelayLP', 'first', { queueId: 1, properties: tagD }), TIMEOUT)).code).to.equal(ResponseCode.SUCCESS);
    // The send is answered before the reput dispatches it; a pull at 1 before that is OFFSET_MOVED.
    for (let i = 0; i < 200 && c.broker.messageStore.getMaxOffsetInQueue('DelayLP', 1) < 1; i++) await sleep(10);

    const answers: { res: RemotingCommand; at: number }[] = [];
    const hold = (subscription: string): Promise<void> =>
      client.invokeSync(addr, pull('DelayLP', 1, { queueId: 1, subscription, suspendTimeoutMillis: JAVA_SUSPEND_MILLIS }), JAVA_SUSPEND_MILLIS + 5000).then((res) => {
        answers.push({ res, at: Date.now() });
      });
    const held = [hold('TagD'), hold('*')];
    for (let i = 0; i < 200 && c.broker.pullRequestHoldService.heldCount < 2; i++) await sleep(10);
    expect(c.broker.pullRequestHoldService.heldCount, 'both pulls suspended').to.equal(2);

    // Which call answered them: the arrival hook for the delivered record (with its tagsCode), not
    // the periodic re-check (every 5 s, it would also answer a pull whose arrival was missed).
    const hs = c.broker.pullRequestHoldService;
    const arrivals: { topic: string; tagsCode: number; heldBefore: number; heldAfter: number }[] = [];
    const arriving = hs.arriving.bind(hs);
    hs.arriving = (topic, queueId, logicOffset, tagsCode) => {
      const heldBefore = hs.heldCount;
      arriving(topic, queueId, logicOffset, tagsCode);
      arrivals.push({ topic, tagsCode, heldBefore, heldAfter: hs.heldCount });
    };

    const properties = new Map([...tagD, ['DELAY', '1']]);
    const sent = await client.invokeSync(addr, sendV2('DelayLP', 'delayed', { queueId: 1, properties }), TIMEOUT);
    const sentAt = Date.now();
    expect(sent.code).to.equal(ResponseCode.SUCCESS);
    // The SCHEDULE_TOPIC_XXXX record is another queue: it must not answer the pulls.
    expect(answers, 'answered before the delivery').to.have.length(0);

    await Promise.all(held);
    const delivery = arrivals.filter((a) => a.topic === 'DelayLP');
    expect(delivery, 'the delivered record\'s arrival answered both pulls').to.deep.equal([{ topic: 'DelayLP', tagsCode: javaStringHashCode('TagD'), heldBefore: 2, heldAfter: 0 }]);
    for (const { res, at } of answers) {
      expect(res.code, res.remark).to.equal(ResponseCode.SUCCESS);
      const msg = decodeRecord(res.body!, 0);
      expect(msg.body.toString()).to.equal('delayed');
      expect(msg.getProperty('REAL_TOPIC'), 'the delivered record').to.equal('DelayLP');
      expect(readHeader(res, PullMessageResponseHeader)).to.include({ nextBeginOffset: 2, maxOffset: 2 });
      // Woken by the arrival: the answer follows the delivery, not the 15 s hold (half of it is a
      // generous bound on a loaded machine; the delivery itself is due after 300 ms).
      expect(at - sentAt, 'answered by the arrival, long before the suspend timeout').to.be.below(JAVA_SUSPEND_MILLIS / 2);
    }
  });
});
