import { readFile } from 'node:fs/promises';

import { ConfigError, parseKeyValueArgs } from '../common/util/config-schema.js';
import { parseJavaProperties } from '../common/util/java-properties.js';
import { applyNamesrvConfig, createNamesrvConfig, type NamesrvConfig } from '../namesrv/namesrv-config.js';
import { NamesrvController } from '../namesrv/namesrv-controller.js';

/** Flags of NamesrvStartup that take a value: `-c FILE` (a properties file of NamesrvConfig keys). */
const CONFIG_FILE_FLAG = '-c';
const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * `rmq namesrv [-c FILE] [--listenPort=9876] [--key=value …]`: a name server in the foreground.
 * Prints its address and a "ready" line once it accepts connections; SIGINT/SIGTERM shut it down
 * (exit 0). A bad option, an unknown key or a bad value is one error line and exit 1.
 */
export async function runNamesrvCommand(args: string[]): Promise<number> {
  let config: NamesrvConfig;
  try {
    config = await loadConfig(args);
  } catch (e: unknown) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`rmq namesrv: ${e.message}\n`);
    return 1;
  }
  const controller = new NamesrvController(config);
  try {
    await controller.start();
  } catch (e: unknown) {
    process.stderr.write(`rmq namesrv: cannot start: ${e instanceof Error ? e.message : String(e)}\n`);
    await controller.shutdown();
    return 1;
  }
  process.stdout.write(`The Name Server boot success. address=${controller.address}\n`);
  process.stdout.write(`rmq namesrv ready at ${controller.address}\n`);

  const signal = await new Promise<string>((resolve) => {
    for (const s of SHUTDOWN_SIGNALS) process.once(s, () => resolve(s));
  });
  for (const s of SHUTDOWN_SIGNALS) process.removeAllListeners(s);
  process.stdout.write(`rmq namesrv: ${signal} received, shutting down\n`);
  await controller.shutdown();
  process.stdout.write('rmq namesrv: stopped\n');
  return 0;
}

/** Defaults, then the `-c` file, then `--key=value` (later wins), as NamesrvStartup applies them. */
async function loadConfig(args: string[]): Promise<NamesrvConfig> {
  const { pairs, flags, positional } = parseKeyValueArgs(args, [CONFIG_FILE_FLAG]);
  if (positional.length > 0) throw new ConfigError(positional[0]!, `unexpected argument '${positional[0]!}'`);
  const config = createNamesrvConfig();
  const file = flags.get(CONFIG_FILE_FLAG);
  if (file !== undefined) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e: unknown) {
      throw new ConfigError(CONFIG_FILE_FLAG, `cannot read config file ${file}: ${(e as Error).message}`);
    }
    applyNamesrvConfig(config, parseJavaProperties(text));
  }
  return applyNamesrvConfig(config, pairs);
}
