import { expect } from 'chai';
import { PullRequestHoldService, type PullRequest } from '../../../../src/broker/long-polling/pull-request-hold-service.js';
import { createLogger } from '../../../../src/common/logging/logger.js';
import type { RemotingChannel } from '../../../../src/common/remoting/remoting-channel.js';
import { RemotingCommand } from '../../../../src/common/remoting/remoting-command.js';

/** A channel that only answers isActive; the hold service never writes to it itself. */
function channel(active = true): RemotingChannel & { isActive: boolean } {
  return {
    id: 1,
    remoteAddress: '127.0.0.1:1',
    localAddress: '127.0.0.1:2',
    isActive: active,
    writeResponse: () => true,
    invokeSync: () => Promise.reject(new Error('unused')),
    invokeOneway: () => Promise.resolve(),
    close: () => undefined,
  };
}

function pull(offset: number, opts: { ch?: RemotingChannel; timeoutMillis?: number; suspendTimestamp?: number; tags?: number[] } = {}): PullRequest {
  return {
    channel: opts.ch ?? channel(),
    request: RemotingCommand.createRequest(11),
    suspendTimestamp: opts.suspendTimestamp ?? Date.now(),
    timeoutMillis: opts.timeoutMillis ?? 15_000,
    pullFromThisOffset: offset,
    filter: { isMatchedByConsumeQueue: (tagsCode) => opts.tags === undefined || opts.tags.includes(tagsCode) },
  };
}

describe('PullRequestHoldService', () => {
  let maxOffsets: Map<string, number>;
  let woken: RemotingCommand[];
  let service: PullRequestHoldService;
  let onWake: (request: RemotingCommand) => void;

  beforeEach(() => {
    maxOffsets = new Map();
    woken = [];
    onWake = () => undefined;
    service = new PullRequestHoldService({
      checkIntervalMillis: 5000,
      maxHeld: 4,
      maxOffsetInQueue: (topic, queueId) => maxOffsets.get(`${topic}/${queueId}`) ?? 0,
      wakeup: (_ch, request) => {
        woken.push(request);
        onWake(request);
      },
      log: createLogger('test', { level: 'error' }),
    });
    service.start();
  });

  afterEach(() => service.shutdown());

  it('wakes only the pulls of the arriving queue whose offset is covered and whose filter matches', () => {
    const a = pull(5);
    const b = pull(9);
    const other = pull(5);
    const tagged = pull(5, { tags: [42] });
    expect(service.suspendPullRequest('T', 1, a)).to.equal(true);
    expect(service.suspendPullRequest('T', 1, b)).to.equal(true);
    expect(service.suspendPullRequest('T', 2, other)).to.equal(true);
    expect(service.suspendPullRequest('T', 1, tagged)).to.equal(true);
    expect(service.heldCount).to.equal(4);

    service.arriving('T', 1, 6, 7);
    expect(woken).to.deep.equal([a.request]);
    expect(service.heldCount).to.equal(3);

    service.arriving('T', 1, 10, 42);
    expect(woken).to.deep.equal([a.request, b.request, tagged.request]);
    expect(service.heldCount).to.equal(1);

    service.arriving('U', 2, 100, 0); // another topic, same queue id
    expect(service.heldCount).to.equal(1);
    service.arriving('T', 2, 6, 0);
    expect(woken).to.have.length(4);
    expect(service.heldCount).to.equal(0);
  });

  it('refuses beyond maxHeld and when stopped; a queue emptied by wake-ups takes new pulls', () => {
    for (let i = 0; i < 4; i++) expect(service.suspendPullRequest('T', 0, pull(1))).to.equal(true);
    expect(service.suspendPullRequest('T', 0, pull(1))).to.equal(false);
    service.arriving('T', 0, 2, 0);
    expect(woken).to.have.length(4);
    expect(service.suspendPullRequest('T', 0, pull(2))).to.equal(true);
    service.arriving('T', 0, 3, 0);
    expect(woken).to.have.length(5);
    service.shutdown();
    expect(service.suspendPullRequest('T', 0, pull(3))).to.equal(false);
  });

  it('a pull suspended again while its queue is being woken is kept, not lost', () => {
    const first = pull(1);
    const again = pull(2);
    onWake = (request) => {
      if (request === first.request) service.suspendPullRequest('T', 3, again);
    };
    service.suspendPullRequest('T', 3, first);
    service.arriving('T', 3, 2, 0);
    expect(woken).to.deep.equal([first.request]);
    expect(service.heldCount).to.equal(1);
    service.arriving('T', 3, 3, 0);
    expect(woken).to.deep.equal([first.request, again.request]);
    expect(service.heldCount).to.equal(0);
  });

  it('drops pulls of closed channels and answers timed-out ones on the next arrival', () => {
    const closed = channel(false);
    service.suspendPullRequest('T', 0, pull(5, { ch: closed }));
    const expired = pull(5, { suspendTimestamp: Date.now() - 20_000, timeoutMillis: 15_000 });
    service.suspendPullRequest('T', 0, expired);
    service.arriving('T', 0, 3, 0); // offset 5 not covered yet
    expect(woken).to.deep.equal([expired.request]);
    expect(service.heldCount).to.equal(0);
  });

  it('times a held pull out on its own deadline through the timer', async () => {
    const p = pull(5, { timeoutMillis: 30 });
    service.suspendPullRequest('T', 0, p);
    const deadline = Date.now() + 2000;
    while (woken.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(woken).to.deep.equal([p.request]);
    expect(service.heldCount).to.equal(0);
  });
});
