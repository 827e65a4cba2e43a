import type { Logger } from '../common/logging/logger.js';
import { bodyCRC } from '../common/message/body-crc.js';
import { encodeRegisterBrokerBody } from '../common/protocol/body/register-broker-body.js';
import type { TopicConfigSerializeWrapper } from '../common/protocol/body/topic-config-serialize-wrapper.js';
import { createRequestWithHeader, readHeader } from '../common/protocol/headers/command-header.js';
import { RegisterBrokerRequestHeader, RegisterBrokerResponseHeader, UnRegisterBrokerRequestHeader } from '../common/protocol/headers/namesrv/register-broker.js';
import { RequestCode } from '../common/protocol/request-code.js';
import { ResponseCode } from '../common/protocol/response-code.js';
import { RemotingClient } from '../common/remoting/remoting-client.js';

/** Who this broker is, as name servers know it. */
export interface BrokerIdentity {
  readonly clusterName: string;
  readonly brokerName: string;
  readonly brokerId: number;
  /** brokerIP1:listenPort. */
  readonly brokerAddr: string;
  /** brokerIP2:haListenPort. */
  readonly haServerAddr: string;
}

/** A name server's answer to REGISTER_BROKER (Java's RegisterBrokerResult): for a slave, its master. */
export interface RegisterBrokerResult {
  readonly haServerAddr?: string | undefined;
  readonly masterAddr?: string | undefined;
}

export interface NamesrvRegistrarOptions {
  /** `host:port;host:port` (re-read on every registration: UPDATE_BROKER_CONFIG may change it). */
  readonly namesrvAddr: () => string;
  readonly identity: () => BrokerIdentity;
  readonly registerBrokerTimeoutMills: () => number;
  readonly compressedRegister: () => boolean;
  readonly log: Logger;
}

/**
 * BrokerOuterAPI's registration half: REGISTER_BROKER to every name server (in parallel, each failure
 * logged, none fatal), oneway after a topic is auto-created, UNREGISTER_BROKER at shutdown.
 */
export class NamesrvRegistrar {
  private readonly client: RemotingClient;

  constructor(private readonly opts: NamesrvRegistrarOptions) {
    this.client = new RemotingClient({ connectTimeoutMillis: 3000, logger: opts.log });
  }

  namesrvAddrList(): string[] {
    return this.opts
      .namesrvAddr()
      .split(';')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
  }

  /**
   * registerBrokerAll: resolves once every name server answered or failed (oneway: once written), to
   * the answers that came back (HA: a slave learns its master from them).
   */
  async registerBrokerAll(wrapper: TopicConfigSerializeWrapper, oneway: boolean): Promise<RegisterBrokerResult[]> {
    const results: RegisterBrokerResult[] = [];
    const id = this.opts.identity();
    const compressed = this.opts.compressedRegister();
    const body = encodeRegisterBrokerBody({ topicConfigSerializeWrapper: wrapper, filterServerList: [] }, compressed);
    const timeout = this.opts.registerBrokerTimeoutMills();
    await Promise.all(
      this.namesrvAddrList().map(async (addr) => {
        const request = createRequestWithHeader(
          RequestCode.REGISTER_BROKER,
          RegisterBrokerRequestHeader,
          {
            brokerAddr: id.brokerAddr,
            brokerId: id.brokerId,
            brokerName: id.brokerName,
            clusterName: id.clusterName,
            haServerAddr: id.haServerAddr,
            compressed,
            bodyCrc32: bodyCRC(body),
          },
          body,
        );
        try {
          if (oneway) {
            await this.client.invokeOneway(addr, request.markOneway(), timeout);
            return;
          }
          const response = await this.client.invokeSync(addr, request, timeout);
          if (response.code !== ResponseCode.SUCCESS) {
            this.opts.log.warn('register broker refused', { namesrv: addr, code: response.code, remark: response.remark });
            return;
          }
          this.opts.log.info('register broker to name server OK', { namesrv: addr });
          const h = readHeader(response, RegisterBrokerResponseHeader);
          results.push({ haServerAddr: h.haServerAddr, masterAddr: h.masterAddr });
        } catch (e: unknown) {
          this.opts.log.warn('register broker to name server failed', { namesrv: addr, error: e });
        }
      }),
    );
    return results;
  }

  /** unregisterBrokerAll: best effort, bounded by the registration timeout. */
  async unregisterBrokerAll(): Promise<void> {
    const id = this.opts.identity();
    await Promise.all(
      this.namesrvAddrList().map(async (addr) => {
        const request = createRequestWithHeader(RequestCode.UNREGISTER_BROKER, UnRegisterBrokerRequestHeader, {
          brokerAddr: id.brokerAddr,
          brokerId: id.brokerId,
          brokerName: id.brokerName,
          clusterName: id.clusterName,
        });
        try {
          await this.client.invokeSync(addr, request, this.opts.registerBrokerTimeoutMills());
        } catch (e: unknown) {
          this.opts.log.warn('unregister broker from name server failed', { namesrv: addr, error: e });
        }
      }),
    );
  }

  shutdown(): Promise<void> {
    return this.client.shutdown();
  }
}
