import { strict as assert } from 'node:assert';

import { ConsumeMessageConcurrentlyService } from '../../../src/client/consumer/consume-message-concurrently-service.js';
import { ConsumeConcurrentlyContext, ConsumeConcurrentlyStatus, type MessageListenerConcurrently } from '../../../src/client/consumer/listener.js';
import { ProcessQueue } from '../../../src/client/consumer/process-queue.js';
import { MessageConst } from '../../../src/common/message/message-const.js';
import type { MessageExt } from '../../../src/common/message/message-ext.js';
import { FakeConsumeHost, MQ, msg } from './support/fakes.js';
import { waitFor } from './support/harness.js';

describe('ConsumeMessageConcurrentlyService', () => {
  const services: ConsumeMessageConcurrentlyService[] = [];
  afterEach(async () => {
    for (const s of services.splice(0)) await s.shutdown(100);
  });

  function setup(listener: MessageListenerConcurrently['consumeMessage'], options = {}): { host: FakeConsumeHost; svc: ConsumeMessageConcurrentlyService; pq: ProcessQueue } {
    const host = new FakeConsumeHost(options);
    const svc = new ConsumeMessageConcurrentlyService(host, { consumeMessage: listener });
    services.push(svc);
    const pq = new ProcessQueue();
    host.table.set(MQ, pq);
    return { host, svc, pq };
  }

  describe('processConsumeResult (§11.5)', () => {
    it('CONSUME_SUCCESS with ackIndex 0 of 3: the other two are sent back with the context delay level; offset past all', async () => {
      const { host, svc, pq } = setup(() => ConsumeConcurrentlyStatus.CONSUME_SUCCESS);
      const msgs = [msg(0), msg(1), msg(2)];
      pq.putMessage(msgs);
      const ctx = new ConsumeConcurrentlyContext(MQ);
      ctx.ackIndex = 0;
      ctx.delayLevelWhenNextConsume = 5;
      await svc.processConsumeResult(ConsumeConcurrentlyStatus.CONSUME_SUCCESS, ctx, { msgs, processQueue: pq, messageQueue: MQ });
      assert.deepEqual(host.sentBack, [
        { key: 'k1', delayLevel: 5, brokerName: 'broker-a' },
        { key: 'k2', delayLevel: 5, brokerName: 'broker-a' },
      ]);
      assert.deepEqual(host.offsetStore.updates.map((u) => [u.offset, u.increaseOnly]), [[3, true]]);
      assert.equal(pq.msgCount, 0);
    });

    it('an ackIndex beyond the batch is clamped (everything acknowledged, nothing sent back)', async () => {
      const { host, svc, pq } = setup(() => ConsumeConcurrentlyStatus.CONSUME_SUCCESS);
      const msgs = [msg(0), msg(1)];
      pq.putMessage(msgs);
      await svc.processConsumeResult(ConsumeConcurrentlyStatus.CONSUME_SUCCESS, new ConsumeConcurrentlyContext(MQ), { msgs, processQueue: pq, messageQueue: MQ });
      assert.equal(host.sentBack.length, 0);
      assert.equal(host.offsetStore.updates[0]?.offset, 2);
    });

    it('RECONSUME_LATER: every message is sent back (delay 0 = broker picks 3 + reconsumeTimes)', async () => {
      const { host, svc, pq } = setup(() => ConsumeConcurrentlyStatus.RECONSUME_LATER);
      const msgs = [msg(0), msg(1)];
      pq.putMessage(msgs);
      const ctx = new ConsumeConcurrentlyContext(MQ);
      ctx.ackIndex = 1; // ignored for RECONSUME_LATER
      await svc.processConsumeResult(ConsumeConcurrentlyStatus.RECONSUME_LATER, ctx, { msgs, processQueue: pq, messageQueue: MQ });
      assert.deepEqual(host.sentBack.map((s) => [s.key, s.delayLevel]), [['k0', 0], ['k1', 0]]);
      assert.equal(host.offsetStore.updates[0]?.offset, 2);
    });

    it('a failed send-back keeps the message cached (offset stops below it), bumps reconsumeTimes and re-consumes it locally', async () => {
      const { host, svc, pq } = setup(() => ConsumeConcurrentlyStatus.RECONSUME_LATER);
      host.failSendBack.add('k1');
      const msgs = [msg(0), msg(1), msg(2)];
      pq.putMessage(msgs);
      const request = { msgs, processQueue: pq, messageQueue: MQ };
      await svc.processConsumeResult(ConsumeConcurrentlyStatus.RECONSUME_LATER, new ConsumeConcurrentlyContext(MQ), request);
      assert.deepEqual(host.sentBack.map((s) => s.key), ['k0', 'k2']);
      assert.equal(host.offsetStore.updates[0]?.offset, 1, 'the committed offset is the failed message');
      assert.equal(pq.msgCount, 1);
      assert.equal(msgs[1]?.reconsumeTimes, 1);
      assert.deepEqual(request.msgs.map((m) => m.keys), ['k0', 'k2']);
    });

    it("a failed send-back is reported as a 'sendBack' error event with its queue; successful ones are not", async () => {
      const { host, svc, pq } = setup(() => ConsumeConcurrentlyStatus.RECONSUME_LATER);
      host.failSendBack.add('k1');
      const msgs = [msg(0), msg(1), msg(2)];
      pq.putMessage(msgs);
      await svc.processConsumeResult(ConsumeConcurrentlyStatus.RECONSUME_LATER, new ConsumeConcurrentlyContext(MQ), { msgs, processQueue: pq, messageQueue: MQ });
      assert.equal(host.errors.length, 1);
      assert.equal(host.errors[0]?.source, 'sendBack');
      assert.deepEqual(host.errors[0]?.messageQueue, MQ);
      assert.match(String((host.errors[0]?.error as Error).message), /send back failed/);
    });

    it('BROADCASTING: failures are dropped with a log line, never sent back; the offset moves on', async () => {
      const { host, svc, pq } = setup(() => ConsumeConcurrentlyStatus.RECONSUME_LATER);
      host.model = 'BROADCASTING';
      const msgs = [msg(0), msg(1)];
      pq.putMessage(msgs);
      await svc.processConsumeResult(ConsumeConcurrentlyStatus.RECONSUME_LATER, new ConsumeConcurrentlyContext(MQ), { msgs, processQueue: pq, messageQueue: MQ });
      assert.equal(host.sentBack.length, 0);
      assert.equal(host.offsetStore.updates[0]?.offset, 2);
    });

    it('a dropped queue does not move the offset', async () => {
      const { host, svc, pq } = setup(() => ConsumeConcurrentlyStatus.CONSUME_SUCCESS);
      const msgs = [msg(0)];
      pq.putMessage(msgs);
      pq.dropped = true;
      await svc.processConsumeResult(ConsumeConcurrentlyStatus.CONSUME_SUCCESS, new ConsumeConcurrentlyContext(MQ), { msgs, processQueue: pq, messageQueue: MQ });
      assert.equal(host.offsetStore.updates.length, 0);
    });

    it('out-of-order completion never commits past a message still in flight', async () => {
      const { host, svc, pq } = setup(() => ConsumeConcurrentlyStatus.CONSUME_SUCCESS);
      const all = [msg(0), msg(1), msg(2)];
      pq.putMessage(all);
      await svc.processConsumeResult(ConsumeConcurrentlyStatus.CONSUME_SUCCESS, new ConsumeConcurrentlyContext(MQ), { msgs: [all[2] as MessageExt], processQueue: pq, messageQueue: MQ });
      await svc.processConsumeResult(ConsumeConcurrentlyStatus.CONSUME_SUCCESS, new ConsumeConcurrentlyContext(MQ), { msgs: [all[1] as MessageExt], processQueue: pq, messageQueue: MQ });
      assert.deepEqual(host.offsetStore.updates.map((u) => u.offset), [0, 0]);
      await svc.processConsumeResult(ConsumeConcurrentlyStatus.CONSUME_SUCCESS, new ConsumeConcurrentlyContext(MQ), { msgs: [all[0] as MessageExt], processQueue: pq, messageQueue: MQ });
      assert.equal(host.offsetStore.updates.at(-1)?.offset, 3);
    });
  });

  describe('consume requests', () => {
    it('cuts pulled messages into consumeMessageBatchMaxSize batches and stamps CONSUME_START_TIME', async () => {
      const batches: string[][] = [];
      let stamped = true;
      const { svc, pq } = setup(
        (msgs) => {
          batches.push(msgs.map((m) => m.keys ?? ''));
          stamped &&= msgs.every((m) => m.getProperty(MessageConst.PROPERTY_CONSUME_START_TIMESTAMP) !== undefined);
          return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        },
        { consumeMessageBatchMaxSize: 2 },
      );
      const msgs = [msg(0), msg(1), msg(2), msg(3), msg(4)];
      pq.putMessage(msgs);
      svc.submitConsumeRequest(msgs, pq, MQ, true);
      await waitFor(() => batches.length === 3, 2000, 'three listener calls');
      assert.deepEqual(batches.map((b) => b.length).sort(), [1, 2, 2]);
      assert.ok(stamped);
    });

    it('a throwing or rejecting listener counts as RECONSUME_LATER (sent back)', async () => {
      let n = 0;
      const { host, svc, pq } = setup(async () => {
        n++;
        if (n === 1) throw new Error('boom');
        return Promise.reject(new Error('rejected'));
      });
      const msgs = [msg(0), msg(1)];
      pq.putMessage(msgs);
      svc.submitConsumeRequest(msgs, pq, MQ, true);
      await waitFor(() => host.sentBack.length === 2, 2000, 'two send-backs');
      await waitFor(() => host.offsetStore.updates.some((u) => u.offset === 2), 2000, 'offset 2');
    });

    it('runs at most consumeThreadMax listener calls at once', async () => {
      let running = 0;
      let peak = 0;
      const { svc, pq, host } = setup(
        async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((r) => setTimeout(r, 10));
          running--;
          return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        },
        { consumeThreadMax: 3, consumeThreadMin: 1 },
      );
      const msgs = Array.from({ length: 12 }, (_, i) => msg(i));
      pq.putMessage(msgs);
      svc.submitConsumeRequest(msgs, pq, MQ, true);
      await waitFor(() => host.offsetStore.table.get(MQ) === 12, 3000, 'all consumed');
      assert.equal(peak, 3);
    });

    it('shutdown waits (bounded) for a running listener', async () => {
      let finished = false;
      const { svc, pq } = setup(async () => {
        await new Promise((r) => setTimeout(r, 150));
        finished = true;
        return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
      });
      const msgs = [msg(0)];
      pq.putMessage(msgs);
      svc.submitConsumeRequest(msgs, pq, MQ, true);
      await new Promise((r) => setTimeout(r, 20));
      await svc.shutdown(2000);
      assert.ok(finished);
    });

    it('cleanExpireMsg sends back (delay 3) and removes a message stuck longer than consumeTimeout', async () => {
      const { host, svc, pq } = setup(() => ConsumeConcurrentlyStatus.CONSUME_SUCCESS, { consumeTimeout: 1 });
      const stuck = msg(0);
      stuck.putProperty(MessageConst.PROPERTY_CONSUME_START_TIMESTAMP, String(Date.now() - 61_000));
      const fresh = msg(1);
      fresh.putProperty(MessageConst.PROPERTY_CONSUME_START_TIMESTAMP, String(Date.now()));
      pq.putMessage([stuck, fresh]);
      await svc.cleanExpireMsg();
      assert.deepEqual(host.sentBack, [{ key: 'k0', delayLevel: 3, brokerName: 'broker-a' }]);
      assert.equal(pq.msgCount, 1);
      assert.equal(host.errors.length, 0);
    });

    it("cleanExpireMsg: an expired message whose send-back fails stays cached and is reported as a 'sendBack' error event", async () => {
      const { host, svc, pq } = setup(() => ConsumeConcurrentlyStatus.CONSUME_SUCCESS, { consumeTimeout: 1 });
      const stuck = msg(0);
      stuck.putProperty(MessageConst.PROPERTY_CONSUME_START_TIMESTAMP, String(Date.now() - 61_000));
      pq.putMessage([stuck]);
      host.failSendBack.add('k0');
      await svc.cleanExpireMsg();
      assert.equal(pq.msgCount, 1);
      assert.deepEqual(host.errors.map((e) => [e.source, e.messageQueue]), [['sendBack', MQ]]);
    });
  });
});
