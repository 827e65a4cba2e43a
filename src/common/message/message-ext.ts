import { MessageConst } from './message-const.js';
import { createMessageId } from './message-id.js';
import { Message } from './message.js';
import type { SocketAddress } from './socket-address.js';

const NO_ADDRESS: SocketAddress = Object.freeze({ host: '0.0.0.0', port: 0 });

/**
 * A stored message as read back from a record (Java's MessageExt / MessageClientExt): the message plus
 * where and when it was stored. Offsets and timestamps are numbers (safe integers).
 */
export class MessageExt extends Message {
  brokerName: string | undefined;
  queueId = 0;
  /** TOTALSIZE of the record. */
  storeSize = 0;
  /** Logical offset in the ConsumeQueue. */
  queueOffset = 0;
  sysFlag = 0;
  bornTimestamp = 0;
  bornHost: SocketAddress = NO_ADDRESS;
  storeTimestamp = 0;
  storeHost: SocketAddress = NO_ADDRESS;
  /** PHYSICALOFFSET: byte offset of the record in the CommitLog. */
  commitLogOffset = 0;
  bodyCRC = 0;
  reconsumeTimes = 0;
  preparedTransactionOffset = 0;
  #offsetMsgId: string | undefined;

  /** A stored message has exactly the properties of its record: no WAIT from the constructor. */
  protected static override readonly constructorSetsWait: boolean = false;

  constructor(topic = '', body: string | Uint8Array = Buffer.alloc(0)) {
    super(topic, body);
  }

  /** The id users see: UNIQ_KEY when the producer set one (all Java and our producers do), else offsetMsgId. */
  get msgId(): string {
    return this.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX) ?? this.offsetMsgId;
  }

  /** storeHost + commitLogOffset as hex (computed on first use unless set). */
  get offsetMsgId(): string {
    this.#offsetMsgId ??= createMessageId(this.storeHost, this.commitLogOffset);
    return this.#offsetMsgId;
  }
  set offsetMsgId(id: string) {
    this.#offsetMsgId = id;
  }
}
