import { javaHashMapCapacity, javaStringHashCode } from '../../common/util/java-hash-map-order.js';

/**
 * The iteration order of the Java HashMaps/HashSets whose contents the name server writes out
 * (brokerAddrTable is `new HashMap<>(128)`, a route's broker-name set a default HashSet …), so that
 * route and cluster-info bodies come out in the same order as a Java name server's. Peers do not
 * depend on it (the Java client sorts); byte-identical output with real captures does.
 *
 * Order = by bucket `spread(hash) & (capacity − 1)` at the final capacity, insertion order within a
 * bucket (what java.util.HashMap keeps across resizes).
 */
export function javaHashOrder(keysInInsertionOrder: Iterable<string>, initialCapacity = 16): string[] {
  const keys = [...keysInInsertionOrder];
  const mask = javaHashMapCapacity(keys.length, initialCapacity) - 1;
  return keys
    .map((key, i) => {
      const h = javaStringHashCode(key);
      return { key, i, bucket: (h ^ (h >>> 16)) & mask };
    })
    .sort((a, b) => a.bucket - b.bucket || a.i - b.i)
    .map((e) => e.key);
}

/** HashMap<Long, String> order for small non-negative ids (Long.hashCode(n) = n): ascending by id. */
export function sortedBrokerAddrs(addrs: ReadonlyMap<number, string>): Map<number, string> {
  return new Map([...addrs].sort((a, b) => a[0] - b[0]));
}
