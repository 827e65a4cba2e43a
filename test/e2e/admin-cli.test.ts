import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { MQAdmin } from '../../src/client/admin/mq-admin.js';
import { LOCAL_BROKER_NAME, LocalCluster } from '../../src/broker/local-cluster.js';
import { encodeHeartbeatData, type HeartbeatData } from '../../src/common/protocol/body/heartbeat-data.js';
import { DefaultMQPushConsumer } from '../../src/client/consumer/default-mq-push-consumer.js';
import { ConsumeConcurrentlyStatus } from '../../src/client/consumer/listener.js';
import type { MessageExt } from '../../src/common/message/message-ext.js';
import { createTopicConfig } from '../../src/common/protocol/body/topic-config.js';
import { decodePubTraces } from '../../src/client/trace/send-message-trace-hook.js';
import { decodeResetOffsetBody } from '../../src/common/protocol/body/reset-offset-body.js';
import { RequestCode } from '../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../src/common/protocol/response-code.js';
import { RemotingClient } from '../../src/common/remoting/remoting-client.js';
import { RemotingCommand } from '../../src/common/remoting/remoting-command.js';
import { quietLogger, waitFor } from '../integration/consumer/support/harness.js';

/**
 * The real `rmq` binary (node --import tsx src/cli/main.ts) as a child process against an in-process
 * LocalCluster: each admin command's --json output and exit codes, failures included. Children are
 * started concurrently where the commands are independent (each costs ~1 s to start).
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLUSTER = 'DefaultCluster';

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** At most two children at a time: more only slow each other down on a small, busy machine. */
const MAX_CHILDREN = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function rmq(...args: string[]): Promise<RunResult> {
  return withChildSlot(() => runChild(args));
}

async function withChildSlot<T>(run: () => Promise<T>): Promise<T> {
  while (running >= MAX_CHILDREN) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await run();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** A repeating command (clusterList -i): SIGINT once `lines` stdout lines arrived; their arrival times are kept. */
interface RepeatResult extends RunResult {
  lineTimes: number[];
}

/** Runs until `lines` stdout lines arrived, then sends SIGINT; SIGKILL and a rejection after `limitMillis`. */
function rmqUntilLines(lines: number, limitMillis: number, ...args: string[]): Promise<RepeatResult> {
  return withChildSlot(() => runChild(args, lines, limitMillis) as Promise<RepeatResult>);
}

function runChild(args: string[], interruptAfterLines?: number, limitMillis = 60_000): Promise<RunResult | RepeatResult> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.NAMESRV_ADDR;
    delete env.RMQ_LOG_LEVEL;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    const lineTimes: number[] = [];
    let interrupted = false;
    const limit = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`rmq ${args.join(' ')} still running after ${limitMillis} ms; stdout: ${stdout} stderr: ${stderr}`));
    }, limitMillis);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const count = stdout.split('\n').length - 1;
      while (lineTimes.length < count) lineTimes.push(Date.now());
      if (interruptAfterLines !== undefined && !interrupted && count >= interruptAfterLines) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(limit);
      resolve({ code, stdout, stderr, lineTimes });
    });
  });
}

/** Succeeded with one JSON document on stdout and nothing on stderr. */
function json<T = Record<string, unknown>>(r: RunResult): T {
  expect(r.stderr, r.stderr).to.equal('');
  expect(r.code, r.stderr).to.equal(0);
  return JSON.parse(r.stdout) as T;
}

/** Failed with exit code `code` and exactly one line on stderr. */
function failed(r: RunResult, code: number, pattern: RegExp): void {
  expect(r.code, `${r.stdout}${r.stderr}`).to.equal(code);
  expect(r.stderr.trimEnd().split('\n'), r.stderr).to.have.length(1);
  expect(r.stderr).to.match(pattern);
}

interface MessageJson {
  msgId: string;
  offsetMsgId: string;
  topic: string;
  brokerName: string;
  queueId: number;
  queueOffset: number;
  tags: string;
  keys: string;
  body: string;
}

