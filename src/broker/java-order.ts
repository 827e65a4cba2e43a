import { javaStringHashCode } from '../common/util/java-hash-map-order.js';

/**
 * Iteration order of a java.util.concurrent.ConcurrentHashMap created with `initialCapacity` (its
 * table is tableSizeFor(1.5 × initialCapacity + 1)) and grown at 0.75 load, as the broker's
 * managers declare theirs. Only used so our config files list entries as a Java broker's do.
 */
export function javaConcurrentHashMapOrder(keys: readonly string[], initialCapacity: number): string[] {
  let cap = 1;
  while (cap < initialCapacity + (initialCapacity >>> 1) + 1) cap <<= 1;
  while (keys.length > cap * 0.75) cap <<= 1;
  const mask = cap - 1;
  return keys
    .map((key, i) => {
      const h = javaStringHashCode(key);
      return { key, i, bucket: (h ^ (h >>> 16)) & 0x7fffffff & mask };
    })
    .sort((a, b) => a.bucket - b.bucket || a.i - b.i)
    .map((e) => e.key);
}
