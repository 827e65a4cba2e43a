import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** How long `rmq dev` may take to print its ready line (tsx compiles the broker on first start). */
const READY_TIMEOUT_MILLIS = 60_000;
/** How long a stopping broker may take to flush and exit before it is killed. */
const STOP_TIMEOUT_MILLIS = 15_000;
const CLI_ENTRY = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const READY_LINE = /rmq dev ready: namesrvAddr=(\S+) brokerAddr=(\S+)/;
/** Extra node options for the broker child, space-separated (e.g. `--cpu-prof --cpu-prof-dir=/tmp/p` to profile it). */
const CHILD_NODE_OPTIONS_ENV = 'RMQ_BENCH_BROKER_NODE_OPTIONS';
/** A file to copy the child's stdout to (e.g. its --trace-gc lines). */
const CHILD_STDOUT_ENV = 'RMQ_BENCH_BROKER_STDOUT';

/**
 * A name server + broker in a child process, as it is deployed: `rmq dev` (the repo's CLI, run
 * through tsx like the bench itself) on ephemeral loopback ports with a temporary store, so the
 * broker has its own event loop and heap instead of sharing the bench's. `stop()` sends SIGTERM
 * (the CLI's clean shutdown) and removes the store.
 */
export class BrokerProcess {
  private constructor(
    private readonly child: ChildProcess,
    private readonly storeDir: string,
    readonly namesrvAddr: string,
    readonly brokerAddr: string,
    readonly pid: number,
  ) {
    // With --trace-gc in RMQ_BENCH_BROKER_NODE_OPTIONS V8 prints one line per GC on stdout: count the scavenges.
    const copyTo = process.env[CHILD_STDOUT_ENV];
    const copy = copyTo !== undefined && copyTo !== '' ? createWriteStream(copyTo) : undefined;
    child.stdout?.on('data', (chunk: Buffer) => {
      copy?.write(chunk);
      const text = chunk.toString('latin1');
      for (let i = text.indexOf('Scavenge'); i >= 0; i = text.indexOf('Scavenge', i + 8)) this.scavengeLines++;
    });
  }

  private scavengeLines = 0;

  /** Scavenges the child has printed so far (only counted when it runs with --trace-gc, else 0). */
  scavenges(): number {
    return this.scavengeLines;
  }

  /** `nodeOptions` go to the child's node (e.g. GC settings); `brokerArgs` are `--key=value` broker/store keys. */
  static async start(opts: { nodeOptions?: readonly string[]; brokerArgs?: readonly string[] } = {}): Promise<BrokerProcess> {
    const storeDir = await mkdtemp(join(tmpdir(), 'rmq-bench-broker-'));
    const fromEnv = (process.env[CHILD_NODE_OPTIONS_ENV] ?? '').split(' ').filter((o) => o !== '');
    const args = [...(opts.nodeOptions ?? []), '--import', 'tsx', ...fromEnv, CLI_ENTRY, 'dev', '--namesrvPort=0', '--listenPort=0', `--storePathRootDir=${storeDir}`, ...(opts.brokerArgs ?? [])];
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, RMQ_LOG_LEVEL: process.env['RMQ_LOG_LEVEL'] ?? 'error' },
    });
    try {
      const [namesrvAddr, brokerAddr] = await waitForReady(child);
      return new BrokerProcess(child, storeDir, namesrvAddr, brokerAddr, child.pid ?? -1);
    } catch (e: unknown) {
      child.kill('SIGKILL');
      await rm(storeDir, { recursive: true, force: true });
      throw e;
    }
  }

  /** CPU seconds (user + system) the child has used so far, from /proc (Linux); undefined elsewhere. */
  async cpuSeconds(): Promise<number | undefined> {
    try {
      const { readFile } = await import('node:fs/promises');
      const stat = await readFile(`/proc/${this.pid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces) start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14, 15)
      return ticks / CLOCK_TICKS_PER_SECOND;
    } catch {
      return undefined;
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      this.child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const killed = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          this.child.kill('SIGKILL');
          resolve();
        }, STOP_TIMEOUT_MILLIS);
      });
      await Promise.race([exited, killed]);
      clearTimeout(timer);
    }
    await rm(this.storeDir, { recursive: true, force: true });
  }
}

/** USER_HZ: Linux reports /proc CPU times in 1/100 s on every common platform. */
const CLOCK_TICKS_PER_SECOND = 100;

function waitForReady(child: ChildProcess): Promise<[string, string]> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => fail(new Error(`rmq dev did not report ready within ${READY_TIMEOUT_MILLIS} ms: ${seen}`)), READY_TIMEOUT_MILLIS);
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString('utf8');
      const m = READY_LINE.exec(seen);
      if (m !== null) {
        cleanup();
        // Keep draining stdout so a chatty child never blocks on a full pipe.
        child.stdout?.resume();
        resolve([m[1]!, m[2]!]);
      }
    };
    const onExit = (code: number | null, signal: string | null): void => fail(new Error(`rmq dev exited before ready (code ${code}, signal ${signal}): ${seen}`));
    const fail = (e: Error): void => {
      cleanup();
      reject(e);
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}
