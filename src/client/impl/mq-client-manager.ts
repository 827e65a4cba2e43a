import { createLogger, type Logger } from '../../common/logging/logger.js';
import type { ClientConfig } from '../client-config.js';
import { MQClientInstance } from './mq-client-instance.js';

/**
 * Java's MQClientManager: the process-wide table clientId → MQClientInstance, so producers and consumers
 * with the same clientId (`ip@instanceName[@unitName]`) share one instance and its connections.
 */
export class MQClientManager {
  private static readonly instance = new MQClientManager();
  private readonly factoryTable = new Map<string, MQClientInstance>();

  static getInstance(): MQClientManager {
    return MQClientManager.instance;
  }

  /** The instance for `config`'s clientId, created (with a copy of `config`) on first use. */
  getOrCreateMQClientInstance(config: ClientConfig, logger: Logger = createLogger('rocketmq')): MQClientInstance {
    const clientId = config.buildMQClientId();
    let instance = this.factoryTable.get(clientId);
    if (instance === undefined || instance.serviceState === 'SHUTDOWN_ALREADY') {
      instance = new MQClientInstance(config.cloneClientConfig(), clientId, logger.namespace('MQClientInstance'), (id) => this.removeClientFactory(id, instance));
      this.factoryTable.set(clientId, instance);
    }
    return instance;
  }

  /** Forgets the instance (called by the instance itself when it shuts down). */
  removeClientFactory(clientId: string, instance?: MQClientInstance): void {
    if (instance === undefined || this.factoryTable.get(clientId) === instance) this.factoryTable.delete(clientId);
  }

  /** The live instances, for diagnostics and tests. */
  get size(): number {
    return this.factoryTable.size;
  }
}
