import type { RemotingCommand } from '../../remoting/remoting-command.js';
import { defineHeader, type HeaderType } from '../header.js';
import { RequestCode } from '../request-code.js';
import { readHeader } from './command-header.js';
import { RPC_REQUEST_HEADER_FIELDS } from './rpc-request-header.js';

/**
 * Send headers (PROTOCOL.md §2.2, §10.1). SEND_MESSAGE (10) carries SendMessageRequestHeader with
 * long field names; SEND_MESSAGE_V2 (310), SEND_BATCH_MESSAGE (320) and SEND_REPLY_MESSAGE_V2 (325)
 * carry SendMessageRequestHeaderV2, the same fields under the one-letter keys a..n (a FastCodesHeader).
 * Both TypeScript types use the long names, so V1 ↔ V2 is a copy.
 */
export const SendMessageRequestHeader = defineHeader('SendMessageRequestHeader', {
  producerGroup: { type: 'string', required: true },
  topic: { type: 'string', required: true },
  /** Always TBW102 (AUTO_CREATE_TOPIC_KEY_TOPIC) from the Java client. */
  defaultTopic: { type: 'string', required: true },
  defaultTopicQueueNums: { type: 'int', required: true },
  /** < 0 ⇒ the broker picks a random queue. */
  queueId: { type: 'int', required: true },
  sysFlag: { type: 'int', required: true },
  bornTimestamp: { type: 'long', required: true },
  /** Message.flag (user). */
  flag: { type: 'int', required: true },
  properties: { type: 'string' },
  reconsumeTimes: { type: 'int' },
  unitMode: { type: 'boolean', default: false },
  batch: { type: 'boolean', default: false },
  maxReconsumeTimes: { type: 'int' },
  ...RPC_REQUEST_HEADER_FIELDS,
});
export type SendMessageRequestHeader = HeaderType<typeof SendMessageRequestHeader>;

/**
 * The V2 keys follow SendMessageRequestHeaderV2's declaration order a..n, which is also the order its
 * FastCodesHeader encoder writes them. Its inherited RpcRequestHeader `bname` is never set by Java
 * (createSendMessageRequestHeaderV2 copies the broker name into `n`) and its fast encoder does not
 * write it, so it is not part of this schema.
 */
export const SendMessageRequestHeaderV2 = defineHeader(
  'SendMessageRequestHeaderV2',
  {
    producerGroup: { type: 'string', required: true, wire: 'a' },
    topic: { type: 'string', required: true, wire: 'b' },
    defaultTopic: { type: 'string', required: true, wire: 'c' },
    defaultTopicQueueNums: { type: 'int', required: true, wire: 'd' },
    queueId: { type: 'int', required: true, wire: 'e' },
    sysFlag: { type: 'int', required: true, wire: 'f' },
    bornTimestamp: { type: 'long', required: true, wire: 'g' },
    flag: { type: 'int', required: true, wire: 'h' },
    properties: { type: 'string', wire: 'i' },
    reconsumeTimes: { type: 'int', wire: 'j' },
    unitMode: { type: 'boolean', wire: 'k', default: false },
    maxReconsumeTimes: { type: 'int', wire: 'l' },
    batch: { type: 'boolean', wire: 'm', default: false },
    bname: { type: 'string', wire: 'n' },
  },
  { fastCodes: true },
);
export type SendMessageRequestHeaderV2 = HeaderType<typeof SendMessageRequestHeaderV2>;

/** Java's SendMessageRequestHeaderV2.createSendMessageRequestHeaderV2: every field, primitives defaulted. */
export function createSendMessageRequestHeaderV2(v1: SendMessageRequestHeader): SendMessageRequestHeaderV2 {
  return copySendHeader(v1);
}

/** Java's SendMessageRequestHeaderV2.createSendMessageRequestHeaderV1 (what the broker processes). */
export function createSendMessageRequestHeaderV1(v2: SendMessageRequestHeaderV2): SendMessageRequestHeader {
  return copySendHeader(v2);
}

