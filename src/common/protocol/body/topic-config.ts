import { RemotingCommandException } from '../../errors.js';
import type { JsonObjectReader } from '../json/json-object-reader.js';
import type { JsonBean } from '../json/json-value.js';
import { PermName } from './perm-name.js';

/** TopicFilterType (common/TopicFilterType.java); only SINGLE_TAG is used by 4.9 clients. */
export const TOPIC_FILTER_TYPES = ['SINGLE_TAG', 'MULTI_TAG'] as const;
export type TopicFilterType = (typeof TOPIC_FILTER_TYPES)[number];

/** TopicConfig.defaultReadQueueNums / defaultWriteQueueNums. */
export const DEFAULT_TOPIC_QUEUE_NUMS = 16;

/**
 * A broker's configuration of one topic (common/TopicConfig.java): one entry of topics.json and
 * of RegisterBrokerBody's topicConfigTable. JSON fields (alphabetical): order, perm, readQueueNums,
 * topicFilterType, topicName, topicSysFlag, writeQueueNums.
 */
export interface TopicConfig {
  topicName: string;
  readQueueNums: number;
  writeQueueNums: number;
  perm: number;
  topicFilterType: TopicFilterType;
  topicSysFlag: number;
  order: boolean;
}

/** A TopicConfig with Java's defaults (16/16 queues, R|W, SINGLE_TAG, sysFlag 0, not ordered). */
export function createTopicConfig(topicName: string, fields: Partial<Omit<TopicConfig, 'topicName'>> = {}): TopicConfig {
  return {
    topicName,
    readQueueNums: DEFAULT_TOPIC_QUEUE_NUMS,
    writeQueueNums: DEFAULT_TOPIC_QUEUE_NUMS,
    perm: PermName.PERM_READ | PermName.PERM_WRITE,
    topicFilterType: 'SINGLE_TAG',
    topicSysFlag: 0,
    order: false,
    ...fields,
  };
}

export function topicConfigToJson(tc: TopicConfig): JsonBean {
  return {
    order: tc.order,
    perm: tc.perm,
    readQueueNums: tc.readQueueNums,
    topicFilterType: tc.topicFilterType,
    topicName: tc.topicName,
    topicSysFlag: tc.topicSysFlag,
    writeQueueNums: tc.writeQueueNums,
  };
}

export function topicConfigFromJson(r: JsonObjectReader): TopicConfig {
  return {
    topicName: r.string('topicName', ''),
    readQueueNums: r.int('readQueueNums', DEFAULT_TOPIC_QUEUE_NUMS),
    writeQueueNums: r.int('writeQueueNums', DEFAULT_TOPIC_QUEUE_NUMS),
    perm: r.int('perm', PermName.PERM_READ | PermName.PERM_WRITE),
    topicFilterType: r.enum('topicFilterType', TOPIC_FILTER_TYPES, 'SINGLE_TAG'),
    topicSysFlag: r.int('topicSysFlag', 0),
    order: r.bool('order', false),
  };
}

/**
 * TopicConfig.encode(): `"<topicName> <readQueueNums> <writeQueueNums> <perm> <topicFilterType>"`,
 * the per-topic record of the compressed RegisterBrokerBody (topicSysFlag and order are not carried).
 */
export function encodeTopicConfigLine(tc: TopicConfig): string {
  return `${tc.topicName} ${tc.readQueueNums} ${tc.writeQueueNums} ${tc.perm} ${tc.topicFilterType}`;
}

/** TopicConfig.decode(String): exactly five space-separated fields. */
export function decodeTopicConfigLine(line: string): TopicConfig {
  const parts = line.split(' ');
  const [name, r, w, perm, filter] = parts;
  const nums = [r, w, perm].map((s) => (s !== undefined && /^-?\d+$/.test(s) ? Number(s) : NaN));
  const filterType = TOPIC_FILTER_TYPES.find((t) => t === filter);
  if (parts.length !== 5 || name === undefined || nums.some((n) => !Number.isInteger(n)) || filterType === undefined) {
    throw new RemotingCommandException(`invalid TopicConfig line: ${JSON.stringify(line)}`);
  }
  return createTopicConfig(name, {
    readQueueNums: nums[0] as number,
    writeQueueNums: nums[1] as number,
    perm: nums[2] as number,
    topicFilterType: filterType,
  });
}
