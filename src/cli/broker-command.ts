import { readFile } from 'node:fs/promises';

import { BrokerController } from '../broker/broker-controller.js';
import { loadBrokerConfigs, type BrokerConfigs } from '../broker/broker-config.js';
import { ConfigError, parseKeyValueArgs } from '../common/util/config-schema.js';
import { parseJavaProperties } from '../common/util/java-properties.js';

const CONFIG_FILE_FLAG = '-c';
const NAMESRV_FLAG = '-n';
export const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * `rmq broker -n HOST:PORT[;HOST:PORT] [-c broker.conf] [--key=value …]`: one broker in the
 * foreground (BrokerStartup). Defaults, then the `-c` file, then `--key=value`, then `-n`; prints its
 * address and a "ready" line; SIGINT/SIGTERM shut it down (exit 0). A bad key: one line, exit 1.
 */
export async function runBrokerCommand(args: string[]): Promise<number> {
  let configs: BrokerConfigs;
  try {
    configs = await loadBrokerCommandConfigs(args);
  } catch (e: unknown) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`rmq broker: ${e.message}\n`);
    return 1;
  }
  const controller = new BrokerController(configs.brokerConfig, configs.messageStoreConfig);
  try {
    await controller.start();
  } catch (e: unknown) {
    process.stderr.write(`rmq broker: cannot start: ${e instanceof Error ? e.message : String(e)}\n`);
    await controller.shutdown();
    return 1;
  }
  const bc = controller.brokerConfig;
  process.stdout.write(`The broker[${bc.brokerName}, ${controller.brokerAddr}] boot success. serializeType=JSON and name server is ${bc.namesrvAddr}\n`);
  process.stdout.write(`rmq broker ready at ${controller.brokerAddr} (store ${controller.messageStoreConfig.storePathRootDir})\n`);
  const signal = await waitForShutdownSignal();
  process.stdout.write(`rmq broker: ${signal} received, shutting down\n`);
  await controller.shutdown();
  process.stdout.write('rmq broker: stopped\n');
  return 0;
}

async function loadBrokerCommandConfigs(args: string[]): Promise<BrokerConfigs> {
  const { pairs, flags, positional } = parseKeyValueArgs(args, [CONFIG_FILE_FLAG, NAMESRV_FLAG]);
  if (positional.length > 0) throw new ConfigError(positional[0]!, `unexpected argument '${positional[0]!}'`);
  const all: [string, string][] = [];
  const file = flags.get(CONFIG_FILE_FLAG);
  if (file !== undefined) all.push(...(await readPropertiesFile(file)));
  all.push(...pairs);
  const namesrv = flags.get(NAMESRV_FLAG);
  if (namesrv !== undefined) all.push(['namesrvAddr', namesrv]);
  return loadBrokerConfigs(all);
}

/** A java.util.Properties file as key/value pairs; an unreadable file is a ConfigError naming `-c`. */
export async function readPropertiesFile(file: string): Promise<[string, string][]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e: unknown) {
    throw new ConfigError(CONFIG_FILE_FLAG, `cannot read config file ${file}: ${(e as Error).message}`);
  }
  return [...parseJavaProperties(text)];
}

/** Resolves with the first SIGINT/SIGTERM and removes the handlers. */
export async function waitForShutdownSignal(): Promise<string> {
  const signal = await new Promise<string>((resolve) => {
    for (const s of SHUTDOWN_SIGNALS) process.once(s, () => resolve(s));
  });
  for (const s of SHUTDOWN_SIGNALS) process.removeAllListeners(s);
  return signal;
}
