import { decodeLockBatchRequestBody, decodeUnlockBatchRequestBody, encodeLockBatchResponseBody } from '../../common/protocol/body/lock-batch.js';
import { RequestCode } from '../../common/protocol/request-code.js';
import { ResponseCode } from '../../common/protocol/response-code.js';
import type { RemotingChannel, RequestProcessor } from '../../common/remoting/remoting-channel.js';
import { RemotingCommand } from '../../common/remoting/remoting-command.js';
import type { RebalanceLockManager } from '../client/rebalance-lock-manager.js';

/** LOCK_BATCH_MQ / UNLOCK_BATCH_MQ of AdminBrokerProcessor: queue locks of orderly consumers. */
export class RebalanceLockProcessor implements RequestProcessor {
  static readonly CODES = [RequestCode.LOCK_BATCH_MQ, RequestCode.UNLOCK_BATCH_MQ] as const;

  constructor(private readonly locks: Pick<RebalanceLockManager, 'tryLockBatch' | 'unlockBatch'>) {}

  processRequest(_channel: RemotingChannel, request: RemotingCommand): RemotingCommand {
    const response = RemotingCommand.createResponse(request, ResponseCode.SUCCESS);
    const body = request.body ?? Buffer.alloc(0);
    if (request.code === RequestCode.LOCK_BATCH_MQ) {
      const req = decodeLockBatchRequestBody(body);
      response.body = encodeLockBatchResponseBody({ lockOKMQSet: this.locks.tryLockBatch(req.consumerGroup, req.mqSet, req.clientId) });
    } else {
      const req = decodeUnlockBatchRequestBody(body);
      this.locks.unlockBatch(req.consumerGroup, req.mqSet, req.clientId);
    }
    return response;
  }
}
