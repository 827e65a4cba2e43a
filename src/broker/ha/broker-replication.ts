import type { Logger } from '../../common/logging/logger.js';
import { ConfigFile } from '../config-file.js';
import type { RegisterBrokerResult } from '../namesrv-registrar.js';
import type { DefaultMessageStore } from '../store/message-store.js';
import type { MessageStoreConfig } from '../store/store-config.js';
import { SlaveSynchronize, type SlaveSynchronizeDeps } from '../slave/slave-synchronize.js';
import { HAService, type HAServiceOptions } from './ha-service.js';

/** Java's updateHaMasterAddress ignores shorter addresses ("a:1" is the shortest usable host:port). */
const MIN_HA_MASTER_ADDRESS_LENGTH = 6;

export interface BrokerReplicationOptions extends Omit<HAServiceOptions, 'log'> {
  readonly store: DefaultMessageStore;
  readonly storeConfig: MessageStoreConfig;
  /** What a SLAVE's SlaveSynchronize copies into (omit: no sync); delayOffset.json goes to delayOffsetPath. */
  readonly slaveSync?: Omit<SlaveSynchronizeDeps, 'log' | 'delayOffsetFile'> & { readonly delayOffsetPath: string };
  readonly log: Logger;
}

/**
 * The HA parts of Java's BrokerController and DefaultMessageStore start-up, kept out of the
 * controller: the HAService is attached to the store (SYNC_MASTER puts wait on it), listens on
 * haListenPort, and a SLAVE follows `haMasterAddress` if configured, else whatever HA address the
 * name servers answer on registration (updateMasterHAServerAddrPeriodically); their masterAddr
 * is where SlaveSynchronize reads topics, offsets and groups from.
 */
export class BrokerReplication {
  readonly haService: HAService;
  /** SLAVE only (with `slaveSync`): the periodic copy of topics, offsets and groups from the master. */
  readonly slaveSynchronize: SlaveSynchronize | undefined;
  private updateMasterHAServerAddrPeriodically = false;
  private started = false;

  constructor(private readonly opts: BrokerReplicationOptions) {
    const { store, storeConfig, log, slaveSync, ...rest } = opts;
    this.haService = new HAService(store, storeConfig, { ...rest, log });
    store.haService = this.haService;
    if (slaveSync !== undefined && storeConfig.brokerRole === 'SLAVE') {
      const { delayOffsetPath, ...tables } = slaveSync;
      const syncLog = log.namespace('SlaveSynchronize');
      this.slaveSynchronize = new SlaveSynchronize({ ...tables, delayOffsetFile: new ConfigFile(delayOffsetPath, syncLog), log: syncLog });
    } else {
      this.slaveSynchronize = undefined;
    }
  }

  get isSlave(): boolean {
    return this.opts.storeConfig.brokerRole === 'SLAVE';
  }

  /**
   * Binds the HA port (haListenPort) and records the bound port in haListenPort, which the
   * registration advertises as haServerAddr. A taken port falls back to any free one rather than
   * failing the broker: slaves (ours and Java's) follow the advertised haServerAddr, and a broker
   * built without BrokerStartup's listenPort + 1 fix-up would otherwise clash on the default 10912.
   * Expected next to an ephemeral remoting port; otherwise worth a warning.
   */
  async start(host: string, ephemeralListenPort: boolean): Promise<void> {
    const config = this.opts.storeConfig;
    const wanted = config.haListenPort;
    config.haListenPort = await this.haService.start(host, wanted, true);
    if (!ephemeralListenPort && config.haListenPort !== wanted) {
      this.opts.log.warn('haListenPort taken: slaves must use the advertised haServerAddr', { wanted, bound: config.haListenPort });
    }
    this.started = true;
    if (!this.isSlave) return;
    if (config.haMasterAddress.length >= MIN_HA_MASTER_ADDRESS_LENGTH) {
      this.haService.updateMasterAddress(config.haMasterAddress);
      this.updateMasterHAServerAddrPeriodically = false;
    } else {
      this.updateMasterHAServerAddrPeriodically = true;
    }
    this.slaveSynchronize?.start();
  }

  /** doRegisterBrokerAll's tail: a slave's master HA address and master address from the name servers. */
  onRegisterResults(results: readonly RegisterBrokerResult[]): void {
    if (!this.started || !this.isSlave) return;
    for (const r of results) {
      const ha = r.haServerAddr;
      if (this.updateMasterHAServerAddrPeriodically && ha !== undefined && ha.length >= MIN_HA_MASTER_ADDRESS_LENGTH) {
        this.haService.updateMasterAddress(ha);
      }
      const sync = this.slaveSynchronize;
      if (sync !== undefined && r.masterAddr !== undefined && r.masterAddr !== '') sync.masterAddr = r.masterAddr;
    }
  }

  /** Stops syncing, the HA client, the acceptor and its connections (before the store shuts down). */
  async shutdown(): Promise<void> {
    await this.slaveSynchronize?.shutdown();
    await this.haService.shutdown();
  }
}
