/** A stored message as the message commands print it (mqadmin's printMsg fields), JSON-ready. */
import type { MessageTrack } from '../../client/admin/admin-types.js';
import type { MQAdmin } from '../../client/admin/mq-admin.js';
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

/** A message with mqadmin's tracking (queryMsgById, queryMsgByOffset); `trackError` when tracking could not be read. */
export type TrackedMessageView = MessageView & { tracks: MessageTrack[]; trackError?: string };

export async function trackedMessageView(admin: MQAdmin, m: MessageExt): Promise<TrackedMessageView> {
  try {
    return { ...messageView(m), tracks: await admin.messageTrackDetail(m) };
  } catch (e: unknown) {
    // As mqadmin, a tracking failure does not hide the message it is about.
    return { ...messageView(m), tracks: [], trackError: e instanceof Error ? e.message : String(e) };
  }
}

/** printMsg with its tracking lines (MessageTrack.toString), or mqadmin's "WARN: No Consumer". */
export function renderTrackedMessage(v: TrackedMessageView): string {
  const tracks =
    v.trackError !== undefined
      ? [`WARN: message tracking failed: ${v.trackError}`]
      : v.tracks.length === 0
        ? ['WARN: No Consumer']
        : v.tracks.map((t) => `MessageTrack [consumerGroup=${t.consumerGroup}, trackType=${t.trackType}, exceptionDesc=${t.exceptionDesc ?? 'null'}]`);
  return `${renderMessage(v)}\n\n${tracks.join('\n')}`;
}
