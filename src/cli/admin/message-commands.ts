/** mqadmin's message commands: queryMsgById, queryMsgByKey, queryMsgByOffset, sendMessage, consumeMessage. */
import { PULL_BATCH_SIZE } from '../../client/admin/message-queries.js';
import type { MQAdmin } from '../../client/admin/mq-admin.js';
import { PullStatus } from '../../client/impl/pull-result.js';
import { DefaultMQProducer } from '../../client/producer/default-mq-producer.js';
import type { SendResult } from '../../client/producer/send-result.js';
import type { ConsumeMessageDirectlyResult } from '../../common/protocol/body/consume-message-directly-result.js';
import { DEFAULT_TRACE_TOPIC, encodePubTrace, SendMessageTraceHook, TRACE_GROUP_NAME_PREFIX, type PubTraceContext } from '../../client/trace/send-message-trace-hook.js';
import { Message } from '../../common/message/message.js';
import { createMessageQueue, type MessageQueue } from '../../common/protocol/body/message-queue.js';
import { defineAdminCommand, renderKeyValues, renderTable } from './admin-command.js';
import { CliUsageError } from './flags.js';
import { messageView, renderTrackedMessage, trackedMessageView, type MessageView, type TrackedMessageView } from './message-view.js';
import { parseTimestamp } from './time.js';

/** ConsumeMessageCommand.messageCount default. */
const DEFAULT_CONSUME_COUNT = 128;
/** QueryMsgByKeySubCommand asks each broker for up to 64 messages. */
const QUERY_BY_KEY_MAX_NUM = 64;

/** QueryMsgByIdSubCommand's producer group for -s (resend). */
const RESEND_PRODUCER_GROUP = 'ReSendMsgById';

/** What queryMsgById did, by mode: printed the messages, had a client consume them (-g -d), or sent them again (-s true). */
export type QueryMsgByIdResult =
  | { messages: TrackedMessageView[] }
  | { consumed: { msgId: string; result: ConsumeMessageDirectlyResult }[] }
  | { resent: ({ originalMsgId: string } & SendView)[] };

export const queryMsgByIdCommand = defineAdminCommand<QueryMsgByIdResult>({
  name: 'queryMsgById',
  summary: 'Query Message by Id',
  options: [
    { short: 'i', long: 'msgId', value: true, required: true, description: 'Message Id (several separated by commas)' },
    { short: 'g', long: 'consumerGroup', value: true, description: 'consumer group name (with -d: have that client consume the message)' },
    { short: 'd', long: 'clientId', value: true, description: "The consumer's client id (with -g)" },
    { short: 's', long: 'sendMessage', value: true, description: 'resend message (true|false): send it again to its topic' },
    { short: 'u', long: 'unitName', value: true, description: 'unit name of the resending producer (with -s true)' },
    { short: 't', long: 'topic', value: true, description: "the message's topic: needed to look up a unique key (UNIQ_KEY) id (rmq extension)" },
  ],
  notes: [
    'An offset msgId is read from the broker it names; any other id is looked up as a UNIQ_KEY in -t topic.',
    '-g G -d CLIENT_ID: the broker storing the message hands it to that client (CONSUME_MESSAGE_DIRECTLY), whose listener',
    'consumes it once more; the client\'s answer (consumeResult, spentTimeMills …) is printed. Offsets do not move.',
    '-s true: the message is sent again to its topic with its properties (so its UNIQ_KEY msgId stays), as mqadmin.',
    'Unlike mqadmin, -g without -d (or -d without -g) and -u without -s true are usage errors, not ignored; -s false queries.',
  ],
  validate(flags) {
    if (flags.has('consumerGroup') !== flags.has('clientId')) throw new CliUsageError('give -g/--consumerGroup and -d/--clientId together');
    const resend = flags.bool('sendMessage', false);
    if (flags.has('unitName') && !resend) throw new CliUsageError('-u/--unitName only applies with -s/--sendMessage true');
  },
  async execute({ admin, flags }) {
    const ids = flags.reqStr('msgId').split(',').map((s) => s.trim()).filter((s) => s !== '');
    const topic = flags.str('topic');
    const group = flags.str('consumerGroup');
    const clientId = flags.str('clientId');
    // mqadmin's order: -g/-d wins over -s.
    if (group !== undefined && clientId !== undefined) {
      const consumed: { msgId: string; result: ConsumeMessageDirectlyResult }[] = [];
      for (const msgId of ids) consumed.push({ msgId, result: await admin.consumeMessageDirectly(group, clientId, msgId, topic) });
      return { consumed };
    }
    if (flags.bool('sendMessage', false)) return { resent: await resend(admin, ids, topic, flags.str('unitName')) };
    const messages: TrackedMessageView[] = [];
    for (const id of ids) messages.push(await trackedMessageView(admin, await admin.viewMessage(id, topic)));
    return { messages };
  },
  human: (r) => {
    if ('messages' in r) return r.messages.map(renderTrackedMessage).join('\n\n');
    // ConsumeMessageDirectlyResult.toString and SendResult.toString, as mqadmin prints them.
    if ('consumed' in r) {
      return r.consumed
        .map(({ result: c }) => `ConsumeMessageDirectlyResult [order=${c.order}, autoCommit=${c.autoCommit}, consumeResult=${c.consumeResult ?? 'null'}, remark=${c.remark ?? 'null'}, spentTimeMills=${c.spentTimeMills}]`)
        .join('\n');
    }
    return r.resent
      .map((x) => `prepare resend msg. originalMsgId=${x.originalMsgId}\nSendResult [sendStatus=${x.sendStatus}, msgId=${x.msgId}, offsetMsgId=${x.offsetMsgId}, messageQueue=MessageQueue [topic=${x.topic}, brokerName=${x.brokerName}, queueId=${x.queueId}], queueOffset=${x.queueOffset}]`)
      .join('\n');
  },
});

