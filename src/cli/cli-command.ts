/** One `rmq` command: what `rmq help` lists and what main.ts runs (exit code as the result). */
export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(args: string[]): Promise<number>;
}
