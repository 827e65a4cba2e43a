import { JAVA_NAMESRV_HEADER_PACKAGE, defineHeader, type HeaderType } from '../../header.js';

const NAMESRV = { javaPackage: JAVA_NAMESRV_HEADER_PACKAGE } as const;

/**
 * Name server KV config (PROTOCOL.md §2.1): PUT_KV_CONFIG (100), GET_KV_CONFIG (101),
 * DELETE_KV_CONFIG (102), GET_KVLIST_BY_NAMESPACE (219).
 */
export const PutKVConfigRequestHeader = defineHeader('PutKVConfigRequestHeader', {
  namespace: { type: 'string', required: true },
  key: { type: 'string', required: true },
  value: { type: 'string', required: true },
}, NAMESRV);
export type PutKVConfigRequestHeader = HeaderType<typeof PutKVConfigRequestHeader>;

export const GetKVConfigRequestHeader = defineHeader('GetKVConfigRequestHeader', {
  namespace: { type: 'string', required: true },
  key: { type: 'string', required: true },
}, NAMESRV);
export type GetKVConfigRequestHeader = HeaderType<typeof GetKVConfigRequestHeader>;

/** A missing key is answered with QUERY_NOT_FOUND instead. */
export const GetKVConfigResponseHeader = defineHeader('GetKVConfigResponseHeader', {
  value: { type: 'string' },
}, NAMESRV);
export type GetKVConfigResponseHeader = HeaderType<typeof GetKVConfigResponseHeader>;

export const DeleteKVConfigRequestHeader = defineHeader('DeleteKVConfigRequestHeader', {
  namespace: { type: 'string', required: true },
  key: { type: 'string', required: true },
}, NAMESRV);
export type DeleteKVConfigRequestHeader = HeaderType<typeof DeleteKVConfigRequestHeader>;

export const GetKVListByNamespaceRequestHeader = defineHeader('GetKVListByNamespaceRequestHeader', {
  namespace: { type: 'string', required: true },
}, NAMESRV);
export type GetKVListByNamespaceRequestHeader = HeaderType<typeof GetKVListByNamespaceRequestHeader>;