/** queryMsgById -s true: each message sent again, as stored (topic, flag, body, properties). */
async function resend(admin: MQAdmin, ids: readonly string[], topic: string | undefined, unitName: string | undefined): Promise<({ originalMsgId: string } & SendView)[]> {
  const now = String(Date.now());
  const producer = new DefaultMQProducer({
    namesrvAddr: admin.namesrvAddrList.join(';'),
    producerGroup: RESEND_PRODUCER_GROUP,
    instanceName: now,
    ...(unitName === undefined ? {} : { unitName }),
  });
  await producer.start();
  try {
    const out: ({ originalMsgId: string } & SendView)[] = [];
    for (const originalMsgId of ids) {
      const msg = await admin.viewMessage(originalMsgId, topic);
      // The stored message itself, as mqadmin sends its MessageExt: its UNIQ_KEY property keeps the msgId.
      out.push({ originalMsgId, ...sendView(await producer.send(msg)) });
    }
    return out;
  } finally {
    await producer.shutdown();
  }
}

export const queryMsgByKeyCommand = defineAdminCommand<{ topic: string; key: string; messages: MessageView[] }>({
  name: 'queryMsgByKey',
  summary: 'Query Message by Key',
  options: [
    { short: 't', long: 'topic', value: true, required: true, description: 'topic name' },
    { short: 'k', long: 'msgKey', value: true, required: true, description: 'Message Key' },
  ],
  async execute({ admin, flags }) {
    const topic = flags.reqStr('topic');
    const key = flags.reqStr('msgKey');
    const found = await admin.queryMessage(topic, key, QUERY_BY_KEY_MAX_NUM);
    return { topic, key, messages: found.map(messageView) };
  },
  human: ({ messages }) => renderTable(['Message ID', 'QID', 'Offset'], messages.map((m) => [m.msgId, m.queueId, m.queueOffset])),
});

export const queryMsgByOffsetCommand = defineAdminCommand<TrackedMessageView>({
  name: 'queryMsgByOffset',
  summary: 'Query Message by offset',
  options: [
    { short: 't', long: 'topic', value: true, required: true, description: 'topic name' },
    { short: 'b', long: 'brokerName', value: true, required: true, description: 'Broker Name' },
    { short: 'i', long: 'queueId', value: true, required: true, description: 'Queue Id' },
    { short: 'o', long: 'offset', value: true, required: true, description: 'Queue Offset' },
  ],
  validate(flags) {
    flags.reqInt('queueId');
    flags.reqInt('offset');
  },
  async execute({ admin, flags }) {
    return trackedMessageView(admin, await admin.queryMessageByOffset(flags.reqStr('topic'), flags.reqStr('brokerName'), flags.reqInt('queueId'), flags.reqInt('offset')));
  },
  human: renderTrackedMessage,
});

interface SendView {
  sendStatus: string;
  topic: string;
  msgId: string;
  offsetMsgId: string;
  brokerName: string;
  queueId: number;
  queueOffset: number;
}

