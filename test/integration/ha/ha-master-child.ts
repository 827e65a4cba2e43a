/*
 * Child process of the kill -9 test: a SYNC_MASTER store with its HAService, putting messages as
 * fast as acks allow (64 in flight). Prints "port <haPort>" once listening, then one line
 * "ack <wroteOffset> <wroteBytes> <body>" per PUT_OK (acknowledged = on the slave, by contract).
 */
import { createLogger } from '../../../src/common/logging/logger.js';
import { HAService } from '../../../src/broker/ha/ha-service.js';
import { haConfig } from './ha-fixtures.js';
import { inner, openStore } from '../store/store-fixtures.js';

const IN_FLIGHT = 64;
const root = process.argv[2]!;
const config = haConfig(root, { brokerRole: 'SYNC_MASTER', slaveTimeout: 3000 });
const store = await openStore(config);
const ha = new HAService(store, config, { log: createLogger('ha-child') });
store.haService = ha;
await ha.start('127.0.0.1', 0);
process.stdout.write(`port ${ha.port}\n`);
while (ha.connectionCount === 0) await new Promise((r) => setTimeout(r, 10));
let seq = 0;
const worker = async (): Promise<void> => {
  for (;;) {
    const body = `msg-${seq++}-${'x'.repeat(200)}`;
    const r = await store.putMessage(inner('HA_KILL', seq % 4, body));
    if (r.status === 'PUT_OK' && 'appendMessageResult' in r) {
      process.stdout.write(`ack ${r.appendMessageResult.wroteOffset} ${r.appendMessageResult.wroteBytes} ${body.slice(0, body.indexOf('-x'))}\n`);
    }
  }
};
await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
