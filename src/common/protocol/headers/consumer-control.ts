import { defineHeader, type HeaderType } from '../header.js';

/**
 * Requests an admin tool sends through the broker to consumers (PROTOCOL.md §2.2, §11.9):
 * RESET_CONSUMER_CLIENT_OFFSET (220) / INVOKE_BROKER_TO_RESET_OFFSET (222),
 * GET_CONSUMER_STATUS_FROM_CLIENT (221), GET_CONSUMER_RUNNING_INFO (307),
 * CONSUME_MESSAGE_DIRECTLY (309).
 */
export const ResetOffsetRequestHeader = defineHeader('ResetOffsetRequestHeader', {
  topic: { type: 'string', required: true },
  group: { type: 'string', required: true },
  timestamp: { type: 'long', required: true },
  /**
   * Java's field is `boolean isForce` (accessors isForce/setForce). extFields are keyed by field name,
   * so the wire key is `isForce` — not fastjson's bean name `force`.
   */
  isForce: { type: 'boolean', required: true, wire: 'isForce' },
});
export type ResetOffsetRequestHeader = HeaderType<typeof ResetOffsetRequestHeader>;

export const GetConsumerStatusRequestHeader = defineHeader('GetConsumerStatusRequestHeader', {
  topic: { type: 'string', required: true },
  group: { type: 'string', required: true },
  clientAddr: { type: 'string' },
});
export type GetConsumerStatusRequestHeader = HeaderType<typeof GetConsumerStatusRequestHeader>;

export const GetConsumerRunningInfoRequestHeader = defineHeader('GetConsumerRunningInfoRequestHeader', {
  consumerGroup: { type: 'string', required: true },
  clientId: { type: 'string', required: true },
  jstackEnable: { type: 'boolean', default: false },
});
export type GetConsumerRunningInfoRequestHeader = HeaderType<typeof GetConsumerRunningInfoRequestHeader>;

export const ConsumeMessageDirectlyResultRequestHeader = defineHeader('ConsumeMessageDirectlyResultRequestHeader', {
  consumerGroup: { type: 'string', required: true },
  clientId: { type: 'string' },
  msgId: { type: 'string' },
  brokerName: { type: 'string' },
});
export type ConsumeMessageDirectlyResultRequestHeader = HeaderType<typeof ConsumeMessageDirectlyResultRequestHeader>;
