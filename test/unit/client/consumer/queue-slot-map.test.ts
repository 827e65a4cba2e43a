import { strict as assert } from 'node:assert';

import { QueueSlotMap } from '../../../../src/client/consumer/queue-slot-map.js';
import { createMessageQueue } from '../../../../src/common/protocol/body/message-queue.js';

describe('QueueSlotMap', () => {
  it('keys by queue value: an equal object reads and writes the same entry', () => {
    const m = new QueueSlotMap<number>();
    const a = createMessageQueue('T', 'broker-a', 0);
    const same = createMessageQueue('T', 'broker-a', 0);
    m.set(a, 1);
    assert.equal(m.get(same), 1);
    m.set(same, 2);
    assert.equal(m.get(a), 2);
    assert.equal(m.size, 1);
    assert.equal(m.get(createMessageQueue('T', 'broker-a', 1)), undefined);
    assert.equal(m.get(createMessageQueue('T', 'broker-b', 0)), undefined);
  });

  it('a delete through any equal object is seen through every object remembered before it', () => {
    const m = new QueueSlotMap<number>();
    const a = createMessageQueue('T', 'broker-a', 0);
    const same = createMessageQueue('T', 'broker-a', 0);
    m.set(a, 5);
    assert.equal(m.get(same), 5);
    assert.equal(m.delete(same), true);
    assert.equal(m.get(a), undefined);
    assert.equal(m.has(a), false);
    assert.equal(m.delete(a), false);
    // Re-added through a third object: both old objects find the new entry.
    m.set(createMessageQueue('T', 'broker-a', 0), 7);
    assert.equal(m.get(a), 7);
    assert.equal(m.get(same), 7);
    assert.equal(m.size, 1);
  });

  it('iterates in insertion order with the current values', () => {
    const m = new QueueSlotMap<string>();
    const q = [0, 1, 2].map((i) => createMessageQueue('T', 'broker-a', i));
    for (const mq of q) m.set(mq, `v${mq.queueId}`);
    m.set(createMessageQueue('T', 'broker-a', 1), 'changed');
    m.delete(q[0]!);
    assert.deepEqual([...m].map(([mq, v]) => [mq.queueId, v]), [
      [1, 'changed'],
      [2, 'v2'],
    ]);
  });
});
