import { ClientErrorCode, MQClientException } from '../../common/errors.js';
import { BATCH_ENTRY_FIXED_LENGTH, encodeMessages } from '../../common/message/batch-codec.js';
import { Message } from '../../common/message/message.js';
import { RETRY_GROUP_TOPIC_PREFIX } from '../../common/protocol/topic-validator.js';

/**
 * Java's MessageBatch: messages of one topic sent as one SEND_BATCH_MESSAGE (320). The batch itself is a
 * Message whose properties (WAIT, its own UNIQ_KEY) travel in the request header and whose body is the
 * encoded messages (PROTOCOL.md §4.8).
 */
export class MessageBatch extends Message {
  readonly messages: readonly Message[];

  private constructor(topic: string, messages: readonly Message[]) {
    super(topic, Buffer.alloc(0));
    // Java's MessageBatch uses Message's no-arg constructor: no WAIT until generateFromList sets it.
    this.clearProperty('WAIT');
    this.messages = messages;
  }

  /** MessageBatch.generateFromList: same topic and WAIT, no delay, no retry topic. */
  static generateFromList(messages: readonly Message[]): MessageBatch {
    const first = messages[0];
    if (first === undefined) throw new MQClientException(ClientErrorCode.CLIENT_VALIDATION, 'the batch is empty');
    for (const m of messages) {
      if (m.delayTimeLevel > 0) throw unsupported('TimeDelayLevel is not supported for batching');
      if (m.topic.startsWith(RETRY_GROUP_TOPIC_PREFIX)) throw unsupported('Retry Group is not supported for batching');
      if (m.topic !== first.topic) throw unsupported('The topic of the messages in one batch should be the same');
      if (m.waitStoreMsgOK !== first.waitStoreMsgOK) throw unsupported('The waitStoreMsgOK of the messages in one batch should the same');
    }
    const batch = new MessageBatch(first.topic, messages);
    batch.waitStoreMsgOK = first.waitStoreMsgOK;
    return batch;
  }

  /** Fills `body` with the encoded messages (call after every message got its UNIQ_KEY). */
  encode(): Buffer {
    this.body = encodeMessages(this.messages);
    return this.body;
  }
}

/** The bytes one message takes in a batch body. */
export function batchEntrySize(m: Message): number {
  return BATCH_ENTRY_FIXED_LENGTH + m.body.length + Buffer.byteLength(m.propertiesString(), 'utf8');
}

/**
 * Splits messages, in order, into lists whose batch body stays within `sizeLimit` bytes (the ListSplitter
 * of RocketMQ's batch example). Properties are measured as they are now; the UNIQ_KEY a send adds is
 * reserved for (`reservePerMessage`). A single message larger than the limit gets a list of its own (its
 * send then fails validation with a clear error).
 */
export function splitMessages(messages: readonly Message[], sizeLimit: number, reservePerMessage = UNIQ_KEY_PROPERTY_RESERVE): Message[][] {
  const out: Message[][] = [];
  let current: Message[] = [];
  let size = 0;
  for (const m of messages) {
    const s = batchEntrySize(m) + reservePerMessage;
    if (current.length > 0 && size + s > sizeLimit) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(m);
    size += s;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** `UNIQ_KEY` + \u0001 + up to 56 hex chars + \u0002. */
const UNIQ_KEY_PROPERTY_RESERVE = 'UNIQ_KEY'.length + 2 + 56;

function unsupported(message: string): MQClientException {
  return new MQClientException(ClientErrorCode.CLIENT_VALIDATION, message);
}
