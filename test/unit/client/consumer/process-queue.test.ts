import { expect } from 'chai';

import { OffsetTreeMap } from '../../../../src/client/consumer/offset-tree-map.js';
import {
  CLEAN_EXPIRED_MSG_DELAY_LEVEL,
  ProcessQueue,
  createProcessQueueInfo,
} from '../../../../src/client/consumer/process-queue.js';
import type { ConsumerProcessQueue } from '../../../../src/client/consumer/consumer-spi.js';
import { MessageConst } from '../../../../src/common/message/message-const.js';
import { MessageExt } from '../../../../src/common/message/message-ext.js';

/** A message at `offset` whose body is `size` bytes. */
function msg(offset: number, size = 10): MessageExt {
  const m = new MessageExt('T', Buffer.alloc(size));
  m.queueOffset = offset;
  return m;
}

function msgs(...offsets: number[]): MessageExt[] {
  return offsets.map((o) => msg(o));
}

class FakeClock {
  now = 1_000_000;
  readonly fn = (): number => this.now;
}

describe('ProcessQueue', () => {
  let clock: FakeClock;
  let pq: ProcessQueue;

  beforeEach(() => {
    clock = new FakeClock();
    pq = new ProcessQueue({ clock: clock.fn });
  });

  it('satisfies the push consumer SPI', () => {
    const spi: ConsumerProcessQueue = pq;
    expect(spi.msgCount).to.equal(0);
  });

  it('keeps messages in offset order whatever order they arrive in; duplicates counted once', () => {
    pq.putMessage(msgs(10, 11, 12));
    pq.putMessage(msgs(20, 21));
    pq.putMessage(msgs(5, 15, 11));
    expect(pq.messages().map((m) => m.queueOffset)).to.deep.equal([5, 10, 11, 12, 15, 20, 21]);
    expect([pq.msgCount, pq.msgSize]).to.deep.equal([7, 70]);
    expect(pq.queueOffsetMax).to.equal(15); // Java: the last *new* offset put
    expect(pq.getMaxSpan()).to.equal(16);
    expect(pq.firstMessage()?.queueOffset).to.equal(5);
  });

  it('removeMessage returns the offset to commit: lowest still cached, else max + 1; -1 when nothing was cached', () => {
    // [removed now, expected commit offset, count after, size after]
    const table: ReadonlyArray<readonly [number[], number, number, number]> = [
      [[102], 100, 4, 40], // a later message done first: the commit offset stays at the oldest
      [[100], 101, 3, 30],
      [[101, 103], 104, 1, 10], // a gap (102 already gone) is skipped
      [[999], 104, 1, 10], // not cached: nothing changes
      [[104], 105, 0, 0], // empty: queueOffsetMax + 1
      [[104], -1, 0, 0], // nothing cached at all
    ];
    pq.putMessage(msgs(100, 101, 102, 103, 104));
    for (const [removed, commit, count, size] of table) {
      expect(pq.removeMessage(msgs(...removed)), `remove ${removed.join(',')}`).to.equal(commit);
      expect([pq.msgCount, pq.msgSize], `after ${removed.join(',')}`).to.deep.equal([count, size]);
    }
  });

  it('msgSize follows body lengths; span is last − first', () => {
    pq.putMessage([msg(0, 100), msg(1, 1), msg(2500, 1000)]);
    expect([pq.msgCount, pq.msgSize, pq.getMaxSpan()]).to.deep.equal([3, 1101, 2500]);
    pq.removeMessage([msg(0, 100)]);
    expect([pq.msgSize, pq.getMaxSpan()]).to.deep.equal([1001, 2499]);
    pq.clear();
    expect([pq.msgCount, pq.msgSize, pq.getMaxSpan(), pq.queueOffsetMax, pq.hasTempMessage()]).to.deep.equal([0, 0, 0, 0, false]);
  });

  it('putMessage dispatches only when no consume request is running (orderly), and records msgAccCnt', () => {
    const last = msg(9);
    last.putProperty(MessageConst.PROPERTY_MAX_OFFSET, '30');
    expect(pq.putMessage([msg(8), last])).to.equal(true);
    expect(pq.consuming).to.equal(true);
    expect(pq.msgAccCnt).to.equal(21);
    expect(pq.putMessage(msgs(10))).to.equal(false);
    expect(pq.putMessage([])).to.equal(false);
  });

  it('orderly: take in order, commit returns last + 1 and releases counts; empty take clears consuming', () => {
    pq.putMessage(msgs(0, 1, 2, 3, 4));
    expect(pq.takeMessages(2).map((m) => m.queueOffset)).to.deep.equal([0, 1]);
    expect(pq.consumingOffsets()).to.deep.equal([0, 1]);
    expect([pq.msgCount, pq.hasTempMessage()]).to.deep.equal([5, true]); // counted until committed
    expect(pq.commit()).to.equal(2);
    expect([pq.msgCount, pq.msgSize]).to.deep.equal([3, 30]);
    expect(pq.takeMessages(10).map((m) => m.queueOffset)).to.deep.equal([2, 3, 4]);
    expect(pq.hasTempMessage()).to.equal(false);
    expect(pq.commit()).to.equal(5);
    expect([pq.msgCount, pq.msgSize]).to.deep.equal([0, 0]);
    expect(pq.commit()).to.equal(-1);
    expect(pq.consuming).to.equal(true); // until a take comes back empty
    expect(pq.putMessage(msgs(5))).to.equal(false); // the running request will take it
    expect(pq.takeMessages(1)).to.have.length(1);
    expect(pq.takeMessages(1)).to.deep.equal([]);
    expect(pq.consuming).to.equal(false);
  });

  it('orderly: makeMessageToConsumeAgain and rollback put taken messages back in front, in order', () => {
    pq.putMessage(msgs(0, 1, 2, 3));
    const taken = pq.takeMessages(3);
    pq.makeMessageToConsumeAgain(taken.slice(1)); // 1, 2 back; 0 still being consumed
    expect(pq.consumingOffsets()).to.deep.equal([0]);
    expect(pq.messages().map((m) => m.queueOffset)).to.deep.equal([1, 2, 3]);
    pq.rollback();
    expect(pq.consumingOffsets()).to.deep.equal([]);
    expect(pq.takeMessages(4).map((m) => m.queueOffset)).to.deep.equal([0, 1, 2, 3]);
    expect([pq.msgCount, pq.msgSize]).to.deep.equal([4, 40]);
  });

  it('lock and pull expiry (30 s / 120 s) and tryUnlockTimes', () => {
    const table: ReadonlyArray<readonly [number, boolean, boolean]> = [
      [30_000, false, false],
      [30_001, true, false],
      [120_000, true, false],
      [120_001, true, true],
    ];
    const start = clock.now;
    for (const [elapsed, lockExpired, pullExpired] of table) {
      clock.now = start + elapsed;
      expect([pq.isLockExpired(), pq.isPullExpired()], `${elapsed} ms`).to.deep.equal([lockExpired, pullExpired]);
    }
    pq.lastLockTimestamp = clock.now;
    pq.lastPullTimestamp = clock.now;
    expect([pq.isLockExpired(), pq.isPullExpired()]).to.deep.equal([false, false]);
    pq.incTryUnlockTimes();
    expect(pq.tryUnlockTimes).to.equal(1);
  });

  it('removeMessage and takeMessages stamp lastConsumeTimestamp', () => {
    clock.now += 5;
    pq.removeMessage([]);
    expect(pq.lastConsumeTimestamp).to.equal(clock.now);
    clock.now += 5;
    pq.takeMessages(1);
    expect(pq.lastConsumeTimestamp).to.equal(clock.now);
  });

  describe('cleanExpiredMsg', () => {
    const TIMEOUT_MINUTES = 15;
    const started = (m: MessageExt, at: number): MessageExt => {
      m.putProperty(MessageConst.PROPERTY_CONSUME_START_TIMESTAMP, String(at));
      return m;
    };

    it('sends back (level 3) and removes the oldest expired messages, stopping at the first live one', async () => {
      const expiredAt = clock.now - TIMEOUT_MINUTES * 60_000 - 1;
      pq.putMessage([started(msg(0), expiredAt), started(msg(1), expiredAt), started(msg(2), clock.now), started(msg(3), expiredAt)]);
      const sent: Array<[number, number]> = [];
      await pq.cleanExpiredMsg(
        { consumeTimeout: TIMEOUT_MINUTES, consumeOrderly: false, sendMessageBack: async (m, level) => void sent.push([m.queueOffset, level]) },
        () => expect.fail('no error expected'),
      );
      expect(sent).to.deep.equal([[0, CLEAN_EXPIRED_MSG_DELAY_LEVEL], [1, CLEAN_EXPIRED_MSG_DELAY_LEVEL]]);
      expect(pq.messages().map((m) => m.queueOffset)).to.deep.equal([2, 3]);
    });

    it('looks at 16 messages at most, skips orderly consumers and messages never started, reports send failures', async () => {
      const expiredAt = clock.now - TIMEOUT_MINUTES * 60_000 - 1;
      pq.putMessage(Array.from({ length: 20 }, (_, i) => started(msg(i), expiredAt)));
      let sends = 0;
      const ok = { consumeTimeout: TIMEOUT_MINUTES, consumeOrderly: false, sendMessageBack: async () => void sends++ };
      await pq.cleanExpiredMsg({ ...ok, consumeOrderly: true }, () => expect.fail('orderly does nothing'));
      expect(sends).to.equal(0);
      await pq.cleanExpiredMsg(ok, () => expect.fail('no error expected'));
      expect([sends, pq.msgCount]).to.deep.equal([16, 4]);

      const errors: number[] = [];
      await pq.cleanExpiredMsg({ ...ok, sendMessageBack: async () => Promise.reject(new Error('broker down')) }, (m) => errors.push(m.queueOffset));
      expect(errors).to.deep.equal([16]);
      expect(pq.msgCount).to.equal(4);

      const fresh = new ProcessQueue({ clock: clock.fn });
      fresh.putMessage(msgs(0)); // no CONSUME_START_TIME: not consumed yet, never expires
      await fresh.cleanExpiredMsg(ok, () => expect.fail('no error expected'));
      expect(fresh.msgCount).to.equal(1);
    });

    it('a message consumed while its send-back was in flight is not removed twice', async () => {
      const expiredAt = clock.now - TIMEOUT_MINUTES * 60_000 - 1;
      const m0 = started(msg(0), expiredAt);
      pq.putMessage([m0, msg(1)]);
      await pq.cleanExpiredMsg(
        { consumeTimeout: TIMEOUT_MINUTES, consumeOrderly: false, sendMessageBack: async () => void pq.removeMessage([m0]) },
        () => expect.fail('no error expected'),
      );
      expect([pq.msgCount, pq.firstMessage()?.queueOffset]).to.deep.equal([1, 1]);
    });
  });

  it('fillProcessQueueInfo reports cache, orderly and lock state', () => {
    pq.putMessage([msg(10, 3 * 1024 * 1024), msg(11), msg(12), msg(13)]);
    pq.takeMessages(2);
    pq.locked = true;
    pq.dropped = true;
    pq.incTryUnlockTimes();
    const info = createProcessQueueInfo(10);
    pq.fillProcessQueueInfo(info);
    expect(info).to.deep.equal({
      commitOffset: 10,
      cachedMsgMinOffset: 12,
      cachedMsgMaxOffset: 13,
      cachedMsgCount: 2,
      cachedMsgSizeInMiB: 3,
      transactionMsgMinOffset: 10,
      transactionMsgMaxOffset: 11,
      transactionMsgCount: 2,
      locked: true,
      tryUnlockTimes: 1,
      lastLockTimestamp: clock.now,
      droped: true,
      lastPullTimestamp: clock.now,
      lastConsumeTimestamp: clock.now,
    });
  });
});

