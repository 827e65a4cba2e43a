import { strict as assert } from 'node:assert';

import { ConsumeMessageOrderlyService } from '../../../src/client/consumer/consume-message-orderly-service.js';
import { ConsumeOrderlyContext, ConsumeOrderlyStatus, orderlyListener, type OrderlyListenerFn } from '../../../src/client/consumer/listener.js';
import { ProcessQueue } from '../../../src/client/consumer/process-queue.js';
import { MessageConst } from '../../../src/common/message/message-const.js';
import type { MessageExt } from '../../../src/common/message/message-ext.js';
import { FakeConsumeHost, MQ, msg } from './support/fakes.js';
import { waitFor } from './support/harness.js';

/** A host that also records the orderly DLQ path (re-send to %RETRY% as a new message). */
class OrderlyHost extends FakeConsumeHost {
  readonly resent: { key: string; reconsumeTime: string | undefined }[] = [];
  failResend = false;
  async sendMessageBackAsNewMessage(m: MessageExt): Promise<void> {
    if (this.failResend) throw new Error('re-send to %RETRY% failed');
    this.resent.push({ key: m.keys ?? '', reconsumeTime: m.getProperty(MessageConst.PROPERTY_RECONSUME_TIME) });
  }
  async lockQueue(): Promise<boolean> {
    return true;
  }
}

