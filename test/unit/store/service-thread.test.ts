import { expect } from 'chai';

import { ServiceThread } from '../../../src/broker/store/service-thread.js';
import { createLogger } from '../../../src/common/logging/logger.js';

/** Counts its rounds; each round waits `waitMillis` or until woken. */
class CountingService extends ServiceThread {
  rounds = 0;
  private onRound: (() => void) | undefined;

  constructor(private readonly waitMillis: number) {
    super(createLogger('test'));
  }

  get serviceName(): string {
    return 'CountingService';
  }

  nextRound(): Promise<void> {
    return new Promise((resolve) => (this.onRound = resolve));
  }

  hasTimer(): boolean {
    return (this as unknown as { timer: NodeJS.Timeout | undefined }).timer !== undefined;
  }

  protected async runOnce(): Promise<void> {
    this.rounds++;
    this.onRound?.();
    await this.waitForRunning(this.waitMillis);
  }
}

describe('store/ServiceThread', () => {
  it('runs one round per wakeup while waiting, remembers wakeups that came while busy as one, and leaves no timer after shutdown', async () => {
    // A wait far longer than the test: only wakeups can start rounds.
    const s = new CountingService(60_000);
    const first = s.nextRound();
    s.start();
    await first;
    for (let i = 2; i <= 50; i++) {
      const next = s.nextRound();
      s.wakeup();
      await next;
      expect(s.rounds).to.equal(i);
    }
    // The first wakeup ends the wait; the next ones find the round busy and are remembered once (as
    // Java's hasNotified): its wait returns at once, for one more round only.
    const busy = s.nextRound();
    s.wakeup();
    s.wakeup();
    s.wakeup();
    await busy;
    await new Promise((r) => setImmediate(r));
    expect(s.rounds).to.equal(52);
    expect(s.hasTimer()).to.equal(true);
    await s.shutdown();
    expect(s.hasTimer()).to.equal(false);
  });

  it('ends a wait when its time is up, woken before or not', async () => {
    const s = new CountingService(5);
    const first = s.nextRound();
    s.start();
    await first;
    const second = s.nextRound();
    s.wakeup();
    await second;
    // No wakeup from here on: the re-armed timer alone starts the next rounds.
    for (let i = 0; i < 3; i++) await s.nextRound();
    expect(s.rounds).to.equal(5);
    await s.shutdown();
    expect(s.hasTimer()).to.equal(false);
  });
});