describe('rmq admin commands against LocalCluster (e2e)', function () {
  this.timeout(120000);
  let cluster: LocalCluster;
  let admin: MQAdmin;
  let ns: string;
  let broker: string;

  before(async () => {
    cluster = await LocalCluster.start();
    ns = cluster.namesrvAddr;
    broker = cluster.brokerAddr;
    admin = new MQAdmin({ namesrvAddr: ns });
    await admin.start();
  });
  after(async () => {
    await admin?.shutdown();
    await cluster?.stop();
  });

  it('help, bad flags (exit 2) and an unreachable name server (exit 1), each with one line on stderr', async () => {
    const [help, helpCmd, noTarget, bogus, noTopic, unreachable] = await Promise.all([
      rmq('help'),
      rmq('help', 'updateTopic'),
      rmq('updateTopic', '-n', ns, '-t', 'X'),
      rmq('updateTopic', '-n', ns, '-c', CLUSTER, '-t', 'X', '--bogus'),
      rmq('topicStatus', '-n', ns),
      rmq('topicList', '-n', '127.0.0.1:1'),
    ]);
    expect(help.code).to.equal(0);
    for (const name of ['updateTopic', 'deleteTopic', 'topicList', 'topicRoute', 'topicStatus', 'clusterList', 'brokerStatus', 'updateSubGroup', 'deleteSubGroup', 'consumerProgress', 'consumerConnection', 'queryMsgById', 'queryMsgByKey', 'queryMsgByOffset', 'sendMessage', 'consumeMessage', 'resetOffsetByTime', 'getBrokerConfig', 'updateBrokerConfig']) {
      expect(help.stdout).to.contain(`  ${name} `);
    }
    expect(helpCmd.code).to.equal(0);
    expect(helpCmd.stdout).to.contain('-t, --topic <arg>').and.contain('-c, --clusterName <arg>').and.contain('--json');
    failed(noTarget, 2, /^rmq updateTopic: missing required option: one of -b\/--brokerAddr or -c\/--clusterName/);
    failed(bogus, 2, /Unknown option '--bogus'/);
    failed(noTopic, 2, /missing required option -t\/--topic/);
    failed(unreachable, 1, /^rmq topicList: .*127\.0\.0\.1:1/);
  });

  it('creates topics on a cluster and on a broker, lists, routes and stats them, deletes one; unknown topics exit 1', async () => {
    const created = json<{ brokers: string[]; topicConfig: { readQueueNums: number; perm: number } }>(
      await rmq('updateTopic', '-n', ns, '-c', CLUSTER, '-t', 'AdminT', '-r', '4', '-w', '4', '--json'),
    );
    expect(created.brokers).to.deep.equal([broker]);
    expect(created.topicConfig).to.include({ readQueueNums: 4, perm: 6 });
    const onBroker = json<{ brokers: string[] }>(await rmq('updateTopic', '-n', ns, '-b', broker, '-t', 'AdminT2', '-p', '4', '--json'));
    expect(onBroker.brokers).to.deep.equal([broker]);
    expect(onBroker).to.not.have.property('orderConf');
    // -o true: the name server's ORDER_TOPIC_CONFIG entry, as mqadmin writes it (cluster, then one broker).
    const orderCluster = json<{ orderConf: string; topicConfig: { order: boolean } }>(await rmq('updateTopic', '-n', ns, '-c', CLUSTER, '-t', 'OrderT', '-w', '2', '-o', 'true', '--json'));
    expect(orderCluster).to.deep.include({ orderConf: `${LOCAL_BROKER_NAME}:2` });
    expect(orderCluster.topicConfig.order).to.equal(true);
    const orderBroker = json<{ orderConf: string }>(await rmq('updateTopic', '-n', ns, '-b', broker, '-t', 'OrderT', '-w', '3', '-o', 'true', '--json'));
    expect(orderBroker.orderConf).to.equal(`${LOCAL_BROKER_NAME}:3`);
    expect(await admin.getOrderConf('OrderT')).to.equal(`${LOCAL_BROKER_NAME}:3`);

    const [list, route, status, clusters, brokerStatus, noRoute] = await Promise.all([
      rmq('topicList', '-n', ns, '--json'),
      rmq('topicRoute', '-n', ns, '-t', 'AdminT', '--json'),
      rmq('topicStatus', '-n', ns, '-t', 'AdminT', '--json'),
      rmq('clusterList', '-n', ns, '--json'),
      rmq('brokerStatus', '-n', ns, '-b', broker, '--json'),
      rmq('topicRoute', '-n', ns, '-t', 'NoSuchTopic'),
    ]);
    expect(json<{ topics: string[] }>(list).topics).to.include.members(['AdminT', 'AdminT2']);
    const r = json<{ brokerDatas: { brokerName: string; brokerAddrs: Record<string, string> }[]; queueDatas: { readQueueNums: number; writeQueueNums: number }[] }>(route);
    expect(r.brokerDatas).to.deep.equal([{ cluster: CLUSTER, brokerName: LOCAL_BROKER_NAME, brokerAddrs: { '0': broker } }]);
    expect(r.queueDatas[0]).to.include({ readQueueNums: 4, writeQueueNums: 4 });
    const s = json<{ queues: { brokerName: string; queueId: number; minOffset: number; maxOffset: number }[] }>(status);
    expect(s.queues.map((q) => q.queueId)).to.deep.equal([0, 1, 2, 3]);
    expect(s.queues[0]).to.include({ brokerName: LOCAL_BROKER_NAME, minOffset: 0, maxOffset: 0 });
    const c = json<{ brokers: { clusterName: string; brokerName: string; addr: string; version: string; runtime: Record<string, string> }[] }>(clusters);
    expect(c.brokers).to.have.length(1);
    expect(c.brokers[0]).to.include({ clusterName: CLUSTER, brokerName: LOCAL_BROKER_NAME, addr: broker, version: 'V4_9_8' });
    expect(c.brokers[0]!.runtime).to.have.property('putTps');
    const b = json<{ brokers: { addr: string; runtime: Record<string, string> }[] }>(brokerStatus);
    expect(b.brokers[0]!.runtime).to.include({ brokerVersionDesc: 'V4_9_8' });
    failed(noRoute, 1, /^rmq topicRoute: .*NoSuchTopic.*\(code 17\)/);

    const deleted = json<{ brokers: string[] }>(await rmq('deleteTopic', '-n', ns, '-c', CLUSTER, '-t', 'AdminT2', '--json'));
    expect(deleted.brokers).to.deep.equal([broker]);
    expect(await admin.fetchTopicList()).to.not.include('AdminT2');
  });

  it('clusterList -i N prints again every N seconds until SIGINT (exit 0): one JSON line per round, or the -m table each round', async () => {
    const [jsonRounds, tableRounds, zero, once] = await Promise.all([
      rmqUntilLines(2, 30_000, 'clusterList', '-n', ns, '-i', '1', '--json'),
      // mqadmin's -m table: a header and one row per broker address, every round.
      rmqUntilLines(4, 30_000, 'clusterList', '-n', ns, '-i', '1', '-m'),
      rmq('clusterList', '-n', ns, '-i', '0'),
      rmq('clusterList', '-n', ns),
    ]);
    // Without -i: once, mqadmin's base table.
    expect(once.code, once.stderr).to.equal(0);
    const [head, row, ...rest] = once.stdout.trimEnd().split('\n');
    expect(rest).to.deep.equal([]);
    expect(head).to.match(/^#Cluster Name\s+#Broker Name\s+#BID\s+#Addr\s+#Version\s+#InTPS\(LOAD\)\s+#OutTPS\(LOAD\)\s+#PCWait\(ms\)\s+#Hour\s+#SPACE$/);
    expect(row).to.match(new RegExp(`^${CLUSTER}\\s+${LOCAL_BROKER_NAME}\\s+0\\s+${broker}\\s+V4_9_8\\s+\\d+\\.\\d\\d\\(0,0ms\\)\\s+\\d+\\.\\d\\d\\(0,0ms\\)\\s+0\\s+\\d+\\.\\d\\d\\s+\\d\\.\\d{4}$`));
    expect(jsonRounds.code, jsonRounds.stderr).to.equal(0);
    expect(jsonRounds.stderr).to.equal('');
    const rounds = jsonRounds.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { brokers: { addr: string }[] });
    expect(rounds.length).to.be.at.least(2);
    for (const r of rounds) expect(r.brokers.map((b) => b.addr)).to.deep.equal([broker]);
    // mqadmin sleeps the interval between rounds.
    expect(jsonRounds.lineTimes[1]! - jsonRounds.lineTimes[0]!).to.be.at.least(900);

    expect(tableRounds.code, tableRounds.stderr).to.equal(0);
    const lines = tableRounds.stdout.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('#Cluster Name')).length).to.be.at.least(2);
    expect(lines[0]).to.match(/^#Cluster Name\s+#Broker Name\s+#InTotalYest\s+#OutTotalYest\s+#InTotalToday\s+#OutTotalToday$/);
    expect(lines[1]).to.match(new RegExp(`^${CLUSTER}\\s+${LOCAL_BROKER_NAME}\\s+\\d+\\s+\\d+\\s+\\d+\\s+\\d+$`));
    failed(zero, 2, /^rmq clusterList: -i\/--interval must be at least 1 second, got 0/);
  });

  it('sends a message, then finds it by offset msgId, by UNIQ_KEY, by key, by queue offset and by consuming', async () => {
    const sent = json<{ sendStatus: string; msgId: string; offsetMsgId: string; brokerName: string; queueId: number; queueOffset: number }>(
      await rmq('sendMessage', '-n', ns, '-t', 'AdminT', '-p', 'hello admin', '-k', 'K1', '-c', 'TagA', '--json'),
    );
    expect(sent.sendStatus).to.equal('SEND_OK');
    const [byOffsetId, byUniq, byKey, byQueueOffset, consumed] = await Promise.all([
      rmq('queryMsgById', '-n', ns, '-i', sent.offsetMsgId, '--json'),
      rmq('queryMsgById', '-n', ns, '-i', sent.msgId, '-t', 'AdminT', '--json'),
      rmq('queryMsgByKey', '-n', ns, '-t', 'AdminT', '-k', 'K1', '--json'),
      rmq('queryMsgByOffset', '-n', ns, '-t', 'AdminT', '-b', sent.brokerName, '-i', String(sent.queueId), '-o', String(sent.queueOffset), '--json'),
      rmq('consumeMessage', '-n', ns, '-t', 'AdminT', '--json'),
    ]);
    const expected = { msgId: sent.msgId, offsetMsgId: sent.offsetMsgId, topic: 'AdminT', tags: 'TagA', keys: 'K1', body: 'hello admin', queueId: sent.queueId };
    expect(json<{ messages: MessageJson[] }>(byOffsetId).messages[0]).to.include(expected);
    // No group consumes AdminT yet: mqadmin's "WARN: No Consumer".
    expect(json<{ messages: { tracks: unknown[] }[] }>(byOffsetId).messages[0]!.tracks).to.deep.equal([]);
    expect(json<{ messages: MessageJson[] }>(byUniq).messages[0]).to.include(expected);
    expect(json<{ messages: MessageJson[] }>(byKey).messages.map((m) => m.msgId)).to.deep.equal([sent.msgId]);
    expect(json<MessageJson>(byQueueOffset)).to.include({ ...expected, queueOffset: sent.queueOffset });
    expect(json<{ messages: MessageJson[] }>(consumed).messages.map((m) => m.body)).to.include('hello admin');
  });

  it('sendMessage -m true also sends the Pub trace record to RMQ_SYS_TRACE_TOPIC, keyed by the msgId and keys; -m false does not', async () => {
    const [traced, tracedTable, untraced, badFlag] = await Promise.all([
      rmq('sendMessage', '-n', ns, '-t', 'TraceT', '-p', 'traced body', '-k', 'TK1 TK2', '-c', 'TagT', '-m', 'true', '--json'),
      rmq('sendMessage', '-n', ns, '-t', 'TraceT', '-p', 'second', '-m', 'true'),
      rmq('sendMessage', '-n', ns, '-t', 'TraceT', '-p', 'untraced', '-k', 'TK3', '-m', 'false', '--json'),
      rmq('sendMessage', '-n', ns, '-t', 'TraceT', '-p', 'x', '-m', 'yes'),
    ]);
    const t = json<{ msgId: string; offsetMsgId: string; trace: { traceTopic: string; sendStatus: string; msgId: string } }>(traced);
    expect(t.trace).to.include({ traceTopic: 'RMQ_SYS_TRACE_TOPIC', sendStatus: 'SEND_OK' });
    expect(tracedTable.code, tracedTable.stderr).to.equal(0);
    expect(tracedTable.stdout).to.match(/\ntrace sent to RMQ_SYS_TRACE_TOPIC: [0-9A-F]{32}\n$/);
    expect(json(untraced)).to.not.have.property('trace');
    failed(badFlag, 2, /-m\/--msgTraceEnable expects true or false, got 'yes'/);

    // The trace message is found by the traced msgId and by each key, as RocketMQ's dashboard looks it up.
    let stored: MessageExt[] = [];
    await waitForAsync(async () => (stored = await admin.queryMessage('RMQ_SYS_TRACE_TOPIC', t.msgId)).length === 1, 10_000, 'the trace message in the index');
    expect((await admin.queryMessage('RMQ_SYS_TRACE_TOPIC', 'TK2')).map((m) => m.msgId)).to.deep.equal([stored[0]!.msgId]);
    expect(stored[0]!.msgId).to.equal(t.trace.msgId);
    expect(stored[0]!.keys!.split(' ').sort()).to.deep.equal(['TK1', 'TK2', t.msgId].sort());
    const body = stored[0]!.body.toString('utf8');
    expect(body.startsWith('Pub\u0001')).to.equal(true);
    const [record, ...more] = decodePubTraces(body);
    expect(more).to.deep.equal([]);
    expect(record).to.deep.include({
      regionId: 'DefaultRegion',
      topic: 'TraceT',
      msgId: t.msgId,
      offsetMsgId: t.offsetMsgId,
      tags: 'TagT',
      keys: 'TK1 TK2',
      storeHost: broker,
      bodyLength: Buffer.byteLength('traced body'),
      msgType: 0,
      success: true,
    });
    expect(record!.groupName).to.match(/^\d+$/);
    expect(record!.costTime).to.be.at.least(0);
  });

  it('subscription groups, consumer progress and connections, reset offsets online and offline', async () => {
    const sub = json<{ brokers: string[]; config: { groupName: string; retryMaxTimes: number } }>(
      await rmq('updateSubGroup', '-n', ns, '-c', CLUSTER, '-g', 'G1', '-r', '5', '--json'),
    );
    expect(sub.brokers).to.deep.equal([broker]);
    expect(sub.config).to.include({ groupName: 'G1', retryMaxTimes: 5 });
    // A consumer that committed 0 on every queue (G1 online through a heartbeat, G2 offline).
    for (const group of ['G1', 'G2']) {
      for (let queueId = 0; queueId < 4; queueId++) {
        await admin.clientAPI.updateConsumerOffset(broker, { consumerGroup: group, topic: 'AdminT', queueId, commitOffset: 0, bname: LOCAL_BROKER_NAME }, 3000);
      }
    }
    await admin.clientAPI.sendHeartbeat(broker, heartbeat('G1'), 3000);
    // The heartbeat auto-creates %RETRY%G1; consumerProgress without -g finds groups by those topics on the name server.
    for (let i = 0; i < 100 && !(await admin.fetchTopicList()).includes('%RETRY%G1'); i++) await new Promise((r) => setTimeout(r, 50));

    const [progress, connection, allGroups, topicsWithGroups] = await Promise.all([
      rmq('consumerProgress', '-n', ns, '-g', 'G1', '--json'),
      rmq('consumerConnection', '-n', ns, '-g', 'G1', '--json'),
      rmq('consumerProgress', '-n', ns, '--json'),
      rmq('topicList', '-n', ns, '-c', '--json'),
    ]);
    // topicList -c as mqadmin: no %RETRY%/%DLQ% rows; each topic with its cluster and consuming groups.
    const tl = json<{ topics: { clusterName: string; topic: string; consumerGroups: string[] }[] }>(topicsWithGroups).topics;
    expect(tl.some((t) => t.topic.startsWith('%'))).to.equal(false);
    expect(tl.find((t) => t.topic === 'AdminT')).to.deep.include({ clusterName: CLUSTER, consumerGroups: ['G1', 'G2'] });
    const p = json<{ totalDiff: number; queues: { topic: string; queueId: number; brokerOffset: number; consumerOffset: number; diff: number }[] }>(progress);
    const maxOffsets = (await admin.examineTopicStats('AdminT')).map((q) => q.maxOffset);
    expect(p.queues.filter((q) => q.topic === 'AdminT').map((q) => q.brokerOffset)).to.deep.equal(maxOffsets);
    expect(p.totalDiff).to.equal(maxOffsets.reduce((a, b) => a + b, 0)).and.to.be.greaterThan(0);
    const conn = json<{ connections: { clientId: string }[]; subscriptions: { topic: string; subString: string }[]; messageModel: string }>(connection);
    expect(conn.connections.map((x) => x.clientId)).to.deep.equal(['admin-e2e@1']);
    expect(conn.subscriptions).to.deep.include({ topic: 'AdminT', subString: '*', expressionType: 'TAG', tags: [], subVersion: 1 });
    expect(conn.messageModel).to.equal('CLUSTERING');
    // mqadmin's group table: G1 (heartbeat version = our 4.9.8 ordinal), G2 has no %RETRY% topic so is not listed.
    const groups = json<{ groups: { group: string }[] }>(allGroups).groups;
    expect(groups.map((g) => g.group)).to.include('G1').and.not.include('G2');
    expect(groups.find((g) => g.group === 'G1')).to.deep.include({ count: 1, version: 'V4_9_8', consumeType: 'PUSH', messageModel: 'CLUSTERING', consumeTps: 0, diffTotal: p.totalDiff });

    const [online, offline] = await Promise.all([
      rmq('resetOffsetByTime', '-n', ns, '-g', 'G1', '-t', 'AdminT', '-s', 'now', '--json'),
      rmq('resetOffsetByTime', '-n', ns, '-g', 'G2', '-t', 'AdminT', '-s', 'now', '--json'),
    ]);
    const on = json<{ mode: string; offsets: { queueId: number; offset: number }[] }>(online);
    expect(on.mode).to.equal('CLIENTS_NOTIFIED');
    expect(on.offsets.map((o) => o.offset)).to.deep.equal(maxOffsets);
    const off = json<{ mode: string; rollbacks: { queueId: number; rollbackOffset: number }[] }>(offline);
    expect(off.mode).to.equal('OFFSETS_COMMITTED');
    expect(off.rollbacks.map((o) => o.rollbackOffset)).to.deep.equal(maxOffsets);
    expect((await admin.examineConsumeStats('G2', 'AdminT')).totalDiff).to.equal(0);

    const del = json<{ brokers: string[] }>(await rmq('deleteSubGroup', '-n', ns, '-b', broker, '-g', 'G1', '--json'));
    expect(del.brokers).to.deep.equal([broker]);
  });

  it('resetOffsetByTime -c: the broker notifies the online clients in the C++ body format (a list), without -c in the Java one (a map)', async () => {
    await admin.createAndUpdateTopicConfigOnCluster(CLUSTER, createTopicConfig('ResetCT', { readQueueNums: 2, writeQueueNums: 2 }));
    for (let queueId = 0; queueId < 2; queueId++) {
      await admin.clientAPI.updateConsumerOffset(broker, { consumerGroup: 'G3', topic: 'ResetCT', queueId, commitOffset: 0, bname: LOCAL_BROKER_NAME }, 3000);
    }
    // A bare client connection as G3's only member: it records the RESET_CONSUMER_CLIENT_OFFSET it is sent.
    const client = new RemotingClient({ connectTimeoutMillis: 1000 });
    const notices: RemotingCommand[] = [];
    client.registerProcessor(RequestCode.RESET_CONSUMER_CLIENT_OFFSET, {
      processRequest: (_ch, req) => {
        notices.push(req);
        return null;
      },
    });
    try {
      const hb = heartbeat('G3');
      hb.clientID = 'cpp-client@1';
      hb.consumerDataSet[0]!.subscriptionDataSet[0]!.topic = 'ResetCT';
      const answer = await client.invokeSync(broker, RemotingCommand.createRequest(RequestCode.HEART_BEAT, undefined, encodeHeartbeatData(hb)), 3000);
      expect(answer.code).to.equal(ResponseCode.SUCCESS);

      const cplus = json<{ mode: string; cplus: boolean; offsets: { queueId: number; offset: number }[] }>(await rmq('resetOffsetByTime', '-n', ns, '-g', 'G3', '-t', 'ResetCT', '-s', 'now', '-c', '--json'));
      expect(cplus).to.deep.include({ mode: 'CLIENTS_NOTIFIED', cplus: true });
      await waitFor(() => notices.length === 1, 10_000, 'the C++-format notice');
      expect(JSON.parse(notices[0]!.body!.toString('utf8'))).to.deep.equal({
        offsetTable: [0, 1].map((queueId) => ({ brokerName: LOCAL_BROKER_NAME, offset: 0, queueId, topic: 'ResetCT' })),
      });

      const plain = json<{ cplus: boolean }>(await rmq('resetOffsetByTime', '-n', ns, '-g', 'G3', '-t', 'ResetCT', '-s', 'now', '--json'));
      expect(plain.cplus).to.equal(false);
      await waitFor(() => notices.length === 2, 10_000, 'the Java-format notice');
      expect(decodeResetOffsetBody(notices[1]!.body!).offsetTable.size).to.equal(2);
    } finally {
      await client.shutdown();
    }
  });

  it('a live push consumer: consumerProgress -s true shows the client holding each queue; queryMsgById -g -d has it consume a message again, -s true resends it', async () => {
    await admin.createAndUpdateTopicConfigOnCluster(CLUSTER, createTopicConfig('LiveT', { readQueueNums: 2, writeQueueNums: 2 }));
    const deliveries: { keys: string | undefined; msgId: string }[] = [];
    const consumer = new DefaultMQPushConsumer({
      namesrvAddr: ns,
      consumerGroup: 'LiveG',
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
      // Offsets reach the broker quickly, so consumerProgress has rows for both queues.
      persistConsumerOffsetInterval: 100,
      logger: quietLogger,
    });
    consumer.subscribe('LiveT', '*', {
      consumeMessage: (msgs: readonly MessageExt[]) => {
        for (const m of msgs) deliveries.push({ keys: m.keys, msgId: m.msgId });
        return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
      },
    });
    await consumer.start();
    let consumerRunning = true;
    try {
      const sent = json<{ msgId: string; offsetMsgId: string }>(await rmq('sendMessage', '-n', ns, '-t', 'LiveT', '-p', 'live body', '-k', 'LK1', '--json'));
      const seen = (): number => deliveries.filter((d) => d.keys === 'LK1').length;
      await waitFor(() => seen() === 1, 15_000, 'the first delivery of LK1');
      await waitForAsync(async () => {
        try {
          const live = (await admin.examineConsumeStats('LiveG')).queues.filter((q) => q.topic === 'LiveT');
          return live.length === 2 && live.every((q) => q.diff === 0);
        } catch {
          return false; // no offset committed yet: CONSUMER_NOT_ONLINE
        }
      }, 15_000, 'LiveG offsets past LK1 on both queues');
      const clientId = consumer.clientId!;
      const clientIP = clientId.split('@')[0]!;

      const [tracked, trackedTable, connectionTable, progressJson, progressTable, byOffsetId, byUniqTable, unknownClient, halfPair] = await Promise.all([
        rmq('queryMsgById', '-n', ns, '-i', sent.offsetMsgId, '--json'),
        rmq('queryMsgById', '-n', ns, '-i', sent.offsetMsgId),
        rmq('consumerConnection', '-n', ns, '-g', 'LiveG'),
        rmq('consumerProgress', '-n', ns, '-g', 'LiveG', '-s', 'true', '--json'),
        rmq('consumerProgress', '-n', ns, '-g', 'LiveG', '-s', 'true'),
        rmq('queryMsgById', '-n', ns, '-i', sent.offsetMsgId, '-g', 'LiveG', '-d', clientId, '--json'),
        rmq('queryMsgById', '-n', ns, '-i', sent.msgId, '-t', 'LiveT', '-g', 'LiveG', '-d', clientId),
        rmq('queryMsgById', '-n', ns, '-i', sent.offsetMsgId, '-g', 'LiveG', '-d', '10.0.0.1@nobody'),
        rmq('queryMsgById', '-n', ns, '-i', sent.offsetMsgId, '-g', 'LiveG'),
      ]);
      // mqadmin's message tracking under the message: LiveG has committed past it.
      expect(json<{ messages: { tracks: unknown[] }[] }>(tracked).messages[0]!.tracks).to.deep.equal([{ consumerGroup: 'LiveG', trackType: 'CONSUMED' }]);
      expect(trackedTable.code, trackedTable.stderr).to.equal(0);
      expect(trackedTable.stdout).to.match(/\n\nMessageTrack \[consumerGroup=LiveG, trackType=CONSUMED, exceptionDesc=null\]\n$/);
      // mqadmin 4.9.8's consumerConnection rows: client id, address, language, version name.
      expect(connectionTable.code, connectionTable.stderr).to.equal(0);
      expect(connectionTable.stdout.split('\n').slice(0, 2).join('\n')).to.match(new RegExp(`^#ClientId\\s+#ClientAddr\\s+#Language\\s+#Version\\n${clientId.replace(/\./g, '\\.')}\\s+\\S+:\\d+\\s+\\S+\\s+V4_9_8$`));
      const p = json<{ queues: { topic: string; queueId: number; clientId: string; clientIP: string }[] }>(progressJson);
      // The consumer holds both LiveT queues (and %RETRY%LiveG's, once it has an offset there).
      expect(p.queues.filter((q) => q.topic === 'LiveT').map((q) => q.queueId)).to.deep.equal([0, 1]);
      for (const q of p.queues) expect([q.clientId, q.clientIP]).to.deep.equal([clientId, clientIP]);
      expect(progressTable.code, progressTable.stderr).to.equal(0);
      const [header, ...rows] = progressTable.stdout.split('\n');
      expect(header).to.match(/^#Topic\s+#Broker Name\s+#QID\s+#Broker Offset\s+#Consumer Offset\s+#Client IP\s+#Diff\s+#LastTime$/);
      expect(rows.find((l) => l.startsWith('LiveT'))).to.match(new RegExp(`^LiveT\\s+${LOCAL_BROKER_NAME}\\s+0\\s+\\d+\\s+\\d+\\s+${clientIP.replace(/\./g, '\\.')}\\s`));

      // CONSUME_MESSAGE_DIRECTLY: the listener ran on the message twice more (by offset id, by UNIQ_KEY).
      const direct = json<{ consumed: { msgId: string; result: { consumeResult: string; order: boolean; autoCommit: boolean } }[] }>(byOffsetId).consumed;
      expect(direct).to.have.length(1);
      expect(direct[0]).to.deep.include({ msgId: sent.offsetMsgId });
      expect(direct[0]!.result).to.include({ consumeResult: 'CR_SUCCESS', order: false, autoCommit: true });
      expect(byUniqTable.code, byUniqTable.stderr).to.equal(0);
      expect(byUniqTable.stdout).to.match(/^ConsumeMessageDirectlyResult \[order=false, autoCommit=true, consumeResult=CR_SUCCESS, remark=null, spentTimeMills=\d+\]\n$/);
      expect(seen()).to.equal(3);
      failed(unknownClient, 1, /^rmq queryMsgById: .*The Consumer <LiveG> <10\.0\.0\.1@nobody> not online/);
      failed(halfPair, 2, /give -g\/--consumerGroup and -d\/--clientId together/);

      // -s true: sent again with its properties, so the UNIQ_KEY msgId is the original's; the consumer gets it as a new message.
      const [resent, resentWithUnit, unitAlone] = await Promise.all([
        rmq('queryMsgById', '-n', ns, '-i', sent.offsetMsgId, '-s', 'true', '--json'),
        rmq('queryMsgById', '-n', ns, '-i', sent.offsetMsgId, '-s', 'true', '-u', 'unitA'),
        rmq('queryMsgById', '-n', ns, '-i', sent.offsetMsgId, '-u', 'unitA'),
      ]);
      const r = json<{ resent: { originalMsgId: string; sendStatus: string; msgId: string; offsetMsgId: string; topic: string }[] }>(resent).resent;
      expect(r).to.have.length(1);
      expect(r[0]).to.include({ originalMsgId: sent.offsetMsgId, sendStatus: 'SEND_OK', msgId: sent.msgId, topic: 'LiveT' });
      expect(r[0]!.offsetMsgId).to.not.equal(sent.offsetMsgId);
      expect(resentWithUnit.code, resentWithUnit.stderr).to.equal(0);
      expect(resentWithUnit.stdout).to.match(new RegExp(`^prepare resend msg\\. originalMsgId=${sent.offsetMsgId}\\nSendResult \\[sendStatus=SEND_OK, msgId=${sent.msgId}, `));
      failed(unitAlone, 2, /-u\/--unitName only applies with -s\/--sendMessage true/);
      await waitFor(() => seen() === 5, 15_000, 'the two resent copies of LK1');
      const stored = json<{ messages: MessageJson[] }>(await rmq('queryMsgByKey', '-n', ns, '-t', 'LiveT', '-k', 'LK1', '--json')).messages;
      expect(stored).to.have.length(3);
      expect(stored.every((m) => m.body === 'live body' && m.msgId === sent.msgId)).to.equal(true);

      await consumer.shutdown();
      consumerRunning = false;
      // Nobody holds the queues any more: mqadmin's N/A.
      const offline = await rmq('consumerProgress', '-n', ns, '-g', 'LiveG', '-s', 'true');
      expect(offline.code, offline.stderr).to.equal(0);
      const liveRows = offline.stdout.split('\n').filter((l) => l.startsWith('LiveT'));
      expect(liveRows).to.have.length(2);
      for (const row of liveRows) expect(row).to.match(/^LiveT\s+\S+\s+[01]\s+\d+\s+\d+\s+N\/A\s/);
      const notOnline = json<{ messages: { tracks: { consumerGroup: string; trackType: string; exceptionDesc: string }[] }[] }>(await rmq('queryMsgById', '-n', ns, '-i', sent.offsetMsgId, '--json'));
      expect(notOnline.messages[0]!.tracks.map((t) => [t.consumerGroup, t.trackType])).to.deep.equal([['LiveG', 'NOT_ONLINE']]);
      expect(notOnline.messages[0]!.tracks[0]!.exceptionDesc).to.match(/^CODE:206 /);
    } finally {
      if (consumerRunning) await consumer.shutdown();
    }
  });

  it('reads and updates the broker config', async () => {
    const cfg = json<{ brokers: { addr: string; brokerName: string; config: Record<string, string> }[] }>(await rmq('getBrokerConfig', '-n', ns, '-b', broker, '--json')).brokers[0]!;
    expect(cfg).to.include({ addr: broker, brokerName: LOCAL_BROKER_NAME });
    expect(cfg.config).to.include({ brokerName: LOCAL_BROKER_NAME, brokerClusterName: CLUSTER });
    const updated = json<{ brokers: string[] }>(await rmq('updateBrokerConfig', '-n', ns, '-c', CLUSTER, '-k', 'fileReservedTime', '-v', '48', '--json'));
    expect(updated.brokers).to.deep.equal([broker]);
    expect(await admin.getBrokerConfig(broker)).to.include({ fileReservedTime: '48' });
  });
});

