import { nodeToInt, type JsonObjectReader } from '../json/json-object-reader.js';
import type { JsonBean } from '../json/json-value.js';

/** SubscriptionData.SUB_ALL: the "every tag" expression. */
export const SUB_ALL = '*';

/** ExpressionType (common/filter/ExpressionType.java). */
export const ExpressionType = { TAG: 'TAG', SQL92: 'SQL92' } as const;

/** ExpressionType.isTagType: absent, empty or TAG (ali-ons omits the field, §18 item 9). */
export function isTagType(type: string | undefined): boolean {
  return type === undefined || type === '' || type === ExpressionType.TAG;
}

/**
 * One topic subscription of a consumer group (common/protocol/heartbeat/SubscriptionData.java;
 * PROTOCOL.md §8.1). JSON fields (alphabetical): classFilterMode, codeSet, expressionType,
 * subString, subVersion, tagsSet, topic. `filterClassSource` is never serialized (@JSONField).
 * `tagsSet`/`codeSet` are Java HashSets; arrays here, in the order they are written.
 */
export interface SubscriptionData {
  classFilterMode: boolean;
  topic: string;
  subString: string;
  tagsSet: string[];
  /** `javaStringHashCode(tag)` of each tag: what the ConsumeQueue's tagsCode is compared with. */
  codeSet: number[];
  /** Creation time in ms; a newer version replaces an older subscription on the broker. */
  subVersion: number;
  /** ExpressionType: TAG (default) or SQL92; kept as a string since peers may send others. */
  expressionType: string;
  /** Local only (class filter source); never written to JSON. */
  filterClassSource?: string;
}

export function subscriptionDataToJson(s: SubscriptionData): JsonBean {
  return {
    classFilterMode: s.classFilterMode,
    codeSet: new Set(s.codeSet),
    expressionType: s.expressionType,
    subString: s.subString,
    subVersion: s.subVersion,
    tagsSet: new Set(s.tagsSet),
    topic: s.topic,
  };
}

/**
 * Missing fields take Java's defaults — including subVersion, which Java's constructor sets to
 * the current time — so ali-ons heartbeats without expressionType read as TAG.
 */
export function subscriptionDataFromJson(r: JsonObjectReader): SubscriptionData {
  const codePath = r.sub('codeSet');
  return {
    classFilterMode: r.bool('classFilterMode', false),
    topic: r.string('topic', ''),
    subString: r.string('subString', ''),
    tagsSet: r.strings('tagsSet'),
    codeSet: r.array('codeSet').map((n, i) => nodeToInt(n, `${codePath}[${i}]`)),
    subVersion: r.long('subVersion', Date.now()),
    expressionType: r.string('expressionType', ExpressionType.TAG),
  };
}

/** SubscriptionData.compareTo: by `topic + "@" + subString` (ConsumerRunningInfo's TreeSet order). */
export function compareSubscriptionData(a: SubscriptionData, b: SubscriptionData): number {
  const x = `${a.topic}@${a.subString}`;
  const y = `${b.topic}@${b.subString}`;
  return x < y ? -1 : x > y ? 1 : 0;
}
