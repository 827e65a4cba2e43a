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
  const fields = codec.encode(header);
  const others = otherExtFields(cmd, codec);
  if (codec.fastCodes) {
    cmd.extFields = { ...fields, ...others };
    cmd.fastFieldCount = Object.keys(fields).length;
  } else {
    const ordered: ExtFields = { ...others };
    for (const key of codec.javaFieldOrder) {
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

/** The command's extFields minus those a previous setHeader of this or another fast header wrote. */
function otherExtFields<T>(cmd: RemotingCommand, codec: HeaderCodec<T>): ExtFields {
  const out: ExtFields = {};
  const ext = cmd.extFields;
  if (ext === undefined) return out;
  const own = new Set(codec.wireKeys);
  Object.entries(ext).forEach(([key, value], index) => {
    if (index < cmd.fastFieldCount || own.has(key)) return;
    out[key] = value;
  });
  return out;
}
