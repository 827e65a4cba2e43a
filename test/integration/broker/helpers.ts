import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { LocalCluster, type LocalClusterOptions } from '../../../src/broker/local-cluster.js';
import { Message, encodeMessages, messageProperties2String } from '../../../src/common/message/index.js';
import { encodeHeartbeatData, type HeartbeatData } from '../../../src/common/protocol/body/heartbeat-data.js';
import { buildSubscriptionData } from '../../../src/common/protocol/body/filter-api.js';
import { createRequestWithHeader } from '../../../src/common/protocol/headers/command-header.js';
import { PullMessageRequestHeader } from '../../../src/common/protocol/headers/pull-message.js';
import { SendMessageRequestHeader, SendMessageRequestHeaderV2 } from '../../../src/common/protocol/headers/send-message.js';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { RemotingClient } from '../../../src/common/remoting/remoting-client.js';
import { RemotingCommand } from '../../../src/common/remoting/remoting-command.js';
import { connectRaw } from '../../support/raw-socket.js';

export const TIMEOUT = 3000;
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures');

export function frameBytes(name: string): Buffer {
  return readFileSync(join(FIXTURES, 'frames', name));
}

export function realCommitLog(): Buffer {
  return readFileSync(join(FIXTURES, 'store', 'commitlog-00000000000000000000.head5284'));
}

/** Small files so a test store is light; everything else RocketMQ's defaults. */
export const SMALL_STORE = { mappedFileSizeCommitLog: 4 * 1024 * 1024, mappedFileSizeConsumeQueue: 20 * 1000, writeBufferSize: 4 * 1024 * 1024 + 128 * 1024 };

/** One test's cluster(s), clients and sockets, all freed by close(). */
export class BrokerFixture {
  readonly clusters: LocalCluster[] = [];
  private readonly clients: RemotingClient[] = [];
  private readonly sockets: Socket[] = [];

  async cluster(options: LocalClusterOptions = {}): Promise<LocalCluster> {
    const c = await LocalCluster.start({ ...options, messageStoreConfig: { ...SMALL_STORE, ...options.messageStoreConfig } });
    this.clusters.push(c);
    return c;
  }

  client(): RemotingClient {
    const c = new RemotingClient({ connectTimeoutMillis: 1000 });
    this.clients.push(c);
    return c;
  }

  async raw(addr: string): Promise<Socket> {
    const [host, port] = addr.split(':');
    const s = await connectRaw(host!, Number(port));
    this.sockets.push(s);
    return s;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await Promise.all(this.clients.map((c) => c.shutdown()));
    await Promise.all(this.clusters.map((c) => c.stop()));
  }
}

export interface SendOptions {
  queueId?: number;
  properties?: Map<string, string>;
  flag?: number;
  bornTimestamp?: number;
  defaultTopicQueueNums?: number;
}

function sendHeader(topic: string, o: SendOptions): SendMessageRequestHeader {
  return {
    producerGroup: 'PG',
    topic,
    defaultTopic: 'TBW102',
    defaultTopicQueueNums: o.defaultTopicQueueNums ?? 4,
    queueId: o.queueId ?? 0,
    sysFlag: 0,
    bornTimestamp: o.bornTimestamp ?? Date.now(),
    flag: o.flag ?? 0,
    properties: messageProperties2String(o.properties ?? new Map([['WAIT', 'true']])),
    reconsumeTimes: 0,
    unitMode: false,
    batch: false,
  };
}

export function sendV1(topic: string, body: Buffer | string, o: SendOptions = {}): RemotingCommand {
  return createRequestWithHeader(RequestCode.SEND_MESSAGE, SendMessageRequestHeader, sendHeader(topic, o), Buffer.from(body));
}

export function sendV2(topic: string, body: Buffer | string, o: SendOptions = {}): RemotingCommand {
  return createRequestWithHeader(RequestCode.SEND_MESSAGE_V2, SendMessageRequestHeaderV2, sendHeader(topic, o), Buffer.from(body));
}

export function sendBatch(topic: string, messages: Message[], o: SendOptions = {}): RemotingCommand {
  return createRequestWithHeader(
    RequestCode.SEND_BATCH_MESSAGE,
    SendMessageRequestHeaderV2,
    { ...sendHeader(topic, o), batch: true },
    encodeMessages(messages),
  );
}

export interface PullOptions {
  group?: string;
  queueId?: number;
  maxMsgNums?: number;
  sysFlag?: number;
  subscription?: string;
  suspendTimeoutMillis?: number;
  commitOffset?: number;
  subVersion?: number;
}

/** FLAG_SUSPEND | FLAG_SUBSCRIPTION by default (a pull that carries its own expression). */
export function pull(topic: string, queueOffset: number, o: PullOptions = {}): RemotingCommand {
  return createRequestWithHeader(RequestCode.PULL_MESSAGE, PullMessageRequestHeader, {
    consumerGroup: o.group ?? 'CG',
    topic,
    queueId: o.queueId ?? 0,
    queueOffset,
    maxMsgNums: o.maxMsgNums ?? 32,
    sysFlag: o.sysFlag ?? 0x6,
    commitOffset: o.commitOffset ?? 0,
    suspendTimeoutMillis: o.suspendTimeoutMillis ?? 1000,
    subscription: o.subscription ?? '*',
    subVersion: o.subVersion ?? 0,
  });
}

export function heartbeat(clientID: string, group: string, topics: string[], producerGroup?: string): RemotingCommand {
  const hb: HeartbeatData = {
    clientID,
    producerDataSet: producerGroup === undefined ? [] : [{ groupName: producerGroup }],
    consumerDataSet: [
      {
        groupName: group,
        consumeType: 'CONSUME_PASSIVELY',
        messageModel: 'CLUSTERING',
        consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
        subscriptionDataSet: topics.map((t) => buildSubscriptionData(t, '*', 1)),
        unitMode: false,
      },
    ],
  };
  return RemotingCommand.createRequest(RequestCode.HEART_BEAT, undefined, encodeHeartbeatData(hb));
}

/** Sends raw bytes and resolves with the first whole frame (length prefix included) written back. */
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

/**
 * Like exchangeFrame, but skips frames the server sends as requests (NOTIFY_CONSUMER_IDS_CHANGED may
 * come before the answer on a consumer's connection) and resolves with the first response frame.
 */
export function exchangeResponse(socket: Socket, request: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let acc = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      acc = Buffer.concat([acc, chunk]);
      while (acc.length >= 4 && acc.length >= 4 + acc.readInt32BE(0)) {
        const frame = acc.subarray(0, 4 + acc.readInt32BE(0));
        acc = acc.subarray(frame.length);
        const headerLength = frame.readInt32BE(4) & 0xffffff;
        const header = frame.subarray(8, 8 + headerLength);
        // JSON: "flag":N; ROCKETMQ: flag int32 at offset 9 of the header. Bit 0 = response.
        const flag = frame[4] === 0 ? Number(/"flag":(\d+)/.exec(header.toString('latin1'))?.[1] ?? 0) : header.readInt32BE(9);
        if ((flag & 1) === 1) {
          socket.off('data', onData);
          resolve(frame);
          return;
        }
      }
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error('closed before a response arrived')));
    socket.write(request);
  });
}

/** Polls `predicate` until true or `timeoutMillis` passes. */
export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMillis = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

export { Message };
