/** mqadmin's topic commands: updateTopic, deleteTopic, topicList, topicRoute, topicStatus. */
import type { TopicConsumers, TopicQueueStatus } from '../../client/admin/admin-types.js';
import { PermName, perm2String } from '../../common/protocol/body/perm-name.js';
import { createTopicConfig, type TopicConfig } from '../../common/protocol/body/topic-config.js';
import { defineAdminCommand, renderKeyValues, renderTable } from './admin-command.js';
import { CliUsageError } from './flags.js';
import { formatTimestamp } from './time.js';

/** UpdateTopicSubCommand's defaults: 8 read / 8 write queues (not TopicConfig's 16). */
const UPDATE_TOPIC_DEFAULT_QUEUE_NUMS = 8;
/** TopicSysFlag.FLAG_UNIT / FLAG_UNIT_SUB. */
const TOPIC_SYS_FLAG_UNIT = 0x1;
const TOPIC_SYS_FLAG_UNIT_SUB = 0x1 << 1;

/** updateTopic's result; `orderConf` is the ORDER_TOPIC_CONFIG value written with -o true. */
export const updateTopicCommand = defineAdminCommand<{ topicConfig: TopicConfig; brokers: string[]; orderConf?: string }>({
  name: 'updateTopic',
  summary: 'Update or create topic',
  options: [
    { short: 'b', long: 'brokerAddr', value: true, description: 'create topic to which broker' },
    { short: 'c', long: 'clusterName', value: true, description: 'create topic to which cluster (every master)' },
    { short: 't', long: 'topic', value: true, required: true, description: 'topic name' },
    { short: 'r', long: 'readQueueNums', value: true, description: 'set read queue nums (default 8)' },
    { short: 'w', long: 'writeQueueNums', value: true, description: 'set write queue nums (default 8)' },
    { short: 'p', long: 'perm', value: true, description: "set topic's permission(2|4|6), intro[2:W 4:R; 6:RW]" },
    { short: 'o', long: 'order', value: true, description: "set topic's order(true|false)" },
    { short: 'u', long: 'unit', value: true, description: 'is unit topic (true|false)' },
    { short: 's', long: 'hasUnitSub', value: true, description: 'has unit sub (true|false)' },
  ],
  notes: [
    '-o true also writes the name server KV ORDER_TOPIC_CONFIG[topic] as mqadmin: "brokerName:writeQueueNums" joined by ";"',
    '(with -c every broker of the cluster; with -b the broker\'s entry is merged into the existing value).',
  ],
  validate(flags) {
    flags.oneOf('brokerAddr', 'clusterName');
    const perm = flags.int('perm');
    if (perm !== undefined && ![PermName.PERM_WRITE, PermName.PERM_READ, PermName.PERM_READ | PermName.PERM_WRITE].includes(perm)) {
      throw new CliUsageError(`-p/--perm expects 2, 4 or 6, got ${perm}`);
    }
    for (const key of ['readQueueNums', 'writeQueueNums']) {
      const n = flags.int(key);
      if (n !== undefined && n <= 0) throw new CliUsageError(`${flags.flagName(key)} must be positive, got ${n}`);
    }
  },
  async execute({ admin, flags }) {
    const sysFlag = (flags.bool('unit', false) ? TOPIC_SYS_FLAG_UNIT : 0) | (flags.bool('hasUnitSub', false) ? TOPIC_SYS_FLAG_UNIT_SUB : 0);
    const topicConfig = createTopicConfig(flags.reqStr('topic'), {
      readQueueNums: flags.int('readQueueNums', UPDATE_TOPIC_DEFAULT_QUEUE_NUMS),
      writeQueueNums: flags.int('writeQueueNums', UPDATE_TOPIC_DEFAULT_QUEUE_NUMS),
      perm: flags.int('perm', PermName.PERM_READ | PermName.PERM_WRITE),
      topicSysFlag: sysFlag,
      order: flags.bool('order', false),
    });
    const broker = flags.str('brokerAddr');
    if (broker !== undefined) {
      await admin.createAndUpdateTopicConfig(broker, topicConfig);
      if (!topicConfig.order) return { topicConfig, brokers: [broker] };
      return { topicConfig, brokers: [broker], orderConf: await admin.createOrUpdateBrokerOrderConf(topicConfig.topicName, broker, topicConfig.writeQueueNums) };
    }
    const clusterName = flags.reqStr('clusterName');
    const brokers = await admin.createAndUpdateTopicConfigOnCluster(clusterName, topicConfig);
    if (!topicConfig.order) return { topicConfig, brokers };
    return { topicConfig, brokers, orderConf: await admin.createOrUpdateClusterOrderConf(topicConfig.topicName, clusterName, topicConfig.writeQueueNums) };
  },
  human: ({ topicConfig, brokers, orderConf }) =>
    [
      ...brokers.map((b) => `create topic to ${b} success.`),
      ...(orderConf === undefined ? [] : [`set orderConf. isOrder=true, orderConf=[${orderConf}]`]),
      renderKeyValues(Object.entries(topicConfig)),
    ].join('\n'),
});

