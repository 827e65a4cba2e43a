/** mqadmin's cluster commands: clusterList, brokerStatus. */
import type { ClusterBrokerInfo } from '../../client/admin/admin-types.js';
import { defineAdminCommand, renderKeyValues, renderTable } from './admin-command.js';
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
    const headers = ['Cluster Name', 'Broker Name', 'BID', 'Addr', 'Version', 'InTPS', 'OutTPS', 'Hour', 'SPACE'];
    const rows = brokers.map((b) => [
      b.clusterName,
      b.brokerName,
      b.brokerId,
      b.addr,
      b.error === undefined ? b.version : `unreachable: ${b.error}`,
      b.inTps.toFixed(2),
      b.outTps.toFixed(2),
      b.hours?.toFixed(2),
      b.diskRatio?.toFixed(4),
    ]);
    return renderTable(headers, rows);
  },
});

export const brokerStatusCommand = defineAdminCommand<{ brokers: { addr: string; runtime: Record<string, string> }[] }>({
  name: 'brokerStatus',
  summary: 'Fetch broker runtime status data',
  options: [
    { short: 'b', long: 'brokerAddr', value: true, description: 'Broker address' },
    { short: 'c', long: 'clusterName', value: true, description: 'which cluster' },
  ],
  validate: (flags) => void flags.oneOf('brokerAddr', 'clusterName'),
  async execute({ admin, flags }) {
    const broker = flags.str('brokerAddr');
    const addrs = broker !== undefined ? [broker] : await admin.fetchMasterAddrByClusterName(flags.reqStr('clusterName'));
    const brokers: { addr: string; runtime: Record<string, string> }[] = [];
    for (const addr of addrs) {
      const runtime = await admin.fetchBrokerRuntimeStats(addr);
      brokers.push({ addr, runtime: Object.fromEntries(Object.entries(runtime).sort(([a], [b]) => (a < b ? -1 : 1))) });
    }
    return { brokers };
  },
  human: ({ brokers }) =>
    brokers
      .map((b) => (brokers.length > 1 ? renderKeyValues(Object.entries(b.runtime).map(([k, v]) => [`${b.addr}  ${k}`, v])) : renderKeyValues(Object.entries(b.runtime))))
      .join('\n'),
});
