import { open, readFile, unlink, writeFile, access } from 'node:fs/promises';

/**
 * The `lock` file: two stores never open one directory. Java holds an OS file lock (FileChannel
 * .tryLock), which Node cannot take. Ours: create `lock` exclusively (O_EXCL) and write our pid. If it
 * exists, the holder's pid is checked with signal 0: alive (including this very process, for two
 * stores in one process) means locked; dead means a crash left it behind and it is taken over.
 * A Java broker ignores the file's contents, so the bytes are harmless to it.
 */
export class StoreLock {
  private held = false;

  constructor(private readonly path: string) {}

  async acquire(): Promise<void> {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const h = await open(this.path, 'wx');
        try {
          await h.writeFile(`${process.pid}\n`);
        } finally {
          await h.close();
        }
        this.held = true;
        return;
      } catch (e: unknown) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const pid = Number.parseInt((await readFile(this.path, 'utf8')).trim(), 10);
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
        throw new Error(`store directory is locked by process ${pid} (${this.path})`);
      }
      // Stale lock of a dead process (or an empty one written by Java): replace it.
      await unlink(this.path);
    }
    throw new Error(`could not take the store lock ${this.path}`);
  }

  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    await unlink(this.path);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e: unknown) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The `abort` marker: present while a store runs, so its presence at start means a crash. */
export const AbortFile = {
  async exists(path: string): Promise<boolean> {
    try {
      await access(path);
      return true;
    } catch (e: unknown) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw e;
    }
  },
  async create(path: string): Promise<void> {
    await writeFile(path, '');
  },
  async remove(path: string): Promise<void> {
    await unlink(path);
  },
};
