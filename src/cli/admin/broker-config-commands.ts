/** mqadmin's broker config commands: getBrokerConfig, updateBrokerConfig. */
import type { BrokerConfigEntry } from '../../client/admin/admin-types.js';
import { defineAdminCommand } from './admin-command.js';

export const getBrokerConfigCommand = defineAdminCommand<{ brokers: BrokerConfigEntry[] }>({
  name: 'getBrokerConfig',
  summary: 'Get broker config by cluster or special broker!',
  options: [
    { short: 'b', long: 'brokerAddr', value: true, description: 'get which broker' },
    { short: 'c', long: 'clusterName', value: true, description: 'get which cluster (every master, then its slaves)' },
  ],
  validate: (flags) => void flags.oneOf('brokerAddr', 'clusterName'),
  async execute({ admin, flags }) {
    const broker = flags.str('brokerAddr');
    if (broker === undefined) return { brokers: await admin.getClusterBrokerConfig(flags.reqStr('clusterName')) };
    return { brokers: [{ brokerName: await admin.findBrokerNameByAddr(broker), addr: broker, config: await admin.getBrokerConfig(broker) }] };
  },
  // mqadmin's headers: the address with -b; "Master: …" and "My Master: …=====Slave: …" with -c.
  human: ({ brokers }, flags) =>
    brokers
      .map((b) => {
        const title = !flags.has('clusterName') ? b.addr : b.slave === true ? `My Master: ${b.masterAddr ?? 'null'}=====Slave: ${b.addr}` : `Master: ${b.addr}`;
        return `============${title}============\n${Object.entries(b.config).map(([k, v]) => `${k.padEnd(50)}=  ${v}`).join('\n')}`;
      })
      .join('\n\n'),
});

export const updateBrokerConfigCommand = defineAdminCommand<{ key: string; value: string; brokers: string[] }>({
  name: 'updateBrokerConfig',
  summary: "Update broker's config",
  options: [
    { short: 'b', long: 'brokerAddr', value: true, description: 'update which broker' },
    { short: 'c', long: 'clusterName', value: true, description: 'update which cluster' },
    { short: 'k', long: 'key', value: true, required: true, description: 'config key' },
    { short: 'v', long: 'value', value: true, required: true, description: 'config value' },
  ],
  validate: (flags) => void flags.oneOf('brokerAddr', 'clusterName'),
  async execute({ admin, flags }) {
    const key = flags.reqStr('key');
    const value = flags.str('value') ?? '';
    const broker = flags.str('brokerAddr');
    const brokers = broker !== undefined ? [broker] : await admin.fetchMasterAddrByClusterName(flags.reqStr('clusterName'));
    for (const addr of brokers) await admin.updateBrokerConfig(addr, { [key]: value });
    return { key, value, brokers };
  },
  human: ({ key, value, brokers }) => brokers.map((b) => `update broker config success, ${b} ${key}=${value}`).join('\n'),
});
