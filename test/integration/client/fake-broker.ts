import { bodyCRC } from '../../../src/common/message/body-crc.js';
import { readBatchEntries } from '../../../src/common/message/batch-codec.js';
import { createMessageId } from '../../../src/common/message/message-id.js';
import { string2messageProperties } from '../../../src/common/message/properties-codec.js';
import { createDataVersion, nextDataVersion } from '../../../src/common/protocol/body/data-version.js';
import { decodeHeartbeatData, type HeartbeatData } from '../../../src/common/protocol/body/heartbeat-data.js';
import { encodeRegisterBrokerBody } from '../../../src/common/protocol/body/register-broker-body.js';
import { createTopicConfig, type TopicConfig } from '../../../src/common/protocol/body/topic-config.js';
import { createResponseWithHeader, createRequestWithHeader, readHeader } from '../../../src/common/protocol/headers/command-header.js';
import { UnregisterClientRequestHeader } from '../../../src/common/protocol/headers/consumer-manage.js';
import { RegisterBrokerRequestHeader } from '../../../src/common/protocol/headers/namesrv/register-broker.js';
import {
  SendMessageResponseHeader,
  readSendMessageRequestHeader,
  setSendResponseExtras,
  type SendMessageRequestHeader,
} from '../../../src/common/protocol/headers/send-message.js';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import type { RemotingChannel } from '../../../src/common/remoting/remoting-channel.js';
import { RemotingClient } from '../../../src/common/remoting/remoting-client.js';
import { RemotingCommand } from '../../../src/common/remoting/remoting-command.js';
import { RemotingServer } from '../../../src/common/remoting/remoting-server.js';

/** One send as the fake broker received it. */
export interface ReceivedSend {
  code: number;
  /** The raw extFields (V2 short keys for 310/320). */
  extFields: Record<string, string>;
  /** The header as the broker reads it (V1 names). */
  header: SendMessageRequestHeader;
  properties: Map<string, string>;
  body: Buffer;
  /** For SEND_BATCH_MESSAGE: each inner message's properties and body. */
  batch?: { properties: Map<string, string>; body: Buffer }[];
  queueOffset: number;
}

/** What the broker answers sends with, for testing retries. */
export type SendBehaviour =
  | { kind: 'ok' }
  | { kind: 'code'; code: number; remark?: string }
  | { kind: 'silent' }
  | { kind: 'delay'; millis: number };

export interface FakeBrokerOptions {
  namesrvAddr: string;
  brokerName: string;
  cluster?: string;
  /** Topics besides TBW102 (perm 7, 8 queues: autoCreateTopicEnable=true). */
  topics?: TopicConfig[];
  autoCreateTopicEnable?: boolean;
  /** The address registered with the name server (a proxy in front of this broker); default its own. */
  advertisedAddr?: string;
}

/**
 * A broker stand-in on a real RemotingServer: registers with a real name server (REGISTER_BROKER),
 * answers sends, heartbeats and unregisters, records what it got, and can be told to answer an error,
 * stay silent (timeouts) or die.
 */
export class FakeBroker {
  readonly sends: ReceivedSend[] = [];
  readonly heartbeats: HeartbeatData[] = [];
  readonly unregisters: { clientID: string; producerGroup?: string | undefined; consumerGroup?: string | undefined }[] = [];
  readonly requests: RemotingCommand[] = [];
  behaviour: SendBehaviour = { kind: 'ok' };
  private readonly server = new RemotingServer({ listenPort: 0, shutdownTimeoutMillis: 200 });
  private readonly registrar = new RemotingClient({ connectTimeoutMillis: 1000 });
  private readonly topicTable = new Map<string, TopicConfig>();
  private readonly offsets = new Map<string, number>();
  private readonly dataVersion = createDataVersion();
  private readonly timers = new Set<NodeJS.Timeout>();
  private physicalOffset = 0;
  private alive = false;

  private constructor(readonly options: FakeBrokerOptions) {
    const tbw = createTopicConfig('TBW102', { readQueueNums: 8, writeQueueNums: 8, perm: 7 });
    if (options.autoCreateTopicEnable !== false) this.topicTable.set(tbw.topicName, tbw);
    for (const t of options.topics ?? []) this.topicTable.set(t.topicName, t);
  }

  static async start(options: FakeBrokerOptions): Promise<FakeBroker> {
    const b = new FakeBroker(options);
    b.install();
    await b.server.start();
    b.alive = true;
    await b.register();
    return b;
  }

  get addr(): string {
    return `127.0.0.1:${this.server.port}`;
  }

  /** The client connections, to send broker-initiated requests (NOTIFY_CONSUMER_IDS_CHANGED …). */
  get channels(): RemotingChannel[] {
    return [...this.server.channels.values()];
  }

  get brokerName(): string {
    return this.options.brokerName;
  }

  /** Sends of `topic` (all topics when omitted). */
  sendsOf(topic?: string): ReceivedSend[] {
    return topic === undefined ? this.sends : this.sends.filter((s) => s.header.topic === topic);
  }

  addTopic(t: TopicConfig): Promise<void> {
    this.topicTable.set(t.topicName, t);
    return this.register();
  }

