import type { HeaderSchema } from '../header.js';

/** The declaring class, which enters the hash of the field in Java's reflective field order. */
export const RPC_REQUEST_HEADER_CLASS = 'org.apache.rocketmq.common.rpc.RpcRequestHeader';

/**
 * Fields inherited from `org.apache.rocketmq.common.rpc.RpcRequestHeader` (4.9.5+): `bname`, the
 * broker name the request is meant for. Informational for a 4.9 broker (PROTOCOL.md §1.5): accept
 * and ignore it, send it when known. Spread last into the schema of a header that extends
 * RpcRequestHeader: superclass fields come after the subclass's own, which is also where
 * PullMessageRequestHeader's FastCodesHeader encoder writes it.
 */
export const RPC_REQUEST_HEADER_FIELDS = {
  bname: { type: 'string', declaredBy: RPC_REQUEST_HEADER_CLASS },
} as const satisfies HeaderSchema;
