/** mqadmin's consumer group commands: updateSubGroup, deleteSubGroup, consumerProgress, consumerConnection. */
import type { ConsumerConnectionInfo, ConsumerProgress, GroupConsumeSummary, QueueProgress } from '../../client/admin/admin-types.js';
import { createMessageQueue, messageQueueKey } from '../../common/protocol/body/message-queue.js';
import { DLQ_GROUP_TOPIC_PREFIX, RETRY_GROUP_TOPIC_PREFIX } from '../../common/protocol/topic-validator.js';
import { MQClientException } from '../../common/errors.js';
import { createSubscriptionGroupConfig, type SubscriptionGroupConfig } from '../../common/protocol/body/subscription-group-config.js';
import { ResponseCode } from '../../common/protocol/response-code.js';
import { mqVersionDesc } from '../../common/mq-version.js';
import { defineAdminCommand, renderKeyValues, renderTable } from './admin-command.js';
import { formatDateSeconds } from './time.js';

export const updateSubGroupCommand = defineAdminCommand<{ config: SubscriptionGroupConfig; brokers: string[] }>({
  name: 'updateSubGroup',
  summary: 'Update or create subscription group',
  options: [
    { short: 'b', long: 'brokerAddr', value: true, description: 'create subscription group to which broker' },
    { short: 'c', long: 'clusterName', value: true, description: 'create subscription group to which cluster' },
    { short: 'g', long: 'groupName', value: true, required: true, description: 'consumer group name' },
    { short: 's', long: 'consumeEnable', value: true, description: 'consume enable' },
    { short: 'm', long: 'consumeFromMinEnable', value: true, description: 'from min offset' },
    { short: 'd', long: 'consumeBroadcastEnable', value: true, description: 'broadcast' },
    { short: 'q', long: 'retryQueueNums', value: true, description: 'retry queue nums' },
    { short: 'r', long: 'retryMaxTimes', value: true, description: 'retry max times' },
    { short: 'i', long: 'brokerId', value: true, description: 'consumer from which broker id' },
    { short: 'w', long: 'whichBrokerWhenConsumeSlowly', value: true, description: 'which broker id when consume slowly' },
    { short: 'a', long: 'notifyConsumerIdsChanged', value: true, description: 'notify consumerId changed' },
  ],
  validate: (flags) => void flags.oneOf('brokerAddr', 'clusterName'),
  async execute({ admin, flags }) {
    const d = createSubscriptionGroupConfig(flags.reqStr('groupName'));
    // UpdateSubGroupSubCommand starts from consumeBroadcastEnable=false, unlike the class default.
    const config: SubscriptionGroupConfig = {
      ...d,
      consumeEnable: flags.bool('consumeEnable', d.consumeEnable),
      consumeFromMinEnable: flags.bool('consumeFromMinEnable', false),
      consumeBroadcastEnable: flags.bool('consumeBroadcastEnable', false),
      retryQueueNums: flags.int('retryQueueNums', d.retryQueueNums),
      retryMaxTimes: flags.int('retryMaxTimes', d.retryMaxTimes),
      brokerId: flags.int('brokerId', d.brokerId),
      whichBrokerWhenConsumeSlowly: flags.int('whichBrokerWhenConsumeSlowly', d.whichBrokerWhenConsumeSlowly),
      notifyConsumerIdsChangedEnable: flags.bool('notifyConsumerIdsChanged', d.notifyConsumerIdsChangedEnable),
    };
    const broker = flags.str('brokerAddr');
    const brokers = broker !== undefined ? [broker] : await admin.fetchMasterAddrByClusterName(flags.reqStr('clusterName'));
    for (const addr of brokers) await admin.createAndUpdateSubscriptionGroupConfig(addr, config);
    return { config, brokers };
  },
  human: ({ config, brokers }) => [...brokers.map((b) => `create subscription group to ${b} success.`), renderKeyValues(Object.entries(config))].join('\n'),
});

export const deleteSubGroupCommand = defineAdminCommand<{ groupName: string; brokers: string[]; deletedTopics: string[] }>({
  name: 'deleteSubGroup',
  summary: 'Delete subscription group from broker.',
  options: [
    { short: 'b', long: 'brokerAddr', value: true, description: 'delete subscription group from which broker' },
    { short: 'c', long: 'clusterName', value: true, description: 'delete subscription group from which cluster (also deletes its %RETRY% and %DLQ% topics)' },
    { short: 'g', long: 'groupName', value: true, required: true, description: 'subscription group name' },
    { short: 'r', long: 'removeOffset', value: true, description: 'remove offset' },
  ],
  validate: (flags) => void flags.oneOf('brokerAddr', 'clusterName'),
  async execute({ admin, flags }) {
    const groupName = flags.reqStr('groupName');
    const removeOffset = flags.bool('removeOffset', false);
    const broker = flags.str('brokerAddr');
    const clusterName = flags.str('clusterName');
    const brokers = broker !== undefined ? [broker] : await admin.fetchMasterAddrByClusterName(clusterName ?? '');
    for (const addr of brokers) await admin.deleteSubscriptionGroup(addr, groupName, removeOffset);
    const deletedTopics: string[] = [];
    if (clusterName !== undefined) {
      // As mqadmin: the group's retry and DLQ topics go too, when they exist.
      for (const topic of [RETRY_GROUP_TOPIC_PREFIX + groupName, DLQ_GROUP_TOPIC_PREFIX + groupName]) {
        if (!(await topicExists(admin, topic))) continue;
        await admin.deleteTopic(topic, clusterName);
        deletedTopics.push(topic);
      }
    }
    return { groupName, brokers, deletedTopics };
  },
  human: (r) => [...r.brokers.map((b) => `delete subscription group [${r.groupName}] from broker [${b}] success.`), ...r.deletedTopics.map((t) => `delete topic [${t}] success.`)].join('\n'),
});

