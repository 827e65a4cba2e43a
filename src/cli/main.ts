#!/usr/bin/env node
/**
 * `rmq`: the command-line entry (ARCHITECTURE.md §3.2). Commands register themselves in
 * `commands.ts`; this file only dispatches and turns failures into a one-line error + exit code 1.
 */
import { COMMANDS, findCommand } from './commands.js';

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const asked = name === 'help' ? rest[0] : undefined;
    const target = asked === undefined ? undefined : findCommand(asked);
    if (asked !== undefined && target === undefined) {
      process.stderr.write(`rmq help: unknown command '${asked}'. Run 'rmq help' for the list.\n`);
      return 1;
    }
    // Admin commands' usage is a whole help page that already holds the summary.
    if (target !== undefined) process.stdout.write(target.usage.includes(target.summary) ? `${target.usage}\n` : `${target.usage}\n\n${target.summary}\n`);
    else process.stdout.write(usage());
    return 0;
  }
  const command = findCommand(name);
  if (command === undefined) {
    process.stderr.write(`rmq: unknown command '${name}'. Run 'rmq help' for the list.\n`);
    return 1;
  }
  return command.run(rest);
}

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `Usage: rmq <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'rmq help <command>' for a command's options.\n`;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`rmq: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
