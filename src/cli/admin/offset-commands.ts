/** mqadmin's resetOffsetByTime. */
import type { ResetOffsetResult } from '../../client/admin/admin-types.js';
import { defineAdminCommand, renderTable } from './admin-command.js';
import { parseTimestamp } from './time.js';

type ResetResult = ResetOffsetResult & { group: string; topic: string; timestamp: number; force: boolean; cplus: boolean };

export const resetOffsetByTimeCommand = defineAdminCommand<ResetResult>({
  name: 'resetOffsetByTime',
  summary: 'Reset consumer offset by timestamp(without client restart).',
  options: [
    { short: 'g', long: 'group', value: true, required: true, description: 'set the consumer group' },
    { short: 't', long: 'topic', value: true, required: true, description: 'set the topic' },
    { short: 's', long: 'timestamp', value: true, required: true, description: 'set the timestamp[now|currentTimeMillis|yyyy-MM-dd#HH:mm:ss:SSS]' },
    { short: 'f', long: 'force', value: true, description: 'set the force rollback by timestamp switch[true|false] (default true)' },
    { short: 'c', long: 'cplus', value: false, description: 'reset c++ client offset (the broker notifies the clients in the C++ body format)' },
  ],
  notes: [
    'With consumers online the broker pushes the new offsets to them (mode CLIENTS_NOTIFIED);',
    'with none online the offsets are committed on the brokers directly (mode OFFSETS_COMMITTED), as mqadmin does.',
  ],
  validate(flags) {
    parseTimestamp(flags.reqStr('timestamp'), flags.flagName('timestamp'));
    flags.bool('force', true);
  },
  async execute({ admin, flags }) {
    const group = flags.reqStr('group');
    const topic = flags.reqStr('topic');
    const timestamp = parseTimestamp(flags.reqStr('timestamp'), flags.flagName('timestamp'));
    const force = flags.bool('force', true);
    const cplus = flags.flag('cplus');
    const result = await admin.resetOffsetByTimestamp(topic, group, timestamp, force, cplus);
    return { group, topic, timestamp, force, cplus, ...result };
  },
  human(r) {
    const head = `rollback consumer offset by specified group[${r.group}], topic[${r.topic}], force[${r.force}], timestamp(long)[${r.timestamp}]`;
    if (r.mode === 'CLIENTS_NOTIFIED') return `${head}\n${renderTable(['brokerName', 'queueId', 'offset'], r.offsets.map((o) => [o.brokerName, o.queueId, o.offset]))}`;
    return `${head} (no consumer online: offsets committed on the brokers)\n${renderTable(
      ['brokerName', 'queueId', 'brokerOffset', 'consumerOffset', 'timestampOffset', 'resetOffset'],
      r.rollbacks.map((s) => [s.brokerName, s.queueId, s.brokerOffset, s.consumerOffset, s.timestampOffset, s.rollbackOffset]),
    )}`;
  },
});
