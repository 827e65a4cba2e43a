/**
 * Java's HashMap iteration order, so that what we write (extFields, message properties) comes out in
 * the same byte order a Java peer writes it. Only matters for byte-identical golden output: peers
 * never depend on order.
 *
 * A HashMap created with the default capacity 16 and load factor 0.75 doubles whenever its size
 * exceeds capacity × 0.75; a resize keeps the relative order inside each bucket. So the final
 * iteration order is: by bucket index `spread(hash) & (capacity − 1)` for the final capacity, and by
 * insertion order within a bucket. (Buckets of ≥ 8 colliding keys would be treeified; keys that
 * collide that much do not occur in headers or properties.)
 */
export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

export function javaHashMapCapacity(size: number, initialCapacity = 16): number {
  let cap = initialCapacity;
  while (size > cap * 0.75) cap *= 2;
  return cap;
}

/**
 * Keys in the order a java.util.HashMap (or HashSet) created with `initialCapacity` and filled with
 * them in the given order would iterate them.
 */
export function javaHashMapOrder(keysInInsertionOrder: Iterable<string>, initialCapacity = 16): string[] {
  const keys = [...keysInInsertionOrder];
  return orderByBucket(keys, javaHashMapCapacity(keys.length, tableSizeFor(initialCapacity)) - 1);
}

/**
 * Iteration order of a java.util.concurrent.ConcurrentHashMap created with `initialCapacity` (its
 * table is tableSizeFor(1.5 × initialCapacity + 1)) and grown at 0.75 load, as the broker's
 * managers declare theirs (so our config files list entries as a Java broker's do).
 */
export function javaConcurrentHashMapOrder(keys: readonly string[], initialCapacity: number): string[] {
  let cap = tableSizeFor(initialCapacity + (initialCapacity >>> 1) + 1);
  while (keys.length > cap * 0.75) cap <<= 1;
  return orderByBucket(keys, cap - 1);
}

/** The smallest power of two ≥ n (HashMap.tableSizeFor). */
function tableSizeFor(n: number): number {
  let cap = 1;
  while (cap < n) cap <<= 1;
  return cap;
}

/** By bucket `spread(hash) & mask`, insertion order within a bucket (kept across resizes). */
function orderByBucket(keys: readonly string[], mask: number): string[] {
  return keys
    .map((key, i) => {
      const h = javaStringHashCode(key);
      return { key, i, bucket: ((h ^ (h >>> 16)) & 0x7fffffff) & mask };
    })
    .sort((a, b) => a.bucket - b.bucket || a.i - b.i)
    .map((e) => e.key);
}
