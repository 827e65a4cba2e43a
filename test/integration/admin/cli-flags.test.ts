import { expect } from 'chai';

import { CliUsageError, parseFlags, type OptionSpec } from '../../../src/cli/admin/flags.js';
import { formatDateSeconds, NOW_TIMESTAMP, parseTimestamp } from '../../../src/cli/admin/time.js';

const SPECS: readonly OptionSpec[] = [
  { short: 'b', long: 'brokerAddr', value: true, description: '' },
  { short: 'c', long: 'clusterName', value: true, description: '' },
  { short: 't', long: 'topic', value: true, required: true, description: '' },
  { short: 'r', long: 'readQueueNums', value: true, description: '' },
  { short: 'o', long: 'order', value: true, description: '' },
  { short: 'l', long: 'list', value: false, description: '' },
];

function usageError(fn: () => unknown): string {
  try {
    fn();
  } catch (e: unknown) {
    expect(e).to.be.instanceOf(CliUsageError);
    return (e as Error).message;
  }
  throw new Error('expected a CliUsageError');
}

describe('admin CLI flags (node:util parseArgs + mqadmin rules)', () => {
  it('reads short, long, attached and = forms, trims values, and --json', () => {
    const f = parseFlags(['-n', '127.0.0.1:9876', '-tT1', '--readQueueNums=4', '--clusterName', ' C ', '-l', '--json'], SPECS);
    expect(f.str('namesrvAddr')).to.equal('127.0.0.1:9876');
    expect(f.reqStr('topic')).to.equal('T1');
    expect(f.int('readQueueNums', 8)).to.equal(4);
    expect(f.str('clusterName')).to.equal('C');
    expect(f.flag('list')).to.equal(true);
    expect(f.json).to.equal(true);
    expect(f.oneOf('brokerAddr', 'clusterName')).to.equal('second');
    expect(f.bool('order', false)).to.equal(false);
  });

  it('rejects unknown options, missing values, positionals and missing required options with one-line messages', () => {
    expect(usageError(() => parseFlags(['-t', 'T', '--bogus'], SPECS))).to.match(/^Unknown option '--bogus'/);
    expect(usageError(() => parseFlags(['-t'], SPECS))).to.match(/argument missing|requires/i);
    expect(usageError(() => parseFlags(['-t', 'T', 'extra'], SPECS))).to.match(/Unexpected argument 'extra'/);
    expect(usageError(() => parseFlags(['-b', 'x'], SPECS))).to.equal('missing required option -t/--topic');
    for (const m of [usageError(() => parseFlags(['--bogus'], SPECS))]) expect(m).to.not.contain('\n');
  });

  it('-h skips the required checks (help is always printable)', () => {
    expect(parseFlags(['-h'], SPECS).has('help')).to.equal(true);
  });

  it('checks one-of groups, integers and booleans', () => {
    expect(usageError(() => parseFlags(['-t', 'T'], SPECS).oneOf('brokerAddr', 'clusterName'))).to.equal('missing required option: one of -b/--brokerAddr or -c/--clusterName');
    expect(usageError(() => parseFlags(['-t', 'T', '-b', 'a', '-c', 'c'], SPECS).oneOf('brokerAddr', 'clusterName'))).to.match(/^give only one of/);
    expect(usageError(() => parseFlags(['-t', 'T', '-r', '4x'], SPECS).int('readQueueNums'))).to.equal("-r/--readQueueNums expects an integer, got '4x'");
    expect(usageError(() => parseFlags(['-t', 'T', '-r', '99999999999999999'], SPECS).int('readQueueNums'))).to.match(/expects an integer/);
    // parseArgs refuses '-r -3' as ambiguous (the value looks like an option); the = form passes it.
    expect(parseFlags(['-t', 'T', '--readQueueNums=-3'], SPECS).int('readQueueNums')).to.equal(-3);
    expect(parseFlags(['-t', 'T', '-o', 'TRUE'], SPECS).bool('order', false)).to.equal(true);
    expect(usageError(() => parseFlags(['-t', 'T', '-o', 'yes'], SPECS).bool('order', false))).to.equal("-o/--order expects true or false, got 'yes'");
  });
});

describe('admin CLI timestamps (resetOffsetByTime -s, consumeMessage -s/-e)', () => {
  it('now, epoch millis and yyyy-MM-dd#HH:mm:ss:SSS in local time', () => {
    expect(parseTimestamp('now', '-s')).to.equal(NOW_TIMESTAMP);
    expect(parseTimestamp(' 1700000000123 ', '-s')).to.equal(1700000000123);
    expect(parseTimestamp('2024-02-29#13:45:07:089', '-s')).to.equal(new Date(2024, 1, 29, 13, 45, 7, 89).getTime());
  });

  it("consumerProgress's LastTime: yyyy-MM-dd HH:mm:ss local time, N/A for never (UtilAll.YYYY_MM_DD_HH_MM_SS)", () => {
    expect(formatDateSeconds(new Date(2024, 1, 29, 13, 45, 7, 89).getTime())).to.equal('2024-02-29 13:45:07');
    expect(formatDateSeconds(0)).to.equal('N/A');
  });

  it('rejects out-of-range fields (SimpleDateFormat would roll them over), other formats, and now where not allowed', () => {
    for (const bad of ['2023-02-29#00:00:00:000', '2024-13-01#00:00:00:000', '2024-01-01#24:00:00:000', '2024-01-01 00:00:00', 'yesterday', '-5', '']) {
      expect(usageError(() => parseTimestamp(bad, '-s/--timestamp')), bad).to.match(/^-s\/--timestamp expects now, epoch milliseconds or yyyy-MM-dd#HH:mm:ss:SSS/);
    }
    expect(usageError(() => parseTimestamp('now', '-e', false))).to.equal("-e: 'now' is not accepted here");
  });
});
