import { MessageConst, MessageExtBrokerInner, messageProperties2String, type MessageExt } from '../../common/message/index.js';

/**
 * ScheduleMessageService.messageTimeup: the message a due SCHEDULE_TOPIC_XXXX record becomes, headed
 * for REAL_TOPIC / REAL_QID as a new record with the same body (as stored), flag, sysFlag, born and
 * store hosts, born time and reconsume times.
 *
 * The stored properties string is built *before* WAIT=false and the removal of DELAY, so both only
 * change the in-memory map (WAIT=false: no flush wait for the delivery) and the delivered record keeps
 * the SCHEDULE record's `DELAY=…`, `WAIT=…`, `REAL_TOPIC`, `REAL_QID` — as the real 4.9.8 records at
 * commitlog 4394 (FixT) and 4684 (%RETRY%FixG) show (INDEX.md discrepancy #1).
 *
 * Undefined when the record has no usable REAL_TOPIC / REAL_QID (Java would throw on it forever; we
 * let the caller skip it).
 */
export function messageTimeup(msgExt: MessageExt): MessageExtBrokerInner | undefined {
  const realTopic = msgExt.getProperty(MessageConst.PROPERTY_REAL_TOPIC);
  const realQid = Number.parseInt(msgExt.getProperty(MessageConst.PROPERTY_REAL_QUEUE_ID) ?? '', 10);
  if (realTopic === undefined || !Number.isInteger(realQid)) return undefined;
  const inner = new MessageExtBrokerInner(realTopic, msgExt.body);
  inner.flag = msgExt.flag;
  inner.setProperties(msgExt.properties);
  inner.computeTagsCode();
  // Java re-encodes the parsed map (equal to the stored string for anything a Java broker wrote).
  inner.propertiesStringOverride = messageProperties2String(msgExt.properties);
  inner.sysFlag = msgExt.sysFlag;
  inner.bornTimestamp = msgExt.bornTimestamp;
  inner.bornHost = msgExt.bornHost;
  inner.storeHost = msgExt.storeHost;
  inner.reconsumeTimes = msgExt.reconsumeTimes;
  inner.applyHostFlags();
  inner.waitStoreMsgOK = false;
  inner.clearProperty(MessageConst.PROPERTY_DELAY_TIME_LEVEL);
  inner.queueId = realQid;
  return inner;
}
