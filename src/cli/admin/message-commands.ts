/** mqadmin's message commands: queryMsgById, queryMsgByKey, queryMsgByOffset, sendMessage, consumeMessage. */
import { PULL_BATCH_SIZE } from '../../client/admin/message-queries.js';
import type { MQAdmin } from '../../client/admin/mq-admin.js';
import { PullStatus } from '../../client/impl/pull-result.js';
import { DefaultMQProducer } from '../../client/producer/default-mq-producer.js';
import { Message } from '../../common/message/message.js';
import { createMessageQueue, type MessageQueue } from '../../common/protocol/body/message-queue.js';
import { defineAdminCommand, renderKeyValues, renderTable } from './admin-command.js';
import { CliUsageError } from './flags.js';
import { messageView, renderMessage, type MessageView } from './message-view.js';
import { parseTimestamp } from './time.js';

/** ConsumeMessageCommand.messageCount default. */
const DEFAULT_CONSUME_COUNT = 128;
/** QueryMsgByKeySubCommand asks each broker for up to 64 messages. */
const QUERY_BY_KEY_MAX_NUM = 64;

export const queryMsgByIdCommand = defineAdminCommand<{ messages: MessageView[] }>({
  name: 'queryMsgById',
  summary: 'Query Message by Id',
  options: [
    { short: 'i', long: 'msgId', value: true, required: true, description: 'Message Id (several separated by commas)' },
    { short: 't', long: 'topic', value: true, description: "the message's topic: needed to look up a unique key (UNIQ_KEY) id (rmq extension)" },
  ],
  notes: ['An offset msgId is read from the broker it names; any other id is looked up as a UNIQ_KEY in -t topic.'],
  async execute({ admin, flags }) {
    const ids = flags.reqStr('msgId').split(',').map((s) => s.trim()).filter((s) => s !== '');
    const messages: MessageView[] = [];
    for (const id of ids) messages.push(messageView(await admin.viewMessage(id, flags.str('topic'))));
    return { messages };
  },
  human: ({ messages }) => messages.map(renderMessage).join('\n\n'),
});

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

export const queryMsgByOffsetCommand = defineAdminCommand<MessageView>({
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
    return messageView(await admin.queryMessageByOffset(flags.reqStr('topic'), flags.reqStr('brokerName'), flags.reqInt('queueId'), flags.reqInt('offset')));
  },
  human: renderMessage,
});

interface SendView {
  sendStatus: string;
  msgId: string;
  offsetMsgId: string;
  brokerName: string;
  queueId: number;
  queueOffset: number;
}

export const sendMessageCommand = defineAdminCommand<SendView>({
  name: 'sendMessage',
  summary: 'Send a message',
  options: [
    { short: 't', long: 'topic', value: true, required: true, description: 'Topic name' },
    { short: 'p', long: 'body', value: true, required: true, description: 'UTF-8 string format of the message body' },
    { short: 'k', long: 'key', value: true, description: 'Message keys' },
    { short: 'c', long: 'tags', value: true, description: 'Message tags' },
    { short: 'b', long: 'broker', value: true, description: 'Send message to target broker' },
    { short: 'i', long: 'qid', value: true, description: 'Send message to target queue' },
  ],
  validate(flags) {
    if (flags.has('qid') && !flags.has('broker')) throw new CliUsageError('Broker name must be set if the queue is chosen: give -b/--broker with -i/--qid');
    flags.int('qid');
  },
  async execute({ admin, flags }) {
    // SendMessageCommand names its group after the current time (DEFAULT_PRODUCER is refused).
    const now = String(Date.now());
    const producer = new DefaultMQProducer({ namesrvAddr: admin.namesrvAddrList.join(';'), producerGroup: now, instanceName: now });
    await producer.start();
    try {
      // The raw value, untrimmed: the body is the user's text as given.
      const msg = new Message(flags.reqStr('topic'), flags.str('tags'), flags.str('key'), flags.str('body') ?? '');
      const broker = flags.str('broker');
      const qid = flags.int('qid');
      const r = broker !== undefined && qid !== undefined
        ? await producer.send(msg, createMessageQueue(msg.topic, broker, qid))
        : await producer.send(msg);
      return { sendStatus: r.sendStatus, msgId: r.msgId, offsetMsgId: r.offsetMsgId, brokerName: r.messageQueue.brokerName, queueId: r.messageQueue.queueId, queueOffset: r.queueOffset };
    } finally {
      await producer.shutdown();
    }
  },
  human: (r) => renderTable(['Broker Name', 'QID', 'Send Result', 'MsgId'], [[r.brokerName, r.queueId, r.sendStatus, r.msgId]]),
});

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

function minOffset(admin: MQAdmin, addr: string, mq: MessageQueue): Promise<number> {
  return admin.clientAPI.getMinOffset(addr, mq.topic, mq.queueId, admin.timeoutMillis);
}
