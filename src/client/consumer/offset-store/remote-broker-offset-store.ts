import { ClientErrorCode, MQBrokerException, MQClientException } from '../../../common/errors.js';
import type { Logger } from '../../../common/logging/logger.js';
import { MASTER_ID } from '../../../common/protocol/body/broker-data.js';
import type { MessageQueueMap } from '../../../common/protocol/body/message-queue-map.js';
import { messageQueueKey, messageQueueToString, type MessageQueue } from '../../../common/protocol/body/message-queue.js';
import type { QueryConsumerOffsetRequestHeader, UpdateConsumerOffsetRequestHeader } from '../../../common/protocol/headers/consumer-offset.js';
import type { FindBrokerResult } from '../../impl/mq-client-instance.js';
import { OFFSET_NOT_FOUND, OFFSET_READ_ERROR, ReadOffsetType, type OffsetStore } from './offset-store.js';
import { OffsetTable } from './offset-table.js';
import type { ConsumerErrorReporter } from '../consumer-error-event.js';

/** The timeout of QUERY_CONSUMER_OFFSET and UPDATE_CONSUMER_OFFSET (Java's `1000 * 5`). */
export const OFFSET_REQUEST_TIMEOUT_MILLIS = 5000;

/** What the store needs from MQClientInstance (which satisfies it as is). */
export interface OffsetStoreClientInstance {
  readonly clientId: string;
  readonly mQClientAPIImpl: {
    queryConsumerOffset(addr: string, header: QueryConsumerOffsetRequestHeader, timeoutMillis: number): Promise<number>;
    updateConsumerOffset(addr: string, header: UpdateConsumerOffsetRequestHeader, timeoutMillis: number): Promise<void>;
    updateConsumerOffsetOneway(addr: string, header: UpdateConsumerOffsetRequestHeader, timeoutMillis: number): Promise<void>;
  };
  findBrokerAddressInSubscribe(brokerName: string, brokerId: number, onlyThisBroker: boolean): FindBrokerResult | undefined;
  updateTopicRouteInfoFromNameServer(topic: string): Promise<boolean>;
}

/**
 * Java's RemoteBrokerOffsetStore (clustering): offsets live on the master broker of each queue
 * (consumerOffset.json there). Reads ask QUERY_CONSUMER_OFFSET; persists send UPDATE_CONSUMER_OFFSET
 * oneway, falling back to a slave when the master is gone (the slave keeps it in memory until the
 * master is back, as in Java).
 */
export class RemoteBrokerOffsetStore implements OffsetStore {
  private readonly offsetTable = new OffsetTable();
  errorReporter?: ConsumerErrorReporter;

  constructor(
    private readonly mQClientFactory: OffsetStoreClientInstance,
    readonly groupName: string,
    private readonly log: Logger,
  ) {}

  async load(): Promise<void> {
    // Nothing local to load: the broker is asked per queue when rebalance first takes it.
  }

  updateOffset(mq: MessageQueue, offset: number, increaseOnly: boolean): void {
    this.offsetTable.update(mq, offset, increaseOnly);
  }

  async readOffset(mq: MessageQueue, type: ReadOffsetType): Promise<number> {
    if (type === ReadOffsetType.READ_FROM_MEMORY) return this.offsetTable.read(mq);
    const inMemory = this.offsetTable.get(mq);
    if (type === ReadOffsetType.MEMORY_FIRST_THEN_STORE && inMemory !== undefined) return inMemory;
    return this.readOffsetFromBroker(mq);
  }

  async persistAll(mqs: Iterable<MessageQueue>): Promise<void> {
    const wanted = new Set<string>();
    for (const mq of mqs) wanted.add(messageQueueKey(mq));
    if (wanted.size === 0) return;
    const sends: Array<Promise<void>> = [];
    for (const [mq, offset] of this.offsetTable.entries()) {
      if (wanted.has(messageQueueKey(mq))) {
        sends.push(this.persistOne(mq, offset, 'persistAll'));
      } else {
        // A queue this consumer no longer owns: its new owner persists it from now on.
        this.offsetTable.remove(mq);
        this.log.info('remove unused mq', { mq: messageQueueToString(mq), group: this.groupName });
      }
    }
    await Promise.all(sends);
  }

