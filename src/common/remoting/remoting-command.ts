import type { LanguageCodeName } from './language-code.js';

/**
 * The logical RemotingCommand of RocketMQ 4.9 (PROTOCOL.md §1.2). The same type serves requests and
 * responses, on the client and on the server; frame and header codecs live in `frame-codec.ts`.
 */
export const SerializeType = { JSON: 0, ROCKETMQ: 1 } as const;
export type SerializeType = (typeof SerializeType)[keyof typeof SerializeType];

/** Flag bit 0 (RPC_TYPE): set on responses. */
export const RPC_TYPE_RESPONSE = 0x1;
/** Flag bit 1 (RPC_ONEWAY): set on requests that expect no response. */
export const RPC_ONEWAY = 0x2;

/** MQVersion.CURRENT_VERSION of 4.9.8 (`Version.V4_9_8.ordinal()`), sent on every request. */
export const CURRENT_VERSION = 409;

/** extFields: every custom header value travels as a string (§1.5). Insertion order is kept. */
export type ExtFields = Record<string, string>;

let nextOpaque = 0;

/** Per-process request id, like Java's static AtomicInteger (wraps within int32). */
export function createOpaque(): number {
  const v = nextOpaque;
  nextOpaque = (nextOpaque + 1) | 0;
  return v;
}

export interface RemotingCommandInit {
  code: number;
  language?: LanguageCodeName;
  version?: number;
  opaque?: number;
  flag?: number;
  remark?: string | undefined;
  extFields?: ExtFields | undefined;
  body?: Buffer | undefined;
  serializeType?: SerializeType;
  fastFieldCount?: number;
}

/** Placeholder init of RemotingCommand.decoded, overwritten field by field (same hidden class). */
const DECODED_INIT: RemotingCommandInit = { code: 0 };

export class RemotingCommand {
  code: number;
  language: LanguageCodeName;
  version: number;
  opaque: number;
  flag: number;
  remark: string | undefined;
  extFields: ExtFields | undefined;
  body: Buffer | undefined;
  /** How the header is (or was) serialized; a response takes its request's (§1.1). */
  serializeType: SerializeType;
  /**
   * The first `fastFieldCount` entries of extFields belong to a FastCodesHeader (Send V2, Pull and
   * their responses) and are written first, in declaration order, by the ROCKETMQ codec — as Java does.
   */
  fastFieldCount: number;

  constructor(init: RemotingCommandInit) {
    this.code = init.code;
    this.language = init.language ?? 'JAVA';
    this.version = init.version ?? CURRENT_VERSION;
    this.opaque = init.opaque ?? 0;
    this.flag = init.flag ?? 0;
    this.remark = init.remark;
    this.extFields = init.extFields;
    this.body = init.body;
    this.serializeType = init.serializeType ?? SerializeType.JSON;
    this.fastFieldCount = init.fastFieldCount ?? 0;
  }

  /**
   * A command with every field given, for decoders: no init object per frame. Not for general
   * use — the constructor's defaults are what callers want.
   * @internal
   */
  static decoded(
    code: number,
    language: LanguageCodeName,
    version: number,
    opaque: number,
    flag: number,
    remark: string | undefined,
    extFields: ExtFields | undefined,
    serializeType: SerializeType,
  ): RemotingCommand {
    const cmd = new RemotingCommand(DECODED_INIT);
    cmd.code = code;
    cmd.language = language;
    cmd.version = version;
    cmd.opaque = opaque;
    cmd.flag = flag;
    cmd.remark = remark;
    cmd.extFields = extFields;
    cmd.serializeType = serializeType;
    return cmd;
  }

  /** A new request with a fresh opaque. */
  static createRequest(code: number, extFields?: ExtFields, body?: Buffer): RemotingCommand {
    return new RemotingCommand({ code, opaque: createOpaque(), extFields, body });
  }

  /** A response to `request`: same opaque and serialization, response flag set. */
  static createResponse(request: RemotingCommand, code: number, remark?: string, extFields?: ExtFields): RemotingCommand {
    return new RemotingCommand({
      code,
      remark,
      extFields,
      opaque: request.opaque,
      flag: RPC_TYPE_RESPONSE,
      serializeType: request.serializeType,
    });
  }

  get isResponse(): boolean {
    return (this.flag & RPC_TYPE_RESPONSE) !== 0;
  }

  get isOneway(): boolean {
    return (this.flag & RPC_ONEWAY) !== 0;
  }

  markResponse(): this {
    this.flag |= RPC_TYPE_RESPONSE;
    return this;
  }

  markOneway(): this {
    this.flag |= RPC_ONEWAY;
    return this;
  }

  /** Sets one extField (created on demand). */
  addExtField(key: string, value: string): this {
    (this.extFields ??= {})[key] = value;
    return this;
  }

  getExtField(key: string): string | undefined {
    const ext = this.extFields;
    return ext !== undefined && Object.prototype.hasOwnProperty.call(ext, key) ? ext[key] : undefined;
  }

  toString(): string {
    return `RemotingCommand [code=${this.code}, language=${this.language}, version=${this.version}, opaque=${this.opaque}, flag(B)=${this.flag.toString(2)}, remark=${this.remark ?? ''}, extFields=${JSON.stringify(this.extFields ?? null)}, serializeTypeCurrentRPC=${this.serializeType === SerializeType.JSON ? 'JSON' : 'ROCKETMQ'}]`;
  }
}
