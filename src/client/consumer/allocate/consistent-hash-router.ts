import { createHash } from 'node:crypto';

/** Hashes a ring key to a non-negative integer below 2^53 (Java's HashFunction returns a long). */
export type HashFunction = (key: string) => number;

/**
 * ConsistentHashRouter's default MD5Hash: the first 4 digest bytes as an unsigned big-endian 32-bit
 * value. Java hashes `key.getBytes()` in the platform charset; UTF-8 on every JVM a RocketMQ client
 * runs on in practice (and the default since Java 18), so UTF-8 here.
 */
export const md5Hash: HashFunction = (key) => createHash('md5').update(key, 'utf8').digest().readUInt32BE(0);

interface VirtualNode {
  /** The physical node's key (a client id). */
  readonly physicalKey: string;
  readonly replicaIndex: number;
}

/**
 * common/consistenthash/ConsistentHashRouter: each physical node is placed on a ring as `vNodeCount`
 * virtual nodes keyed `"<key>-<replicaIndex>"`; an object goes to the first virtual node at or after
 * its hash, wrapping to the smallest. Reproduced exactly (including the later-insert-wins overwrite on a
 * hash collision, and replica numbering that continues when a key is added twice) so a group with Java
 * and TypeScript members agrees on every queue.
 */
export class ConsistentHashRouter {
  /** hash → virtual node, like Java's TreeMap<Long, VirtualNode>. */
  private readonly ring = new Map<number, VirtualNode>();
  /** The ring's hashes, ascending; rebuilt lazily after changes. */
  private sortedHashes: number[] | undefined;

  constructor(
    physicalKeys: Iterable<string>,
    vNodeCount: number,
    private readonly hashFunction: HashFunction = md5Hash,
  ) {
    for (const key of physicalKeys) this.addNode(key, vNodeCount);
  }

  addNode(physicalKey: string, vNodeCount: number): void {
    if (vNodeCount < 0) throw new RangeError(`illegal virtual node counts :${vNodeCount}`);
    const existingReplicas = this.getExistingReplicas(physicalKey);
    for (let i = 0; i < vNodeCount; i++) {
      const vNode: VirtualNode = { physicalKey, replicaIndex: i + existingReplicas };
      this.ring.set(this.hashFunction(`${physicalKey}-${vNode.replicaIndex}`), vNode);
    }
    this.sortedHashes = undefined;
  }

  removeNode(physicalKey: string): void {
    for (const [hash, vNode] of this.ring) if (vNode.physicalKey === physicalKey) this.ring.delete(hash);
    this.sortedHashes = undefined;
  }

  /** The physical key owning `objectKey`, undefined on an empty ring. */
  routeNode(objectKey: string): string | undefined {
    const hashes = (this.sortedHashes ??= [...this.ring.keys()].sort((a, b) => a - b));
    if (hashes.length === 0) return undefined;
    const h = this.hashFunction(objectKey);
    const i = lowerBound(hashes, h);
    const nodeHash = i < hashes.length ? (hashes[i] as number) : (hashes[0] as number);
    return (this.ring.get(nodeHash) as VirtualNode).physicalKey;
  }

  /** Virtual nodes of `physicalKey` currently on the ring (collisions lost to other keys not counted). */
  getExistingReplicas(physicalKey: string): number {
    let replicas = 0;
    for (const vNode of this.ring.values()) if (vNode.physicalKey === physicalKey) replicas++;
    return replicas;
  }
}

/** The first index whose value is >= `target` (TreeMap.tailMap(target).firstKey()). */
function lowerBound(sorted: readonly number[], target: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
