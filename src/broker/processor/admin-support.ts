import { ResponseCode } from '../../common/protocol/response-code.js';
import { RemotingCommand } from '../../common/remoting/remoting-command.js';
import type { DefaultMessageStore } from '../store/message-store.js';
import type { BrokerRole } from '../store/store-config.js';

/** RemotingCommand.createResponseCommand's initial remark; Java leaves it on some answers. */
export const NOT_SET_REMARK = 'not set any response code';
/** AdminBrokerProcessor.validateSlave's remark. */
export const SLAVE_REMARK = "Can't modify topic or subscription group from slave broker, please execute it from master broker.";

/** Java's `createResponseCommand(null)` before any code is set: SYSTEM_ERROR "not set any response code". */
export function unsetResponse(request: RemotingCommand): RemotingCommand {
  return RemotingCommand.createResponse(request, ResponseCode.SYSTEM_ERROR, NOT_SET_REMARK);
}

/** SUCCESS with remark null and the given body. */
export function successWithBody(request: RemotingCommand, body?: Buffer): RemotingCommand {
  const response = RemotingCommand.createResponse(request, ResponseCode.SUCCESS);
  if (body !== undefined) response.body = body;
  return response;
}

/** validateSlave: the SYSTEM_ERROR answer for a write on a slave, else undefined. */
export function refuseOnSlave(request: RemotingCommand, role: BrokerRole): RemotingCommand | undefined {
  return role === 'SLAVE' ? RemotingCommand.createResponse(request, ResponseCode.SYSTEM_ERROR, SLAVE_REMARK) : undefined;
}

/** The store reads the admin processors share. */
export type AdminStoreView = Pick<DefaultMessageStore, 'getMinOffsetInQueue' | 'getMaxOffsetInQueue' | 'consumeQueueTable' | 'lookMessageByOffset'>;

/**
 * DefaultMessageStore.getMessageStoreTimeStamp: store time of the message at a queue offset, -1 when
 * the queue or the message is gone.
 */
export async function getMessageStoreTimeStamp(store: AdminStoreView, topic: string, queueId: number, queueOffset: number): Promise<number> {
  const unit = await store.consumeQueueTable.find(topic, queueId)?.getUnit(queueOffset);
  if (unit === undefined) return -1;
  return (await store.lookMessageByOffset(unit.commitLogOffset))?.storeTimestamp ?? -1;
}
