import { messageProperties2String } from '../../src/common/message/index.js';
import { createRequestWithHeader } from '../../src/common/protocol/headers/command-header.js';
import { SendMessageRequestHeaderV2 } from '../../src/common/protocol/headers/send-message.js';
import { RequestCode } from '../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../src/common/protocol/response-code.js';
import { RemotingClient } from '../../src/common/remoting/remoting-client.js';
import { LatencyRecorder } from './stats.js';

const SEND_TIMEOUT_MILLIS = 10_000;

export interface RawSendOptions {
  readonly brokerAddr: string;
  readonly topic: string;
  /** Queues the sends rotate over (and the auto-creation queue count if the topic is new). */
  readonly queues: number;
  readonly msgSize: number;
  /** Requests outstanding per client connection. */
  readonly inFlight: number;
  /** Independent RemotingClients (one connection each), e.g. one per producer being compared. */
  readonly clients?: number;
}

export interface RawSendRun {
  readonly messages: number;
  readonly seconds: number;
  readonly latency: LatencyRecorder;
}

/**
 * The raw-protocol send load generator: SEND_MESSAGE_V2 frames straight from RemotingClients, no
 * producer logic. Shared by `broker-send` (the broker's own figure) and `send` (the baseline our
 * DefaultMQProducer is compared with in the same run), so both measure exactly the same thing.
 */
export class RawSender {
  private readonly clients: RemotingClient[];
  private readonly body: Buffer;
  private readonly properties = messageProperties2String(new Map([['WAIT', 'true']]));
  private seq = 0;

  constructor(private readonly o: RawSendOptions) {
    this.clients = Array.from({ length: o.clients ?? 1 }, () => new RemotingClient());
    this.body = Buffer.alloc(o.msgSize, 0x61);
  }

  /** Sends for `millis` (warm-up when `record` is false); throws on the first non-SUCCESS answer. */
  async runFor(millis: number, record = true): Promise<RawSendRun> {
    const latency = new LatencyRecorder();
    const end = Date.now() + millis;
    const start = performance.now();
    let messages = 0;
    const worker = async (client: RemotingClient): Promise<void> => {
      while (Date.now() < end) {
        const t = performance.now();
        const res = await client.invokeSync(this.o.brokerAddr, this.request(), SEND_TIMEOUT_MILLIS);
        if (res.code !== ResponseCode.SUCCESS) throw new Error(`send failed: ${res.code} ${res.remark ?? ''}`);
        if (record) latency.record(performance.now() - t);
        messages++;
      }
    };
    await Promise.all(this.clients.flatMap((c) => Array.from({ length: this.o.inFlight }, () => worker(c))));
    return { messages, seconds: (performance.now() - start) / 1000, latency };
  }

  async shutdown(): Promise<void> {
    for (const c of this.clients) await c.shutdown();
  }

  private request() {
    const { topic, queues } = this.o;
    return createRequestWithHeader(
      RequestCode.SEND_MESSAGE_V2,
      SendMessageRequestHeaderV2,
      { producerGroup: 'BenchPG', topic, defaultTopic: 'TBW102', defaultTopicQueueNums: queues, queueId: this.seq++ % queues, sysFlag: 0, bornTimestamp: Date.now(), flag: 0, properties: this.properties },
      this.body,
    );
  }
}
