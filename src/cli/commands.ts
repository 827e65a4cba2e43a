/**
 * The command table of `rmq`. Each command is one entry; the server commands (`dev`, `namesrv`,
 * `broker`) and mqadmin's everyday set.
 */
import { ADMIN_COMMANDS } from './admin/index.js';
import type { CliCommand } from './cli-command.js';

export type { CliCommand } from './cli-command.js';

// The server commands load the broker and store only when run: an admin command (a short-lived
// child in scripts) then starts in about half the time.
export const COMMANDS: readonly CliCommand[] = [
  {
    name: 'dev',
    summary: 'name server + one master broker in one process (local defaults)',
    usage: 'rmq dev [--namesrvPort=9876] [--listenPort=10911] [--storePathRootDir=DIR] [--key=value …]',
    run: async (args) => (await import('./dev-command.js')).runDevCommand(args),
  },
  {
    name: 'namesrv',
    summary: 'the name server alone',
    usage: 'rmq namesrv [-c FILE] [--listenPort=9876] [--key=value …]',
    run: async (args) => (await import('./namesrv-command.js')).runNamesrvCommand(args),
  },
  {
    name: 'broker',
    summary: 'a broker alone, registering with the given name servers',
    usage: 'rmq broker -n HOST:PORT[;HOST:PORT] [-c broker.conf] [--key=value …]',
    run: async (args) => (await import('./broker-command.js')).runBrokerCommand(args),
  },
  // mqadmin's everyday set (issue 11), in src/cli/admin/.
  ...ADMIN_COMMANDS,
];

export function findCommand(name: string): CliCommand | undefined {
  return COMMANDS.find((c) => c.name === name);
}