describe('OffsetTreeMap (msgTreeMap)', () => {
  it('agrees with a sorted reference model under random puts, removes and polls', () => {
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const map = new OffsetTreeMap<string>();
    const model = new Map<number, string>();
    let next = 0;
    for (let step = 0; step < 20_000; step++) {
      const op = random(10);
      if (op < 4) {
        // Mostly appends (pulls), sometimes an old offset back (rollback).
        const offset = op < 3 ? next++ : random(next + 1);
        expect(map.set(offset, `v${step}`)).to.equal(model.get(offset));
        model.set(offset, `v${step}`);
      } else if (op < 8) {
        const keys = [...model.keys()];
        const offset = keys.length > 0 && op < 7 ? (keys[random(keys.length)] as number) : random(next + 1);
        expect(map.delete(offset)).to.equal(model.get(offset));
        model.delete(offset);
      } else {
        const sortedKeys = [...model.keys()].sort((a, b) => a - b);
        const polled = map.pollFirst();
        expect(polled?.[0]).to.equal(sortedKeys[0]);
        if (polled !== undefined) model.delete(polled[0]);
      }
      if (step % 97 === 0) {
        const sorted = [...model.entries()].sort((a, b) => a[0] - b[0]);
        expect([...map.entries()]).to.deep.equal(sorted);
        expect([map.firstKey(), map.lastKey(), map.size]).to.deep.equal([sorted[0]?.[0], sorted[sorted.length - 1]?.[0], sorted.length]);
      }
    }
  });

  it('clear empties it; first/last of an empty map are undefined', () => {
    const map = new OffsetTreeMap<number>();
    map.set(3, 3);
    map.set(1, 1);
    map.clear();
    expect([map.firstKey(), map.lastKey(), map.firstValue(), map.pollFirst(), map.isEmpty()]).to.deep.equal([undefined, undefined, undefined, undefined, true]);
  });
});
