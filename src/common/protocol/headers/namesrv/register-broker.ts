import { JAVA_NAMESRV_HEADER_PACKAGE, defineHeader, type HeaderType } from '../../header.js';

const NAMESRV = { javaPackage: JAVA_NAMESRV_HEADER_PACKAGE } as const;

/**
 * Broker ⇄ name server registration (PROTOCOL.md §7.2): REGISTER_BROKER (103), UNREGISTER_BROKER (104),
 * QUERY_DATA_VERSION (322).
 */
export const RegisterBrokerRequestHeader = defineHeader('RegisterBrokerRequestHeader', {
  brokerName: { type: 'string', required: true },
  /** `ip:port` the broker advertises (brokerIP1:listenPort). */
  brokerAddr: { type: 'string', required: true },
  clusterName: { type: 'string', required: true },
  /** `ip:haPort` (brokerIP2:haListenPort). */
  haServerAddr: { type: 'string', required: true },
  brokerId: { type: 'long', required: true },
  /** Primitive boolean: always sent. */
  compressed: { type: 'boolean', default: false },
  /** `Integer bodyCrc32 = 0`: CRC32 of the body, always sent. */
  bodyCrc32: { type: 'int', default: 0 },
}, NAMESRV);
export type RegisterBrokerRequestHeader = HeaderType<typeof RegisterBrokerRequestHeader>;

/** Both null for a master, so the answer then carries `"extFields":{}`. */
export const RegisterBrokerResponseHeader = defineHeader('RegisterBrokerResponseHeader', {
  haServerAddr: { type: 'string' },
  masterAddr: { type: 'string' },
}, NAMESRV);
export type RegisterBrokerResponseHeader = HeaderType<typeof RegisterBrokerResponseHeader>;

export const UnRegisterBrokerRequestHeader = defineHeader('UnRegisterBrokerRequestHeader', {
  brokerName: { type: 'string', required: true },
  brokerAddr: { type: 'string', required: true },
  clusterName: { type: 'string', required: true },
  brokerId: { type: 'long', required: true },
}, NAMESRV);
export type UnRegisterBrokerRequestHeader = HeaderType<typeof UnRegisterBrokerRequestHeader>;

export const QueryDataVersionRequestHeader = defineHeader('QueryDataVersionRequestHeader', {
  brokerName: { type: 'string', required: true },
  brokerAddr: { type: 'string', required: true },
  clusterName: { type: 'string', required: true },
  brokerId: { type: 'long', required: true },
}, NAMESRV);
export type QueryDataVersionRequestHeader = HeaderType<typeof QueryDataVersionRequestHeader>;

export const QueryDataVersionResponseHeader = defineHeader('QueryDataVersionResponseHeader', {
  changed: { type: 'boolean', required: true },
}, NAMESRV);
export type QueryDataVersionResponseHeader = HeaderType<typeof QueryDataVersionResponseHeader>;
