import type { Logger } from '../../common/logging/logger.js';
import type { RegisterBrokerResult } from '../namesrv-registrar.js';
import type { DefaultMessageStore } from '../store/message-store.js';
import type { MessageStoreConfig } from '../store/store-config.js';
import { HAService, type HAServiceOptions } from './ha-service.js';

/** Java's updateHaMasterAddress ignores shorter addresses ("a:1" is the shortest usable host:port). */
const MIN_HA_MASTER_ADDRESS_LENGTH = 6;

/** A slave-side periodic sync (SlaveSynchronize) as the replication wiring drives it. */
export interface SlaveSync {
  masterAddr: string | undefined;
  start(): void;
  shutdown(): Promise<void>;
}

export interface BrokerReplicationOptions extends Omit<HAServiceOptions, 'log'> {
  readonly store: DefaultMessageStore;
  readonly storeConfig: MessageStoreConfig;
  /** SlaveSynchronize (slaves only); started with the HA service. */
  readonly slaveSynchronize?: SlaveSync;
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
  private updateMasterHAServerAddrPeriodically = false;
  private started = false;

  constructor(private readonly opts: BrokerReplicationOptions) {
    const { store, storeConfig, log, slaveSynchronize: _sync, ...rest } = opts;
    void _sync;
    this.haService = new HAService(store, storeConfig, { ...rest, log });
    store.haService = this.haService;
  }

  get isSlave(): boolean {
    return this.opts.storeConfig.brokerRole === 'SLAVE';
  }

  /**
   * Binds the HA port (haListenPort; an ephemeral remoting port may fall back to any free one) and
   * records the bound port in haListenPort, which the registration advertises as haServerAddr.
   */
  async start(host: string, fallbackToEphemeral: boolean): Promise<void> {
    const config = this.opts.storeConfig;
    config.haListenPort = await this.haService.start(host, config.haListenPort, fallbackToEphemeral);
    this.started = true;
    if (!this.isSlave) return;
    if (config.haMasterAddress.length >= MIN_HA_MASTER_ADDRESS_LENGTH) {
      this.haService.updateMasterAddress(config.haMasterAddress);
      this.updateMasterHAServerAddrPeriodically = false;
    } else {
      this.updateMasterHAServerAddrPeriodically = true;
    }
    this.opts.slaveSynchronize?.start();
  }

  /** doRegisterBrokerAll's tail: a slave's master HA address and master address from the name servers. */
  onRegisterResults(results: readonly RegisterBrokerResult[]): void {
    if (!this.started || !this.isSlave) return;
    for (const r of results) {
      const ha = r.haServerAddr;
      if (this.updateMasterHAServerAddrPeriodically && ha !== undefined && ha.length >= MIN_HA_MASTER_ADDRESS_LENGTH) {
        this.haService.updateMasterAddress(ha);
      }
      const sync = this.opts.slaveSynchronize;
      if (sync !== undefined && r.masterAddr !== undefined && r.masterAddr !== '') sync.masterAddr = r.masterAddr;
    }
  }

  /** Stops syncing, the HA client, the acceptor and its connections (before the store shuts down). */
  async shutdown(): Promise<void> {
    await this.opts.slaveSynchronize?.shutdown();
    await this.haService.shutdown();
  }
}
