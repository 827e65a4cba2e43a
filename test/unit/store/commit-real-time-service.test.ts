import { expect } from 'chai';

import { CommitRealTimeService, EAGER_COMMIT_LEAST_BYTES } from '../../../src/broker/store/flush/commit-real-time-service.js';
import type { MappedFileQueue } from '../../../src/broker/store/mapped-file-queue.js';
import { createMessageStoreConfig } from '../../../src/broker/store/store-config.js';
import { createLogger } from '../../../src/common/logging/logger.js';

/** The two calls the service makes on its queue: bytes appended but not committed, and commit. */
class FakeQueue {
  uncommitted = 0;
  commits = 0;
  private onCommit: (() => void) | undefined;

  uncommittedBytes(): number {
    return this.uncommitted;
  }

  async commit(): Promise<boolean> {
    const moved = this.uncommitted > 0;
    this.uncommitted = 0;
    this.commits++;
    this.onCommit?.();
    return moved;
  }

  nextCommit(): Promise<void> {
    return new Promise((resolve) => (this.onCommit = resolve));
  }
}

function eagerService(queue: FakeQueue): CommitRealTimeService {
  return new CommitRealTimeService(queue as unknown as MappedFileQueue, createMessageStoreConfig({}), true, createLogger('test'), () => {});
}

const turns = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

describe('store/CommitRealTimeService (eager, no write-buffer pool)', () => {
  it('is not woken by appends while it waits for the deadline of bytes already buffered', async () => {
    const queue = new FakeQueue();
    const service = eagerService(queue);
    let wakeups = 0;
    const wakeup = service.wakeup.bind(service);
    service.wakeup = () => {
      wakeups++;
      wakeup();
    };
    service.start();
    try {
      queue.uncommitted = 1000;
      service.appended();
      expect(wakeups).to.equal(1);
      await turns(3);
      const committed = queue.nextCommit();
      for (let i = 0; i < 100; i++) {
        queue.uncommitted += 1000;
        service.appended();
      }
      expect(wakeups).to.equal(1);
      // The deadline still commits what was buffered.
      await committed;
      expect(queue.uncommitted).to.equal(0);
    } finally {
      await service.shutdown();
    }
  });

  it('is woken once EAGER_COMMIT_LEAST_BYTES are buffered, and after a commit by the next append', async () => {
    const queue = new FakeQueue();
    const service = eagerService(queue);
    service.start();
    try {
      queue.uncommitted = 1000;
      service.appended();
      await turns(3);
      const committed = queue.nextCommit();
      queue.uncommitted = EAGER_COMMIT_LEAST_BYTES;
      service.appended();
      await committed;
      expect(queue.commits).to.equal(1);
      // Nothing buffered now: the next append starts a new deadline and is committed too.
      await turns(3);
      const again = queue.nextCommit();
      queue.uncommitted = 10;
      service.appended();
      await again;
      expect(queue.commits).to.equal(2);
    } finally {
      await service.shutdown();
    }
  });
});
