import { defineHeader, type HeaderType } from '../header.js';
import { RPC_REQUEST_HEADER_FIELDS } from './rpc-request-header.js';

/**
 * Per-queue offset and time lookups (PROTOCOL.md §2.2, §2.4): SEARCH_OFFSET_BY_TIMESTAMP (29),
 * GET_MAX_OFFSET (30), GET_MIN_OFFSET (31), GET_EARLIEST_MSG_STORETIME (32). Offsets are logical
 * (consume-queue units).
 */
export const SearchOffsetRequestHeader = defineHeader('SearchOffsetRequestHeader', {
  topic: { type: 'string', required: true },
  queueId: { type: 'int', required: true },
  timestamp: { type: 'long', required: true },
  ...RPC_REQUEST_HEADER_FIELDS,
});
export type SearchOffsetRequestHeader = HeaderType<typeof SearchOffsetRequestHeader>;

export const SearchOffsetResponseHeader = defineHeader('SearchOffsetResponseHeader', {
  offset: { type: 'long', required: true },
});
export type SearchOffsetResponseHeader = HeaderType<typeof SearchOffsetResponseHeader>;

export const GetMaxOffsetRequestHeader = defineHeader('GetMaxOffsetRequestHeader', {
  topic: { type: 'string', required: true },
  queueId: { type: 'int', required: true },
  ...RPC_REQUEST_HEADER_FIELDS,
});
export type GetMaxOffsetRequestHeader = HeaderType<typeof GetMaxOffsetRequestHeader>;

export const GetMaxOffsetResponseHeader = defineHeader('GetMaxOffsetResponseHeader', {
  offset: { type: 'long', required: true },
});
export type GetMaxOffsetResponseHeader = HeaderType<typeof GetMaxOffsetResponseHeader>;

export const GetMinOffsetRequestHeader = defineHeader('GetMinOffsetRequestHeader', {
  topic: { type: 'string', required: true },
  queueId: { type: 'int', required: true },
  ...RPC_REQUEST_HEADER_FIELDS,
});
export type GetMinOffsetRequestHeader = HeaderType<typeof GetMinOffsetRequestHeader>;

export const GetMinOffsetResponseHeader = defineHeader('GetMinOffsetResponseHeader', {
  offset: { type: 'long', required: true },
});
export type GetMinOffsetResponseHeader = HeaderType<typeof GetMinOffsetResponseHeader>;

export const GetEarliestMsgStoretimeRequestHeader = defineHeader('GetEarliestMsgStoretimeRequestHeader', {
  topic: { type: 'string', required: true },
  queueId: { type: 'int', required: true },
  ...RPC_REQUEST_HEADER_FIELDS,
});
export type GetEarliestMsgStoretimeRequestHeader = HeaderType<typeof GetEarliestMsgStoretimeRequestHeader>;

export const GetEarliestMsgStoretimeResponseHeader = defineHeader('GetEarliestMsgStoretimeResponseHeader', {
  timestamp: { type: 'long', required: true },
});
export type GetEarliestMsgStoretimeResponseHeader = HeaderType<typeof GetEarliestMsgStoretimeResponseHeader>;
