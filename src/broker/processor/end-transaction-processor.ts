import type { Logger } from '../../common/logging/logger.js';
import { MessageConst, MessageSysFlag, type MessageExt } from '../../common/message/index.js';
import { readHeader } from '../../common/protocol/headers/command-header.js';
import { EndTransactionRequestHeader } from '../../common/protocol/headers/transaction.js';
import { RequestCode } from '../../common/protocol/request-code.js';
import { ResponseCode } from '../../common/protocol/response-code.js';
import type { RemotingChannel, RequestProcessor } from '../../common/remoting/remoting-channel.js';
import { RemotingCommand } from '../../common/remoting/remoting-command.js';
import type { DefaultMessageStore } from '../store/message-store.js';
import type { BrokerRole } from '../store/store-config.js';
import { NOT_SET_REMARK } from './admin-support.js';

/** What this broker answers once a prepared message checks out: it cannot complete the transaction. */
export const TRANSACTION_NOT_SUPPORTED_REMARK = 'transactional messages are not supported by this broker: the prepared message is left as it is';

export interface EndTransactionProcessorDeps {
  readonly brokerRole: () => BrokerRole;
  readonly store: Pick<DefaultMessageStore, 'lookMessageByOffset'>;
  readonly log: Logger;
}

/**
 * END_TRANSACTION (37), EndTransactionProcessor (PROTOCOL.md §16) without a transactional message
 * service: the send path refuses prepared (half) messages, so there is nothing to commit. It answers
 * as Java does up to the point where Java would write: a slave ⇒ SLAVE_NOT_AVAILABLE; UNKNOW (0) or an
 * unknown state ⇒ no answer; COMMIT / ROLLBACK ⇒ the half message is looked up at commitLogOffset
 * and checked (Java's remarks: "Find prepared transaction message failed", "The producer group wrong",
 * "The transaction state table offset wrong", "The commit log offset wrong"); one that checks out (a
 * store written by a Java broker) is answered SYSTEM_ERROR, left for a broker that supports it.
 */
export class EndTransactionProcessor implements RequestProcessor {
  static readonly CODES = [RequestCode.END_TRANSACTION] as const;

  constructor(private readonly deps: EndTransactionProcessorDeps) {}

  async processRequest(channel: RemotingChannel, request: RemotingCommand): Promise<RemotingCommand | null> {
    const h = readHeader(request, EndTransactionRequestHeader);
    if (this.deps.brokerRole() === 'SLAVE') {
      this.deps.log.warn('Message store is slave mode, so end transaction is forbidden.');
      return RemotingCommand.createResponse(request, ResponseCode.SLAVE_NOT_AVAILABLE, NOT_SET_REMARK);
    }
    const state = h.commitOrRollback;
    if (state !== MessageSysFlag.TRANSACTION_COMMIT_TYPE && state !== MessageSysFlag.TRANSACTION_ROLLBACK_TYPE) {
      // TRANSACTION_NOT_TYPE (pending) and anything unknown: Java returns null (oneway anyway).
      this.deps.log.warn('end transaction with a pending or unknown state', {
        remoteAddr: channel.remoteAddress,
        producerGroup: h.producerGroup,
        msgId: h.msgId,
        commitOrRollback: state,
        fromTransactionCheck: h.fromTransactionCheck,
        remark: request.remark,
      });
      return null;
    }
    const prepared = h.commitLogOffset >= 0 ? await this.deps.store.lookMessageByOffset(h.commitLogOffset) : undefined;
    const wrong = checkPrepareMessage(prepared, h);
    if (wrong !== undefined) return RemotingCommand.createResponse(request, ResponseCode.SYSTEM_ERROR, wrong);
    this.deps.log.warn('end transaction for a prepared message this broker cannot complete', {
      producerGroup: h.producerGroup,
      msgId: h.msgId,
      commitOrRollback: state,
    });
    return RemotingCommand.createResponse(request, ResponseCode.SYSTEM_ERROR, TRANSACTION_NOT_SUPPORTED_REMARK);
  }
}

/** EndTransactionProcessor.checkPrepareMessage: the remark of the first mismatch, undefined if it checks out. */
function checkPrepareMessage(msg: MessageExt | undefined, h: EndTransactionRequestHeader): string | undefined {
  if (msg === undefined) return 'Find prepared transaction message failed';
  if (msg.getProperty(MessageConst.PROPERTY_PRODUCER_GROUP) !== h.producerGroup) return 'The producer group wrong';
  if (msg.queueOffset !== h.tranStateTableOffset) return 'The transaction state table offset wrong';
  if (msg.commitLogOffset !== h.commitLogOffset) return 'The commit log offset wrong';
  return undefined;
}