  async register(): Promise<void> {
    nextDataVersion(this.dataVersion);
    const body = encodeRegisterBrokerBody({ topicConfigSerializeWrapper: { topicConfigTable: this.topicTable, dataVersion: this.dataVersion }, filterServerList: [] });
    const request = createRequestWithHeader(
      RequestCode.REGISTER_BROKER,
      RegisterBrokerRequestHeader,
      {
        brokerName: this.brokerName,
        brokerAddr: this.options.advertisedAddr ?? this.addr,
        clusterName: this.options.cluster ?? 'DefaultCluster',
        haServerAddr: this.addr,
        brokerId: 0,
        compressed: false,
        bodyCrc32: bodyCRC(body),
      },
      body,
    );
    const response = await this.registrar.invokeSync(this.options.namesrvAddr, request, 3000);
    if (response.code !== ResponseCode.SUCCESS) throw new Error(`register failed: ${response.code} ${response.remark ?? ''}`);
  }

  /** Stops answering and unregisters (closing the name server connection removes it from routes). */
  async die(): Promise<void> {
    this.alive = false;
    for (const t of this.timers) clearTimeout(t);
    await this.server.shutdown();
    await this.registrar.shutdown();
  }

  /** Stops listening but stays registered: clients still route to it and get connection errors. */
  async crash(): Promise<void> {
    this.alive = false;
    for (const t of this.timers) clearTimeout(t);
    await this.server.shutdown();
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    if (this.alive) await this.server.shutdown();
    await this.registrar.shutdown();
    this.alive = false;
  }

  /** Answers `code` to the requests it records in `requests` (PULL, offsets … for API tests). */
  readonly canned = new Map<number, (request: RemotingCommand) => RemotingCommand>();

  private install(): void {
    const send = { processRequest: (ch: RemotingChannel, req: RemotingCommand) => this.onSend(ch, req) };
    this.server.registerProcessor(RequestCode.SEND_MESSAGE, send);
    this.server.registerProcessor(RequestCode.SEND_MESSAGE_V2, send);
    this.server.registerProcessor(RequestCode.SEND_BATCH_MESSAGE, send);
    this.server.registerProcessor(RequestCode.HEART_BEAT, {
      processRequest: (_ch, req) => {
        this.heartbeats.push(decodeHeartbeatData(req.body ?? Buffer.from('{}')));
        return RemotingCommand.createResponse(req, ResponseCode.SUCCESS);
      },
    });
    this.server.registerProcessor(RequestCode.UNREGISTER_CLIENT, {
      processRequest: (_ch, req) => {
        this.unregisters.push(readHeader(req, UnregisterClientRequestHeader));
        return RemotingCommand.createResponse(req, ResponseCode.SUCCESS);
      },
    });
    this.server.registerDefaultProcessor({
      processRequest: (_ch, req) => {
        this.requests.push(req);
        const canned = this.canned.get(req.code);
        return canned !== undefined ? canned(req) : RemotingCommand.createResponse(req, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, 'not supported');
      },
    });
  }

  private async onSend(_ch: RemotingChannel, req: RemotingCommand): Promise<RemotingCommand | null> {
    const header = readSendMessageRequestHeader(req);
    const body = req.body ?? Buffer.alloc(0);
    const received: ReceivedSend = {
      code: req.code,
      extFields: { ...(req.extFields ?? {}) },
      header,
      properties: string2messageProperties(header.properties ?? ''),
      body,
      queueOffset: -1,
    };
    if (req.code === RequestCode.SEND_BATCH_MESSAGE) {
      received.batch = [...readBatchEntries(body)].map((e) => ({ properties: string2messageProperties(e.properties.toString('utf8')), body: Buffer.from(e.body) }));
    }
    const b = this.behaviour;
    if (b.kind === 'silent') {
      this.sends.push(received);
      return null;
    }
    if (b.kind === 'delay') await new Promise<void>((resolve) => this.timers.add(setTimeout(resolve, b.millis)));
    if (b.kind === 'code') {
      this.sends.push(received);
      return RemotingCommand.createResponse(req, b.code, b.remark ?? `fake broker answers ${b.code}`);
    }
    if (!this.topicTable.has(header.topic)) {
      if (!this.topicTable.has('TBW102')) {
        this.sends.push(received);
        return RemotingCommand.createResponse(req, ResponseCode.TOPIC_NOT_EXIST, `topic[${header.topic}] not exist, apply first please!`);
      }
      const n = Math.min(header.defaultTopicQueueNums, 8);
      await this.addTopic(createTopicConfig(header.topic, { readQueueNums: n, writeQueueNums: n, perm: 6 }));
    }
    const count = received.batch?.length ?? 1;
    const key = `${header.topic}@${header.queueId}`;
    const queueOffset = this.offsets.get(key) ?? 0;
    this.offsets.set(key, queueOffset + count);
    received.queueOffset = queueOffset;
    this.sends.push(received);
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      ids.push(createMessageId({ host: '127.0.0.1', port: this.server.port }, this.physicalOffset));
      this.physicalOffset += 100;
    }
    const response = createResponseWithHeader(req, ResponseCode.SUCCESS, SendMessageResponseHeader, {
      msgId: ids.join(','),
      queueId: header.queueId,
      queueOffset,
    });
    return setSendResponseExtras(response, { regionId: 'DefaultRegion', traceOn: true });
  }
}

/** Polls `predicate` until true or `timeoutMillis` passes. */
export async function waitFor(predicate: () => boolean, timeoutMillis = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