/** A queue row of consumerProgress -s true: the client holding the queue (mqadmin prints the IP part, N/A for none). */
export type QueueProgressWithClient = QueueProgress & { clientId: string | undefined; clientIP: string | undefined };

/** consumerProgress's result: one group's queues (-g; with -s true each queue's client), or every group's summary (no -g; JSON `{"groups":[…]}`). */
export type ConsumerProgressResult = ConsumerProgress | (Omit<ConsumerProgress, 'queues'> & { queues: QueueProgressWithClient[] }) | { groups: GroupConsumeSummary[] };

export const consumerProgressCommand = defineAdminCommand<ConsumerProgressResult>({
  name: 'consumerProgress',
  summary: "Query consumers's progress, speed",
  options: [
    { short: 'g', long: 'groupName', value: true, description: 'consumer group name' },
    { short: 's', long: 'showClientIP', value: true, description: 'Show Client IP per Queue (true|false, default false)' },
    { short: 't', long: 'topic', value: true, description: 'only this topic (rmq extension)' },
  ],
  notes: [
    'Without -g, every group with a %RETRY% topic on the name server: count, version, type, model, TPS, diff total (as mqadmin).',
    '-s true (with -g) asks each connected client which queues it holds (GET_CONSUMER_RUNNING_INFO); a queue nobody holds shows N/A.',
  ],
  validate: (flags) => void flags.bool('showClientIP', false),
  async execute({ admin, flags }) {
    const group = flags.str('groupName');
    if (group === undefined) return { groups: await admin.examineAllGroupsConsumeInfo() };
    const progress = await admin.examineConsumeStats(group, flags.str('topic'));
    if (!flags.bool('showClientIP', false)) return progress;
    const holders = await admin.examineQueueAllocation(group);
    return {
      ...progress,
      queues: progress.queues.map((q) => {
        const clientId = holders.get(messageQueueKey(createMessageQueue(q.topic, q.brokerName, q.queueId)));
        // MQClientInstance ids are clientIP@instanceName[@unitName]: mqadmin shows the part before '@'.
        return { ...q, clientId, clientIP: clientId?.split('@')[0] };
      }),
    };
  },
  human: (p) => {
    if ('groups' in p) {
      return renderTable(
        ['Group', 'Count', 'Version', 'Type', 'Model', 'TPS', 'Diff Total'],
        // mqadmin prints OFFLINE in the version column of a group without consumers, blanks for type and model.
        p.groups.map((g) => [g.group, g.count, g.count > 0 ? g.version : 'OFFLINE', g.consumeType ?? '', g.messageModel ?? '', g.consumeTps, g.diffTotal]),
      );
    }
    const withClient = p.queues.some((q) => 'clientIP' in q);
    const headers = ['Topic', 'Broker Name', 'QID', 'Broker Offset', 'Consumer Offset', ...(withClient ? ['Client IP'] : []), 'Diff', 'LastTime'];
    const rows = p.queues.map((q) => [
      q.topic,
      q.brokerName,
      q.queueId,
      q.brokerOffset,
      q.consumerOffset,
      ...('clientIP' in q ? [q.clientIP ?? 'N/A'] : []),
      q.diff,
      formatDateSeconds(q.lastTimestamp),
    ]);
    return [renderTable(headers, rows), '', `Consume TPS: ${p.consumeTps.toFixed(2)}`, `Diff Total: ${p.totalDiff}`].join('\n');
  },
});

export const consumerConnectionCommand = defineAdminCommand<ConsumerConnectionInfo>({
  name: 'consumerConnection',
  summary: "Query consumer's socket connection, client version and subscription",
  options: [
    { short: 'g', long: 'consumerGroup', value: true, required: true, description: 'consumer group name' },
    { short: 'b', long: 'brokerAddr', value: true, description: 'broker address' },
  ],
  async execute({ admin, flags }) {
    return admin.examineConsumerConnectionInfo(flags.reqStr('consumerGroup'), flags.str('brokerAddr'));
  },
  human: (c) =>
    [
      // mqadmin 4.9.8's columns: the client id as is, the version as its name (V4_9_8), not its ordinal.
      renderTable(['ClientId', 'ClientAddr', 'Language', 'Version'], c.connections.map((x) => [x.clientId, x.clientAddr, x.language, mqVersionDesc(x.version)])),
      '',
      'Below is subscription:',
      renderTable(['Topic', 'SubExpression'], c.subscriptions.map((s) => [s.topic, s.subString])),
      '',
      `ConsumeType: ${c.consumeType ?? '-'}`,
      `MessageModel: ${c.messageModel ?? '-'}`,
      `ConsumeFromWhere: ${c.consumeFromWhere ?? '-'}`,
    ].join('\n'),
});

async function topicExists(admin: { examineTopicRouteInfo(t: string): Promise<unknown> }, topic: string): Promise<boolean> {
  try {
    await admin.examineTopicRouteInfo(topic);
    return true;
  } catch (e: unknown) {
    if (e instanceof MQClientException && e.code === ResponseCode.TOPIC_NOT_EXIST) return false;
    throw e;
  }
}
