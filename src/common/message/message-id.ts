import { RemotingCommandException } from '../errors.js';
import { readInt64BE, writeInt64BE } from './int64.js';
import {
  IPV4_LENGTH,
  IPV4_SOCKET_ADDRESS_LENGTH,
  IPV6_LENGTH,
  IPV6_SOCKET_ADDRESS_LENGTH,
  readSocketAddress,
  socketAddressLength,
  writeSocketAddress,
  type SocketAddress,
} from './socket-address.js';

/*
 * The offset message id (Java's MessageDecoder.createMessageId / decodeMessageId, PROTOCOL.md §4.6):
 * upper-case hex of
 *
 *   +---------------------+-------------+-----------------------------+
 *   | storeHost IP (4/16) | port (int32) | commitLog offset (int64)    |
 *   +---------------------+-------------+-----------------------------+
 *
 * 16 bytes = 32 hex chars for IPv4, 28 bytes = 56 chars for IPv6. The broker answers a send with it
 * (SendResult.offsetMsgId); VIEW_MESSAGE_BY_ID needs only its offset part.
 */

/** Hex length of an offset msgId (and of a UNIQ_KEY) with an IPv4 address. */
export const IPV4_MSG_ID_HEX_LENGTH = (IPV4_SOCKET_ADDRESS_LENGTH + 8) * 2;
/** Hex length with an IPv6 address. */
export const IPV6_MSG_ID_HEX_LENGTH = (IPV6_SOCKET_ADDRESS_LENGTH + 8) * 2;

export interface MessageId {
  readonly address: SocketAddress;
  readonly offset: number;
}

export function createMessageId(storeHost: SocketAddress, commitLogOffset: number): string {
  const len = socketAddressLength(storeHost);
  const buf = Buffer.allocUnsafe(len + 8);
  writeSocketAddress(buf, 0, storeHost);
  writeInt64BE(buf, commitLogOffset, len);
  return buf.toString('hex').toUpperCase();
}

/**
 * Like Java, the length alone tells the family: exactly 32 chars is IPv4, 56 is IPv6; anything else,
 * or non-hex text, is rejected (Java would throw deep inside a ByteBuffer).
 */
export function decodeMessageId(msgId: string): MessageId {
  const v6 = msgId.length === IPV6_MSG_ID_HEX_LENGTH;
  if ((!v6 && msgId.length !== IPV4_MSG_ID_HEX_LENGTH) || !/^[0-9a-fA-F]*$/.test(msgId)) {
    throw new RemotingCommandException(`not an offset message id: ${JSON.stringify(msgId)}`);
  }
  const buf = Buffer.from(msgId, 'hex');
  const address = readSocketAddress(buf, 0, v6);
  return { address, offset: readInt64BE(buf, (v6 ? IPV6_LENGTH : IPV4_LENGTH) + 4) };
}
