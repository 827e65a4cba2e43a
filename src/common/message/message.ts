import { ClientErrorCode, MQClientException } from '../errors.js';
import { MessageConst, STRING_HASH_SET } from './message-const.js';
import { isValidPropertyText, messageProperties2String } from './properties-codec.js';

/**
 * A message to send (Java's Message). Properties live in an insertion-ordered Map; they are written
 * in Java HashMap order (see messageProperties2String), so the same sequence of setter calls a Java
 * application makes produces the same properties bytes.
 *
 * Like Java's constructors, `new Message(topic, tags?, body)` puts TAGS (if non-empty), KEYS (if
 * given) and WAIT=true, in that order: a Java producer's properties therefore always carry WAIT.
 */
export class Message {
  topic: string;
  /** Message.flag: an application int carried untouched (record FLAG field). */
  flag = 0;
  body: Buffer;
  /** Set by transactional producers; not a property and never on the wire. */
  transactionId: string | undefined;
  /** Created on first write: a broker-side message gets the map its request was parsed into (adoptProperties). */
  #properties: Map<string, string> | undefined;
  /** The properties string last read from or written to bytes, while the map is unchanged since. */
  #propertiesString: string | undefined;

  constructor(topic: string, body: string | Uint8Array);
  constructor(topic: string, tags: string | undefined, body: string | Uint8Array);
  constructor(topic: string, tags: string | undefined, keys: string | readonly string[] | undefined, body: string | Uint8Array);
  constructor(
    topic: string,
    a: string | Uint8Array | undefined,
    b?: string | readonly string[] | Uint8Array,
    c?: string | Uint8Array,
  ) {
    let tags: string | undefined;
    let keys: string | readonly string[] | undefined;
    let body: string | Uint8Array;
    if (c !== undefined) {
      tags = a as string | undefined;
      keys = b as string | readonly string[] | undefined;
      body = c;
    } else if (b !== undefined) {
      tags = a as string | undefined;
      body = b as string | Uint8Array;
    } else {
      body = a as string | Uint8Array;
    }
    this.topic = topic;
    this.body = toBuffer(body);
    if (tags !== undefined && tags.length > 0) this.tags = tags;
    if (keys !== undefined && keys.length > 0) this.keys = keys;
    if ((new.target as typeof Message).constructorSetsWait) this.waitStoreMsgOK = true;
  }

  /**
   * Whether the constructor puts WAIT=true (Java's Message constructors do). A stored message
   * (MessageExt) has exactly its record's properties: no WAIT to put and delete again per message.
   */
  protected static readonly constructorSetsWait: boolean = true;

  /** TAGS: one tag; its String.hashCode is the ConsumeQueue tagsCode. */
  get tags(): string | undefined {
    return this.getProperty(MessageConst.PROPERTY_TAGS);
  }
  set tags(tags: string | undefined) {
    this.setOrClear(MessageConst.PROPERTY_TAGS, tags);
  }

  /** KEYS: one key or several joined by a space; the broker indexes each. */
  get keys(): string | undefined {
    return this.getProperty(MessageConst.PROPERTY_KEYS);
  }
  set keys(keys: string | readonly string[] | undefined) {
    this.setOrClear(MessageConst.PROPERTY_KEYS, typeof keys === 'string' || keys === undefined ? keys : keys.join(MessageConst.KEY_SEPARATOR));
  }

  /** DELAY: 0 = not delayed, else a level of the broker's messageDelayLevel (1..18 by default). */
  get delayTimeLevel(): number {
    const t = this.getProperty(MessageConst.PROPERTY_DELAY_TIME_LEVEL);
    return t === undefined ? 0 : Number.parseInt(t, 10);
  }
  set delayTimeLevel(level: number) {
    this.putProperty(MessageConst.PROPERTY_DELAY_TIME_LEVEL, String(level));
  }

