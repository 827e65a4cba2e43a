import { defineHeader, type HeaderType } from '../header.js';
import { RPC_REQUEST_HEADER_FIELDS } from './rpc-request-header.js';

/**
 * Consumer membership and send-back (PROTOCOL.md §2.2): GET_CONSUMER_LIST_BY_GROUP (38),
 * UNREGISTER_CLIENT (35), CONSUMER_SEND_MSG_BACK (36), NOTIFY_CONSUMER_IDS_CHANGED (40, broker → client).
 */
export const GetConsumerListByGroupRequestHeader = defineHeader('GetConsumerListByGroupRequestHeader', {
  consumerGroup: { type: 'string', required: true },
});
export type GetConsumerListByGroupRequestHeader = HeaderType<typeof GetConsumerListByGroupRequestHeader>;

/** No fields; the broker's answer still carries `"extFields":{}` (the list is in the body). */
export const GetConsumerListByGroupResponseHeader = defineHeader('GetConsumerListByGroupResponseHeader', {});
export type GetConsumerListByGroupResponseHeader = HeaderType<typeof GetConsumerListByGroupResponseHeader>;

export const UnregisterClientRequestHeader = defineHeader('UnregisterClientRequestHeader', {
  /** Capital `ID`, as Java spells the field. */
  clientID: { type: 'string', required: true },
  producerGroup: { type: 'string' },
  consumerGroup: { type: 'string' },
});
export type UnregisterClientRequestHeader = HeaderType<typeof UnregisterClientRequestHeader>;

/** No fields; answered with `"extFields":{}`. */
export const UnregisterClientResponseHeader = defineHeader('UnregisterClientResponseHeader', {});
export type UnregisterClientResponseHeader = HeaderType<typeof UnregisterClientResponseHeader>;

export const ConsumerSendMsgBackRequestHeader = defineHeader('ConsumerSendMsgBackRequestHeader', {
  /** CommitLog physical offset of the message being sent back. */
  offset: { type: 'long', required: true },
  group: { type: 'string', required: true },
  delayLevel: { type: 'int', required: true },
  originMsgId: { type: 'string' },
  originTopic: { type: 'string' },
  unitMode: { type: 'boolean', default: false },
  maxReconsumeTimes: { type: 'int' },
  ...RPC_REQUEST_HEADER_FIELDS,
});
export type ConsumerSendMsgBackRequestHeader = HeaderType<typeof ConsumerSendMsgBackRequestHeader>;

export const NotifyConsumerIdsChangedRequestHeader = defineHeader('NotifyConsumerIdsChangedRequestHeader', {
  consumerGroup: { type: 'string', required: true },
});
export type NotifyConsumerIdsChangedRequestHeader = HeaderType<typeof NotifyConsumerIdsChangedRequestHeader>;
