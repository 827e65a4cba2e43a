import { MESSAGE_MAGIC_CODE, MESSAGE_MAGIC_CODE_POSTION } from '../../common/message/index.js';
import { readHeader } from '../../common/protocol/headers/command-header.js';
import { ViewMessageRequestHeader } from '../../common/protocol/headers/query-message.js';
import { RequestCode } from '../../common/protocol/request-code.js';
import { ResponseCode } from '../../common/protocol/response-code.js';
import type { RemotingChannel, RequestProcessor } from '../../common/remoting/remoting-channel.js';
import { RemotingCommand } from '../../common/remoting/remoting-command.js';
import type { DefaultMessageStore } from '../store/message-store.js';

/** TOTALSIZE + MAGICCODE: enough to know whether an offset starts a record and how long it is. */
const RECORD_PREFIX_BYTES = 8;
/** Largest record the store writes beyond maxMessageSize (properties, topic, fixed fields). */
const RECORD_HEADROOM_BYTES = 64 * 1024;

/**
 * VIEW_MESSAGE_BY_ID (QueryMessageProcessor.viewMessageById): the raw record at a CommitLog offset
 * (the offset part of an offset msgId). An offset that does not start a record is "not found"
 * rather than garbage.
 */
export class ViewMessageProcessor implements RequestProcessor {
  static readonly CODES = [RequestCode.VIEW_MESSAGE_BY_ID] as const;

  constructor(
    private readonly store: Pick<DefaultMessageStore, 'selectOneMessageByOffset'>,
    private readonly maxMessageSize: () => number,
  ) {}

  async processRequest(_channel: RemotingChannel, request: RemotingCommand): Promise<RemotingCommand> {
    const { offset } = readHeader(request, ViewMessageRequestHeader);
    const notFound = RemotingCommand.createResponse(request, ResponseCode.SYSTEM_ERROR, `can not find message by the offset, ${offset}`);
    if (offset < 0) return notFound;
    const prefix = await this.store.selectOneMessageByOffset(offset, RECORD_PREFIX_BYTES);
    if (prefix === undefined || prefix.length < RECORD_PREFIX_BYTES) return notFound;
    const size = prefix.readInt32BE(0);
    if (prefix.readInt32BE(MESSAGE_MAGIC_CODE_POSTION) !== MESSAGE_MAGIC_CODE || size <= RECORD_PREFIX_BYTES || size > this.maxMessageSize() + RECORD_HEADROOM_BYTES) {
      return notFound;
    }
    const record = await this.store.selectOneMessageByOffset(offset, size);
    if (record === undefined || record.length < size) return notFound;
    const response = RemotingCommand.createResponse(request, ResponseCode.SUCCESS);
    response.body = record;
    return response;
  }
}
