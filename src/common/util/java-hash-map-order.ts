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
  const keys = Array.isArray(keysInInsertionOrder) ? (keysInInsertionOrder as readonly string[]) : [...keysInInsertionOrder];
  return keysAt(keys, javaHashMapOrderIndices(keys, 0, 0, initialCapacity), keys.length);
}

/**
 * Iteration order of a java.util.concurrent.ConcurrentHashMap created with `initialCapacity` (its
 * table is tableSizeFor(1.5 × initialCapacity + 1)) and grown at 0.75 load, as the broker's
 * managers declare theirs (so our config files list entries as a Java broker's do).
 */
export function javaConcurrentHashMapOrder(keys: readonly string[], initialCapacity: number): string[] {
  let cap = tableSizeFor(initialCapacity + (initialCapacity >>> 1) + 1);
  while (keys.length > cap * 0.75) cap <<= 1;
  return keysAt(keys, sortedIndices(keys, 0, 0, cap - 1), keys.length);
}

/**
 * javaHashMapOrder of `keys[start..]` without making a key array: the positions (indices into `keys`)
 * of those keys in iteration order, in a scratch array shared by every call — read them before the
 * next call. `rotate` moves the first `rotate` keys of `keys[start..]` to the end of the insertion
 * order (frame-codec inserts a FastCodesHeader's leading fields last). The frame encoders call this
 * per frame and per message, so it allocates nothing once the scratch arrays are large enough.
 */
export function javaHashMapOrderIndices(keys: readonly string[], start: number, rotate: number, initialCapacity = 16): Int32Array {
  return sortedIndices(keys, start, rotate, javaHashMapCapacity(keys.length - start, tableSizeFor(initialCapacity)) - 1);
}

function keysAt(keys: readonly string[], indices: Int32Array, n: number): string[] {
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = keys[indices[i]!]!;
  return out;
}

/** The smallest power of two ≥ n (HashMap.tableSizeFor). */
function tableSizeFor(n: number): number {
  let cap = 1;
  while (cap < n) cap <<= 1;
  return cap;
}

/** Java's String.hashCode, spread as HashMap.hash does (h ^ h >>> 16), non-negative; cached per key. */
const spreadCache = new Map<string, number>();
const SPREAD_CACHE_MAX = 4096;

function spreadHash(key: string): number {
  let s = spreadCache.get(key);
  if (s === undefined) {
    const h = javaStringHashCode(key);
    s = (h ^ (h >>> 16)) & 0x7fffffff;
    // Header field and property names are a small set; anything else must not grow the cache forever.
    if (spreadCache.size >= SPREAD_CACHE_MAX) spreadCache.clear();
    spreadCache.set(key, s);
  }
  return s;
}

/** Above this many keys a typed-array sort beats insertion sort. */
const INSERTION_SORT_MAX = 24;
/** bucket × 2^21 + insertion index stays an exact double for any bucket below 2^31. */
const INDEX_BITS = 2 ** 21;
let packed = new Float64Array(64);
let positions = new Int32Array(64);

/**
 * Positions of `keys[start..]` by bucket `spread(hash) & mask`, insertion order within a bucket (kept
 * across resizes), the insertion order being `keys[start..]` rotated left by `rotate`. Each key is
 * one number, bucket × 2^21 + insertion index, so the sort moves numbers, not objects.
 */
function sortedIndices(keys: readonly string[], start: number, rotate: number, mask: number): Int32Array {
  const n = keys.length - start;
  if (n >= INDEX_BITS) throw new RangeError(`too many keys: ${n}`);
  if (packed.length < n) {
    packed = new Float64Array(Math.max(n, packed.length * 2));
    positions = new Int32Array(packed.length);
  }
  const a = packed;
  for (let j = 0; j < n; j++) {
    const insertedAt = j >= rotate ? j - rotate : n - rotate + j;
    const v = (spreadHash(keys[start + j]!) & mask) * INDEX_BITS + insertedAt;
    if (n > INSERTION_SORT_MAX) {
      a[j] = v;
      continue;
    }
    let i = j - 1;
    while (i >= 0 && a[i]! > v) {
      a[i + 1] = a[i]!;
      i--;
    }
    a[i + 1] = v;
  }
  if (n > INSERTION_SORT_MAX) a.subarray(0, n).sort();
  const out = positions;
  for (let i = 0; i < n; i++) {
    const insertedAt = a[i]! % INDEX_BITS;
    out[i] = start + (insertedAt + rotate < n ? insertedAt + rotate : insertedAt + rotate - n);
  }
  return out;
}
