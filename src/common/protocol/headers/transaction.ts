import { defineHeader, type HeaderType } from '../header.js';
import { RPC_REQUEST_HEADER_FIELDS } from './rpc-request-header.js';

/** END_TRANSACTION (37, producer → broker) and CHECK_TRANSACTION_STATE (39, broker → producer), PROTOCOL.md §16. */
export const EndTransactionRequestHeader = defineHeader('EndTransactionRequestHeader', {
  producerGroup: { type: 'string', required: true },
  tranStateTableOffset: { type: 'long', required: true },
  commitLogOffset: { type: 'long', required: true },
  /** MessageSysFlag TRANSACTION_COMMIT_TYPE / ROLLBACK_TYPE / NOT_TYPE. */
  commitOrRollback: { type: 'int', required: true },
  fromTransactionCheck: { type: 'boolean', default: false },
  msgId: { type: 'string', required: true },
  transactionId: { type: 'string' },
  ...RPC_REQUEST_HEADER_FIELDS,
});
export type EndTransactionRequestHeader = HeaderType<typeof EndTransactionRequestHeader>;

export const CheckTransactionStateRequestHeader = defineHeader('CheckTransactionStateRequestHeader', {
  tranStateTableOffset: { type: 'long', required: true },
  commitLogOffset: { type: 'long', required: true },
  msgId: { type: 'string' },
  transactionId: { type: 'string' },
  offsetMsgId: { type: 'string' },
  ...RPC_REQUEST_HEADER_FIELDS,
});
export type CheckTransactionStateRequestHeader = HeaderType<typeof CheckTransactionStateRequestHeader>;
