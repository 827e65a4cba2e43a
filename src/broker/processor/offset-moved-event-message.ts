import { MessageExtBrokerInner } from '../../common/message/message-ext-broker-inner.js';
import type { SocketAddress } from '../../common/message/socket-address.js';
import { encodeOffsetMovedEvent, type OffsetMovedEvent } from '../../common/protocol/body/offset-moved-event.js';
import { TopicValidator } from '../../common/protocol/topic-validator.js';

/**
 * The OFFSET_MOVED_EVENT message of PullMessageProcessor.generateOffsetMovedEvent: queue 0, TAGS and
 * KEYS the consumer group, DELAY=0 (Java sets level 0, which writes the property), born and store
 * host the broker itself, the event as its JSON body. Tools subscribe to that topic to see which
 * groups had their offsets corrected.
 */
export function offsetMovedEventMessage(event: OffsetMovedEvent, brokerHost: SocketAddress, now: number): MessageExtBrokerInner {
  const msg = new MessageExtBrokerInner(TopicValidator.RMQ_SYS_OFFSET_MOVED_EVENT, encodeOffsetMovedEvent(event));
  msg.tags = event.consumerGroup;
  msg.delayTimeLevel = 0;
  msg.keys = event.consumerGroup;
  msg.flag = 0;
  msg.computeTagsCode();
  msg.queueId = 0;
  msg.sysFlag = 0;
  msg.bornTimestamp = now;
  msg.bornHost = brokerHost;
  msg.storeHost = brokerHost;
  msg.reconsumeTimes = 0;
  msg.applyHostFlags();
  return msg;
}
