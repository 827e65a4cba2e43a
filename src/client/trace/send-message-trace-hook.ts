/**
 * Message trace of sends (client/trace in RocketMQ 4.9: TraceDataEncoder's Pub record and
 * SendMessageTraceHookImpl). A traced send produces one "Pub" record; records are sent as the body of
 * a message to the trace topic (RMQ_SYS_TRACE_TOPIC), keyed by the traced message's msgId and keys,
 * where RocketMQ's dashboards look them up. Only the send side is here (no consume or transaction
 * records) and no background dispatcher: whoever registers the hook sends what it collects.
 */
import { MessageConst } from '../../common/message/message-const.js';
import { TopicValidator } from '../../common/protocol/topic-validator.js';
import { javaHashMapOrder } from '../../common/util/java-hash-map-order.js';
import { SendStatus } from '../producer/send-result.js';
import type { SendMessageContext, SendMessageHook } from '../producer/send-message-hook.js';

/** TraceConstants.CONTENT_SPLITOR: between the fields of one record. */
export const TRACE_CONTENT_SPLITOR = '\u0001';
/** TraceConstants.FIELD_SPLITOR: ends a record. */
export const TRACE_FIELD_SPLITOR = '\u0002';
/** TraceConstants.GROUP_NAME_PREFIX: the trace producer's group is this + "-" + group + "-PRODUCE-" + n. */
export const TRACE_GROUP_NAME_PREFIX = '_INNER_TRACE_PRODUCER';
/** AsyncTraceDispatcher's default trace topic. */
export const DEFAULT_TRACE_TOPIC = TopicValidator.RMQ_SYS_TRACE_TOPIC;

/** MessageType ordinals (client/producer/MessageType), as the Pub record writes them. */
export const TraceMessageType = { Normal_Msg: 0, Trans_Msg_Half: 1, Trans_msg_Commit: 2, Delay_Msg: 3 } as const;
export type TraceMessageType = (typeof TraceMessageType)[keyof typeof TraceMessageType];

/** One traced send: TraceContext (type Pub) with its single TraceBean. */
export interface PubTraceContext {
  timeStamp: number;
  regionId: string;
  groupName: string;
  costTime: number;
  success: boolean;
  topic: string;
  msgId: string;
  offsetMsgId: string;
  tags: string | undefined;
  keys: string | undefined;
  storeHost: string;
  bodyLength: number;
  msgType: TraceMessageType;
}

/** TraceTransferBean: the record text and the keys the trace message carries (msgId + the message's keys). */
export interface TraceTransferBean {
  transData: string;
  transKey: string[];
}

/** TraceDataEncoder.encoderFromContextBean for Pub. Java's StringBuilder writes an absent tag or key as "null". */
export function encodePubTrace(ctx: PubTraceContext): TraceTransferBean {
  const fields = [
    'Pub',
    ctx.timeStamp,
    ctx.regionId,
    ctx.groupName,
    ctx.topic,
    ctx.msgId,
    ctx.tags ?? 'null',
    ctx.keys ?? 'null',
    ctx.storeHost,
    ctx.bodyLength,
    ctx.costTime,
    ctx.msgType,
    ctx.offsetMsgId,
    ctx.success,
  ];
  const keys = new Set<string>([ctx.msgId]);
  if (ctx.keys !== undefined && ctx.keys.length > 0) for (const k of ctx.keys.split(MessageConst.KEY_SEPARATOR)) keys.add(k);
  // Java collects the keys in a HashSet: its iteration order is the order of the KEYS property.
  return { transData: `${fields.join(TRACE_CONTENT_SPLITOR)}${TRACE_FIELD_SPLITOR}`, transKey: javaHashMapOrder(keys) };
}

/** TraceDataEncoder.decoderFromTraceDataString, Pub records only (others are skipped). */
export function decodePubTraces(data: string): PubTraceContext[] {
  const out: PubTraceContext[] = [];
  for (const record of data.split(TRACE_FIELD_SPLITOR)) {
    const f = record.split(TRACE_CONTENT_SPLITOR);
    if (f[0] !== 'Pub' || f.length < 14) continue;
    out.push({
      timeStamp: Number(f[1]),
      regionId: f[2] ?? '',
      groupName: f[3] ?? '',
      topic: f[4] ?? '',
      msgId: f[5] ?? '',
      tags: f[6] === 'null' ? undefined : f[6],
      keys: f[7] === 'null' ? undefined : f[7],
      storeHost: f[8] ?? '',
      bodyLength: Number(f[9]),
      costTime: Number(f[10]),
      msgType: Number(f[11]) as TraceMessageType,
      offsetMsgId: f[12] ?? '',
      success: f[13] === 'true',
    });
  }
  return out;
}

const TRACE_BEGIN_PROP = 'traceBeginTimestamp';

/**
 * SendMessageTraceHookImpl: records a Pub trace for each send that got an answer from a broker with
 * traceOn (the broker's TRACE_ON send-response field), and hands it to `append`. Sends to the trace
 * topic itself are not traced.
 */
export class SendMessageTraceHook implements SendMessageHook {
  readonly hookName = 'SendMessageTraceHook';

  constructor(
    private readonly append: (trace: PubTraceContext) => void,
    private readonly traceTopic: string = DEFAULT_TRACE_TOPIC,
  ) {}

  sendMessageBefore(context: SendMessageContext): void {
    if (context.message.topic.startsWith(this.traceTopic)) return;
    context.props.set(TRACE_BEGIN_PROP, String(Date.now()));
  }

  sendMessageAfter(context: SendMessageContext): void {
    const begin = context.props.get(TRACE_BEGIN_PROP);
    const result = context.sendResult;
    if (begin === undefined || result === undefined || !result.traceOn) return;
    const msg = context.message;
    this.append({
      timeStamp: Number(begin),
      regionId: result.regionId,
      groupName: context.producerGroup,
      costTime: Date.now() - Number(begin),
      success: result.sendStatus === SendStatus.SEND_OK,
      topic: msg.topic,
      msgId: result.msgId,
      offsetMsgId: result.offsetMsgId,
      tags: msg.tags,
      keys: msg.keys,
      storeHost: context.brokerAddr,
      bodyLength: msg.body.length,
      msgType: msgTypeOf(msg.getProperty(MessageConst.PROPERTY_TRANSACTION_PREPARED), msg.delayTimeLevel),
    });
  }
}

/** DefaultMQProducerImpl.sendKernelImpl's choice of MessageType for the hook context. */
function msgTypeOf(transactionPrepared: string | undefined, delayTimeLevel: number): TraceMessageType {
  if (transactionPrepared === 'true') return TraceMessageType.Trans_Msg_Half;
  if (delayTimeLevel > 0) return TraceMessageType.Delay_Msg;
  return TraceMessageType.Normal_Msg;
}
