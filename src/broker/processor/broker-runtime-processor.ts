import type { Logger } from '../../common/logging/logger.js';
import { encodeKVTable } from '../../common/protocol/body/kv-table.js';
import { RequestCode } from '../../common/protocol/request-code.js';
import type { RemotingChannel, RequestProcessor } from '../../common/remoting/remoting-channel.js';
import type { RemotingCommand } from '../../common/remoting/remoting-command.js';
import type { DefaultMessageStore } from '../store/message-store.js';
import { successWithBody } from './admin-support.js';

export interface BrokerRuntimeProcessorDeps {
  /** prepareRuntimeInfo (src/broker/stats/broker-runtime-info.ts). */
  readonly runtimeInfo: () => Promise<Map<string, string>>;
  readonly store: Pick<DefaultMessageStore, 'executeDeleteFilesManually'>;
  readonly log: Logger;
}

/**
 * AdminBrokerProcessor, runtime (PROTOCOL.md §2.4): GET_BROKER_RUNTIME_INFO (KVTable of string
 * values — mqadmin brokerStatus and clusterList read it) and the manual expiry trigger:
 * DELETE_EXPIRED_COMMITLOG (329, what 4.9.8 handles) and TRIGGER_DELETE_FILES (27, the older code the
 * issue names; 4.9.8 itself answers it REQUEST_CODE_NOT_SUPPORTED) both make the next clean rounds
 * delete expired files whatever the hour.
 */
export class BrokerRuntimeProcessor implements RequestProcessor {
  static readonly CODES = [RequestCode.GET_BROKER_RUNTIME_INFO, RequestCode.DELETE_EXPIRED_COMMITLOG, RequestCode.TRIGGER_DELETE_FILES] as const;

  constructor(private readonly deps: BrokerRuntimeProcessorDeps) {}

  async processRequest(channel: RemotingChannel, request: RemotingCommand): Promise<RemotingCommand> {
    if (request.code === RequestCode.GET_BROKER_RUNTIME_INFO) {
      return successWithBody(request, encodeKVTable({ table: await this.deps.runtimeInfo() }));
    }
    this.deps.log.warn('invoke deleteExpiredCommitLog', { remoteAddr: channel.remoteAddress });
    this.deps.store.executeDeleteFilesManually();
    return successWithBody(request);
  }
}
