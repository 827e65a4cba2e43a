import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createDataVersion, type DataVersion } from '../../../src/common/protocol/body/data-version.js';
import { encodeRegisterBrokerBody } from '../../../src/common/protocol/body/register-broker-body.js';
import { createTopicConfig, type TopicConfig } from '../../../src/common/protocol/body/topic-config.js';
import { bodyCRC } from '../../../src/common/message/body-crc.js';
import { createRequestWithHeader, readHeader } from '../../../src/common/protocol/headers/command-header.js';
import { RegisterBrokerRequestHeader, RegisterBrokerResponseHeader } from '../../../src/common/protocol/headers/namesrv/register-broker.js';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { RemotingClient } from '../../../src/common/remoting/remoting-client.js';
import type { RemotingCommand } from '../../../src/common/remoting/remoting-command.js';
import { startNamesrv, type StartNamesrvOptions } from '../../../src/namesrv/start-namesrv.js';
import type { NamesrvController } from '../../../src/namesrv/namesrv-controller.js';
import { connectRaw } from '../../support/raw-socket.js';

export const TIMEOUT = 3000;
const FRAMES = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/frames');

export function frameBytes(name: string): Buffer {
  return readFileSync(join(FRAMES, name));
}

export interface BrokerSpec {
  cluster?: string;
  brokerName: string;
  brokerId?: number;
  brokerAddr: string;
  haServerAddr?: string;
  topics?: TopicConfig[];
  dataVersion?: DataVersion;
  compressed?: boolean;
}

/** Tracks name servers, clients, sockets and temp dirs of one test so afterEach frees them all. */
export class NamesrvFixture {
  readonly dir = mkdtempSync(join(tmpdir(), 'rmq-namesrv-'));
  private readonly controllers: NamesrvController[] = [];
  private readonly clients: RemotingClient[] = [];
  private readonly sockets: Socket[] = [];

  get kvConfigPath(): string {
    return join(this.dir, 'kvConfig.json');
  }

  get configStorePath(): string {
    return join(this.dir, 'namesrv.properties');
  }

  async namesrv(options: StartNamesrvOptions = {}): Promise<NamesrvController> {
    // configStorePath too: an UPDATE_NAMESRV_CONFIG in a test must never write under $HOME.
    const c = await startNamesrv({ kvConfigPath: this.kvConfigPath, configStorePath: this.configStorePath, shutdownTimeoutMillis: 500, ...options });
    this.controllers.push(c);
    return c;
  }

  /** A client with its own connection (one per simulated broker, so closing it drops only that one). */
  client(): RemotingClient {
    const c = new RemotingClient({ connectTimeoutMillis: 1000 });
    this.clients.push(c);
    return c;
  }

  async raw(port: number): Promise<Socket> {
    const s = await connectRaw('127.0.0.1', port);
    this.sockets.push(s);
    return s;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await Promise.all(this.clients.map((c) => c.shutdown()));
    await Promise.all(this.controllers.map((c) => c.shutdown()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function registerRequest(b: BrokerSpec): RemotingCommand {
  const table = new Map((b.topics ?? []).map((t) => [t.topicName, t]));
  const body = encodeRegisterBrokerBody(
    { topicConfigSerializeWrapper: { topicConfigTable: table, dataVersion: b.dataVersion ?? createDataVersion(1000, 1) }, filterServerList: [] },
    b.compressed === true,
  );
  return createRequestWithHeader(
    RequestCode.REGISTER_BROKER,
    RegisterBrokerRequestHeader,
    {
      brokerName: b.brokerName,
      brokerAddr: b.brokerAddr,
      clusterName: b.cluster ?? 'DefaultCluster',
      haServerAddr: b.haServerAddr ?? b.brokerAddr.replace(/:\d+$/, ':10912'),
      brokerId: b.brokerId ?? 0,
      compressed: b.compressed === true,
      bodyCrc32: bodyCRC(body),
    },
    body,
  );
}

/** Registers and returns the decoded RegisterBrokerResponseHeader (asserting SUCCESS). */
export async function register(client: RemotingClient, addr: string, b: BrokerSpec): Promise<RegisterBrokerResponseHeader> {
  const res = await client.invokeSync(addr, registerRequest(b), TIMEOUT);
  if (res.code !== 0) throw new Error(`register failed: ${res.code} ${res.remark ?? ''}`);
  return readHeader(res, RegisterBrokerResponseHeader);
}

export function topic(name: string, queues = 4, perm = 6): TopicConfig {
  return createTopicConfig(name, { readQueueNums: queues, writeQueueNums: queues, perm });
}

/** Sends raw bytes and resolves with the first whole frame (length prefix included) the server writes back. */
export function exchangeFrame(socket: Socket, request: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let acc = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      acc = Buffer.concat([acc, chunk]);
      if (acc.length >= 4 && acc.length >= 4 + acc.readInt32BE(0)) {
        socket.off('data', onData);
        resolve(acc.subarray(0, 4 + acc.readInt32BE(0)));
      }
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error('closed before a whole frame arrived')));
    socket.write(request);
  });
}

/** Polls `predicate` until true or `timeoutMillis` passes. */
export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMillis = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
