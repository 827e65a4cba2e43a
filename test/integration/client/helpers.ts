import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DefaultMQProducer } from '../../../src/client/producer/default-mq-producer.js';
import type { DefaultMQProducerOptions } from '../../../src/client/producer/producer-options.js';
import { createTopicConfig, type TopicConfig } from '../../../src/common/protocol/body/topic-config.js';
import type { NamesrvController } from '../../../src/namesrv/namesrv-controller.js';
import { startNamesrv } from '../../../src/namesrv/start-namesrv.js';
import { FakeBroker, type FakeBrokerOptions } from './fake-broker.js';

export function topic(name: string, queues = 4, perm = 6): TopicConfig {
  return createTopicConfig(name, { readQueueNums: queues, writeQueueNums: queues, perm });
}

/** Everything one test starts, freed by `close()` in reverse order. */
export class ClientFixture {
  readonly dir = mkdtempSync(join(tmpdir(), 'rmq-client-'));
  private readonly namesrvs: NamesrvController[] = [];
  private readonly brokers: FakeBroker[] = [];
  private readonly producers: DefaultMQProducer[] = [];
  private readonly proxies: TcpProxy[] = [];

  async namesrv(listenPort = 0): Promise<NamesrvController> {
    const n = await startNamesrv({ listenPort, kvConfigPath: join(this.dir, `kv-${this.namesrvs.length}.json`), shutdownTimeoutMillis: 300 });
    this.namesrvs.push(n);
    return n;
  }

  async broker(options: FakeBrokerOptions): Promise<FakeBroker> {
    const b = await FakeBroker.start(options);
    this.brokers.push(b);
    return b;
  }

  producer(options: DefaultMQProducerOptions): DefaultMQProducer {
    const p = new DefaultMQProducer({ sendMsgTimeout: 2000, ...options });
    this.producers.push(p);
    return p;
  }

  async proxy(target?: string): Promise<TcpProxy> {
    const p = await TcpProxy.start(target);
    this.proxies.push(p);
    return p;
  }

  async close(): Promise<void> {
    await Promise.all(this.producers.map((p) => p.shutdown()));
    for (const p of this.proxies) await p.close();
    await Promise.all(this.brokers.map((b) => b.stop()));
    await Promise.all(this.namesrvs.map((n) => n.shutdown()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A free loopback port (bound and released). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/**
 * A loopback TCP proxy whose connections can be cut (every socket destroyed, new ones refused by an
 * immediate reset) and restored, to simulate a network outage.
 */
export class TcpProxy {
  target: string | undefined;
  private cutOff = false;
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server, target?: string) {
    this.target = target;
  }

  static async start(target?: string): Promise<TcpProxy> {
    const server = createServer();
    const proxy = new TcpProxy(server, target);
    server.on('connection', (client) => proxy.onConnection(client));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get addr(): string {
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  cut(): void {
    this.cutOff = true;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  restore(): void {
    this.cutOff = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onConnection(client: Socket): void {
    client.on('error', () => client.destroy());
    if (this.cutOff || this.target === undefined) {
      client.destroy();
      return;
    }
    const i = this.target.lastIndexOf(':');
    const upstream = connect({ host: this.target.slice(0, i), port: Number(this.target.slice(i + 1)) });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    this.sockets.add(client);
    this.sockets.add(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
