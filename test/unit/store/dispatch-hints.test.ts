import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { expect } from 'chai';

import { CommitLog } from '../../../src/broker/store/commit-log.js';
import { DispatchHints } from '../../../src/broker/store/dispatch-hints.js';
import { createMessageStoreConfig } from '../../../src/broker/store/store-config.js';
import { createLogger } from '../../../src/common/logging/logger.js';
import { MessageExtBrokerInner, MessageSysFlag, checkMessageAndReturnSize, type DispatchRequest } from '../../../src/common/message/index.js';

/** A DispatchRequest as plain data (its lazy properties map by content). */
function plain(d: DispatchRequest): Record<string, unknown> {
  return { ...d, propertiesMap: [...d.propertiesMap] };
}

describe('store/DispatchHints (reput dispatches appended records without parsing them again)', () => {
  let dir: string;
  let log: CommitLog | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rmq-hints-'));
  });
  afterEach(async () => {
    await log?.shutdown();
    log = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('hands out, for every appended record, exactly the DispatchRequest parsing its bytes gives', async () => {
    const config = createMessageStoreConfig({ storePathRootDir: dir, mappedFileSizeCommitLog: 8 * 1024, maxMessageSize: 4096, writeBufferSize: 8 * 1024 });
    const c = new CommitLog(config, createLogger('test'));
    await c.load();
    c.start();
    log = c;
    const hints = new DispatchHints();
    c.dispatchHints = hints;
    const variants: [string, string, number][] = [
      ['T', 'TAGS\u0001a\u0002KEYS\u0001k1 k2\u0002UNIQ_KEY\u0001U1', 0],
      ['T', 'TAGS\u0001x\u0002TAGS\u0001y\u0002WAIT\u0001false', 0],
      ['主题', 'KEYS\u0001é\u0002TAGS\u0001标签', 0],
      ['T', 'TAGS\u0001\ud800lone', 0], // stored as U+FFFD: no hint, the reput parses
      ['T', 'UNIQ_KEY\u0001P', MessageSysFlag.TRANSACTION_PREPARED_TYPE], // queue offset 0, not consumable
      ['T', '', 0],
    ];
    const puts = [];
    for (let i = 0; i < 40; i++) {
      const [topic, props, sysFlag] = variants[i % variants.length]!;
      const m = new MessageExtBrokerInner(topic, Buffer.alloc(100 + i * 7, i));
      m.queueId = i % 3;
      m.sysFlag = sysFlag;
      m.preparedTransactionOffset = i;
      m.bornTimestamp = 1_700_000_000_000 + i;
      m.bornHost = { host: '127.0.0.1', port: 50000 };
      m.storeHost = { host: '10.0.0.1', port: 10911 };
      m.propertiesStringOverride = props;
      puts.push(c.putMessage(m));
    }
    await Promise.all(puts);
    let hinted = 0;
    let parsedOnly = 0;
    for (let offset = 0; offset < c.getMaxOffset(); ) {
      const data = (await c.getData(offset, 8 * 1024))!;
      const r = checkMessageAndReturnSize(data, 0);
      if (r.status === 'BLANK') {
        offset = c.rollNextFile(offset);
        continue;
      }
      if (r.status !== 'MESSAGE') throw new Error(`unexpected ${r.status} at ${offset}`);
      const hint = hints.take(offset);
      if (hint === undefined) parsedOnly++;
      else {
        hinted++;
        expect(plain(hint), `record at ${offset}`).to.deep.equal(plain(r.dispatch));
      }
      offset += r.size;
    }
    expect(hinted + parsedOnly).to.equal(40);
    expect(parsedOnly).to.equal(7); // the lone-surrogate records
    expect(hints.nextOffset()).to.equal(undefined);
  });

  it('drops hints the reput has passed and answers only the exact offset', () => {
    const hints = new DispatchHints();
    const req = (commitLogOffset: number) => ({ commitLogOffset }) as DispatchRequest;
    for (const o of [0, 100, 200, 300]) hints.add(req(o));
    expect(hints.take(150)).to.equal(undefined);
    expect(hints.nextOffset()).to.equal(200);
    expect(hints.take(200)?.commitLogOffset).to.equal(200);
    expect(hints.take(300)?.commitLogOffset).to.equal(300);
    expect(hints.nextOffset()).to.equal(undefined);
  });
});
