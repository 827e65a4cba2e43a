import {
  MessageConst,
  MessageSysFlag,
  getTransactionValue,
  messageProperties2String,
  type DispatchRequest,
  type MessageExtBrokerInner,
} from '../../common/message/index.js';
import type { TagsCodeResolver } from '../store/dispatcher.js';
import { TopicValidator } from '../../common/protocol/topic-validator.js';
import { computeDeliverTimestamp, delayLevel2QueueId, type DelayLevelTable } from './delay-level-table.js';

/**
 * The delay rewrite of CommitLog.asyncPutMessage, done by the send path before the put (the store
 * knows nothing of delays, ARCHITECTURE.md §1). A non-transactional or committed message with
 * DELAY > 0 goes to SCHEDULE_TOPIC_XXXX queue level − 1; REAL_TOPIC and REAL_QID back up where it
 * was headed; DELAY stays. Returns true when the message was rewritten.
 *
 * The stored properties string is rebuilt from the whole map, as Java's setPropertiesString does
 * here: so a delayed message keeps `WAIT` (which the send path strips for plain sends) — the real
 * 4.9.8 SCHEDULE record at commitlog 3725 reads `…DELAY=2, WAIT=true, TAGS=TagA, REAL_QID=1`.
 */
export function rewriteDelayed(msg: MessageExtBrokerInner, table: DelayLevelTable): boolean {
  const tranType = getTransactionValue(msg.sysFlag);
  if (tranType !== MessageSysFlag.TRANSACTION_NOT_TYPE && tranType !== MessageSysFlag.TRANSACTION_COMMIT_TYPE) return false;
  if (!(msg.delayTimeLevel > 0)) return false;
  // A level above the table is clamped to the last one (Java rewrites DELAY itself, in place).
  if (msg.delayTimeLevel > table.maxDelayLevel) msg.delayTimeLevel = table.maxDelayLevel;
  msg.putProperty(MessageConst.PROPERTY_REAL_TOPIC, msg.topic);
  msg.putProperty(MessageConst.PROPERTY_REAL_QUEUE_ID, String(msg.queueId));
  msg.propertiesStringOverride = messageProperties2String(msg.properties);
  msg.topic = TopicValidator.RMQ_SYS_SCHEDULE_TOPIC;
  msg.queueId = delayLevel2QueueId(msg.delayTimeLevel);
  return true;
}

/**
 * The store's tagsCode for SCHEDULE_TOPIC_XXXX units: the deliver time (CommitLog
 * .checkMessageAndReturnSize). Read from the stored record, so a ConsumeQueue rebuilt after a crash
 * gets the same value. Other topics keep the TAGS hash (undefined).
 */
export function scheduleTagsCodeResolver(table: DelayLevelTable): TagsCodeResolver {
  return (request: DispatchRequest) => {
    if (request.topic !== TopicValidator.RMQ_SYS_SCHEDULE_TOPIC) return undefined;
    const t = request.propertiesMap.get(MessageConst.PROPERTY_DELAY_TIME_LEVEL);
    if (t === undefined) return undefined;
    const level = Math.min(Number.parseInt(t, 10), table.maxDelayLevel);
    return level > 0 ? computeDeliverTimestamp(table, level, request.storeTimestamp) : undefined;
  };
}
