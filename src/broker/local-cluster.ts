import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Logger } from '../common/logging/logger.js';
import { ConfigError } from '../common/util/config-schema.js';
import type { NamesrvController } from '../namesrv/namesrv-controller.js';
import { startNamesrv } from '../namesrv/start-namesrv.js';
import { BrokerController } from './broker-controller.js';
import type { BrokerConfig } from './broker-config.js';
import type { MessageStoreConfig } from './store/store-config.js';

/** Env overrides for fixed ports (e.g. a CI job that points other tools at them). */
export const RMQ_LOCAL_NAMESRV_PORT_ENV = 'RMQ_LOCAL_NAMESRV_PORT';
export const RMQ_LOCAL_BROKER_PORT_ENV = 'RMQ_LOCAL_BROKER_PORT';
const LOOPBACK = '127.0.0.1';
/** LocalCluster's broker name: stable across runs (Java's default, the hostname, is not). */
export const LOCAL_BROKER_NAME = 'broker-a';
/** Tests want a quick stop; a connection still open after this is destroyed. */
const LOCAL_SHUTDOWN_TIMEOUT_MILLIS = 1000;

export interface LocalClusterOptions {
  /** Keep the store here (and keep it at stop); default: a temporary directory removed at stop. */
  storePathRootDir?: string;
  /** BrokerConfig keys (RocketMQ names); brokerIP1 is 127.0.0.1 unless given. */
  brokerConfig?: Partial<BrokerConfig>;
  /** MessageStoreConfig keys (RocketMQ names), e.g. flushDiskType, mappedFileSizeCommitLog. */
  messageStoreConfig?: Partial<MessageStoreConfig>;
  /** 0 (default) = ephemeral; env RMQ_LOCAL_NAMESRV_PORT overrides the default. */
  namesrvPort?: number;
  /** 0 (default) = ephemeral; env RMQ_LOCAL_BROKER_PORT overrides the default. */
  listenPort?: number;
  /** A master/slave pair: a SLAVE (brokerId 1, same brokerName) follows the master over HA. */
  slave?: boolean;
  /** The slave's own BrokerConfig / MessageStoreConfig keys on top of the master's (e.g. slaveReadEnable). */
  slaveBrokerConfig?: Partial<BrokerConfig>;
  slaveMessageStoreConfig?: Partial<MessageStoreConfig>;
  logger?: Logger;
}

/**
 * A name server and one master broker in this process, on loopback — for tests and CI:
 *
 *   await using cluster = await LocalCluster.start();
 *   // cluster.namesrvAddr, cluster.brokerAddr
 */
export class LocalCluster {
  private stopped = false;

  private constructor(
    readonly namesrv: NamesrvController,
    readonly broker: BrokerController,
    private readonly tempDir: string | undefined,
    /** The SLAVE of `slave: true` (undefined otherwise). */
    readonly slave: BrokerController | undefined = undefined,
  ) {}

  /** The slave's remoting address (undefined without `slave: true`). */
  get slaveAddr(): string | undefined {
    return this.slave?.brokerAddr;
  }

  get namesrvAddr(): string {
    return this.namesrv.address;
  }

  get brokerAddr(): string {
    return this.broker.brokerAddr;
  }

  /** The store directory (temporary unless storePathRootDir was given). */
  get storePathRootDir(): string {
    return this.broker.messageStoreConfig.storePathRootDir;
  }

  static async start(options: LocalClusterOptions = {}): Promise<LocalCluster> {
    const namesrvPort = options.namesrvPort ?? envPort(RMQ_LOCAL_NAMESRV_PORT_ENV) ?? 0;
    const listenPort = options.listenPort ?? envPort(RMQ_LOCAL_BROKER_PORT_ENV) ?? 0;
    const tempDir = options.storePathRootDir === undefined ? await mkdtemp(join(tmpdir(), 'rmq-local-')) : undefined;
    const root = options.storePathRootDir ?? (tempDir as string);
    const logger = options.logger === undefined ? {} : { logger: options.logger };
    let namesrv: NamesrvController | undefined;
    let broker: BrokerController | undefined;
    let slave: BrokerController | undefined;
    try {
      namesrv = await startNamesrv({
        listenPort: namesrvPort,
        kvConfigPath: join(root, 'namesrv', 'kvConfig.json'),
        configStorePath: join(root, 'namesrv', 'namesrv.properties'),
        shutdownTimeoutMillis: LOCAL_SHUTDOWN_TIMEOUT_MILLIS,
        ...logger,
      });
      broker = new BrokerController(
        {
          brokerName: LOCAL_BROKER_NAME,
          brokerIP1: LOOPBACK,
          brokerIP2: LOOPBACK,
          bindAddress: LOOPBACK,
          ...options.brokerConfig,
          listenPort,
          namesrvAddr: namesrv.address,
        },
        { ...options.messageStoreConfig, storePathRootDir: root },
        { shutdownTimeoutMillis: LOCAL_SHUTDOWN_TIMEOUT_MILLIS, ...logger },
      );
      await broker.start();
      if (options.slave === true) {
        // Started after the master: its first registration already answers the master's HA address.
        slave = new BrokerController(
          {
            brokerName: LOCAL_BROKER_NAME,
            brokerIP1: LOOPBACK,
            brokerIP2: LOOPBACK,
            bindAddress: LOOPBACK,
            ...options.brokerConfig,
            ...options.slaveBrokerConfig,
            brokerId: 1,
            listenPort: 0,
            namesrvAddr: namesrv.address,
          },
          { ...options.messageStoreConfig, ...options.slaveMessageStoreConfig, brokerRole: 'SLAVE', storePathRootDir: join(root, 'slave') },
          { shutdownTimeoutMillis: LOCAL_SHUTDOWN_TIMEOUT_MILLIS, ...logger },
        );
        await slave.start();
      }
      return new LocalCluster(namesrv, broker, tempDir, slave);
    } catch (e: unknown) {
      await slave?.shutdown();
      await broker?.shutdown();
      await namesrv?.shutdown();
      if (tempDir !== undefined) await rm(tempDir, { recursive: true, force: true });
      throw e;
    }
  }

  /** Stops the broker, then the name server; removes the temporary store. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.slave?.shutdown();
    await this.broker.shutdown();
    await this.namesrv.shutdown();
    if (this.tempDir !== undefined) await rm(this.tempDir, { recursive: true, force: true });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

function envPort(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(name, `${name} must be a port number, got '${raw}'`);
  return n;
}
