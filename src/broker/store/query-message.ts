import type { Logger } from '../../common/logging/logger.js';
import { SYSFLAG_POSITION, readInt64BE, storeTimestampPosition } from '../../common/message/index.js';
import type { CommitLog } from './commit-log.js';
import type { MessageIndex } from './index/index-service.js';

/** Java queries the index up to 3 times, each time ending where the previous answer began. */
const QUERY_ROUNDS = 3;
/** Record TOTALSIZE is the first int32. */
const TOTAL_SIZE_BYTES = 4;

/** Java's QueryMessageResult: the records' bytes plus how fresh the index is (QUERY_MESSAGE's header). */
export interface QueryMessageResult {
  readonly messageBufferList: Buffer[];
  readonly bufferTotalSize: number;
  readonly indexLastUpdateTimestamp: number;
  readonly indexLastUpdatePhyoffset: number;
}

/**
 * DefaultMessageStore.queryMessage: the records indexed under `topic#key` (KEYS entries and
 * UNIQ_KEY alike) stored within [begin, end], oldest offset first, at most maxNum per round. As in
 * Java, a record sharing only the key's hash is returned too: the client filters by key. Records
 * whose CommitLog file expired are skipped.
 */
export async function queryMessage(
  indexService: MessageIndex,
  commitLog: CommitLog,
  log: Logger,
  q: { topic: string; key: string; maxNum: number; begin: number; end: number },
): Promise<QueryMessageResult> {
  const messageBufferList: Buffer[] = [];
  let bufferTotalSize = 0;
  let indexLastUpdateTimestamp = 0;
  let indexLastUpdatePhyoffset = 0;
  let lastQueryMsgTime = q.end;
  for (let round = 0; round < QUERY_ROUNDS; round++) {
    const r = await indexService.queryOffset(q.topic, q.key, q.maxNum, q.begin, lastQueryMsgTime);
    if (r.phyOffsets.length === 0) break;
    const offsets = [...r.phyOffsets].sort((a, b) => a - b);
    indexLastUpdateTimestamp = r.indexLastUpdateTimestamp;
    indexLastUpdatePhyoffset = r.indexLastUpdatePhyoffset;
    for (let m = 0; m < offsets.length; m++) {
      const offset = offsets[m]!;
      const head = await commitLog.getMessage(offset, TOTAL_SIZE_BYTES);
      if (head === undefined) {
        log.warn('queryMessage: indexed record is gone (expired)', { topic: q.topic, key: q.key, offset });
        continue;
      }
      const record = await commitLog.getMessage(offset, head.readInt32BE(0));
      if (record === undefined) continue;
      if (m === 0) lastQueryMsgTime = readInt64BE(record, storeTimestampPosition(record.readInt32BE(SYSFLAG_POSITION)));
      messageBufferList.push(record);
      bufferTotalSize += record.length;
    }
    if (bufferTotalSize > 0 || lastQueryMsgTime < q.begin) break;
  }
  return { messageBufferList, bufferTotalSize, indexLastUpdateTimestamp, indexLastUpdatePhyoffset };
}
