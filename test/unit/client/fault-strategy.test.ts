import { expect } from 'chai';

import { LatencyFaultTolerance } from '../../../src/client/latency/latency-fault-tolerance.js';
import { MQFaultStrategy } from '../../../src/client/latency/mq-fault-strategy.js';
import { TopicPublishInfo } from '../../../src/client/route/topic-publish-info.js';
import { ThreadLocalIndex } from '../../../src/client/route/thread-local-index.js';
import { createMessageQueue } from '../../../src/common/protocol/body/message-queue.js';

function publishInfo(start = 0): TopicPublishInfo {
  const info = new TopicPublishInfo(new ThreadLocalIndex(start));
  for (const b of ['a', 'b']) for (let i = 0; i < 2; i++) info.messageQueueList.push(createMessageQueue('T', b, i));
  info.topicRouteData = {
    queueDatas: ['a', 'b'].map((brokerName) => ({ brokerName, readQueueNums: 2, writeQueueNums: 2, perm: 6, topicSysFlag: 0 })),
    brokerDatas: [],
    filterServerTable: new Map(),
  };
  return info;
}

describe('MQFaultStrategy', () => {
  it('maps latencies to not-available durations as Java (latencyMax / notAvailableDuration)', () => {
    const s = new MQFaultStrategy();
    const table: [number, number][] = [[0, 0], [49, 0], [50, 0], [100, 0], [549, 0], [550, 30000], [999, 30000], [1000, 60000], [2000, 120000], [3000, 180000], [14999, 180000], [15000, 600000], [30000, 600000]];
    for (const [latency, duration] of table) expect(s.computeNotAvailableDuration(latency), `latency ${latency}`).to.equal(duration);
  });

  it('without latency fault: a retry avoids the last broker', () => {
    const s = new MQFaultStrategy();
    const info = publishInfo();
    for (let i = 0; i < 10; i++) expect(s.selectOneMessageQueue(info, 'a').brokerName).to.equal('b');
  });

  it('round-robins from the counter and wraps at int32 like ThreadLocalIndex', () => {
    const info = publishInfo(0);
    expect([0, 1, 2, 3, 4].map(() => info.selectOneMessageQueue())).to.deep.equal([
      createMessageQueue('T', 'a', 1),
      createMessageQueue('T', 'b', 0),
      createMessageQueue('T', 'b', 1),
      createMessageQueue('T', 'a', 0),
      createMessageQueue('T', 'a', 1),
    ]);
    const near = new ThreadLocalIndex(0x7fffffff);
    expect(near.incrementAndGet()).to.equal(0); // -2^31 & 0x7fffffff
    expect(near.incrementAndGet()).to.equal(1);
  });

  it('with latency fault: isolates a failed broker (latency 30000 ⇒ 600 s, as Java), then lets it back', () => {
    let now = 1_000_000;
    const s = new MQFaultStrategy(() => now);
    s.sendLatencyFaultEnable = true;
    const info = publishInfo();
    s.updateFaultItem('a', 100, true);
    for (let i = 0; i < 8; i++) expect(s.selectOneMessageQueue(info, undefined).brokerName).to.equal('b');
    now += 599_999;
    expect(s.selectOneMessageQueue(info, undefined).brokerName).to.equal('b');
    now += 1;
    const brokers = new Set(Array.from({ length: 8 }, () => s.selectOneMessageQueue(info, undefined).brokerName));
    expect(brokers).to.deep.equal(new Set(['a', 'b']));
  });

  it('with every broker unavailable picks the least bad one', () => {
    const now = 5000;
    const s = new MQFaultStrategy(() => now);
    s.sendLatencyFaultEnable = true;
    s.updateFaultItem('a', 3000, false); // 180 s
    s.updateFaultItem('b', 600, false); // 30 s
    const mq = s.selectOneMessageQueue(publishInfo(), undefined);
    expect(['a', 'b']).to.include(mq.brokerName);
    expect(mq.queueId).to.be.within(0, 1);
  });

  it('a fast send clears nothing but keeps the broker available', () => {
    const t = new LatencyFaultTolerance(() => 0);
    t.updateFaultItem('a', 10, 0);
    expect(t.isAvailable('a')).to.equal(true);
    expect(t.pickOneAtLeast()).to.equal('a');
    t.remove('a');
    expect(t.pickOneAtLeast()).to.equal(undefined);
  });
});
