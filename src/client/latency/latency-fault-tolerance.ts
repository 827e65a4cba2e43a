import { ThreadLocalIndex } from '../route/thread-local-index.js';

/**
 * Java's LatencyFaultToleranceImpl: per broker name, the last latency and the time from which the
 * broker may be chosen again.
 */
interface FaultItem {
  readonly name: string;
  currentLatency: number;
  startTimestamp: number;
}

export class LatencyFaultTolerance {
  private readonly faultItemTable = new Map<string, FaultItem>();
  private readonly whichItemWorst = new ThreadLocalIndex();

  constructor(private readonly now: () => number = Date.now) {}

  updateFaultItem(name: string, currentLatency: number, notAvailableDuration: number): void {
    const item = this.faultItemTable.get(name);
    const startTimestamp = this.now() + notAvailableDuration;
    if (item === undefined) this.faultItemTable.set(name, { name, currentLatency, startTimestamp });
    else {
      item.currentLatency = currentLatency;
      item.startTimestamp = startTimestamp;
    }
  }

  isAvailable(name: string): boolean {
    const item = this.faultItemTable.get(name);
    return item === undefined || this.itemAvailable(item);
  }

  remove(name: string): void {
    this.faultItemTable.delete(name);
  }

  /**
   * The least bad broker: items sorted available-first, then by latency, then by start time; one of
   * the better half, in turn.
   */
  pickOneAtLeast(): string | undefined {
    const items = [...this.faultItemTable.values()];
    if (items.length === 0) return undefined;
    items.sort((a, b) => {
      const aa = this.itemAvailable(a);
      const ba = this.itemAvailable(b);
      if (aa !== ba) return aa ? -1 : 1;
      return a.currentLatency - b.currentLatency || a.startTimestamp - b.startTimestamp;
    });
    const half = Math.floor(items.length / 2);
    if (half <= 0) return (items[0] as FaultItem).name;
    return (items[this.whichItemWorst.incrementAndGet() % half] as FaultItem).name;
  }

  private itemAvailable(item: FaultItem): boolean {
    return this.now() - item.startTimestamp >= 0;
  }
}
