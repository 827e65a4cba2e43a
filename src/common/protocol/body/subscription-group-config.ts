import { encodeFastJson } from '../json/fastjson-writer.js';
import { JsonObjectReader } from '../json/json-object-reader.js';
import type { JsonBean } from '../json/json-value.js';
import { MASTER_ID } from './broker-data.js';

/**
 * A consumer group's broker-side settings (common/subscription/SubscriptionGroupConfig.java;
 * PROTOCOL.md §2.3): one entry of subscriptionGroup.json and the UPDATE_AND_CREATE_SUBSCRIPTIONGROUP
 * (200) body.
 */
export interface SubscriptionGroupConfig {
  groupName: string;
  consumeEnable: boolean;
  consumeFromMinEnable: boolean;
  consumeBroadcastEnable: boolean;
  retryQueueNums: number;
  retryMaxTimes: number;
  brokerId: number;
  whichBrokerWhenConsumeSlowly: number;
  notifyConsumerIdsChangedEnable: boolean;
}

/** A SubscriptionGroupConfig with Java's defaults (retry 1 queue / 16 times, everything enabled). */
export function createSubscriptionGroupConfig(
  groupName: string,
  fields: Partial<Omit<SubscriptionGroupConfig, 'groupName'>> = {},
): SubscriptionGroupConfig {
  return {
    groupName,
    consumeEnable: true,
    consumeFromMinEnable: true,
    consumeBroadcastEnable: true,
    retryQueueNums: 1,
    retryMaxTimes: 16,
    brokerId: MASTER_ID,
    whichBrokerWhenConsumeSlowly: 1,
    notifyConsumerIdsChangedEnable: true,
    ...fields,
  };
}

export function subscriptionGroupConfigToJson(c: SubscriptionGroupConfig): JsonBean {
  return {
    brokerId: c.brokerId,
    consumeBroadcastEnable: c.consumeBroadcastEnable,
    consumeEnable: c.consumeEnable,
    consumeFromMinEnable: c.consumeFromMinEnable,
    groupName: c.groupName,
    notifyConsumerIdsChangedEnable: c.notifyConsumerIdsChangedEnable,
    retryMaxTimes: c.retryMaxTimes,
    retryQueueNums: c.retryQueueNums,
    whichBrokerWhenConsumeSlowly: c.whichBrokerWhenConsumeSlowly,
  };
}

export function subscriptionGroupConfigFromJson(r: JsonObjectReader): SubscriptionGroupConfig {
  const d = createSubscriptionGroupConfig('');
  return {
    groupName: r.string('groupName', ''),
    consumeEnable: r.bool('consumeEnable', d.consumeEnable),
    consumeFromMinEnable: r.bool('consumeFromMinEnable', d.consumeFromMinEnable),
    consumeBroadcastEnable: r.bool('consumeBroadcastEnable', d.consumeBroadcastEnable),
    retryQueueNums: r.int('retryQueueNums', d.retryQueueNums),
    retryMaxTimes: r.int('retryMaxTimes', d.retryMaxTimes),
    brokerId: r.long('brokerId', d.brokerId),
    whichBrokerWhenConsumeSlowly: r.long('whichBrokerWhenConsumeSlowly', d.whichBrokerWhenConsumeSlowly),
    notifyConsumerIdsChangedEnable: r.bool('notifyConsumerIdsChangedEnable', d.notifyConsumerIdsChangedEnable),
  };
}

export function encodeSubscriptionGroupConfig(c: SubscriptionGroupConfig): Buffer {
  return encodeFastJson(subscriptionGroupConfigToJson(c));
}

export function decodeSubscriptionGroupConfig(body: Uint8Array): SubscriptionGroupConfig {
  return subscriptionGroupConfigFromJson(JsonObjectReader.parse(body, 'SubscriptionGroupConfig'));
}
