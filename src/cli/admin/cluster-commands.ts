/** mqadmin's cluster commands: clusterList, brokerStatus. */
import type { ClusterBrokerInfo } from '../../client/admin/admin-types.js';
import { defineAdminCommand, renderTable } from './admin-command.js';
import { CliUsageError } from './flags.js';

/** ClusterListSubCommand without -i prints once; -i N prints every N seconds. */
const MILLIS_PER_SECOND = 1000;

export const clusterListCommand = defineAdminCommand<{ brokers: ClusterBrokerInfo[] }>({
  name: 'clusterList',
  summary: 'List all of clusters',
  options: [
    { short: 'm', long: 'moreStats', value: false, description: 'Print more stats' },
    { short: 'i', long: 'interval', value: true, description: 'specify intervals numbers, it is in seconds (print again every N seconds until interrupted)' },
  ],
  notes: [
    'With -i the table (or, with --json, one JSON line) is printed again every N seconds; Ctrl-C / SIGTERM ends it with exit code 0.',
    '--json always carries every runtime key.',
  ],
  validate(flags) {
    // mqadmin takes any long (0 spins, a negative one fails after the first round): only N ≥ 1 makes sense.
    const seconds = flags.int('interval');
    if (seconds !== undefined && seconds <= 0) throw new CliUsageError(`-i/--interval must be at least 1 second, got ${seconds}`);
  },
  repeatIntervalMillis(flags) {
    const seconds = flags.int('interval');
    return seconds === undefined ? undefined : seconds * MILLIS_PER_SECOND;
  },
  async execute({ admin }) {
    return { brokers: await admin.clusterList() };
  },
  human({ brokers }, flags) {
    if (flags.flag('moreStats')) {
      // mqadmin's -m table: yesterday's and today's message counts in and out (differences of the
      // broker's morning/now counters; 0 when the broker did not answer, as mqadmin).
      return renderTable(
        ['Cluster Name', 'Broker Name', 'InTotalYest', 'OutTotalYest', 'InTotalToday', 'OutTotalToday'],
        brokers.map((b) => {
          const r = b.runtime ?? {};
          const diff = (later: string, earlier: string): number => {
            const d = Number(r[later]) - Number(r[earlier]);
            return Number.isFinite(d) ? d : 0;
          };
          return [
            b.clusterName,
            b.brokerName,
            diff('msgPutTotalTodayMorning', 'msgPutTotalYesterdayMorning'),
            diff('msgGetTotalTodayMorning', 'msgGetTotalYesterdayMorning'),
            diff('msgPutTotalTodayNow', 'msgPutTotalTodayMorning'),
            diff('msgGetTotalTodayNow', 'msgGetTotalTodayMorning'),
          ];
        }),
      );
    }
    // mqadmin's columns: TPS with the thread pool's queue length and head wait "(LOAD)", the page
    // cache lock time, hours of data and disk ratio (0 when the broker does not report them).
    const headers = ['Cluster Name', 'Broker Name', 'BID', 'Addr', 'Version', 'InTPS(LOAD)', 'OutTPS(LOAD)', 'PCWait(ms)', 'Hour', 'SPACE'];
    const rows = brokers.map((b) => {
      const r = b.runtime ?? {};
      return [
        b.clusterName,
        b.brokerName,
        b.brokerId,
        b.addr,
        b.error === undefined ? b.version : `unreachable: ${b.error}`,
        `${b.inTps.toFixed(2)}(${r.sendThreadPoolQueueSize ?? ''},${r.sendThreadPoolQueueHeadWaitTimeMills ?? ''}ms)`,
        `${b.outTps.toFixed(2)}(${r.pullThreadPoolQueueSize ?? ''},${r.pullThreadPoolQueueHeadWaitTimeMills ?? ''}ms)`,
        r.pageCacheLockTimeMills ?? '',
        (b.hours ?? 0).toFixed(2),
        (b.diskRatio ?? 0).toFixed(4),
      ];
    });
    return renderTable(headers, rows);
  },
});

/** One broker's runtime table; `error` instead when it did not answer (with -c the others are still listed, as mqadmin). */
interface BrokerRuntimeView {
  addr: string;
  runtime: Record<string, string>;
  error?: string;
}

export const brokerStatusCommand = defineAdminCommand<{ brokers: BrokerRuntimeView[] }>({
  name: 'brokerStatus',
  summary: 'Fetch broker runtime status data',
  options: [
    { short: 'b', long: 'brokerAddr', value: true, description: 'Broker address' },
    { short: 'c', long: 'clusterName', value: true, description: 'which cluster (every master and slave)' },
  ],
  validate: (flags) => void flags.oneOf('brokerAddr', 'clusterName'),
  async execute({ admin, flags }) {
    const broker = flags.str('brokerAddr');
    if (broker !== undefined) return { brokers: [{ addr: broker, runtime: sortedRuntime(await admin.fetchBrokerRuntimeStats(broker)) }] };
    const brokers: BrokerRuntimeView[] = [];
    for (const addr of await admin.fetchMasterAndSlaveAddrByClusterName(flags.reqStr('clusterName'))) {
      try {
        brokers.push({ addr, runtime: sortedRuntime(await admin.fetchBrokerRuntimeStats(addr)) });
      } catch (e: unknown) {
        brokers.push({ addr, runtime: {}, error: e instanceof Error ? e.message : String(e) });
      }
    }
    return { brokers };
  },
  // mqadmin's "%-32s: %s" per key; with -c each line starts with the broker address ("%-24s ").
  human: ({ brokers }, flags) =>
    brokers
      .flatMap((b) => {
        const prefix = flags.has('clusterName') ? `${b.addr.padEnd(24)} ` : '';
        if (b.error !== undefined) return [`${prefix}unreachable: ${b.error}`];
        return Object.entries(b.runtime).map(([k, v]) => `${prefix}${k.padEnd(32)}: ${v}`);
      })
      .join('\n'),
});

/** Keys in TreeMap order, as mqadmin prints them. */
function sortedRuntime(runtime: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(runtime).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
