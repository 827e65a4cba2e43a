/** A stored message as the message commands print it (mqadmin's printMsg fields), JSON-ready. */
import type { MessageExt } from '../../common/message/message-ext.js';
import { socketAddressToString } from '../../common/message/socket-address.js';
import { renderKeyValues } from './admin-command.js';
import { formatTimestamp } from './time.js';

export interface MessageView {
  msgId: string;
  offsetMsgId: string;
  topic: string;
  brokerName: string | undefined;
  queueId: number;
  queueOffset: number;
  commitLogOffset: number;
  tags: string | undefined;
  keys: string | undefined;
  bornTimestamp: number;
  storeTimestamp: number;
  bornHost: string;
  storeHost: string;
  reconsumeTimes: number;
  sysFlag: number;
  bodyCRC: number;
  storeSize: number;
  properties: Record<string, string>;
  /** The body as UTF-8 text (mqadmin prints it so); `bodyBase64` holds the exact bytes. */
  body: string;
  bodyBase64: string;
}

export function messageView(m: MessageExt): MessageView {
  return {
    msgId: m.msgId,
    offsetMsgId: m.offsetMsgId,
    topic: m.topic,
    brokerName: m.brokerName,
    queueId: m.queueId,
    queueOffset: m.queueOffset,
    commitLogOffset: m.commitLogOffset,
    tags: m.tags,
    keys: m.keys,
    bornTimestamp: m.bornTimestamp,
    storeTimestamp: m.storeTimestamp,
    bornHost: socketAddressToString(m.bornHost),
    storeHost: socketAddressToString(m.storeHost),
    reconsumeTimes: m.reconsumeTimes,
    sysFlag: m.sysFlag,
    bodyCRC: m.bodyCRC,
    storeSize: m.storeSize,
    properties: Object.fromEntries(m.properties),
    body: m.body.toString('utf8'),
    bodyBase64: m.body.toString('base64'),
  };
}

/** mqadmin's printMsg layout. */
export function renderMessage(v: MessageView): string {
  return renderKeyValues([
    ['OffsetID:', v.offsetMsgId],
    ['MsgId:', v.msgId],
    ['Topic:', v.topic],
    ['Tags:', `[${v.tags ?? ''}]`],
    ['Keys:', `[${v.keys ?? ''}]`],
    ['Queue ID:', v.queueId],
    ['Queue Offset:', v.queueOffset],
    ['CommitLog Offset:', v.commitLogOffset],
    ['Reconsume Times:', v.reconsumeTimes],
    ['Born Timestamp:', formatTimestamp(v.bornTimestamp)],
    ['Store Timestamp:', formatTimestamp(v.storeTimestamp)],
    ['Born Host:', v.bornHost],
    ['Store Host:', v.storeHost],
    ['System Flag:', v.sysFlag],
    ['Properties:', JSON.stringify(v.properties)],
    ['Message Body:', v.body],
  ]);
}
