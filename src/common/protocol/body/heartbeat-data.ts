import { encodeFastJson } from '../json/fastjson-writer.js';
import { JsonObjectReader } from '../json/json-object-reader.js';
import type { JsonBean } from '../json/json-value.js';
import {
  CONSUME_FROM_WHERES,
  CONSUME_TYPES,
  MESSAGE_MODELS,
  type ConsumeFromWhere,
  type ConsumeType,
  type MessageModel,
} from './consumer-enums.js';
import { subscriptionDataFromJson, subscriptionDataToJson, type SubscriptionData } from './subscription-data.js';

/**
 * The HEART_BEAT (34) body (common/protocol/heartbeat/*.java; PROTOCOL.md §8.1):
 *   {"clientID":"…","consumerDataSet":[ConsumerData…],"producerDataSet":[{"groupName":"…"}…]}
 * The sets are Java HashSets (no line breaks in pretty mode, order = insertion order here).
 */
export interface HeartbeatData {
  clientID: string;
  producerDataSet: ProducerData[];
  consumerDataSet: ConsumerData[];
}

export interface ProducerData {
  groupName: string;
}

export interface ConsumerData {
  groupName: string;
  consumeType: ConsumeType;
  messageModel: MessageModel;
  consumeFromWhere: ConsumeFromWhere;
  subscriptionDataSet: SubscriptionData[];
  unitMode: boolean;
}

export function producerDataToJson(p: ProducerData): JsonBean {
  return { groupName: p.groupName };
}

export function consumerDataToJson(c: ConsumerData): JsonBean {
  return {
    consumeFromWhere: c.consumeFromWhere,
    consumeType: c.consumeType,
    groupName: c.groupName,
    messageModel: c.messageModel,
    subscriptionDataSet: new Set(c.subscriptionDataSet.map(subscriptionDataToJson)),
    unitMode: c.unitMode,
  };
}

/** ali-ons may omit unitMode (⇒ false); absent enums take the Java client's defaults. */
export function consumerDataFromJson(r: JsonObjectReader): ConsumerData {
  return {
    groupName: r.string('groupName', ''),
    consumeType: r.enum('consumeType', CONSUME_TYPES, 'CONSUME_PASSIVELY'),
    messageModel: r.enum('messageModel', MESSAGE_MODELS, 'CLUSTERING'),
    consumeFromWhere: r.enum('consumeFromWhere', CONSUME_FROM_WHERES, 'CONSUME_FROM_LAST_OFFSET'),
    subscriptionDataSet: r.objects('subscriptionDataSet', subscriptionDataFromJson),
    unitMode: r.bool('unitMode', false),
  };
}

export function encodeHeartbeatData(hb: HeartbeatData): Buffer {
  return encodeFastJson({
    clientID: hb.clientID,
    consumerDataSet: new Set(hb.consumerDataSet.map(consumerDataToJson)),
    producerDataSet: new Set(hb.producerDataSet.map(producerDataToJson)),
  });
}

export function decodeHeartbeatData(body: Uint8Array): HeartbeatData {
  const r = JsonObjectReader.parse(body, 'HeartbeatData');
  return {
    clientID: r.string('clientID', ''),
    producerDataSet: r.objects('producerDataSet', (p) => ({ groupName: p.string('groupName', '') })),
    consumerDataSet: r.objects('consumerDataSet', consumerDataFromJson),
  };
}
