import { expect } from 'chai';

import { StallProbe } from '../../../bench/lib/stall-probe.js';

describe('StallProbe (bench)', () => {
  const stalls = [
    { at: 1_000, ms: 4 },
    { at: 2_000, ms: 10 },
    { at: 5_000, ms: 3.5 },
  ];

  it('summarizes count, total and max', () => {
    expect(StallProbe.summarize(stalls)).to.deep.equal({ count: 3, totalMs: 17.5, maxMs: 10 });
    expect(StallProbe.summarize([])).to.deep.equal({ count: 0, totalMs: 0, maxMs: 0 });
  });

  it('counts the intervals that overlap a stall, whether it began before, inside or at their end', () => {
    const starts = [
      995, // [995, 1001]: the stall at 1000 begins inside
      1_003, // [1003, 1003.5]: inside the stall [1000, 1004]
      1_005, // [1005, 1999]: between stalls
      2_009, // [2009, 2011]: begins before the end of [2000, 2010]
      4_990, // [4990, 5000]: ends exactly as a stall begins
      6_000, // after everything
    ];
    const lengths = [6, 0.5, 994, 2, 10, 5];
    expect(StallProbe.overlapping(stalls, starts, lengths)).to.equal(4);
    // Order of the stalls does not matter.
    expect(StallProbe.overlapping([...stalls].reverse(), starts, lengths)).to.equal(4);
    expect(StallProbe.overlapping([], starts, lengths)).to.equal(0);
  });

  it('reports a stall of the probe process with its length', async function () {
    this.timeout(10_000);
    const probe = await StallProbe.start();
    try {
      // The stall is dated from the probe's last wake-up, up to ~1 ms before the stop.
      const from = StallProbe.now() - 20;
      // Stop the probe for 150 ms: its next wake-up is that late.
      process.kill(probe.pid!, 'SIGSTOP');
      await new Promise((r) => setTimeout(r, 150));
      process.kill(probe.pid!, 'SIGCONT');
      let seen = probe.within(from, StallProbe.now());
      for (let i = 0; i < 100 && !seen.some((s) => s.ms >= 140); i++) {
        await new Promise((r) => setTimeout(r, 20));
        seen = probe.within(from, StallProbe.now());
      }
      const long = seen.filter((s) => s.ms >= 140);
      expect(long).to.have.length(1);
      expect(long[0]!.at).to.be.within(from, from + 70);
      expect(long[0]!.ms).to.be.below(1_000);
    } finally {
      probe.stop();
    }
  });
});
