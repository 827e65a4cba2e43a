import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createMessageStoreConfig, type MessageStoreConfig } from '../../src/broker/store/store-config.js';
import { MessageExtBrokerInner } from '../../src/common/message/index.js';

/*
 * What the store benches build on (the bench imports no test code): a scratch store directory, a
 * store config sized for throughput, and messages shaped like the ones a send processor hands the store.
 */

const MiB = 1024 * 1024;

/** A fresh directory under the OS temp dir: the same disk the raw baselines write to. */
export async function tempStoreDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'rmq-bench-store-'));
}

/** Large files (few rolls per run) and 8 MiB write buffers; flush intervals as in a broker. */
export function benchStoreConfig(root: string, overrides: Partial<MessageStoreConfig> = {}): MessageStoreConfig {
  return createMessageStoreConfig({
    storePathRootDir: root,
    mappedFileSizeCommitLog: 256 * MiB,
    mappedFileSizeConsumeQueue: 20 * 100_000,
    maxMessageSize: 4 * MiB,
    writeBufferSize: 8 * MiB,
    ...overrides,
  });
}

const BORN_HOST = Object.freeze({ host: '127.0.0.1', port: 50000 });
const STORE_HOST = Object.freeze({ host: '127.0.0.1', port: 10911 });

/**
 * One message as SendMessageProcessor builds it: topic, queue, body, born/store hosts, and the
 * properties string a producer sends (UNIQ_KEY, WAIT, TAGS) stored verbatim.
 */
export function benchMessage(topic: string, queueId: number, body: Buffer, seq: number): MessageExtBrokerInner {
  const m = new MessageExtBrokerInner(topic, body);
  m.queueId = queueId;
  m.bornTimestamp = Date.now();
  m.bornHost = BORN_HOST;
  m.storeHost = STORE_HOST;
  m.tagsCode = TAGS_CODE;
  // A fresh string per message, as the request decoder hands the processor; its 8 hex digits come
  // from a table: a broker formats no UNIQ_KEY (the producer did), and toString(16).toUpperCase()
  // .padStart() cost ~0.3 us per message, several % of the put phase, that no broker spends.
  m.propertiesStringOverride = `UNIQ_KEY\u0001${UNIQ_PREFIX}${HEX4[(seq >>> 16) & 0xffff]}${HEX4[seq & 0xffff]}\u0002WAIT\u0001true\u0002TAGS\u0001TagA\u0002`;
  return m;
}

/** 4 upper-case hex digits of every 16-bit value. */
const HEX4: readonly string[] = Array.from({ length: 65536 }, (_, i) => i.toString(16).toUpperCase().padStart(4, '0'));

/** A client id prefix (ip, pid, class loader hash, time) as MessageClientIDSetter makes: 24 of 32 hex digits. */
const UNIQ_PREFIX = '7F000001A1B2C3D4E5F60718';
/** String.hashCode("TagA"): the ConsumeQueue tagsCode of TAGS=TagA. */
const TAGS_CODE = 2598919;
