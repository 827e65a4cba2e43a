import { loadBrokerConfigs, DEFAULT_BROKER_LISTEN_PORT } from '../broker/broker-config.js';
import { LocalCluster } from '../broker/local-cluster.js';
import { ConfigError, parseConfigValue, parseKeyValueArgs } from '../common/util/config-schema.js';
import { DEFAULT_NAMESRV_PORT } from '../namesrv/namesrv-config.js';
import { waitForShutdownSignal } from './broker-command.js';

/** `--namesrvPort` is rmq dev's own option; every other `--key` is a broker or store key. */
const NAMESRV_PORT_KEY = 'namesrvPort';
const NAMESRV_PORT_SCHEMA = { [NAMESRV_PORT_KEY]: { type: 'int', default: DEFAULT_NAMESRV_PORT, min: 0, max: 65535 } } as const;
const LOOPBACK = '127.0.0.1';

/**
 * `rmq dev [--namesrvPort=9876] [--listenPort=10911] [--storePathRootDir=DIR] [--key=value …]`: a name
 * server and one master broker in this process on loopback (store default ~/.rocketmq-ts/store).
 * Port 0 picks a free port; the bound addresses are printed, then a line containing "ready".
 */
export async function runDevCommand(args: string[]): Promise<number> {
  let cluster: LocalCluster;
  try {
    const { pairs, positional } = parseKeyValueArgs(args);
    if (positional.length > 0) throw new ConfigError(positional[0]!, `unexpected argument '${positional[0]!}'`);
    let namesrvPort: number = DEFAULT_NAMESRV_PORT;
    const brokerPairs: [string, string][] = [];
    for (const [k, v] of pairs) {
      if (k === NAMESRV_PORT_KEY) namesrvPort = parseConfigValue(NAMESRV_PORT_SCHEMA, k, v) as number;
      else brokerPairs.push([k, v]);
    }
    const { brokerConfig, messageStoreConfig } = loadBrokerConfigs(brokerPairs, {
      brokerConfig: { brokerIP1: LOOPBACK, brokerIP2: LOOPBACK, bindAddress: LOOPBACK, listenPort: DEFAULT_BROKER_LISTEN_PORT },
    });
    cluster = await LocalCluster.start({
      storePathRootDir: messageStoreConfig.storePathRootDir,
      brokerConfig,
      messageStoreConfig,
      namesrvPort,
      listenPort: brokerConfig.listenPort,
    });
  } catch (e: unknown) {
    if (e instanceof ConfigError) {
      process.stderr.write(`rmq dev: ${e.message}\n`);
      return 1;
    }
    process.stderr.write(`rmq dev: cannot start: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  process.stdout.write(`name server: ${cluster.namesrvAddr}\n`);
  process.stdout.write(`broker:      ${cluster.brokerAddr} (${cluster.broker.brokerConfig.brokerName}, store ${cluster.storePathRootDir})\n`);
  process.stdout.write(`rmq dev ready: namesrvAddr=${cluster.namesrvAddr} brokerAddr=${cluster.brokerAddr}\n`);
  const signal = await waitForShutdownSignal();
  process.stdout.write(`rmq dev: ${signal} received, shutting down\n`);
  await cluster.stop();
  process.stdout.write('rmq dev: stopped\n');
  return 0;
}
