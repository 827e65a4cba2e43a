import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { decodeRecord } from '../../src/common/message/index.js';
import { haConfig, startNode, stopNode, waitFor, type HANode } from '../integration/ha/ha-fixtures.js';
import { tempStoreDir } from '../integration/store/store-fixtures.js';

const CHILD = join(dirname(fileURLToPath(import.meta.url)), '../integration/ha/ha-master-child.ts');
/** Acks to see before the kill: enough that the kill lands mid-stream. */
const ACKS_BEFORE_KILL = 3000;

describe('HA e2e: kill -9 of a SYNC_MASTER under load', function () {
  this.timeout(40_000);
  let slave: HANode | undefined;
  const dirs: string[] = [];

  after(async () => {
    if (slave !== undefined) await stopNode(slave);
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('every message whose put was acknowledged is in the slave store, byte for byte readable', async () => {
    const [md, sd] = [await tempStoreDir(), await tempStoreDir()];
    dirs.push(md, sd);
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, md], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const acks: { offset: number; size: number; body: string }[] = [];
    let port = 0;
    let partial = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        const [kind, a, b, c] = line.split(' ');
        if (kind === 'port') port = Number(a);
        else if (kind === 'ack') acks.push({ offset: Number(a), size: Number(b), body: c! });
      }
    });
    try {
      await waitFor('child HA port', () => port > 0, 15_000);
      slave = await startNode(haConfig(sd, { brokerRole: 'SLAVE' }));
      slave.ha.updateMasterAddress(`127.0.0.1:${port}`);
      await waitFor('acks', () => acks.length >= ACKS_BEFORE_KILL, 20_000);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    // Lines read after the kill were still written before it: they count too.
    assert.ok(acks.length >= ACKS_BEFORE_KILL);
    const s = slave!.store;
    const maxAcked = Math.max(...acks.map((a) => a.offset + a.size));
    assert.ok(s.getMaxPhyOffset() >= maxAcked, `slave max ${s.getMaxPhyOffset()} < acked ${maxAcked}`);
    for (const a of acks) {
      const rec = await s.selectOneMessageByOffset(a.offset, a.size);
      assert.ok(rec !== undefined, `acked offset ${a.offset} missing on the slave`);
      const m = decodeRecord(rec, 0);
      assert.ok(Buffer.from(m.body ?? []).toString().startsWith(`${a.body}-x`), `offset ${a.offset}`);
    }
  });
});
