import type { RemotingCommand } from '../../remoting/remoting-command.js';
import { defineHeader, type HeaderType } from '../header.js';

/** QUERY_MESSAGE (12) and VIEW_MESSAGE_BY_ID (33), PROTOCOL.md §2.2 / §2.4. */
export const QueryMessageRequestHeader = defineHeader('QueryMessageRequestHeader', {
  topic: { type: 'string', required: true },
  /** A message key, or (with `_UNIQUE_KEY_QUERY`=true) a UNIQ_KEY. */
  key: { type: 'string', required: true },
  maxNum: { type: 'int', required: true },
  beginTimestamp: { type: 'long', required: true },
  endTimestamp: { type: 'long', required: true },
});
export type QueryMessageRequestHeader = HeaderType<typeof QueryMessageRequestHeader>;

export const QueryMessageResponseHeader = defineHeader('QueryMessageResponseHeader', {
  indexLastUpdateTimestamp: { type: 'long', required: true },
  indexLastUpdatePhyoffset: { type: 'long', required: true },
});
export type QueryMessageResponseHeader = HeaderType<typeof QueryMessageResponseHeader>;

/** MixAll.UNIQUE_MSG_QUERY_FLAG: extra extField of QUERY_MESSAGE, not part of the header class. */
export const UNIQUE_MSG_QUERY_FLAG = '_UNIQUE_KEY_QUERY';

/**
 * Marks a QUERY_MESSAGE request as a unique-key query (the broker then looks up `topic#uniqKey` and
 * caps maxNum at defaultQueryMaxNum). Java's client adds the flag right after creating the request
 * and the header fields join the map only at encode time, so the flag is inserted ahead of them.
 */
export function setUniqueKeyQuery(request: RemotingCommand, unique: boolean): RemotingCommand {
  const rest = { ...request.extFields };
  delete rest[UNIQUE_MSG_QUERY_FLAG];
  request.extFields = { [UNIQUE_MSG_QUERY_FLAG]: String(unique), ...rest };
  return request;
}

/** Whether the request asks for a unique-key query (Boolean.parseBoolean semantics, absent ⇒ false). */
export function isUniqueKeyQuery(request: RemotingCommand): boolean {
  return request.getExtField(UNIQUE_MSG_QUERY_FLAG)?.toLowerCase() === 'true';
}

export const ViewMessageRequestHeader = defineHeader('ViewMessageRequestHeader', {
  /** CommitLog physical offset. */
  offset: { type: 'long', required: true },
});
export type ViewMessageRequestHeader = HeaderType<typeof ViewMessageRequestHeader>;
