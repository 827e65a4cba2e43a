import { expect } from 'chai';

import { DEFAULT_MESSAGE_DELAY_LEVEL, computeDeliverTimestamp, parseDelayLevel } from '../../../../src/broker/schedule/delay-level-table.js';
import { rewriteDelayed, scheduleTagsCodeResolver } from '../../../../src/broker/schedule/delay-rewrite.js';
import { messageTimeup } from '../../../../src/broker/schedule/message-timeup.js';
import { MessageExtBrokerInner, MessageSysFlag, type DispatchRequest } from '../../../../src/common/message/index.js';
import { ConfigError } from '../../../../src/common/util/config-schema.js';
import { javaStringHashCode } from '../../../../src/common/util/java-hash-map-order.js';
import { REAL_SCHEDULE_OFFSET, realRecord } from './fake-schedule-store.js';

describe('delay level table (parseDelayLevel)', () => {
  it("parses RocketMQ's default: 18 levels from 1 s to 2 h", () => {
    const t = parseDelayLevel(DEFAULT_MESSAGE_DELAY_LEVEL);
    expect(t.maxDelayLevel).to.equal(18);
    expect(t.levels().map((l) => t.delayMillis(l))).to.deep.equal([
      1000, 5000, 10_000, 30_000, 60_000, 120_000, 180_000, 240_000, 300_000, 360_000, 420_000, 480_000, 540_000, 600_000, 1_200_000, 1_800_000, 3_600_000, 7_200_000,
    ]);
    expect(t.delayMillis(0)).to.equal(undefined);
    expect(t.delayMillis(19)).to.equal(undefined);
  });

  it('takes s/m/h/d and our ms extension', () => {
    const t = parseDelayLevel('100ms 2s 3m 4h 1d');
    expect(t.levels().map((l) => t.delayMillis(l))).to.deep.equal([100, 2000, 180_000, 14_400_000, 86_400_000]);
  });

  it('refuses what Java refuses (the broker does not start)', () => {
    for (const bad of ['', '1s  2s', '1s ', '1.5s', '1x', 's', '1S']) {
      expect(() => parseDelayLevel(bad), JSON.stringify(bad)).to.throw(ConfigError);
    }
  });

  it('computes the deliver time; an unknown level waits 1 s, as Java', () => {
    const t = parseDelayLevel('1s 5s');
    expect(computeDeliverTimestamp(t, 2, 1000)).to.equal(6000);
    expect(computeDeliverTimestamp(t, 7, 1000)).to.equal(2000);
  });
});

describe('the delay rewrite and the schedule tagsCode', () => {
  const table = parseDelayLevel('1s 5s 10s');

  function inner(props: [string, string][], sysFlag = 0): MessageExtBrokerInner {
    const m = new MessageExtBrokerInner('T', 'b');
    m.queueId = 3;
    m.sysFlag = sysFlag;
    m.setProperties(new Map(props));
    return m;
  }

  it('moves DELAY > 0 to SCHEDULE_TOPIC_XXXX queue level − 1 and clamps to the last level', () => {
    const m = inner([['DELAY', '9'], ['TAGS', 'a']]);
    expect(rewriteDelayed(m, table)).to.equal(true);
    expect([m.topic, m.queueId]).to.deep.equal(['SCHEDULE_TOPIC_XXXX', 2]);
    expect(Object.fromEntries(m.properties)).to.deep.equal({ DELAY: '3', TAGS: 'a', REAL_TOPIC: 'T', REAL_QID: '3' });
    expect(m.propertiesString()).to.include('REAL_TOPIC\u0001T');
  });

  it('leaves level 0, a non-numeric level and prepared transaction messages alone', () => {
    for (const m of [inner([['DELAY', '0']]), inner([['DELAY', 'x']]), inner([['DELAY', '2']], MessageSysFlag.TRANSACTION_PREPARED_TYPE)]) {
      expect(rewriteDelayed(m, table)).to.equal(false);
      expect(m.topic).to.equal('T');
    }
  });

  it('gives SCHEDULE_TOPIC_XXXX units the deliver time, others their TAGS hash', () => {
    const resolve = scheduleTagsCodeResolver(table);
    const req = (topic: string, props: [string, string][]): DispatchRequest =>
      ({ topic, storeTimestamp: 1000, tagsCode: 42, propertiesMap: new Map(props) }) as unknown as DispatchRequest;
    expect(resolve(req('SCHEDULE_TOPIC_XXXX', [['DELAY', '2']]))).to.equal(6000);
    expect(resolve(req('SCHEDULE_TOPIC_XXXX', [['DELAY', '99']])), 'clamped').to.equal(11_000);
    expect(resolve(req('SCHEDULE_TOPIC_XXXX', []))).to.equal(undefined);
    expect(resolve(req('T', [['DELAY', '2']]))).to.equal(undefined);
  });
});

describe('messageTimeup', () => {
  it('turns the real SCHEDULE record into the message for FixT queue 1, keeping the stored properties string', () => {
    const sched = realRecord(REAL_SCHEDULE_OFFSET).msg;
    const m = messageTimeup(sched)!;
    expect([m.topic, m.queueId, m.reconsumeTimes, m.bornTimestamp]).to.deep.equal(['FixT', 1, 0, sched.bornTimestamp]);
    expect(m.propertiesString()).to.equal(sched.propertiesString());
    // Only the in-memory map loses DELAY and says WAIT=false (no flush wait for the delivery).
    expect(m.getProperty('DELAY')).to.equal(undefined);
    expect(m.waitStoreMsgOK).to.equal(false);
    expect(m.tagsCode).to.equal(javaStringHashCode('TagA'));
    expect(m.body.equals(sched.body)).to.equal(true);
  });

  it('gives up on a record without REAL_TOPIC', () => {
    const sched = realRecord(REAL_SCHEDULE_OFFSET).msg;
    sched.clearProperty('REAL_TOPIC');
    expect(messageTimeup(sched)).to.equal(undefined);
  });
});
