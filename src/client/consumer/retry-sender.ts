import type { Logger } from '../../common/logging/logger.js';
import { MessageConst } from '../../common/message/message-const.js';
import type { MessageExt } from '../../common/message/message-ext.js';
import { Message } from '../../common/message/message.js';
import type { ClientConfig } from '../client-config.js';
import type { MQClientInstance } from '../impl/mq-client-instance.js';
import { DefaultMQProducer } from '../producer/default-mq-producer.js';
import { CLIENT_INNER_PRODUCER_GROUP, RETRY_GROUP_TOPIC_PREFIX } from '../../common/protocol/topic-validator.js';

/**
 * The push consumer's re-send of a message to `%RETRY%<group>` through the client instance's inner
 * producer (group CLIENT_INNER_PRODUCER, same clientId, so same connections): Java's fallback when
 * CONSUMER_SEND_MSG_BACK fails, and the orderly consumer's way to the DLQ. The producer is started on
 * first use only — most consumers never need it.
 */
export class RetrySender {
  private producer: DefaultMQProducer | undefined;
  private starting: Promise<DefaultMQProducer> | undefined;

  constructor(
    private readonly factory: MQClientInstance,
    private readonly clientConfig: ClientConfig,
    private readonly log: Logger,
  ) {}

  /**
   * Sends a copy of `msg` (body, flag, properties) to %RETRY%<group> with RETRY_TOPIC = its topic,
   * ORIGIN_MESSAGE_ID kept (or its msgId), RECONSUME_TIME, MAX_RECONSUME_TIMES, TRAN_MSG cleared and
   * the given delay level. Throws when the send fails.
   */
  async sendToRetryTopic(msg: MessageExt, group: string, maxReconsumeTimes: number, reconsumeTime: number, delayLevel: number): Promise<void> {
    const newMsg = new Message(RETRY_GROUP_TOPIC_PREFIX + group, msg.body);
    for (const [k, v] of msg.properties) newMsg.putProperty(k, v);
    const originMsgId = msg.getProperty(MessageConst.PROPERTY_ORIGIN_MESSAGE_ID);
    newMsg.putProperty(MessageConst.PROPERTY_ORIGIN_MESSAGE_ID, originMsgId === undefined || originMsgId.trim() === '' ? msg.msgId : originMsgId);
    newMsg.flag = msg.flag;
    newMsg.putProperty(MessageConst.PROPERTY_RETRY_TOPIC, msg.topic);
    newMsg.putProperty(MessageConst.PROPERTY_RECONSUME_TIME, String(reconsumeTime));
    newMsg.putProperty(MessageConst.PROPERTY_MAX_RECONSUME_TIMES, String(maxReconsumeTimes));
    newMsg.clearProperty(MessageConst.PROPERTY_TRANSACTION_PREPARED);
    // UNIQ_KEY is copied too, as Java does: the retry keeps the msgId the application saw.
    newMsg.delayTimeLevel = delayLevel;
    const producer = await this.innerProducer();
    await producer.send(newMsg);
  }

  async shutdown(): Promise<void> {
    const starting = this.starting;
    this.starting = undefined;
    this.producer = undefined;
    if (starting === undefined) return;
    try {
      await (await starting).shutdown();
    } catch (e) {
      this.log.warn('inner producer shutdown failed', { error: e instanceof Error ? e.message : String(e) });
    }
  }

  private innerProducer(): Promise<DefaultMQProducer> {
    if (this.producer !== undefined) return Promise.resolve(this.producer);
    this.starting ??= (async () => {
      const c = this.clientConfig;
      const producer = new DefaultMQProducer({
        producerGroup: CLIENT_INNER_PRODUCER_GROUP,
        namesrvAddr: c.namesrvAddr,
        clientIP: c.clientIP,
        instanceName: c.instanceName,
        unitName: c.unitName === '' ? undefined : c.unitName,
        mqClientApiTimeout: c.mqClientApiTimeout,
        language: c.language,
      });
      await producer.start();
      if (producer.clientId !== this.factory.clientId) this.log.warn('inner producer on another client instance', { clientId: producer.clientId });
      this.producer = producer;
      return producer;
    })();
    this.starting.catch(() => {
      this.starting = undefined;
    });
    return this.starting;
  }
}