  /** WAIT: absent means true, as in Java; only the exact text "true" (any case) is true otherwise. */
  get waitStoreMsgOK(): boolean {
    const w = this.getProperty(MessageConst.PROPERTY_WAIT_STORE_MSG_OK);
    return w === undefined || w.toLowerCase() === 'true';
  }
  set waitStoreMsgOK(wait: boolean) {
    this.putProperty(MessageConst.PROPERTY_WAIT_STORE_MSG_OK, String(wait));
  }

  get buyerId(): string | undefined {
    return this.getProperty(MessageConst.PROPERTY_BUYER_ID);
  }
  set buyerId(buyerId: string | undefined) {
    this.setOrClear(MessageConst.PROPERTY_BUYER_ID, buyerId);
  }

  set instanceId(instanceId: string) {
    this.putProperty(MessageConst.PROPERTY_INSTANCE_ID, instanceId);
  }

  /** All properties, system and user, in insertion order (read-only: use the setters). */
  get properties(): ReadonlyMap<string, string> {
    this.#properties ??= new Map();
    return this.#properties;
  }

  /**
   * Sets an application property. Rejects RocketMQ's reserved names (MessageConst.STRING_HASH_SET),
   * blank names or values (as Java does) and the separator chars \u0001 / \u0002 (which would corrupt
   * the properties string; Java does not check them).
   */
  putUserProperty(name: string, value: string): void {
    if (STRING_HASH_SET.has(name)) {
      throw new MQClientException(ClientErrorCode.CLIENT_VALIDATION, `The Property<${name}> is used by system, input another please`);
    }
    if (name.trim().length === 0 || value.trim().length === 0) {
      throw new MQClientException(ClientErrorCode.CLIENT_VALIDATION, 'The name or value of property can not be null or blank string!');
    }
    this.putProperty(name, value);
  }

  getUserProperty(name: string): string | undefined {
    return this.getProperty(name);
  }

  getProperty(name: string): string | undefined {
    return this.#properties?.get(name);
  }

  /** Sets any property, reserved names included (Java's package-private putProperty / MessageAccessor). */
  putProperty(name: string, value: string): void {
    if (!isValidPropertyText(name) || !isValidPropertyText(value)) {
      throw new MQClientException(ClientErrorCode.CLIENT_VALIDATION, `property ${JSON.stringify(name)} contains a separator char \\u0001 or \\u0002`);
    }
    const properties = (this.#properties ??= new Map());
    if (properties.get(name) === value) return;
    properties.set(name, value);
    this.#propertiesString = undefined;
  }

  clearProperty(name: string): void {
    if (this.#properties?.delete(name) === true) this.#propertiesString = undefined;
  }

  /**
   * Replaces all properties, e.g. with a map parsed from bytes. `propertiesString`, when given, is the
   * exact string the map was parsed from: `propertiesString()` returns it until a property changes,
   * so a record re-encodes byte for byte even where Java's writer had produced duplicates.
   */
  setProperties(properties: ReadonlyMap<string, string>, propertiesString?: string): void {
    this.adoptProperties(new Map(properties), propertiesString);
  }

  /**
   * setProperties without the copy, for a map nobody else changes afterwards (one just parsed from
   * bytes): the message keeps `properties` itself.
   */
  adoptProperties(properties: Map<string, string>, propertiesString?: string): void {
    this.#properties = properties;
    this.#propertiesString = propertiesString;
  }

  /** The properties as written on the wire: the string they were read from if unchanged, else Java's form. */
  propertiesString(): string {
    this.#propertiesString ??= messageProperties2String(this.#properties ?? EMPTY_PROPERTIES);
    return this.#propertiesString;
  }

  private setOrClear(name: string, value: string | undefined): void {
    if (value === undefined) this.clearProperty(name);
    else this.putProperty(name, value);
  }
}

const EMPTY_PROPERTIES: ReadonlyMap<string, string> = new Map();

function toBuffer(body: string | Uint8Array): Buffer {
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}
