import { MessageSysFlag } from './message-sys-flag.js';
import { IPV4_SOCKET_ADDRESS_LENGTH, IPV6_SOCKET_ADDRESS_LENGTH } from './socket-address.js';

/*
 * The CommitLog record (format v1, PROTOCOL.md §5.1): what the store appends, a pull / query / view
 * response body concatenates, and the client decodes. All integers big-endian.
 *
 *   pos  size
 *     0     4  TOTALSIZE                 whole record, this field included
 *     4     4  MAGICCODE                 MESSAGE_MAGIC_CODE 0xDAA320A7
 *     8     4  BODYCRC                   crc32(body as stored) & 0x7FFFFFFF
 *    12     4  QUEUEID
 *    16     4  FLAG                      Message.flag
 *    20     8  QUEUEOFFSET               ConsumeQueue index, set at append
 *    28     8  PHYSICALOFFSET            CommitLog offset of this record, set at append
 *    36     4  SYSFLAG                   MessageSysFlag (v6 bits size the two hosts)
 *    40     8  BORNTIMESTAMP
 *    48  8/20  BORNHOST                  ip(4/16) + port int32
 *     S     8  STORETIMESTAMP            S = 56 / 68; set at append (inside the put lock)
 *   S+8  8/20  STOREHOSTADDRESS          ip(4/16) + port int32
 *     .     4  RECONSUMETIMES
 *     .     8  PREPARED TRANSACTION OFFSET
 *     .   4+n  BODYLENGTH int32, BODY
 *     .   1+n  TOPICLENGTH signed byte (≤ 127), TOPIC UTF-8
 *     .   2+n  PROPERTIESLENGTH int16 (≤ 32767), PROPERTIES UTF-8
 *
 * At a file's end, when a record plus END_FILE_MIN_BLANK_LENGTH does not fit, the store writes the
 * 8-byte BLANK record {int32 bytes-left-in-file, BLANK_MAGIC_CODE} and continues in the next file.
 */

/** CommitLog.MESSAGE_MAGIC_CODE (0xDAA320A7 as int32). */
export const MESSAGE_MAGIC_CODE = -626843481;
/** CommitLog.BLANK_MAGIC_CODE (0xCBD43194 as int32). */
export const BLANK_MAGIC_CODE = -875286124;
/** CommitLog.DefaultAppendMessageCallback.END_FILE_MIN_BLANK_LENGTH: total size + magic of a BLANK record. */
export const END_FILE_MIN_BLANK_LENGTH = 4 + 4;

export const TOTAL_SIZE_POSITION = 0;
/** MessageDecoder.MESSAGE_MAGIC_CODE_POSTION (sic). */
export const MESSAGE_MAGIC_CODE_POSTION = 4;
export const BODY_CRC_POSITION = 8;
export const QUEUE_ID_POSITION = 12;
/** MessageDecoder.MESSAGE_FLAG_POSTION (sic). */
export const MESSAGE_FLAG_POSTION = 16;
/** MessageDecoder.QUEUE_OFFSET_POSITION. */
export const QUEUE_OFFSET_POSITION = 20;
/** MessageDecoder.PHY_POS_POSITION (= MESSAGE_PHYSIC_OFFSET_POSTION). */
export const PHY_POS_POSITION = 28;
/** MessageDecoder.SYSFLAG_POSITION. */
export const SYSFLAG_POSITION = 36;
export const BORN_TIMESTAMP_POSITION = 40;
export const BORN_HOST_POSITION = 48;

/** Topic length is a signed byte: Byte.MAX_VALUE. */
export const MAX_TOPIC_LENGTH = 127;

/** The record length with IPv4 hosts, empty body, topic and properties (91). */
export const RECORD_FIXED_LENGTH_V4 =
  4 + 4 + 4 + 4 + 4 + 8 + 8 + 4 + 8 + IPV4_SOCKET_ADDRESS_LENGTH + 8 + IPV4_SOCKET_ADDRESS_LENGTH + 4 + 8 + 4 + 1 + 2;

export function bornHostLength(sysFlag: number): number {
  return (sysFlag & MessageSysFlag.BORNHOST_V6_FLAG) === 0 ? IPV4_SOCKET_ADDRESS_LENGTH : IPV6_SOCKET_ADDRESS_LENGTH;
}

export function storeHostLength(sysFlag: number): number {
  return (sysFlag & MessageSysFlag.STOREHOSTADDRESS_V6_FLAG) === 0 ? IPV4_SOCKET_ADDRESS_LENGTH : IPV6_SOCKET_ADDRESS_LENGTH;
}

/** STORETIMESTAMP's position: 56 with an IPv4 born host, 68 with IPv6. */
export function storeTimestampPosition(sysFlag: number): number {
  return BORN_HOST_POSITION + bornHostLength(sysFlag);
}

export function storeHostPosition(sysFlag: number): number {
  return storeTimestampPosition(sysFlag) + 8;
}

export function reconsumeTimesPosition(sysFlag: number): number {
  return storeHostPosition(sysFlag) + storeHostLength(sysFlag);
}

/** BODYLENGTH's position (after RECONSUMETIMES and PREPARED TRANSACTION OFFSET). */
export function bodyLengthPosition(sysFlag: number): number {
  return reconsumeTimesPosition(sysFlag) + 4 + 8;
}

/**
 * CommitLog.calMsgLength: the record size for these lengths (bytes, UTF-8) and host families. Each
 * IPv6 host adds 12 bytes to the 91 of an IPv4 record.
 */
export function calMsgLength(sysFlag: number, bodyLength: number, topicLength: number, propertiesLength: number): number {
  return (
    bodyLengthPosition(sysFlag) +
    4 + (bodyLength > 0 ? bodyLength : 0) +
    1 + topicLength +
    2 + (propertiesLength > 0 ? propertiesLength : 0)
  );
}
