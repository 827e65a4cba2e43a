import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

import type { Logger } from '../../common/logging/logger.js';
import type { MessageStoreConfig } from '../store/store-config.js';
import { GroupTransferService, type ReplicaStatus } from './group-transfer-service.js';
import { HAClient, type HAClientStore } from './ha-client.js';
import { HAConnection } from './ha-connection.js';
import { WaitNotifyObject } from './wait-notify-object.js';

/** What the HAService needs from the message store. */
export interface HAStore extends HAClientStore {
  getCommitLogData(offset: number, maxBytes: number): Promise<Buffer | undefined>;
}

export type HAServiceConfig = Pick<
  MessageStoreConfig,
  'brokerRole' | 'mappedFileSizeCommitLog' | 'haTransferBatchSize' | 'haSendHeartbeatInterval' | 'haHousekeepingInterval' | 'haSlaveFallbehindMax' | 'slaveTimeout'
>;

export interface HAServiceOptions {
  /** Slave side: how long to wait after a failed connect (Java: 5 s). */
  readonly reconnectIntervalMillis?: number;
  readonly log: Logger;
}

/**
 * HAService (classic 4.x replication): on every broker it listens on haListenPort for slaves (one
 * HAConnection each) and tracks how far they acked (push2SlaveMaxOffset); a SYNC_MASTER put waits
 * for that ack through the GroupTransferService. Its HAClient follows a master once it knows the
 * master's HA address (slaves only). Everything it starts is stopped by `shutdown`.
 */
export class HAService {
  readonly waitNotifyObject = new WaitNotifyObject();
  readonly groupTransferService: GroupTransferService;
  readonly haClient: HAClient;
  private readonly connections = new Set<HAConnection>();
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  private push2SlaveMaxOffsetValue = 0;
  private readonly log: Logger;

  constructor(
    private readonly store: HAStore,
    private readonly config: HAServiceConfig,
    options: HAServiceOptions,
  ) {
    this.log = options.log;
    this.groupTransferService = new GroupTransferService(() => this.push2SlaveMaxOffsetValue, this.log.namespace('GroupTransferService'));
    this.haClient = new HAClient(store, {
      haSendHeartbeatInterval: config.haSendHeartbeatInterval,
      haHousekeepingInterval: config.haHousekeepingInterval,
      ...(options.reconnectIntervalMillis === undefined ? {} : { reconnectIntervalMillis: options.reconnectIntervalMillis }),
      log: this.log.namespace('HAClient'),
    });
  }

  /** The highest offset any slave acked. */
  get push2SlaveMaxOffset(): number {
    return this.push2SlaveMaxOffsetValue;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  get connectionList(): readonly HAConnection[] {
    return [...this.connections];
  }

  /** The bound HA port (after start). */
  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  /**
   * Binds the acceptor and starts the client. With `fallbackToEphemeral` a taken port (listenPort + 1
   * next to an ephemeral listenPort) falls back to any free one; resolves to the bound port.
   */
  async start(host: string, port: number, fallbackToEphemeral = false): Promise<number> {
    try {
      await this.listen(host, port);
    } catch (e: unknown) {
      if (!fallbackToEphemeral || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
      this.log.warn('HA port taken, listening on an ephemeral one', { port });
      await this.listen(host, 0);
    }
    this.haClient.start();
    return this.port;
  }

  updateMasterAddress(addr: string | undefined): void {
    this.haClient.updateMasterAddress(addr);
  }

  /** isSlaveOK: a slave is connected and no more than haSlaveFallbehindMax behind `masterPutWhere`. */
  isSlaveOK(masterPutWhere: number): boolean {
    return this.connections.size > 0 && masterPutWhere - this.push2SlaveMaxOffsetValue < this.config.haSlaveFallbehindMax;
  }

  /**
   * CommitLog.submitReplicaRequest: a SYNC_MASTER put that waits for the store waits for the slave
   * too (slaveTimeout, then FLUSH_SLAVE_TIMEOUT); SLAVE_NOT_AVAILABLE without a usable slave. Other
   * roles and non-waiting puts are PUT_OK at once.
   */
  submitReplicaRequest(nextOffset: number, waitStoreMsgOK: boolean): Promise<ReplicaStatus> {
    if (this.config.brokerRole !== 'SYNC_MASTER' || !waitStoreMsgOK) return Promise.resolve('PUT_OK');
    if (!this.isSlaveOK(nextOffset)) return Promise.resolve('SLAVE_NOT_AVAILABLE');
    const waiting = this.groupTransferService.putRequest(nextOffset, this.config.slaveTimeout);
    this.waitNotifyObject.wakeupAll();
    return waiting;
  }

  /** New CommitLog data: wake the connection writers sleeping for it. */
  notifyAppended(): void {
    if (this.waitNotifyObject.waiting > 0) this.waitNotifyObject.wakeupAll();
  }

  notifyTransferSome(offset: number): void {
    if (offset <= this.push2SlaveMaxOffsetValue) return;
    this.push2SlaveMaxOffsetValue = offset;
    this.groupTransferService.notifyTransferSome();
  }

  async shutdown(): Promise<void> {
    await this.haClient.shutdown();
    const server = this.server;
    this.server = undefined;
    const closed = server === undefined ? Promise.resolve() : new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.all([...this.connections].map((c) => c.shutdown()));
    for (const s of this.sockets) s.destroy();
    await closed;
    this.waitNotifyObject.close();
    this.groupTransferService.shutdown();
  }

  private listen(host: string, port: number): Promise<void> {
    const server = createServer((socket) => this.accept(socket));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port, exclusive: true }, () => {
        server.off('error', reject);
        server.on('error', (e: Error) => this.log.error('HA acceptor error', { error: e }));
        this.server = server;
        this.log.info('HA service listening', { host, port: this.port });
        resolve();
      });
    });
  }

  private accept(socket: Socket): void {
    this.log.info('HAService receive new connection', { slave: `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}` });
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    const conn = new HAConnection(socket, {
      getCommitLogData: (offset, maxBytes) => this.store.getCommitLogData(offset, maxBytes),
      getMaxPhyOffset: () => this.store.getMaxPhyOffset(),
      mappedFileSizeCommitLog: this.config.mappedFileSizeCommitLog,
      haTransferBatchSize: this.config.haTransferBatchSize,
      haSendHeartbeatInterval: this.config.haSendHeartbeatInterval,
      haHousekeepingInterval: this.config.haHousekeepingInterval,
      waitNotifyObject: this.waitNotifyObject,
      notifyTransferSome: (offset) => this.notifyTransferSome(offset),
      removeConnection: (c) => this.connections.delete(c),
      log: this.log.namespace('HAConnection'),
    });
    this.connections.add(conn);
  }
}
