/** The message model and its codecs (PROTOCOL.md §4, §5): one record codec for store, pull and client. */
export { Message } from './message.js';
export { MessageExt } from './message-ext.js';
export { MessageExtBatch, MessageExtBrokerInner, withHostFlags } from './message-ext-broker-inner.js';
export { MessageConst, STRING_HASH_SET } from './message-const.js';
export {
  CompressionType,
  MessageSysFlag,
  clearCompressedFlag,
  compressionFlag,
  getCompressionType,
  getTransactionValue,
  isBornHostV6,
  isCompressed,
  isStoreHostV6,
  resetTransactionValue,
} from './message-sys-flag.js';
export {
  MAX_PROPERTIES_LENGTH,
  NAME_VALUE_SEPARATOR,
  PROPERTY_SEPARATOR,
  isValidPropertyText,
  messageProperties2String,
  string2messageProperties,
  type PropertiesOrder,
} from './properties-codec.js';
export { tagsString2tagsCode } from './tags.js';
export { BODY_CRC_MASK, bodyCRC } from './body-crc.js';
export {
  COMPRESS_MSG_BODY_OVER_HOWMUCH,
  DEFAULT_COMPRESS_LEVEL,
  compressBody,
  decompressBody,
  shouldCompressBody,
} from './compression.js';
export {
  IPV4_MSG_ID_HEX_LENGTH,
  IPV6_MSG_ID_HEX_LENGTH,
  createMessageId,
  decodeMessageId,
  type MessageId,
} from './message-id.js';
export {
  UniqIdGenerator,
  createFakeIP,
  createUniqID,
  getIPStrFromID,
  getLocalIP,
  getNearlyTimeFromID,
  getPidFromID,
  getUniqID,
  parseUniqID,
  setUniqID,
  type InterfaceAddress,
  type UniqIdGeneratorOptions,
  type UniqIdInfo,
} from './message-client-id.js';
export {
  IPV4_SOCKET_ADDRESS_LENGTH,
  IPV6_SOCKET_ADDRESS_LENGTH,
  ipBytesToString,
  ipToBytes,
  isIPv6Host,
  parseSocketAddress,
  readSocketAddress,
  socketAddressLength,
  socketAddressToBytes,
  socketAddressToString,
  writeSocketAddress,
  type SocketAddress,
} from './socket-address.js';
export { readInt64BE, writeInt64BE } from './int64.js';
export * from './record-layout.js';
export {
  encodeMessageExt,
  encodeRecord,
  measureRecord,
  measureRecordInto,
  patchAppendFields,
  recordInputOf,
  withBodyCRC,
  writeBlankRecord,
  type AppendFields,
  type RecordEncodeInput,
  type RecordSize,
} from './record-encoder.js';
export {
  checkMessageAndReturnSize,
  decodeRecord,
  decodes,
  type CheckOptions,
  type DecodeOptions,
  type DispatchRequest,
  type RecordCheckResult,
  type RecordCorruption,
} from './record-decoder.js';
export {
  BATCH_ENTRY_FIXED_LENGTH,
  decodeMessages,
  encodeBatchRecords,
  encodeMessages,
  measureBatchRecords,
  readBatchEntries,
  type BatchAppend,
  type BatchEntry,
  type BatchRecordsResult,
} from './batch-codec.js';