/** Polls an async condition every 50 ms; rejects after `timeoutMillis` naming `what`. */
async function waitForAsync(cond: () => Promise<boolean>, timeoutMillis: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMillis} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function heartbeat(group: string): HeartbeatData {
  return {
    clientID: 'admin-e2e@1',
    producerDataSet: [],
    consumerDataSet: [
      {
        groupName: group,
        consumeType: 'CONSUME_PASSIVELY',
        messageModel: 'CLUSTERING',
        consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
        subscriptionDataSet: [{ classFilterMode: false, topic: 'AdminT', subString: '*', tagsSet: [], codeSet: [], subVersion: 1, expressionType: 'TAG' }],
        unitMode: false,
      },
    ],
  };
}

describe('rmq admin commands against a master/slave LocalCluster (e2e)', function () {
  this.timeout(120000);
  let cluster: LocalCluster;

  before(async () => {
    cluster = await LocalCluster.start({ slave: true });
  });
  after(async () => {
    await cluster?.stop();
  });

  it('brokerStatus -c and getBrokerConfig -c cover the slaves too, with mqadmin\'s line prefixes and headers', async () => {
    const ns = cluster.namesrvAddr;
    const master = cluster.brokerAddr;
    const slave = cluster.slaveAddr!;
    // The slave registers on its first heartbeat to the name server.
    const admin = new MQAdmin({ namesrvAddr: ns });
    await admin.start();
    try {
      await waitForAsync(async () => (await admin.fetchMasterAndSlaveAddrByClusterName(CLUSTER)).length === 2, 20_000, 'the slave on the name server');
    } finally {
      await admin.shutdown();
    }
    const [statusJson, statusTable, statusOne, configJson, configTable] = await Promise.all([
      rmq('brokerStatus', '-n', ns, '-c', CLUSTER, '--json'),
      rmq('brokerStatus', '-n', ns, '-c', CLUSTER),
      rmq('brokerStatus', '-n', ns, '-b', slave),
      rmq('getBrokerConfig', '-n', ns, '-c', CLUSTER, '--json'),
      rmq('getBrokerConfig', '-n', ns, '-c', CLUSTER),
    ]);
    const status = json<{ brokers: { addr: string; runtime: Record<string, string> }[] }>(statusJson).brokers;
    expect(status.map((b) => b.addr).sort()).to.deep.equal([master, slave].sort());
    for (const b of status) expect(b.runtime).to.have.property('brokerVersionDesc', 'V4_9_8');
    expect(statusTable.code, statusTable.stderr).to.equal(0);
    const lines = statusTable.stdout.trimEnd().split('\n');
    for (const addr of [master, slave]) {
      expect(lines.some((l) => l === `${addr.padEnd(24)} ${'brokerVersionDesc'.padEnd(32)}: V4_9_8`), addr).to.equal(true);
    }
    expect(statusOne.code, statusOne.stderr).to.equal(0);
    expect(statusOne.stdout.split('\n')).to.include(`${'brokerVersionDesc'.padEnd(32)}: V4_9_8`);

    const configs = json<{ brokers: { addr: string; slave: boolean; masterAddr?: string; config: Record<string, string> }[] }>(configJson).brokers;
    expect(configs.map((c) => [c.addr, c.slave, c.masterAddr])).to.deep.equal([
      [master, false, undefined],
      [slave, true, master],
    ]);
    expect(configs[1]!.config).to.include({ brokerId: '1' });
    expect(configTable.code, configTable.stderr).to.equal(0);
    expect(configTable.stdout).to.contain(`============Master: ${master}============\n`);
    expect(configTable.stdout).to.contain(`============My Master: ${master}=====Slave: ${slave}============\n`);
    expect(configTable.stdout).to.contain(`\n${'brokerId'.padEnd(50)}=  1\n`);
  });
});