describe('ConsumeMessageOrderlyService', () => {
  const services: ConsumeMessageOrderlyService[] = [];
  afterEach(async () => {
    for (const s of services.splice(0)) await s.shutdown(100);
  });

  function setup(fn: OrderlyListenerFn, options = {}): { host: OrderlyHost; svc: ConsumeMessageOrderlyService; pq: ProcessQueue } {
    const host = new OrderlyHost(options);
    const svc = new ConsumeMessageOrderlyService(host, orderlyListener(fn));
    services.push(svc);
    const pq = new ProcessQueue();
    pq.locked = true;
    pq.lastLockTimestamp = Date.now();
    host.table.set(MQ, pq);
    return { host, svc, pq };
  }

  it('consumes a queue in offset order, one call at a time, committing (increaseOnly=false) after each success', async () => {
    const seen: number[] = [];
    let running = 0;
    let overlap = false;
    const { host, svc, pq } = setup(async (msgs) => {
      if (running++ > 0) overlap = true;
      await new Promise((r) => setTimeout(r, 2));
      for (const m of msgs) seen.push(m.queueOffset);
      running--;
      return ConsumeOrderlyStatus.SUCCESS;
    });
    const msgs = [msg(0), msg(1), msg(2), msg(3)];
    const dispatch = pq.putMessage(msgs);
    svc.submitConsumeRequest(msgs, pq, MQ, dispatch);
    svc.submitConsumeRequest(msgs, pq, MQ, true); // a second request for the same queue must wait for the first
    await waitFor(() => seen.length === 4, 2000, 'four messages');
    assert.deepEqual(seen, [0, 1, 2, 3]);
    assert.equal(overlap, false);
    assert.deepEqual(host.offsetStore.updates.map((u) => [u.offset, u.increaseOnly]), [[1, false], [2, false], [3, false], [4, false]]);
  });

  it('SUSPEND_CURRENT_QUEUE_A_MOMENT: the same messages again after the suspend time, reconsumeTimes + 1, offset held', async () => {
    const tries: number[] = [];
    const { host, svc, pq } = setup(
      (msgs) => {
        tries.push(msgs[0]?.reconsumeTimes ?? -1);
        return tries.length < 3 ? ConsumeOrderlyStatus.SUSPEND_CURRENT_QUEUE_A_MOMENT : ConsumeOrderlyStatus.SUCCESS;
      },
      { suspendCurrentQueueTimeMillis: 10 },
    );
    const msgs = [msg(0)];
    svc.submitConsumeRequest(msgs, pq, MQ, pq.putMessage(msgs));
    await waitFor(() => host.offsetStore.updates.length === 1, 2000, 'the commit');
    assert.deepEqual(tries, [0, 1, 2]);
    assert.equal(host.offsetStore.updates[0]?.offset, 1);
  });

  it('past maxReconsumeTimes the message is re-sent to %RETRY% (RECONSUME_TIME = its count) and committed', async () => {
    const { host, svc, pq } = setup(() => ConsumeOrderlyStatus.SUSPEND_CURRENT_QUEUE_A_MOMENT, { maxReconsumeTimes: 1, suspendCurrentQueueTimeMillis: 10 });
    const msgs = [msg(0), msg(1)];
    svc.submitConsumeRequest(msgs, pq, MQ, pq.putMessage(msgs));
    await waitFor(() => host.resent.length === 2, 2000, 'both re-sent');
    assert.deepEqual(host.resent, [
      { key: 'k0', reconsumeTime: '1' },
      { key: 'k1', reconsumeTime: '1' },
    ]);
    await waitFor(() => host.offsetStore.table.get(MQ) === 2, 2000, 'offset 2');
  });

  it("past maxReconsumeTimes with the re-send failing: the message is retried locally (offset held) and a 'sendBack' error event names the queue", async () => {
    const { host, svc, pq } = setup(() => ConsumeOrderlyStatus.SUSPEND_CURRENT_QUEUE_A_MOMENT, { maxReconsumeTimes: 0, suspendCurrentQueueTimeMillis: 10 });
    host.failResend = true;
    const msgs = [msg(0)];
    svc.submitConsumeRequest(msgs, pq, MQ, pq.putMessage(msgs));
    await waitFor(() => host.errors.length >= 2, 2000, 'two failed re-sends reported');
    assert.ok(host.errors.every((e) => e.source === 'sendBack' && e.messageQueue === MQ));
    assert.match(String((host.errors[0]?.error as Error).message), /re-send to %RETRY% failed/);
    assert.equal(host.resent.length, 0);
    assert.equal(host.offsetStore.table.get(MQ), undefined, 'nothing committed');
    assert.ok(msgs[0]!.reconsumeTimes >= 1);
  });

  it('a thrown error is SUSPEND_CURRENT_QUEUE_A_MOMENT', async () => {
    let n = 0;
    const { host, svc, pq } = setup(
      () => {
        if (n++ === 0) throw new Error('boom');
        return ConsumeOrderlyStatus.SUCCESS;
      },
      { suspendCurrentQueueTimeMillis: 10 },
    );
    const msgs = [msg(0)];
    svc.submitConsumeRequest(msgs, pq, MQ, pq.putMessage(msgs));
    await waitFor(() => host.offsetStore.updates.length === 1, 2000, 'the commit after the retry');
    assert.equal(n, 2);
  });

  it('clustering without a valid lock: nothing is consumed until the lock is back', async () => {
    let calls = 0;
    const { svc, pq } = setup(() => {
      calls++;
      return ConsumeOrderlyStatus.SUCCESS;
    });
    pq.locked = false;
    const msgs = [msg(0)];
    svc.submitConsumeRequest(msgs, pq, MQ, pq.putMessage(msgs));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(calls, 0);
  });

  it('autoCommit=false: SUCCESS does not commit; COMMIT does (deprecated Java mode)', async () => {
    const { host, svc, pq } = setup(() => ConsumeOrderlyStatus.SUCCESS);
    const msgs = [msg(0), msg(1)];
    pq.putMessage(msgs);
    const ctx = new ConsumeOrderlyContext(MQ);
    ctx.autoCommit = false;
    const taken = pq.takeMessages(1);
    assert.equal(await svc.processConsumeResult(taken, ConsumeOrderlyStatus.SUCCESS, ctx, pq, MQ), true);
    assert.equal(host.offsetStore.updates.length, 0);
    assert.equal(await svc.processConsumeResult(taken, ConsumeOrderlyStatus.COMMIT, ctx, pq, MQ), true);
    assert.deepEqual(host.offsetStore.updates.map((u) => u.offset), [1]);
  });
});