/** sendMessage -m true: where the send's trace record went (a failed trace send does not fail the command, as mqadmin). */
export type TraceOutcome = { traceTopic: string; sendStatus: string; msgId: string } | { traceTopic: string; error: string };

export const sendMessageCommand = defineAdminCommand<SendView & { trace?: TraceOutcome }>({
  name: 'sendMessage',
  summary: 'Send a message',
  options: [
    { short: 't', long: 'topic', value: true, required: true, description: 'Topic name' },
    { short: 'p', long: 'body', value: true, required: true, description: 'UTF-8 string format of the message body' },
    { short: 'k', long: 'key', value: true, description: 'Message keys' },
    { short: 'c', long: 'tags', value: true, description: 'Message tags' },
    { short: 'b', long: 'broker', value: true, description: 'Send message to target broker' },
    { short: 'i', long: 'qid', value: true, description: 'Send message to target queue' },
    { short: 'm', long: 'msgTraceEnable', value: true, description: 'Message Trace Enable, Default: false' },
  ],
  notes: [
    '-m true also sends the message trace ("Pub" record, keyed by the msgId and keys) to RMQ_SYS_TRACE_TOPIC, as mqadmin;',
    'a trace that cannot be sent is reported (JSON "trace.error") without failing the send.',
  ],
  validate(flags) {
    if (flags.has('qid') && !flags.has('broker')) throw new CliUsageError('Broker name must be set if the queue is chosen: give -b/--broker with -i/--qid');
    flags.int('qid');
    flags.bool('msgTraceEnable', false);
  },
  async execute({ admin, flags }) {
    // SendMessageCommand names its group after the current time (DEFAULT_PRODUCER is refused).
    const now = String(Date.now());
    const namesrvAddr = admin.namesrvAddrList.join(';');
    const producer = new DefaultMQProducer({ namesrvAddr, producerGroup: now, instanceName: now });
    const traces: PubTraceContext[] = [];
    const traced = flags.bool('msgTraceEnable', false);
    if (traced) producer.registerSendMessageHook(new SendMessageTraceHook((t) => traces.push(t)));
    await producer.start();
    let sent: SendView;
    try {
      // The raw value, untrimmed: the body is the user's text as given.
      const msg = new Message(flags.reqStr('topic'), flags.str('tags'), flags.str('key'), flags.str('body') ?? '');
      const broker = flags.str('broker');
      const qid = flags.int('qid');
      const r = broker !== undefined && qid !== undefined
        ? await producer.send(msg, createMessageQueue(msg.topic, broker, qid))
        : await producer.send(msg);
      sent = sendView(r);
    } finally {
      await producer.shutdown();
    }
    if (!traced) return sent;
    // mqadmin's producer flushes its trace dispatcher at shutdown: the trace goes out before the command ends.
    return { ...sent, trace: await sendTraces(namesrvAddr, now, traces) };
  },
  human: (r) => {
    const table = renderTable(['Broker Name', 'QID', 'Send Result', 'MsgId'], [[r.brokerName, r.queueId, r.sendStatus, r.msgId]]);
    if (r.trace === undefined) return table;
    return `${table}\n${'error' in r.trace ? `trace not sent to ${r.trace.traceTopic}: ${r.trace.error}` : `trace sent to ${r.trace.traceTopic}: ${r.trace.msgId}`}`;
  },
});

/** AsyncTraceDispatcher's send: the records of a batch in one message to the trace topic, keyed by every traced msgId and key. */
async function sendTraces(namesrvAddr: string, group: string, traces: readonly PubTraceContext[]): Promise<TraceOutcome> {
  const traceTopic = DEFAULT_TRACE_TOPIC;
  if (traces.length === 0) return { traceTopic, error: 'the broker answered with traceOn=false: nothing to trace' };
  const beans = traces.map(encodePubTrace);
  const producer = new DefaultMQProducer({ namesrvAddr, producerGroup: `${TRACE_GROUP_NAME_PREFIX}-${group}-PRODUCE-1`, instanceName: `${group}-trace` });
  await producer.start();
  try {
    const msg = new Message(traceTopic, undefined, [...new Set(beans.flatMap((b) => b.transKey))], beans.map((b) => b.transData).join(''));
    const r = await producer.send(msg);
    return { traceTopic, sendStatus: r.sendStatus, msgId: r.msgId };
  } catch (e: unknown) {
    return { traceTopic, error: e instanceof Error ? e.message : String(e) };
  } finally {
    await producer.shutdown();
  }
}

