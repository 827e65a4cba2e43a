import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { MessageExtBatch, MessageExtBrokerInner, Message, encodeMessages } from '../../../src/common/message/index.js';
import { DefaultMessageStore, type DefaultMessageStoreOptions } from '../../../src/broker/store/message-store.js';
import { createMessageStoreConfig, type MessageStoreConfig } from '../../../src/broker/store/store-config.js';

export async function tempStoreDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'rmq-store-'));
}

/** Small files so tests roll many times. */
export function smallConfig(root: string, overrides: Partial<MessageStoreConfig> = {}): MessageStoreConfig {
  return createMessageStoreConfig({
    storePathRootDir: root,
    mappedFileSizeCommitLog: 64 * 1024,
    mappedFileSizeConsumeQueue: 20 * 100,
    maxMessageSize: 8 * 1024,
    writeBufferSize: 64 * 1024,
    flushIntervalCommitLog: 20,
    flushIntervalConsumeQueue: 20,
    ...overrides,
  });
}

export async function openStore(config: MessageStoreConfig, options?: DefaultMessageStoreOptions): Promise<DefaultMessageStore> {
  const s = new DefaultMessageStore(config, options);
  await s.start();
  return s;
}

export function inner(topic: string, queueId: number, body: string | Buffer, tags?: string): MessageExtBrokerInner {
  const m = new MessageExtBrokerInner(topic, typeof body === 'string' ? Buffer.from(body) : body);
  m.queueId = queueId;
  if (tags !== undefined) m.tags = tags;
  m.bornTimestamp = Date.now();
  m.bornHost = { host: '127.0.0.1', port: 50000 };
  m.storeHost = { host: '127.0.0.1', port: 10911 };
  m.computeTagsCode();
  return m;
}

export function batch(topic: string, queueId: number, bodies: string[]): MessageExtBatch {
  const b = new MessageExtBatch(topic, encodeMessages(bodies.map((x) => new Message(topic, Buffer.from(x)))));
  b.queueId = queueId;
  b.bornTimestamp = Date.now();
  b.bornHost = { host: '127.0.0.1', port: 50000 };
  b.storeHost = { host: '127.0.0.1', port: 10911 };
  return b;
}
