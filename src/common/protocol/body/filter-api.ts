import { RemotingCommandException } from '../../errors.js';
import { javaHashMapCapacity, javaHashMapOrder, javaStringHashCode } from '../../util/java-hash-map-order.js';
import { ExpressionType, SUB_ALL, type SubscriptionData } from './subscription-data.js';

/**
 * FilterAPI.buildSubscriptionData (common/filter/FilterAPI.java): a TAG expression `*` (or
 * empty/absent) subscribes to everything; otherwise `TagA || TagB` is split on `||`, each tag
 * trimmed, empty ones dropped, and codeSet gets each tag's String.hashCode.
 *
 * tagsSet/codeSet are emitted in java.util.HashSet iteration order so that our heartbeat bodies are
 * byte-identical to a Java client's.
 */
export function buildSubscriptionData(topic: string, subString?: string, subVersion = Date.now()): SubscriptionData {
  const sd: SubscriptionData = {
    classFilterMode: false,
    topic,
    subString: subString ?? SUB_ALL,
    tagsSet: [],
    codeSet: [],
    subVersion,
    expressionType: ExpressionType.TAG,
  };
  if (subString === undefined || subString === SUB_ALL || subString.length === 0) {
    sd.subString = SUB_ALL;
    return sd;
  }
  const parts = javaSplitTrailingRemoved(subString, '||');
  // Java's split drops trailing empty strings; "||" alone leaves nothing ⇒ FilterAPI throws.
  if (parts.length === 0) throw new RemotingCommandException(`subString split error: ${subString}`);
  const tags: string[] = [];
  for (const part of parts) {
    const tag = part.trim();
    if (tag.length > 0 && !tags.includes(tag)) tags.push(tag);
  }
  sd.tagsSet = javaHashMapOrder(tags);
  sd.codeSet = javaIntegerHashSetOrder([...new Set(tags.map(javaStringHashCode))]);
  return sd;
}

/**
 * FilterAPI.build: TAG (or no type) goes through {@link buildSubscriptionData}; any other type
 * (SQL92) keeps the expression verbatim and requires it to be non-empty.
 */
export function buildSubscriptionDataOfType(
  topic: string,
  subString: string | undefined,
  type: string | undefined,
  subVersion = Date.now(),
): SubscriptionData {
  if (type === undefined || type === ExpressionType.TAG) return buildSubscriptionData(topic, subString, subVersion);
  if (subString === undefined || subString.length < 1) {
    throw new RemotingCommandException(`Expression can't be null! ${type}`);
  }
  return { classFilterMode: false, topic, subString, tagsSet: [], codeSet: [], subVersion, expressionType: type };
}

/** String.split(regex) with a literal separator: trailing empty strings removed, like Java. */
function javaSplitTrailingRemoved(s: string, sep: string): string[] {
  const parts = s.split(sep);
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** HashSet<Integer> iteration order: Integer.hashCode is the value itself, then HashMap spreading. */
function javaIntegerHashSetOrder(values: readonly number[]): number[] {
  const mask = javaHashMapCapacity(values.length) - 1;
  return values
    .map((v, i) => ({ v, i, bucket: (v ^ (v >>> 16)) & mask }))
    .sort((a, b) => a.bucket - b.bucket || a.i - b.i)
    .map((e) => e.v);
}
