/**
 * MQAdmin's typed results. Java's DefaultMQAdminExt hands back wire bodies keyed by MessageQueue
 * (HashMaps with no order); these are flat rows sorted by topic / broker / queue, so a table or a
 * JSON document can be printed from them as they are.
 */
import type { Connection } from '../../common/protocol/body/connection.js';
import type { ConsumeFromWhere, ConsumeType, MessageModel } from '../../common/protocol/body/consumer-enums.js';

/** One queue of a topic (GET_TOPIC_STATS_INFO). */
export interface TopicQueueStatus {
  brokerName: string;
  queueId: number;
  minOffset: number;
  maxOffset: number;
  /** Store time of the newest message (0 when the queue is empty). */
  lastUpdateTimestamp: number;
}

/** One broker address of a cluster, with what its GET_BROKER_RUNTIME_INFO said (clusterList). */
export interface ClusterBrokerInfo {
  clusterName: string;
  brokerName: string;
  brokerId: number;
  addr: string;
  /** brokerVersionDesc, e.g. "V4_9_8". */
  version: string | undefined;
  /** First figure of putTps / getTransferedTps (the last 10 s). */
  inTps: number;
  outTps: number;
  /** Hours since the oldest stored message (earliestMessageTimeStamp), as mqadmin prints it. */
  hours: number | undefined;
  /** commitLogDiskRatio: used fraction of the store's disk. */
  diskRatio: number | undefined;
  /** Every runtime key; undefined when the broker did not answer (see `error`). */
  runtime: Record<string, string> | undefined;
  error: string | undefined;
}

/** consumerProgress: one queue of one topic the group consumes. */
export interface QueueProgress {
  topic: string;
  brokerName: string;
  queueId: number;
  brokerOffset: number;
  consumerOffset: number;
  /** brokerOffset − consumerOffset: messages not consumed yet. */
  diff: number;
  /** Store time of the last consumed message (0 if unknown). */
  lastTimestamp: number;
}

export interface ConsumerProgress {
  group: string;
  /** Σ consumeTps over the brokers (GET_CONSUME_STATS). */
  consumeTps: number;
  /** Σ diff: the group's lag. */
  totalDiff: number;
  queues: QueueProgress[];
}

/**
 * consumerProgress without -g: one row per consumer group (mqadmin's GroupConsumeInfo), found as
 * mqadmin finds them — the name server's %RETRY%<group> topics.
 */
export interface GroupConsumeSummary {
  group: string;
  /** Connected consumers (0 = offline). */
  count: number;
  /** MQVersion desc of the lowest client version connected; undefined when offline (mqadmin prints OFFLINE). */
  version: string | undefined;
  /** PUSH / PULL; undefined when offline. */
  consumeType: 'PUSH' | 'PULL' | undefined;
  /** CLUSTERING / BROADCASTING for PUSH consumers only, as mqadmin; else undefined. */
  messageModel: string | undefined;
  /** Σ consumeTps truncated to an integer, as mqadmin's (int) cast. */
  consumeTps: number;
  /** Σ (brokerOffset − consumerOffset) over the group's queues. */
  diffTotal: number;
  /** Why the consume stats are zero (mqadmin logs it and prints zeros), e.g. nothing consumed yet. */
  statsError: string | undefined;
  /** Why the connection columns are empty, e.g. no consumer online. */
  connectionError: string | undefined;
}

/** topicList -c: a topic, its cluster and the groups consuming it (mqadmin's rows). */
export interface TopicConsumers {
  /** '' when the route could not be read (mqadmin prints it empty too). */
  clusterName: string;
  topic: string;
  /** Sorted; empty when nobody consumes it. */
  consumerGroups: string[];
  /** Why the cluster or the groups are missing (mqadmin swallows it). */
  error: string | undefined;
}

export interface SubscriptionView {
  topic: string;
  subString: string;
  expressionType: string;
  tags: string[];
  subVersion: number;
}

/** consumerConnection: who is connected for a group and what it subscribes. */
export interface ConsumerConnectionInfo {
  group: string;
  connections: Connection[];
  subscriptions: SubscriptionView[];
  consumeType: ConsumeType | undefined;
  messageModel: MessageModel | undefined;
  consumeFromWhere: ConsumeFromWhere | undefined;
}

/** A queue's new offset after a reset. */
export interface QueueOffset {
  topic: string;
  brokerName: string;
  queueId: number;
  offset: number;
}

/** One queue handled by the offline reset path (Java's RollbackStats). */
export interface RollbackStats {
  brokerName: string;
  queueId: number;
  brokerOffset: number;
  consumerOffset: number;
  /** The offset the timestamp maps to. */
  timestampOffset: number;
  /** What was committed (the old consumer offset when not forced and the timestamp lies ahead). */
  rollbackOffset: number;
}

/**
 * resetOffsetByTimestamp. `CLIENTS_NOTIFIED`: the broker computed the offsets and pushed them to the
 * group's online clients (INVOKE_BROKER_TO_RESET_OFFSET). `OFFSETS_COMMITTED`: no client was online,
 * so the offsets were committed on the brokers directly (mqadmin's ResetOffsetByTimeOldCommand).
 */
export type ResetOffsetResult =
  | { mode: 'CLIENTS_NOTIFIED'; offsets: QueueOffset[] }
  | { mode: 'OFFSETS_COMMITTED'; rollbacks: RollbackStats[] };

/** The broker config of one address (getBrokerConfig). */
export interface BrokerConfigEntry {
  brokerName: string | undefined;
  addr: string;
  /** Set for a slave: the master of its broker name (undefined when that master is not registered). */
  masterAddr?: string | undefined;
  /** Whether this is a slave (brokerId > 0) of the cluster listing. */
  slave?: boolean;
  config: Record<string, string>;
}

/** TrackType (tools/admin/api/TrackType.java): what a consumer group has done with one message. */
export type TrackType = 'CONSUMED' | 'CONSUMED_BUT_FILTERED' | 'PULL' | 'NOT_CONSUME_YET' | 'NOT_ONLINE' | 'UNKNOWN';

/** MessageTrack: one group of the message's topic and its TrackType; `exceptionDesc` says why it is UNKNOWN / NOT_ONLINE. */
export interface MessageTrack {
  consumerGroup: string;
  trackType: TrackType;
  exceptionDesc: string | undefined;
}