/**
 * The send header of a SEND_MESSAGE / SEND_MESSAGE_V2 / SEND_BATCH_MESSAGE / SEND_REPLY_MESSAGE(_V2)
 * request as V1, as AbstractSendMessageProcessor.parseRequestHeader reads it.
 */
export function readSendMessageRequestHeader(request: RemotingCommand): SendMessageRequestHeader {
  switch (request.code) {
    case RequestCode.SEND_MESSAGE_V2:
    case RequestCode.SEND_BATCH_MESSAGE:
    case RequestCode.SEND_REPLY_MESSAGE_V2:
      return createSendMessageRequestHeaderV1(readHeader(request, SendMessageRequestHeaderV2));
    default:
      return readHeader(request, SendMessageRequestHeader);
  }
}

/** Both types share field names; `unitMode` and `batch` are Java primitives, hence never absent. */
function copySendHeader(h: SendMessageRequestHeader): SendMessageRequestHeader {
  return {
    producerGroup: h.producerGroup,
    topic: h.topic,
    defaultTopic: h.defaultTopic,
    defaultTopicQueueNums: h.defaultTopicQueueNums,
    queueId: h.queueId,
    sysFlag: h.sysFlag,
    bornTimestamp: h.bornTimestamp,
    flag: h.flag,
    properties: h.properties,
    reconsumeTimes: h.reconsumeTimes,
    unitMode: h.unitMode ?? false,
    maxReconsumeTimes: h.maxReconsumeTimes,
    batch: h.batch ?? false,
    bname: h.bname,
  };
}

/**
 * The answer to every send (10, 310, 320, 324/325). `msgId` is the offset msgId (§4.6), comma-joined
 * for a batch. A FastCodesHeader.
 */
export const SendMessageResponseHeader = defineHeader(
  'SendMessageResponseHeader',
  {
    msgId: { type: 'string', required: true },
    queueId: { type: 'int', required: true },
    queueOffset: { type: 'long', required: true },
    transactionId: { type: 'string' },
  },
  { fastCodes: true },
);
export type SendMessageResponseHeader = HeaderType<typeof SendMessageResponseHeader>;

/** MessageConst.PROPERTY_MSG_REGION: extField of send responses, brokerConfig.regionId. */
export const MSG_REGION = 'MSG_REGION';
/** MessageConst.PROPERTY_TRACE_SWITCH: extField of send responses, brokerConfig.traceOn as "true"/"false". */
export const TRACE_ON = 'TRACE_ON';
/** BrokerConfig.regionId default. */
export const DEFAULT_REGION_ID = 'DefaultRegion';

export interface SendResponseExtras {
  regionId: string;
  traceOn: boolean;
}

/**
 * Adds MSG_REGION and TRACE_ON, in SendMessageProcessor's order. The Java client reads them without
 * a null check, so every SUCCESS / FLUSH_* / SLAVE_NOT_AVAILABLE send response must carry them.
 */
export function setSendResponseExtras(response: RemotingCommand, extras: SendResponseExtras): RemotingCommand {
  return response.addExtField(MSG_REGION, extras.regionId).addExtField(TRACE_ON, String(extras.traceOn));
}

/**
 * MSG_REGION / TRACE_ON of a send response as MQClientAPIImpl.processSendResponse reads them; absent
 * values (a non-Java broker) fall back to BrokerConfig's defaults instead of failing.
 */
export function readSendResponseExtras(response: RemotingCommand): SendResponseExtras {
  const region = response.getExtField(MSG_REGION);
  const trace = response.getExtField(TRACE_ON);
  return {
    regionId: region === undefined || region === '' ? DEFAULT_REGION_ID : region,
    // Java: traceOn = !"false".equals(value)
    traceOn: trace !== 'false',
  };
}