  async persist(mq: MessageQueue): Promise<void> {
    const offset = this.offsetTable.get(mq);
    if (offset !== undefined) await this.persistOne(mq, offset, 'persist');
  }

  removeOffset(mq: MessageQueue): void {
    this.offsetTable.remove(mq);
    this.log.info('remove unnecessary messageQueue offset', { group: this.groupName, mq: messageQueueToString(mq), offsetTableSize: this.offsetTable.size });
  }

  cloneOffsetTable(topic?: string): MessageQueueMap<number> {
    return this.offsetTable.clone(topic);
  }

  async updateConsumeOffsetToBroker(mq: MessageQueue, offset: number, isOneway: boolean): Promise<void> {
    const addr = await this.findBrokerAddr(mq);
    const header: UpdateConsumerOffsetRequestHeader = {
      consumerGroup: this.groupName,
      topic: mq.topic,
      queueId: mq.queueId,
      commitOffset: offset,
      bname: mq.brokerName,
    };
    const api = this.mQClientFactory.mQClientAPIImpl;
    if (isOneway) await api.updateConsumerOffsetOneway(addr, header, OFFSET_REQUEST_TIMEOUT_MILLIS);
    else await api.updateConsumerOffset(addr, header, OFFSET_REQUEST_TIMEOUT_MILLIS);
  }

  /** READ_FROM_STORE: any broker answer that is an error code (QUERY_NOT_FOUND …) means "none", -1. */
  private async readOffsetFromBroker(mq: MessageQueue): Promise<number> {
    try {
      const brokerOffset = await this.fetchConsumeOffsetFromBroker(mq);
      this.offsetTable.update(mq, brokerOffset, false);
      return brokerOffset;
    } catch (e: unknown) {
      if (e instanceof MQBrokerException) return OFFSET_NOT_FOUND;
      this.log.warn('fetchConsumeOffsetFromBroker exception', { mq: messageQueueToString(mq), error: errorMessage(e) });
      this.errorReporter?.('readOffset', e, { messageQueue: mq });
      return OFFSET_READ_ERROR;
    }
  }

  private async fetchConsumeOffsetFromBroker(mq: MessageQueue): Promise<number> {
    const addr = await this.findBrokerAddr(mq);
    const header: QueryConsumerOffsetRequestHeader = { consumerGroup: this.groupName, topic: mq.topic, queueId: mq.queueId, bname: mq.brokerName };
    return this.mQClientFactory.mQClientAPIImpl.queryConsumerOffset(addr, header, OFFSET_REQUEST_TIMEOUT_MILLIS);
  }

  /** The master of mq's broker; after a route refresh, any address of it (a slave if the master is gone). */
  private async findBrokerAddr(mq: MessageQueue): Promise<string> {
    const f = this.mQClientFactory;
    let found = f.findBrokerAddressInSubscribe(mq.brokerName, MASTER_ID, true);
    if (found === undefined) {
      await f.updateTopicRouteInfoFromNameServer(mq.topic);
      found = f.findBrokerAddressInSubscribe(mq.brokerName, MASTER_ID, false);
    }
    if (found === undefined) throw new MQClientException(ClientErrorCode.CLIENT_STATE, `The broker[${mq.brokerName}] not exist`);
    return found.brokerAddr;
  }

  private async persistOne(mq: MessageQueue, offset: number, what: string): Promise<void> {
    try {
      await this.updateConsumeOffsetToBroker(mq, offset, true);
      this.log.debug(`[${what}] updateConsumeOffsetToBroker`, { group: this.groupName, clientId: this.mQClientFactory.clientId, mq: messageQueueToString(mq), offset });
    } catch (e: unknown) {
      this.log.error('updateConsumeOffsetToBroker exception', { mq: messageQueueToString(mq), error: errorMessage(e) });
      this.errorReporter?.('persistOffset', e, { messageQueue: mq });
    }
  }
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
