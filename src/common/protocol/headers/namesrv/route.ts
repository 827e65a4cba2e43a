import { JAVA_NAMESRV_HEADER_PACKAGE, defineHeader, type HeaderType } from '../../header.js';

const NAMESRV = { javaPackage: JAVA_NAMESRV_HEADER_PACKAGE } as const;

/**
 * Route and topic administration on the name server (PROTOCOL.md §2.1, §7): GET_ROUTEINFO_BY_TOPIC
 * (105), DELETE_TOPIC_IN_NAMESRV (216), GET_TOPICS_BY_CLUSTER (224), WIPE_WRITE_PERM_OF_BROKER (205),
 * ADD_WRITE_PERM_OF_BROKER (327).
 */
export const GetRouteInfoRequestHeader = defineHeader('GetRouteInfoRequestHeader', {
  topic: { type: 'string', required: true },
  /** Since 4.9.4; the Java 4.9.8 client does not send it (the namesrv goes by `version`). */
  acceptStandardJsonOnly: { type: 'boolean' },
}, NAMESRV);
export type GetRouteInfoRequestHeader = HeaderType<typeof GetRouteInfoRequestHeader>;

export const DeleteTopicFromNamesrvRequestHeader = defineHeader('DeleteTopicFromNamesrvRequestHeader', {
  topic: { type: 'string', required: true },
  clusterName: { type: 'string' },
}, NAMESRV);
export type DeleteTopicFromNamesrvRequestHeader = HeaderType<typeof DeleteTopicFromNamesrvRequestHeader>;

export const GetTopicsByClusterRequestHeader = defineHeader('GetTopicsByClusterRequestHeader', {
  cluster: { type: 'string', required: true },
}, NAMESRV);
export type GetTopicsByClusterRequestHeader = HeaderType<typeof GetTopicsByClusterRequestHeader>;

export const WipeWritePermOfBrokerRequestHeader = defineHeader('WipeWritePermOfBrokerRequestHeader', {
  brokerName: { type: 'string', required: true },
}, NAMESRV);
export type WipeWritePermOfBrokerRequestHeader = HeaderType<typeof WipeWritePermOfBrokerRequestHeader>;

export const WipeWritePermOfBrokerResponseHeader = defineHeader('WipeWritePermOfBrokerResponseHeader', {
  wipeTopicCount: { type: 'int', required: true },
}, NAMESRV);
export type WipeWritePermOfBrokerResponseHeader = HeaderType<typeof WipeWritePermOfBrokerResponseHeader>;

export const AddWritePermOfBrokerRequestHeader = defineHeader('AddWritePermOfBrokerRequestHeader', {
  brokerName: { type: 'string', required: true },
}, NAMESRV);
export type AddWritePermOfBrokerRequestHeader = HeaderType<typeof AddWritePermOfBrokerRequestHeader>;

export const AddWritePermOfBrokerResponseHeader = defineHeader('AddWritePermOfBrokerResponseHeader', {
  addTopicCount: { type: 'int', required: true },
}, NAMESRV);
export type AddWritePermOfBrokerResponseHeader = HeaderType<typeof AddWritePermOfBrokerResponseHeader>;
