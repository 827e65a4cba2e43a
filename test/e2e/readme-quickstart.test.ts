import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

// The README's quick start lives in examples/quickstart.ts; running it keeps the README true.
describe('README quick start (e2e)', () => {
  it('sends one message and consumes it through an in-process LocalCluster', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'examples/quickstart.ts'], {
      timeout: 60_000,
      env: { ...process.env, RMQ_LOG_LEVEL: 'error' },
    });
    const sent = /^sent SEND_OK ([0-9A-F]{32,56})$/m.exec(stdout);
    expect(sent, stdout).to.not.equal(null);
    expect(stdout).to.include(`received ${sent![1]} hello`);
  });
});
