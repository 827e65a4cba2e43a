/** mqadmin's cluster commands: clusterList, brokerStatus. */
import type { ClusterBrokerInfo } from '../../client/admin/admin-types.js';
import { defineAdminCommand, renderKeyValues, renderTable } from './admin-command.js';

export const clusterListCommand = defineAdminCommand<{ brokers: ClusterBrokerInfo[] }>({
  name: 'clusterList',
  summary: 'List all of clusters',
  options: [{ short: 'm', long: 'moreStats', value: false, description: 'Print more stats' }],
  notes: ["mqadmin's -i (repeat every N seconds) is not supported; --json always carries every runtime key."],
  async execute({ admin }) {
    return { brokers: await admin.clusterList() };
  },
  human({ brokers }, flags) {
    const more = flags.flag('moreStats');
    const headers = ['Cluster Name', 'Broker Name', 'BID', 'Addr', 'Version', 'InTPS', 'OutTPS', 'Hour', 'SPACE'];
    if (more) headers.push('InTotalYest', 'OutTotalYest', 'InTotalToday', 'OutTotalToday');
    const rows = brokers.map((b) => {
      const row: (string | number | undefined)[] = [
        b.clusterName,
        b.brokerName,
        b.brokerId,
        b.addr,
        b.error === undefined ? b.version : `unreachable: ${b.error}`,
        b.inTps.toFixed(2),
        b.outTps.toFixed(2),
        b.hours?.toFixed(2),
        b.diskRatio?.toFixed(4),
      ];
      if (more) row.push(...['msgPutTotalYesterdayMorning', 'msgGetTotalYesterdayMorning', 'msgPutTotalTodayNow', 'msgGetTotalTodayNow'].map((k) => b.runtime?.[k]));
      return row;
    });
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
