import { defineHeader, type HeaderType } from '../header.js';
import { RPC_REQUEST_HEADER_FIELDS } from './rpc-request-header.js';

/**
 * PULL_MESSAGE (11) request and response headers (PROTOCOL.md §2.2, §9). Both are FastCodesHeaders:
 * in ROCKETMQ serialization their fields lead the extFields map in declaration order — for the
 * request that includes the inherited `bname`, which its encoder writes last.
 */
export const PullMessageRequestHeader = defineHeader(
  'PullMessageRequestHeader',
  {
    consumerGroup: { type: 'string', required: true },
    topic: { type: 'string', required: true },
    queueId: { type: 'int', required: true },
    queueOffset: { type: 'long', required: true },
    maxMsgNums: { type: 'int', required: true },
    /** PullSysFlag bits (§9.2). */
    sysFlag: { type: 'int', required: true },
    commitOffset: { type: 'long', required: true },
    suspendTimeoutMillis: { type: 'long', required: true },
    /** Only with FLAG_SUBSCRIPTION (ali-ons always sends it). */
    subscription: { type: 'string' },
    subVersion: { type: 'long', required: true },
    /** `TAG` / `SQL92`; absent ⇒ TAG. */
    expressionType: { type: 'string' },
    ...RPC_REQUEST_HEADER_FIELDS,
  },
  { fastCodes: true },
);
export type PullMessageRequestHeader = HeaderType<typeof PullMessageRequestHeader>;

export const PullMessageResponseHeader = defineHeader(
  'PullMessageResponseHeader',
  {
    /** 0 = master; the client pulls that queue from this broker id next. */
    suggestWhichBrokerId: { type: 'long', required: true },
    nextBeginOffset: { type: 'long', required: true },
    minOffset: { type: 'long', required: true },
    maxOffset: { type: 'long', required: true },
  },
  { fastCodes: true },
);
export type PullMessageResponseHeader = HeaderType<typeof PullMessageResponseHeader>;
