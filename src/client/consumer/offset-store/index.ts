/** Consumer offset stores (client/consumer/store): broker-side for clustering, a local file for broadcasting. */
export { OFFSET_NOT_FOUND, OFFSET_READ_ERROR, ReadOffsetType, type OffsetStore } from './offset-store.js';
export { RemoteBrokerOffsetStore, OFFSET_REQUEST_TIMEOUT_MILLIS, type OffsetStoreClientInstance } from './remote-broker-offset-store.js';
export { LocalFileOffsetStore, defaultLocalOffsetStoreDir, LOCAL_OFFSET_STORE_DIR_ENV, OFFSETS_FILE_NAME } from './local-file-offset-store.js';
export { decodeOffsetSerializeWrapper, encodeOffsetSerializeWrapper, type OffsetSerializeWrapper } from './offset-serialize-wrapper.js';
