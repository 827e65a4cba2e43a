import { RemotingCommandException } from '../../errors.js';
import { RemotingCommand, type ExtFields } from '../../remoting/remoting-command.js';
import type { HeaderCodec } from '../header.js';
import { ResponseCode } from '../response-code.js';

/**
 * Putting a typed custom header on a command and reading one off it (Java's customHeader /
 * makeCustomHeaderToNet / decodeCommandCustomHeader).
 *
 * Java keeps the header object aside and copies its fields into extFields only when encoding; we
 * copy at once, which keeps RemotingCommand a plain value. Two consequences are handled here so the
 * bytes still match Java's:
 *  - A FastCodesHeader's fields become the *leading* extFields, in declaration order, and
 *    `fastFieldCount` says how many: the ROCKETMQ writer puts them first, the JSON writer treats them
 *    as inserted last into the HashMap (frame-codec.ts). For the four fast headers of 4.9.8, keys
 *    that can share a bucket come in the same relative order by declaration as by reflection (a
 *    unit test checks it), so the JSON bytes still match.
 *  - Any other header's fields are appended after the extFields already present, as
 *    makeCustomHeaderToNet appends to a map filled by addExtField, and in Java's reflective field
 *    order (HeaderCodec.javaFieldOrder), which decides the order of keys sharing a HashMap bucket in
 *    a JSON header (seen in real UPDATE_CONSUMER_OFFSET frames). Extra fields a Java caller adds
 *    *after* creating the command (QueryMessage's `_UNIQUE_KEY_QUERY`) have their own helpers that
 *    insert them ahead of the header.
 */
export function setHeader<T>(cmd: RemotingCommand, codec: HeaderCodec<T>, header: T): RemotingCommand {
  // Hot path (every send, pull and their responses): no intermediate objects beyond the result.
  const fields = codec.encode(header);
  const ext = cmd.extFields;
  if (codec.fastCodes) {
    // `fields` is a fresh object from the codec, already in declaration order: it becomes extFields,
    // with the other keys appended after it.
    let count = 0;
    for (const key in fields) if (hasOwn.call(fields, key)) count++;
    if (ext !== undefined) appendOtherExtFields(fields, ext, cmd.fastFieldCount, codec);
    cmd.extFields = fields;
    cmd.fastFieldCount = count;
  } else {
    const ordered: ExtFields = {};
    if (ext !== undefined) appendOtherExtFields(ordered, ext, cmd.fastFieldCount, codec);
    const order = codec.javaFieldOrder;
    for (let i = 0; i < order.length; i++) {
      const key = order[i]!;
      const value = fields[key];
      if (value !== undefined) ordered[key] = value;
    }
    cmd.extFields = ordered;
    cmd.fastFieldCount = 0;
  }
  return cmd;
}

/**
 * Decodes `codec`'s header from the command's extFields (other keys are ignored). Throws
 * RemotingCommandException "the custom field <x> is null" for a missing required field, or naming
 * a field whose value does not parse; a server answers it with `customHeaderErrorResponse`.
 */
export function readHeader<T>(cmd: RemotingCommand, codec: HeaderCodec<T>): T {
  return codec.decode(cmd.extFields);
}

/** A new request (fresh opaque) carrying `header`. */
export function createRequestWithHeader<T>(code: number, codec: HeaderCodec<T>, header: T, body?: Buffer): RemotingCommand {
  return setHeader(RemotingCommand.createRequest(code, undefined, body), codec, header);
}

/** A response to `request` (same opaque and serialization) carrying `header`. */
export function createResponseWithHeader<T>(
  request: RemotingCommand,
  code: number,
  codec: HeaderCodec<T>,
  header: T,
  remark?: string,
): RemotingCommand {
  return setHeader(RemotingCommand.createResponse(request, code, remark), codec, header);
}

/**
 * The answer to a request whose custom header could not be decoded: SYSTEM_ERROR with the
 * exception's text as remark, as a Java server answers an exception thrown while processing.
 */
export function customHeaderErrorResponse(request: RemotingCommand, error: RemotingCommandException): RemotingCommand {
  return RemotingCommand.createResponse(request, ResponseCode.SYSTEM_ERROR, error.message);
}

const hasOwn = Object.prototype.hasOwnProperty;

/** A header schema's wire keys as a Set, built once per codec (keyed by its wireKeys array). */
const wireKeySets = new WeakMap<readonly string[], ReadonlySet<string>>();

function wireKeySet<T>(codec: HeaderCodec<T>): ReadonlySet<string> {
  const keys = codec.wireKeys;
  let set = wireKeySets.get(keys);
  if (set === undefined) {
    set = new Set(keys);
    wireKeySets.set(keys, set);
  }
  return set;
}

/**
 * Appends to `out`, in order, the command's extFields minus those a previous setHeader of this or
 * another fast header wrote: its first `fastFieldCount` own keys, and `codec`'s own wire keys.
 */
function appendOtherExtFields<T>(out: ExtFields, ext: ExtFields, fastFieldCount: number, codec: HeaderCodec<T>): void {
  const own = wireKeySet(codec);
  let index = 0;
  for (const key in ext) {
    if (!hasOwn.call(ext, key)) continue;
    if (index++ < fastFieldCount || own.has(key)) continue;
    out[key] = ext[key]!;
  }
}