export const deleteTopicCommand = defineAdminCommand<{ topic: string; clusterName: string; brokers: string[] }>({
  name: 'deleteTopic',
  summary: 'Delete topic from broker and NameServer.',
  options: [
    { short: 't', long: 'topic', value: true, required: true, description: 'topic name' },
    { short: 'c', long: 'clusterName', value: true, required: true, description: 'delete topic from which cluster' },
  ],
  async execute({ admin, flags }) {
    const topic = flags.reqStr('topic');
    const clusterName = flags.reqStr('clusterName');
    // An unknown topic is an error for scripts (mqadmin deletes nothing and says "success").
    await admin.examineTopicRouteInfo(topic);
    return { topic, clusterName, brokers: await admin.deleteTopic(topic, clusterName) };
  },
  human: (r) => `delete topic [${r.topic}] from cluster [${r.clusterName}] success.\ndelete topic [${r.topic}] from NameServer success.`,
});

type TopicListResult = { topics: string[] } | { topics: TopicConsumers[] };

export const topicListCommand = defineAdminCommand<TopicListResult>({
  name: 'topicList',
  summary: 'Fetch all topic list from name server',
  options: [{ short: 'c', long: 'clusterModel', value: false, description: 'list the topics with their cluster and consumer groups' }],
  notes: ['With -c, as mqadmin: %RETRY%/%DLQ% topics are left out, one line per consumer group (JSON: consumerGroups per topic).'],
  async execute({ admin, flags }) {
    if (!flags.flag('clusterModel')) return { topics: await admin.fetchTopicList() };
    return { topics: await admin.topicListWithConsumers() };
  },
  human: ({ topics }) => {
    const plain: string[] = [];
    const rows: string[][] = [];
    for (const t of topics) {
      if (typeof t === 'string') plain.push(t);
      // mqadmin prints a topic nobody consumes once, with an empty group.
      else for (const g of t.consumerGroups.length === 0 ? [''] : t.consumerGroups) rows.push([t.clusterName, t.topic, g]);
    }
    return plain.length > 0 || rows.length === 0 ? plain.join('\n') : renderTable(['Cluster Name', 'Topic', 'Consumer Group'], rows);
  },
});

interface TopicRouteView {
  topic: string;
  brokerDatas: { cluster: string; brokerName: string; brokerAddrs: Record<string, string> }[];
  queueDatas: { brokerName: string; readQueueNums: number; writeQueueNums: number; perm: number; topicSysFlag: number }[];
  orderTopicConf: string | undefined;
}

export const topicRouteCommand = defineAdminCommand<TopicRouteView>({
  name: 'topicRoute',
  summary: 'Examine topic route info',
  options: [
    { short: 't', long: 'topic', value: true, required: true, description: 'topic name' },
    { short: 'l', long: 'list', value: false, description: 'Use list format to print data' },
  ],
  async execute({ admin, flags }) {
    const topic = flags.reqStr('topic');
    const route = await admin.examineTopicRouteInfo(topic);
    return {
      topic,
      brokerDatas: route.brokerDatas
        .map((bd) => ({ cluster: bd.cluster, brokerName: bd.brokerName, brokerAddrs: Object.fromEntries([...bd.brokerAddrs].map(([id, a]) => [String(id), a])) }))
        .sort((a, b) => (a.brokerName < b.brokerName ? -1 : 1)),
      queueDatas: [...route.queueDatas].sort((a, b) => (a.brokerName < b.brokerName ? -1 : 1)),
      orderTopicConf: route.orderTopicConf,
    };
  },
  human(r, flags) {
    if (!flags.flag('list')) {
      const brokers = renderTable(['Cluster', 'Broker Name', 'BID', 'Addr'], r.brokerDatas.flatMap((bd) => Object.entries(bd.brokerAddrs).map(([id, a]) => [bd.cluster, bd.brokerName, id, a])));
      const queues = renderTable(['Broker Name', 'Read Queues', 'Write Queues', 'Perm', 'SysFlag'], r.queueDatas.map((q) => [q.brokerName, q.readQueueNums, q.writeQueueNums, perm2String(q.perm), q.topicSysFlag]));
      return `${brokers}\n\n${queues}`;
    }
    const rows = r.queueDatas.map((q) => {
      const bd = r.brokerDatas.find((b) => b.brokerName === q.brokerName);
      return [bd?.cluster, q.brokerName, bd?.brokerAddrs['0'], q.readQueueNums, q.writeQueueNums, perm2String(q.perm)];
    });
    return renderTable(['clusterName', 'brokerName', 'brokerAddr', 'readQueueNum', 'writeQueueNum', 'perm'], rows);
  },
});

export const topicStatusCommand = defineAdminCommand<{ topic: string; queues: TopicQueueStatus[] }>({
  name: 'topicStatus',
  summary: 'Examine topic Status info',
  options: [{ short: 't', long: 'topic', value: true, required: true, description: 'topic name' }],
  async execute({ admin, flags }) {
    const topic = flags.reqStr('topic');
    return { topic, queues: await admin.examineTopicStats(topic) };
  },
  human: ({ queues }) =>
    renderTable(
      ['Broker Name', 'QID', 'Min Offset', 'Max Offset', 'Last Updated'],
      queues.map((q) => [q.brokerName, q.queueId, q.minOffset, q.maxOffset, formatTimestamp(q.lastUpdateTimestamp)]),
    ),
});
