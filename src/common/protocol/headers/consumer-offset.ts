import { defineHeader, type HeaderType } from '../header.js';
import { RPC_REQUEST_HEADER_FIELDS } from './rpc-request-header.js';

/** QUERY_CONSUMER_OFFSET (14) and UPDATE_CONSUMER_OFFSET (15), PROTOCOL.md §2.2 / §11.3. */
export const QueryConsumerOffsetRequestHeader = defineHeader('QueryConsumerOffsetRequestHeader', {
  consumerGroup: { type: 'string', required: true },
  topic: { type: 'string', required: true },
  queueId: { type: 'int', required: true },
  ...RPC_REQUEST_HEADER_FIELDS,
});
export type QueryConsumerOffsetRequestHeader = HeaderType<typeof QueryConsumerOffsetRequestHeader>;

/** Absent offset is answered with QUERY_NOT_FOUND, not with this header. */
export const QueryConsumerOffsetResponseHeader = defineHeader('QueryConsumerOffsetResponseHeader', {
  offset: { type: 'long', required: true },
});
export type QueryConsumerOffsetResponseHeader = HeaderType<typeof QueryConsumerOffsetResponseHeader>;

export const UpdateConsumerOffsetRequestHeader = defineHeader('UpdateConsumerOffsetRequestHeader', {
  consumerGroup: { type: 'string', required: true },
  topic: { type: 'string', required: true },
  queueId: { type: 'int', required: true },
  commitOffset: { type: 'long', required: true },
  ...RPC_REQUEST_HEADER_FIELDS,
});
export type UpdateConsumerOffsetRequestHeader = HeaderType<typeof UpdateConsumerOffsetRequestHeader>;

/** Has no fields; a Java broker still sends `"extFields":{}` with it. */
export const UpdateConsumerOffsetResponseHeader = defineHeader('UpdateConsumerOffsetResponseHeader', {});
export type UpdateConsumerOffsetResponseHeader = HeaderType<typeof UpdateConsumerOffsetResponseHeader>;
