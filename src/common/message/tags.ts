import { javaStringHashCode } from '../util/java-hash-map-order.js';

/**
 * The ConsumeQueue tagsCode of a message (Java's MessageExtBrokerInner.tagsString2tagsCode): the TAGS
 * value's Java String.hashCode (UTF-16 code units, int32 wrap-around), 0 for no or empty tags. It is a
 * signed int32 that the CQ stores sign-extended in 8 bytes; brokers and clients compare it as int32.
 */
export function tagsString2tagsCode(tags: string | undefined | null): number {
  if (tags === undefined || tags === null || tags.length === 0) return 0;
  return javaStringHashCode(tags);
}
