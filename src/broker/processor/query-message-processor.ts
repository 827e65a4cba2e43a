import { readHeader, setHeader } from '../../common/protocol/headers/command-header.js';
import { QueryMessageRequestHeader, QueryMessageResponseHeader, UNIQUE_MSG_QUERY_FLAG } from '../../common/protocol/headers/query-message.js';
import { RequestCode } from '../../common/protocol/request-code.js';
import { ResponseCode } from '../../common/protocol/response-code.js';
import type { RemotingChannel, RequestProcessor } from '../../common/remoting/remoting-channel.js';
import { RemotingCommand } from '../../common/remoting/remoting-command.js';
import type { DefaultMessageStore } from '../store/message-store.js';

export const QUERY_NOT_FOUND_REMARK = 'can not find message, maybe time range not correct';

export interface QueryMessageProcessorDeps {
  readonly store: Pick<DefaultMessageStore, 'queryMessage'>;
  /** MessageStoreConfig.defaultQueryMaxNum: the cap of a unique-key query. */
  readonly defaultQueryMaxNum: () => number;
}

/**
 * QUERY_MESSAGE (12), QueryMessageProcessor.queryMessage (PROTOCOL.md §2.4, §5.4): the records the
 * index holds under `topic#key` stored within [beginTimestamp, endTimestamp], concatenated; with the
 * extField `_UNIQUE_KEY_QUERY`=true the key is a UNIQ_KEY and maxNum becomes defaultQueryMaxNum. The
 * index freshness goes in the response header on every answer; no record ⇒ QUERY_NOT_FOUND.
 */
export class QueryMessageProcessor implements RequestProcessor {
  static readonly CODES = [RequestCode.QUERY_MESSAGE] as const;

  constructor(private readonly deps: QueryMessageProcessorDeps) {}

  async processRequest(_channel: RemotingChannel, request: RemotingCommand): Promise<RemotingCommand> {
    const h = readHeader(request, QueryMessageRequestHeader);
    // Java compares the flag with equals("true"): exactly lower case.
    const maxNum = request.getExtField(UNIQUE_MSG_QUERY_FLAG) === 'true' ? this.deps.defaultQueryMaxNum() : h.maxNum;
    const r = await this.deps.store.queryMessage(h.topic, h.key, maxNum, h.beginTimestamp, h.endTimestamp);
    const found = r.bufferTotalSize > 0;
    const response = RemotingCommand.createResponse(request, found ? ResponseCode.SUCCESS : ResponseCode.QUERY_NOT_FOUND, found ? undefined : QUERY_NOT_FOUND_REMARK);
    setHeader(response, QueryMessageResponseHeader, {
      indexLastUpdateTimestamp: r.indexLastUpdateTimestamp,
      indexLastUpdatePhyoffset: r.indexLastUpdatePhyoffset,
    });
    if (found) response.body = r.messageBufferList.length === 1 ? r.messageBufferList[0]! : Buffer.concat(r.messageBufferList, r.bufferTotalSize);
    return response;
  }
}
