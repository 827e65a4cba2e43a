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

/** Keys in the order a java.util.HashMap filled with them in the given order would iterate them. */
export function javaHashMapOrder(keysInInsertionOrder: readonly string[]): string[] {
  const cap = javaHashMapCapacity(keysInInsertionOrder.length);
  const mask = cap - 1;
  const withIndex = keysInInsertionOrder.map((key, i) => {
    const h = javaStringHashCode(key);
    return { key, i, bucket: (h ^ (h >>> 16)) & mask };
  });
  withIndex.sort((a, b) => a.bucket - b.bucket || a.i - b.i);
  return withIndex.map((e) => e.key);
}