export const consumeMessageCommand = defineAdminCommand<{ messages: MessageView[] }>({
  name: 'consumeMessage',
  summary: 'Consume message',
  options: [
    { short: 't', long: 'topic', value: true, required: true, description: 'Topic name' },
    { short: 'b', long: 'brokerName', value: true, description: 'Broker name' },
    { short: 'i', long: 'queueId', value: true, description: 'Queue Id' },
    { short: 'o', long: 'offset', value: true, description: 'Queue offset' },
    { short: 'g', long: 'consumerGroup', value: true, description: 'Consumer group name (default TOOLS_CONSUMER)' },
    { short: 's', long: 'beginTimestamp', value: true, description: 'Begin timestamp[currentTimeMillis|yyyy-MM-dd#HH:mm:ss:SSS]' },
    { short: 'e', long: 'endTimestamp', value: true, description: 'End timestamp[currentTimeMillis|yyyy-MM-dd#HH:mm:ss:SSS]' },
    { short: 'c', long: 'MessageNumber', value: true, description: 'Number of message to be consumed (default 128)' },
  ],
  notes: ['Reads with PULL_MESSAGE and commits no offset: the group\'s progress does not move.'],
  validate(flags) {
    if (flags.has('queueId') !== flags.has('brokerName')) throw new CliUsageError('give -b/--brokerName and -i/--queueId together');
    if (flags.has('offset') && !flags.has('queueId')) throw new CliUsageError('-o/--offset needs -b/--brokerName and -i/--queueId');
    flags.int('queueId');
    flags.int('offset');
    if (flags.int('MessageNumber', 1) <= 0) throw new CliUsageError('-c/--MessageNumber must be positive');
    for (const k of ['beginTimestamp', 'endTimestamp']) {
      const v = flags.str(k);
      if (v !== undefined) parseTimestamp(v, flags.flagName(k), false);
    }
  },
  async execute({ admin, flags }) {
    const topic = flags.reqStr('topic');
    const broker = flags.str('brokerName');
    const queueId = flags.int('queueId');
    const queues = broker !== undefined && queueId !== undefined ? [createMessageQueue(topic, broker, queueId)] : await admin.messages.fetchSubscribeMessageQueues(topic);
    let remaining = flags.int('MessageNumber', DEFAULT_CONSUME_COUNT);
    const begin = flags.str('beginTimestamp');
    const end = flags.str('endTimestamp');
    const messages: MessageView[] = [];
    for (const mq of queues) {
      if (remaining <= 0) break;
      const addr = await admin.messages.brokerAddrOfQueue(mq);
      const from = flags.int('offset') ?? (begin === undefined ? await minOffset(admin, addr, mq) : await admin.clientAPI.searchOffset(addr, topic, mq.queueId, parseTimestamp(begin, '-s', false), admin.timeoutMillis));
      const to = end === undefined ? await admin.clientAPI.getMaxOffset(addr, topic, mq.queueId, admin.timeoutMillis) : await admin.clientAPI.searchOffset(addr, topic, mq.queueId, parseTimestamp(end, '-e', false), admin.timeoutMillis);
      let offset = from;
      while (offset < to && remaining > 0) {
        const r = await admin.messages.pull(mq, offset, Math.min(PULL_BATCH_SIZE, remaining, to - offset), '*', flags.str('consumerGroup'));
        for (const m of r.messages.slice(0, remaining)) messages.push(messageView(m));
        remaining -= Math.min(remaining, r.messages.length);
        if (r.status !== PullStatus.FOUND && r.status !== PullStatus.NO_MATCHED_MSG) break;
        if (r.nextBeginOffset <= offset) break;
        offset = r.nextBeginOffset;
      }
    }
    return { messages };
  },
  human: ({ messages }) =>
    messages.length === 0
      ? 'no message'
      : messages.map((m) => renderKeyValues([['MSGID:', m.msgId], ['QUEUE:', `${m.brokerName ?? '-'}/${m.queueId} offset ${m.queueOffset}`], ['BODY:', m.body]])).join('\n\n'),
});

function sendView(r: SendResult): SendView {
  return { sendStatus: r.sendStatus, msgId: r.msgId, offsetMsgId: r.offsetMsgId, topic: r.messageQueue.topic, brokerName: r.messageQueue.brokerName, queueId: r.messageQueue.queueId, queueOffset: r.queueOffset };
}

function minOffset(admin: MQAdmin, addr: string, mq: MessageQueue): Promise<number> {
  return admin.clientAPI.getMinOffset(addr, mq.topic, mq.queueId, admin.timeoutMillis);
}
