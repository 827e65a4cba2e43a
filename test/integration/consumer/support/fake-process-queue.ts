import type { MessageExt } from '../../../../src/common/message/message-ext.js';
import type { ConsumerProcessQueue } from '../../../../src/client/consumer/consumer-spi.js';

/**
 * A ProcessQueue with Java's semantics (§11.6), small and obvious, for the consumer's tests: the
 * services are tested against behaviour, independent of the production ProcessQueue.
 */
export class FakeProcessQueue implements ConsumerProcessQueue {
  dropped = false;
  locked = false;
  lastLockTimestamp = Date.now();
  lastPullTimestamp = Date.now();
  lastConsumeTimestamp = Date.now();
  tryUnlockTimes = 0;
  consuming = false;
  msgCount = 0;
  msgSize = 0;
  private readonly tree = new Map<number, MessageExt>();
  private readonly consumingTree = new Map<number, MessageExt>();
  private queueOffsetMax = 0;

  putMessage(msgs: readonly MessageExt[]): boolean {
    for (const m of msgs) {
      if (this.tree.has(m.queueOffset)) continue;
      this.tree.set(m.queueOffset, m);
      this.msgCount++;
      this.msgSize += m.body.length;
      this.queueOffsetMax = m.queueOffset;
    }
    if (this.tree.size > 0 && !this.consuming) {
      this.consuming = true;
      return true;
    }
    return false;
  }

  removeMessage(msgs: readonly MessageExt[]): number {
    this.lastConsumeTimestamp = Date.now();
    if (this.tree.size === 0) return -1;
    let result = this.queueOffsetMax + 1;
    for (const m of msgs) {
      const prev = this.tree.get(m.queueOffset);
      if (prev === undefined) continue;
      this.tree.delete(m.queueOffset);
      this.msgCount--;
      this.msgSize -= prev.body.length;
    }
    if (this.tree.size > 0) result = this.firstKey(this.tree);
    return result;
  }

  getMaxSpan(): number {
    if (this.tree.size === 0) return 0;
    const keys = [...this.tree.keys()];
    return Math.max(...keys) - Math.min(...keys);
  }

  isPullExpired(): boolean {
    return Date.now() - this.lastPullTimestamp > 120_000;
  }

  isLockExpired(): boolean {
    return Date.now() - this.lastLockTimestamp > 30_000;
  }

  hasTempMessage(): boolean {
    return this.tree.size > 0;
  }

  takeMessages(batchSize: number): MessageExt[] {
    const out: MessageExt[] = [];
    const keys = [...this.tree.keys()].sort((a, b) => a - b).slice(0, batchSize);
    for (const k of keys) {
      const m = this.tree.get(k) as MessageExt;
      this.tree.delete(k);
      this.consumingTree.set(k, m);
      out.push(m);
    }
    if (out.length === 0) this.consuming = false;
    return out;
  }

  commit(): number {
    if (this.consumingTree.size === 0) return -1;
    const offset = Math.max(...this.consumingTree.keys()) + 1;
    for (const m of this.consumingTree.values()) {
      this.msgCount--;
      this.msgSize -= m.body.length;
    }
    this.consumingTree.clear();
    return offset;
  }

  makeMessageToConsumeAgain(msgs: readonly MessageExt[]): void {
    for (const m of msgs) {
      this.consumingTree.delete(m.queueOffset);
      this.tree.set(m.queueOffset, m);
    }
  }

  firstMessage(): MessageExt | undefined {
    return this.tree.size === 0 ? undefined : this.tree.get(this.firstKey(this.tree));
  }

  private firstKey(map: Map<number, MessageExt>): number {
    return Math.min(...map.keys());
  }
}
