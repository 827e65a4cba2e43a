import type { ClusterInfo } from '../../common/protocol/body/cluster-info.js';
import type { TopicRouteData } from '../../common/protocol/body/topic-route-data.js';
import type { MQClientAPIImpl } from '../impl/mq-client-api.js';
import type { MQAdminAPI } from './mq-admin-api.js';

/**
 * What the admin helpers (MessageQueries, resetOffsetByTimestamp) need of MQAdmin: its two request
 * layers, its timeout and the two name-server look-ups. Naming this here instead of importing
 * MQAdmin keeps the helpers below MQAdmin, which builds on them.
 */
export interface AdminContext {
  readonly timeoutMillis: number;
  readonly clientAPI: MQClientAPIImpl;
  readonly api: MQAdminAPI;
  examineBrokerClusterInfo(): Promise<ClusterInfo>;
  examineTopicRouteInfo(topic: string): Promise<TopicRouteData>;
}
