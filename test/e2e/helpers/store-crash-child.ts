/*
 * Crash-test child: opens a DefaultMessageStore at argv[2] (flush mode argv[3]) and puts messages
 * from several concurrent producers until it is killed. Prints `READY` once started, then one line
 * per acknowledged put: `ACK <wroteOffset> <queueId> <queueOffset> <key>`. Lines go to a pipe,
 * which Node writes synchronously on Linux, so a printed ack really was acknowledged before the kill.
 *
 * Run: node --import tsx test/e2e/helpers/store-crash-child.ts <root> SYNC_FLUSH|ASYNC_FLUSH
 */
import { setTimeout as sleep } from 'node:timers/promises';

import { createLogger } from '../../../src/common/logging/logger.js';
import { MessageExtBrokerInner, setUniqID } from '../../../src/common/message/index.js';
import { DefaultMessageStore } from '../../../src/broker/store/message-store.js';
import { isPutOk } from '../../../src/broker/store/put-message-result.js';
import { crashStoreConfig, CRASH_QUEUES, CRASH_TOPIC } from './store-crash-config.js';

const PRODUCERS = 4;
/**
 * ASYNC_FLUSH puts resolve at memory speed; a pause per put keeps each life to a few hundred
 * messages so the suite stays fast, while puts are still in flight whenever the kill lands.
 */
const ASYNC_PAUSE_MS = 1;
const MIN_BODY = 50;
const MAX_BODY = 3000;

async function main(): Promise<void> {
  const [root, mode] = process.argv.slice(2);
  if (root === undefined || (mode !== 'SYNC_FLUSH' && mode !== 'ASYNC_FLUSH')) throw new Error('usage: <root> SYNC_FLUSH|ASYNC_FLUSH');
  const store = new DefaultMessageStore(crashStoreConfig(root, mode), { logger: createLogger('crash-child') });
  await store.start();
  process.stdout.write(`READY ${store.lastRecovery?.abnormal === true ? 'abnormal' : 'normal'}\n`);
  let n = 0;
  const producer = async (): Promise<void> => {
    for (;;) {
      const i = n++;
      const key = `k${process.pid}-${i}`;
      const m = new MessageExtBrokerInner(CRASH_TOPIC, Buffer.alloc(MIN_BODY + ((i * 7919) % (MAX_BODY - MIN_BODY)), i % 256));
      m.queueId = i % CRASH_QUEUES;
      m.keys = key;
      m.tags = i % 2 === 0 ? 'even' : 'odd';
      setUniqID(m);
      m.bornTimestamp = Date.now();
      m.bornHost = { host: '127.0.0.1', port: 50000 };
      m.storeHost = { host: '127.0.0.1', port: 10911 };
      m.computeTagsCode();
      const r = await store.putMessage(m);
      if (mode === 'ASYNC_FLUSH') await sleep(ASYNC_PAUSE_MS);
      if (r.status !== 'PUT_OK' || !isPutOk(r)) continue;
      const a = r.appendMessageResult;
      process.stdout.write(`ACK ${a.wroteOffset} ${m.queueId} ${a.logicsOffset} ${key}\n`);
    }
  };
  await Promise.all(Array.from({ length: PRODUCERS }, producer));
}

main().catch((e: unknown) => {
  process.stderr.write(`crash child failed: ${String((e as Error).stack ?? e)}\n`);
  process.exit(1);
});
