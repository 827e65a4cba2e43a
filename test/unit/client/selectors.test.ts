import { expect } from 'chai';

import { SelectMessageQueueByHash, SelectMessageQueueByMachineRoom, SelectMessageQueueByRandom, javaHashCode } from '../../../src/client/producer/message-queue-selector.js';
import { Message } from '../../../src/common/message/message.js';
import { createMessageQueue } from '../../../src/common/protocol/body/message-queue.js';

const mqs = [0, 1, 2, 3].map((i) => createMessageQueue('T', i < 2 ? 'room1@broker-a' : 'room2@broker-b', i % 2));
const msg = new Message('T', 'x');

describe('MessageQueueSelector implementations', () => {
  it('javaHashCode matches Java Integer, Long, String and Boolean hashCode', () => {
    expect(javaHashCode(42)).to.equal(42);
    expect(javaHashCode(-7)).to.equal(-7);
    expect(javaHashCode(2 ** 40 + 5)).to.equal((2 ** 40 + 5) % 2 ** 32 ^ 256); // (int)(v ^ v>>>32)
    expect(javaHashCode('order-1')).to.equal(-1207111310);
    expect(javaHashCode('')).to.equal(0);
    expect(javaHashCode(true)).to.equal(1231);
  });

  it('hash: abs(hashCode % size), stable per arg, negative hashes folded', () => {
    const s = new SelectMessageQueueByHash();
    expect(s.select(mqs, msg, 6)).to.equal(mqs[2]);
    expect(s.select(mqs, msg, -7)).to.equal(mqs[3]);
    expect(s.select(mqs, msg, 'order-1')).to.equal(mqs[2]); // abs(-1207111310 % 4)
    expect(s.select([], msg, 1)).to.equal(undefined);
  });

  it('random: stays within the list', () => {
    const s = new SelectMessageQueueByRandom(() => 0.99);
    expect(s.select(mqs, msg, undefined)).to.equal(mqs[3]);
  });

  it('machine room: prefers queues of the configured rooms, falls back to all', () => {
    const s = new SelectMessageQueueByMachineRoom(['room2']);
    for (let i = 0; i < 10; i++) expect(s.select(mqs, msg, i)!.brokerName).to.equal('room2@broker-b');
    const none = new SelectMessageQueueByMachineRoom(['room9']);
    expect(none.select(mqs, msg, 3)).to.equal(mqs[3]);
  });
});
