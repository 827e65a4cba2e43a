import { createLogger, type Logger } from '../common/logging/logger.js';
import type { RemotingChannel } from '../common/remoting/remoting-channel.js';
import { RemotingServer } from '../common/remoting/remoting-server.js';
import { KVConfigManager } from './kvconfig/kv-config-manager.js';
import { SCAN_NOT_ACTIVE_BROKER_INITIAL_DELAY_MILLIS, createNamesrvConfig, type NamesrvConfig } from './namesrv-config.js';
import { NamesrvConfiguration, type NamesrvKey } from './namesrv-configuration.js';
import { DefaultRequestProcessor } from './processor/default-request-processor.js';
import { RouteInfoManager } from './routeinfo/route-info-manager.js';

/** Addresses peers can dial when the server listens on every interface. */
const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::', '']);
const LOOPBACK = '127.0.0.1';

export interface NamesrvControllerOptions {
  logger?: Logger;
  /** Bound on the graceful part of shutdown (RemotingServer's). */
  shutdownTimeoutMillis?: number;
}

/**
 * The name server (namesrv/NamesrvController.java): owns the remoting server, the route table, the
 * KV store and the expiry scan. `start()` loads the KV file and listens; `shutdown()` stops the
 * scan, closes every connection and waits for the last KV write.
 */
export class NamesrvController {
  readonly namesrvConfig: NamesrvConfig;
  readonly routeInfoManager: RouteInfoManager;
  readonly kvConfigManager: KVConfigManager;
  /** GET/UPDATE_NAMESRV_CONFIG: the live config as properties text, persisted to configStorePath. */
  readonly configuration: NamesrvConfiguration;
  readonly remotingServer: RemotingServer;
  private readonly log: Logger;
  private scanTimer: NodeJS.Timeout | undefined;
  private state: 'new' | 'started' | 'stopped' = 'new';

  constructor(config: Partial<NamesrvConfig> | NamesrvConfig = {}, options: NamesrvControllerOptions = {}) {
    this.namesrvConfig = createNamesrvConfig(config);
    this.log = (options.logger ?? createLogger('rocketmq')).namespace('NamesrvController');
    const c = this.namesrvConfig;
    this.routeInfoManager = new RouteInfoManager(this.log.namespace('RouteInfoManager'), c.brokerChannelExpiredTime);
    this.kvConfigManager = new KVConfigManager(c.kvConfigPath, this.log.namespace('KVConfigManager'));
    const serverOptions = {
      host: c.bindAddress,
      listenPort: c.listenPort,
      serverChannelMaxIdleTimeSeconds: c.serverChannelMaxIdleTimeSeconds,
      serverSocketBacklog: c.serverSocketBacklog,
      logger: options.logger ?? createLogger('rocketmq'),
    };
    this.remotingServer = new RemotingServer(
      options.shutdownTimeoutMillis === undefined ? serverOptions : { ...serverOptions, shutdownTimeoutMillis: options.shutdownTimeoutMillis },
    );
    this.configuration = new NamesrvConfiguration(c, this.log.namespace('Configuration'), (changed) => this.applyLive(changed));
    const processor = new DefaultRequestProcessor(this.configuration, this.routeInfoManager, this.kvConfigManager, this.log.namespace('DefaultRequestProcessor'));
    for (const code of processor.codes) this.remotingServer.registerProcessor(code, processor);
    // BrokerHousekeepingService: a broker's connection closing, failing or idling out removes it now.
    const destroy = (channel: RemotingChannel): void => this.routeInfoManager.onChannelDestroy(channel.remoteAddress, channel);
    this.remotingServer.on('close', destroy);
    this.remotingServer.on('exception', destroy);
    this.remotingServer.on('idle', destroy);
  }

  /** The bound port (the ephemeral one when listenPort was 0). */
  get port(): number {
    return this.remotingServer.port;
  }

  /** `host:port` to give brokers and clients (loopback when listening on every interface). */
  get address(): string {
    const host = this.namesrvConfig.bindAddress;
    return `${WILDCARD_ADDRESSES.has(host) ? LOOPBACK : host}:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error(`NamesrvController cannot start from state ${this.state}`);
    this.state = 'started';
    await this.kvConfigManager.load();
    await this.remotingServer.start();
    this.scheduleScan(Math.min(SCAN_NOT_ACTIVE_BROKER_INITIAL_DELAY_MILLIS, this.namesrvConfig.scanNotActiveBrokerInterval));
    this.log.info('name server started', { address: this.address });
  }

  /** scanNotActiveBroker after `initialDelay`, then every scanNotActiveBrokerInterval (read at each reschedule). */
  private scheduleScan(initialDelay: number): void {
    clearTimeout(this.scanTimer);
    const scan = (): void => {
      try {
        this.routeInfoManager.scanNotActiveBroker();
      } catch (e: unknown) {
        // A scan bug must not stop later scans (Java's scheduled executor would swallow it silently).
        this.log.error('scanNotActiveBroker failed', { error: e });
      }
    };
    this.scanTimer = setTimeout(() => {
      scan();
      this.scanTimer = setInterval(scan, this.namesrvConfig.scanNotActiveBrokerInterval);
    }, initialDelay);
  }

  /**
   * UPDATE_NAMESRV_CONFIG changed `changed`. Keys read per request (orderMessageEnable …) need
   * nothing; the expiry time and the scan interval are pushed to their owners here. Listener keys
   * (listenPort, bindAddress, backlog, idle time) take effect at the next start, as in Java.
   */
  private applyLive(changed: readonly NamesrvKey[]): void {
    if (changed.includes('brokerChannelExpiredTime')) this.routeInfoManager.brokerChannelExpiredTime = this.namesrvConfig.brokerChannelExpiredTime;
    if (changed.includes('scanNotActiveBrokerInterval') && this.state === 'started') this.scheduleScan(this.namesrvConfig.scanNotActiveBrokerInterval);
  }

  async shutdown(): Promise<void> {
    if (this.state !== 'started') {
      this.state = 'stopped';
      return;
    }
    this.state = 'stopped';
    // clearTimeout and clearInterval are interchangeable in Node; the handle may be either.
    clearTimeout(this.scanTimer);
    this.scanTimer = undefined;
    await this.remotingServer.shutdown();
    await this.kvConfigManager.flush();
    await this.configuration.flush();
    this.log.info('name server shut down', { address: this.address });
  }
}
