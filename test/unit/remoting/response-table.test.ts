import { expect } from 'chai';

import { RemotingSendRequestException, RemotingTimeoutException } from '../../../src/common/errors.js';
import { RemotingCommand } from '../../../src/common/remoting/remoting-command.js';
import { ResponseTable } from '../../../src/common/remoting/response-table.js';

const request = (opaque: number): RemotingCommand => new RemotingCommand({ code: 10, opaque });
const response = (opaque: number): RemotingCommand => new RemotingCommand({ code: 0, opaque, flag: 1 });

describe('ResponseTable', () => {
  it('matches responses to requests through growth, colliding opaques and random completion order', async () => {
    const table = new ResponseTable(() => 'peer');
    let seed = 7;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    // Opaques that share their low bits (multiples of 64, negatives, the int32 extremes) as well
    // as a sequential run, so probe runs wrap around the table and deletions shift entries back.
    const opaques = new Set<number>([-2147483648, 2147483647, -1, 0]);
    for (let i = 0; i < 300; i++) opaques.add(i * 64);
    for (let i = 0; i < 300; i++) opaques.add(-i * 1024 - 3);
    for (let i = 0; i < 600; i++) opaques.add(100_000 + i);
    const live = new Map<number, Promise<RemotingCommand>>();
    const settled: Promise<void>[] = [];
    const order = [...opaques];
    let next = 0;
    while (next < order.length || live.size > 0) {
      // Add a few, then complete a random one: the table grows and shrinks in every state.
      for (let k = rand(4); k > 0 && next < order.length; k--) {
        const o = order[next++]!;
        const promise = table.add(request(o), 60_000);
        live.set(o, promise);
        settled.push(
          promise.then((r) => {
            expect(r.opaque).to.equal(o);
          }),
        );
      }
      expect(table.size).to.equal(live.size);
      if (live.size === 0) continue;
      const keys = [...live.keys()];
      const o = keys[rand(keys.length)]!;
      expect(table.has(o)).to.equal(true);
      expect(table.complete(response(o))).to.equal(true);
      live.delete(o);
      expect(table.has(o)).to.equal(false);
      expect(table.complete(response(o)), 'a second response finds nothing').to.equal(false);
      for (const other of keys.slice(0, 20)) expect(table.has(other)).to.equal(live.has(other));
    }
    await Promise.all(settled);
    expect(table.size).to.equal(0);
    expect(table.complete(response(12345))).to.equal(false);
  });

  it('fails the requests left, oldest opaque first, and is empty afterwards', async () => {
    const table = new ResponseTable(() => 'peer');
    const promises = [5, -7, 16, 21, 0].map((o) => table.add(request(o), 60_000).catch((e: Error) => e));
    expect(table.complete(response(16))).to.equal(true);
    const failedOrder: number[] = [];
    table.failAll((code, opaque) => {
      failedOrder.push(opaque);
      return new RemotingSendRequestException(`closed ${code}/${opaque}`);
    });
    expect(failedOrder).to.deep.equal([-7, 0, 5, 21]);
    expect(table.size).to.equal(0);
    const results = await Promise.all(promises);
    expect(results.filter((r) => r instanceof RemotingSendRequestException)).to.have.length(4);
  });

  it('fails one request on its own and times requests out, keeping the others', async () => {
    const table = new ResponseTable(() => 'peer');
    const a = table.add(request(1), 60_000).catch((e: Error) => e);
    const b = table.add(request(17), 1).catch((e: Error) => e);
    const c = table.add(request(33), 60_000);
    table.fail(1, new RemotingSendRequestException('write failed'));
    expect(await a).to.be.instanceOf(RemotingSendRequestException);
    expect(await b).to.be.instanceOf(RemotingTimeoutException);
    expect(table.size).to.equal(1);
    expect(table.complete(response(17)), 'late response dropped').to.equal(false);
    expect(table.complete(response(33))).to.equal(true);
    expect((await c).opaque).to.equal(33);
  });
});
