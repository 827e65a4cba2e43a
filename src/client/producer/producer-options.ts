import type { Logger } from '../../common/logging/logger.js';
import type { ClientConfigOptions } from '../client-config.js';
import { DEFAULT_PRODUCER_GROUP, TopicValidator } from '../../common/protocol/topic-validator.js';

/** DefaultMQProducer's options: Java's field names and defaults (PROTOCOL.md §10.4). */
export interface DefaultMQProducerOptions extends ClientConfigOptions {
  producerGroup?: string;
  /** The route template for auto-created topics. */
  createTopicKey?: string;
  /** Queues an auto-created topic gets (capped by TBW102's). */
  defaultTopicQueueNums?: number;
  /** Total time budget of one send, retries included (ms). */
  sendMsgTimeout?: number;
  /** Bodies of this many bytes or more are zlib-compressed (not batches). */
  compressMsgBodyOverHowmuch?: number;
  /** Extra attempts of a sync send (on other brokers). */
  retryTimesWhenSendFailed?: number;
  /** Extra attempts of an async send after a transport failure. */
  retryTimesWhenSendAsyncFailed?: number;
  /** Sync: retry on another broker when the result is not SEND_OK (stored, but not flushed/replicated). */
  retryAnotherBrokerWhenNotStoreOK?: boolean;
  /** Largest body accepted (bytes). */
  maxMessageSize?: number;
  /** Avoid slow or failing brokers for a while (MQFaultStrategy). */
  sendLatencyFaultEnable?: boolean;
  latencyMax?: readonly number[];
  notAvailableDuration?: readonly number[];
  /** Broker codes after which a sync send tries again; default Java's retryResponseCodes. */
  retryResponseCodes?: Iterable<number>;
  /** How long `shutdown()` waits for sends in flight (ms). */
  shutdownTimeoutMillis?: number;
  logger?: Logger;
}

export const PRODUCER_DEFAULTS = {
  producerGroup: DEFAULT_PRODUCER_GROUP,
  createTopicKey: TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC,
  defaultTopicQueueNums: 4,
  sendMsgTimeout: 3000,
  compressMsgBodyOverHowmuch: 1024 * 4,
  retryTimesWhenSendFailed: 2,
  retryTimesWhenSendAsyncFailed: 2,
  retryAnotherBrokerWhenNotStoreOK: false,
  maxMessageSize: 1024 * 1024 * 4,
  sendLatencyFaultEnable: false,
  shutdownTimeoutMillis: 5000,
} as const;
