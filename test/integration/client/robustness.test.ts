import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { expect } from 'chai';

import { Message } from '../../../src/common/message/message.js';
import { waitFor } from './fake-broker.js';
import { ClientFixture, topic } from './helpers.js';

describe('client robustness: connections cut and restored', () => {
  let fx: ClientFixture;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };

  beforeEach(() => {
    fx = new ClientFixture();
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(async () => {
    process.off('unhandledRejection', onUnhandled);
    await fx.close();
  });

  it('background route polls and heartbeats survive an outage, and sends recover once the network is back', async () => {
    const ns = await fx.namesrv();
    const nsProxy = await fx.proxy(ns.address);
    const brokerProxy = await fx.proxy();
    const broker = await fx.broker({ namesrvAddr: ns.address, brokerName: 'broker-a', topics: [topic('TopicNet', 4)], advertisedAddr: brokerProxy.addr });
    brokerProxy.target = broker.addr;

    const p = fx.producer({
      producerGroup: 'PG_NET',
      namesrvAddr: nsProxy.addr,
      sendMsgTimeout: 500,
      pollNameServerInterval: 50,
      heartbeatBrokerInterval: 50,
      mqClientApiTimeout: 300,
    });
    await p.start();
    expect((await p.send(new Message('TopicNet', 'before'))).sendStatus).to.equal('SEND_OK');

    nsProxy.cut();
    brokerProxy.cut();
    const failures: string[] = [];
    const callbacks: string[] = [];
    for (let i = 0; i < 5; i++) {
      await p.send(new Message('TopicNet', `during-${i}`)).catch((e: unknown) => failures.push((e as Error).name));
      p.send(new Message('TopicNet', `async-${i}`), { onSuccess: () => callbacks.push('ok'), onException: (e) => callbacks.push(e.name) });
      await p.sendOneway(new Message('TopicNet', `oneway-${i}`)).catch((e: unknown) => failures.push((e as Error).name));
    }
    await new Promise((r) => setTimeout(r, 600)); // polls and heartbeats fail in the background meanwhile
    expect(failures.length).to.be.at.least(5);
    expect(callbacks).to.have.length(5);

    nsProxy.restore();
    brokerProxy.restore();
    const deadline = Date.now() + 5000;
    let recovered = false;
    while (!recovered && Date.now() < deadline) {
      recovered = await p.send(new Message('TopicNet', 'after')).then(
        (r) => r.sendStatus === 'SEND_OK',
        () => false,
      );
      if (!recovered) await new Promise((r) => setTimeout(r, 100));
    }
    expect(recovered).to.equal(true);
    // Heartbeats (first one 1 s after start, then every 50 ms) reach the broker again.
    const beats = broker.heartbeats.length;
    await waitFor(() => broker.heartbeats.length > beats, 2500);
    expect(unhandled).to.deep.equal([]);
  });

  it('runs the same outage in a child process with --unhandled-rejections=strict', async () => {
    const script = join(dirname(fileURLToPath(import.meta.url)), 'robustness-child.ts');
    const child = spawn(process.execPath, ['--unhandled-rejections=strict', '--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(out).to.contain('RECOVERED');
    expect(code, out).to.equal(0);
  });
});
