import { encodeFastJson } from '../json/fastjson-writer.js';
import { JsonObjectReader, keyToString } from '../json/json-object-reader.js';
import type { JsonWritable } from '../json/json-value.js';
import { connectionFromJson, connectionToJson, type Connection } from './connection.js';
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
 * GET_CONSUMER_CONNECTION_LIST (203) response (common/protocol/body/ConsumerConnection.java;
 * PROTOCOL.md §2.4): the group's channels, its subscriptions and how it consumes.
 */
export interface ConsumerConnection {
  connectionSet: Connection[];
  /** topic → SubscriptionData. */
  subscriptionTable: Map<string, SubscriptionData>;
  consumeType?: ConsumeType;
  messageModel?: MessageModel;
  consumeFromWhere?: ConsumeFromWhere;
}

export function encodeConsumerConnection(cc: ConsumerConnection): Buffer {
  const subs = new Map<string, JsonWritable>();
  for (const [topic, sd] of cc.subscriptionTable) subs.set(topic, subscriptionDataToJson(sd));
  return encodeFastJson({
    connectionSet: new Set(cc.connectionSet.map(connectionToJson)),
    consumeFromWhere: cc.consumeFromWhere,
    consumeType: cc.consumeType,
    messageModel: cc.messageModel,
    subscriptionTable: subs,
  });
}

export function decodeConsumerConnection(body: Uint8Array): ConsumerConnection {
  const r = JsonObjectReader.parse(body, 'ConsumerConnection');
  const subscriptionTable = new Map<string, SubscriptionData>();
  const path = r.sub('subscriptionTable');
  for (const [k, v] of r.entries('subscriptionTable')) {
    const topic = keyToString(k, path);
    subscriptionTable.set(topic, subscriptionDataFromJson(JsonObjectReader.of(v, `${path}.${topic}`)));
  }
  const cc: ConsumerConnection = { connectionSet: r.objects('connectionSet', connectionFromJson), subscriptionTable };
  const consumeType = r.optEnum('consumeType', CONSUME_TYPES);
  if (consumeType !== undefined) cc.consumeType = consumeType;
  const messageModel = r.optEnum('messageModel', MESSAGE_MODELS);
  if (messageModel !== undefined) cc.messageModel = messageModel;
  const from = r.optEnum('consumeFromWhere', CONSUME_FROM_WHERES);
  if (from !== undefined) cc.consumeFromWhere = from;
  return cc;
}

/** ConsumerConnection.computeMinVersion: the lowest client version among the connections. */
export function computeMinVersion(cc: ConsumerConnection): number {
  let min = Number.MAX_SAFE_INTEGER;
  for (const c of cc.connectionSet) if (c.version < min) min = c.version;
  return cc.connectionSet.length === 0 ? Number.MAX_SAFE_INTEGER : min;
}
