/**
 * Run by robustness.test.ts as `node --unhandled-rejections=strict --import tsx robustness-child.ts`:
 * any unhandled rejection from background work (route polls, heartbeats, reconnects) kills this process
 * with a non-zero exit code. Prints "RECOVERED" and exits 0 when sends work again after the outage.
 */
import { Message } from '../../../src/common/message/message.js';
import { waitFor } from './fake-broker.js';
import { ClientFixture, topic } from './helpers.js';

const fx = new ClientFixture();
try {
  const ns = await fx.namesrv();
  const nsProxy = await fx.proxy(ns.address);
  const brokerProxy = await fx.proxy();
  const broker = await fx.broker({ namesrvAddr: ns.address, brokerName: 'broker-a', topics: [topic('TopicNet', 4)], advertisedAddr: brokerProxy.addr });
  brokerProxy.target = broker.addr;
  const p = fx.producer({ producerGroup: 'PG_CHILD', namesrvAddr: nsProxy.addr, sendMsgTimeout: 500, pollNameServerInterval: 50, heartbeatBrokerInterval: 50, mqClientApiTimeout: 300 });
  await p.start();
  await p.send(new Message('TopicNet', 'before'));
  for (let round = 0; round < 2; round++) {
    nsProxy.cut();
    brokerProxy.cut();
    for (let i = 0; i < 3; i++) {
      await p.send(new Message('TopicNet', 'during')).catch(() => 'failed as expected');
      p.send(new Message('TopicNet', 'async'), { onSuccess: () => undefined, onException: () => undefined });
    }
    await new Promise((r) => setTimeout(r, 1200)); // heartbeats (after 1 s) and polls fail meanwhile
    nsProxy.restore();
    brokerProxy.restore();
    let ok = false;
    const deadline = Date.now() + 5000;
    while (!ok && Date.now() < deadline) {
      ok = await p.send(new Message('TopicNet', 'after')).then(() => true, () => false);
      if (!ok) await new Promise((r) => setTimeout(r, 100));
    }
    if (!ok) throw new Error(`sends did not recover in round ${round}`);
  }
  const beats = broker.heartbeats.length;
  await waitFor(() => broker.heartbeats.length > beats, 2000);
  process.stdout.write('RECOVERED\n');
} finally {
  await fx.close();
}
