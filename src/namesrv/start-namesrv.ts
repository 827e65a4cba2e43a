import type { Logger } from '../common/logging/logger.js';
import { NamesrvController } from './namesrv-controller.js';
import type { NamesrvConfig } from './namesrv-config.js';

export interface StartNamesrvOptions extends Partial<NamesrvConfig> {
  logger?: Logger;
  shutdownTimeoutMillis?: number;
}

/**
 * A started name server for tests and LocalCluster: loopback, an ephemeral port unless `listenPort`
 * is given. Read `address` (`127.0.0.1:<port>`) and `await shutdown()` when done.
 */
export async function startNamesrv(options: StartNamesrvOptions = {}): Promise<NamesrvController> {
  const { logger, shutdownTimeoutMillis, ...config } = options;
  const controllerOptions = {
    ...(logger === undefined ? {} : { logger }),
    ...(shutdownTimeoutMillis === undefined ? {} : { shutdownTimeoutMillis }),
  };
  const controller = new NamesrvController({ bindAddress: '127.0.0.1', listenPort: 0, ...config }, controllerOptions);
  await controller.start();
  return controller;
}
