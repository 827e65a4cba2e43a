import { totalmem } from 'node:os';

import type { CommitLog } from './commit-log.js';
import { CQ_STORE_UNIT_SIZE, readUnit, type ConsumeQueue } from './consume-queue.js';
import type { GetMessageResult, GetMessageStatus, MessageFilter } from './get-message-result.js';
import type { MessageStoreConfig } from './store-config.js';

/** Java: at most max(16000, maxMsgNums × 20) bytes of ConsumeQueue are scanned per pull. */
const MIN_FILTER_SCAN_BYTES = 16_000;
const PERCENT = 100;
/** Read once, as Java's StoreUtil.TOTAL_PHYSICAL_MEMORY_SIZE: os.totalmem() parses /proc/meminfo on every call. */
const TOTAL_PHYSICAL_MEMORY_SIZE = totalmem();

/**
 * DefaultMessageStore.getMessage (PROTOCOL.md §9.3, §9.4): statuses, nextBeginOffset / minOffset /
 * maxOffset exactly as Java computes them, the in-memory / on-disk batch limits, tag filtering by
 * ConsumeQueue tagsCode. `cq` undefined: no such queue (NO_MATCHED_LOGIC_QUEUE).
 */
export async function getMessage(
  config: MessageStoreConfig,
  commitLog: CommitLog,
  cq: ConsumeQueue | undefined,
  offset: number,
  maxMsgNums: number,
  maxTotalBytes: number,
  filter: MessageFilter | undefined,
): Promise<GetMessageResult> {
  const correct = (oldOffset: number, newOffset: number): number =>
    config.brokerRole !== 'SLAVE' || config.offsetCheckInSlave ? newOffset : oldOffset;
  const plain = (status: Exclude<GetMessageStatus, 'FOUND'>, nextBeginOffset: number, minOffset = 0, maxOffset = 0): GetMessageResult => ({
    status,
    nextBeginOffset,
    minOffset,
    maxOffset,
    suggestPullingFromSlave: false,
  });
  if (cq === undefined) return plain('NO_MATCHED_LOGIC_QUEUE', correct(offset, 0));
  const minOffset = cq.getMinOffsetInQueue();
  const maxOffset = cq.getMaxOffsetInQueue();
  if (maxOffset === 0) return plain('NO_MESSAGE_IN_QUEUE', correct(offset, 0), minOffset, maxOffset);
  if (offset < minOffset) return plain('OFFSET_TOO_SMALL', correct(offset, minOffset), minOffset, maxOffset);
  if (offset === maxOffset) return plain('OFFSET_OVERFLOW_ONE', correct(offset, offset), minOffset, maxOffset);
  if (offset > maxOffset) {
    return plain('OFFSET_OVERFLOW_BADLY', correct(offset, minOffset === 0 ? minOffset : maxOffset), minOffset, maxOffset);
  }
  const maxFilterBytes = Math.max(MIN_FILTER_SCAN_BYTES, maxMsgNums * CQ_STORE_UNIT_SIZE);
  const units = await cq.getIndexBuffer(offset, Math.floor(maxFilterBytes / CQ_STORE_UNIT_SIZE));
  if (units === undefined) return plain('OFFSET_FOUND_NULL', correct(offset, cq.rollNextFile(offset)), minOffset, maxOffset);

  const maxOffsetPy = commitLog.getMaxOffset();
  const memory = (TOTAL_PHYSICAL_MEMORY_SIZE * config.accessMessageInMemoryMaxRatio) / PERCENT;
  let status: GetMessageStatus = 'NO_MATCHED_MESSAGE';
  const buffers: Buffer[] = [];
  const queueOffsets: number[] = [];
  let bufferTotalSize = 0;
  let nextPhyFileStartOffset = Number.MIN_SAFE_INTEGER;
  let maxPhyOffsetPulling = 0;
  let i = 0;
  for (; i + CQ_STORE_UNIT_SIZE <= units.length; i += CQ_STORE_UNIT_SIZE) {
    const { commitLogOffset: offsetPy, size: sizePy, tagsCode } = readUnit(units, i);
    maxPhyOffsetPulling = offsetPy;
    if (nextPhyFileStartOffset !== Number.MIN_SAFE_INTEGER && offsetPy < nextPhyFileStartOffset) continue;
    const isInDisk = maxOffsetPy - offsetPy > memory;
    if (isTheBatchFull(config, sizePy, maxMsgNums, bufferTotalSize, buffers.length, isInDisk)) break;
    if (bufferTotalSize > 0 && bufferTotalSize + sizePy > maxTotalBytes) break;
    if (filter !== undefined && !filter.isMatchedByConsumeQueue(tagsCode)) {
      if (bufferTotalSize === 0) status = 'NO_MATCHED_MESSAGE';
      continue;
    }
    const record = await commitLog.getMessage(offsetPy, sizePy);
    if (record === undefined) {
      if (bufferTotalSize === 0) status = 'MESSAGE_WAS_REMOVING';
      nextPhyFileStartOffset = commitLog.rollNextFile(offsetPy);
      continue;
    }
    if (filter?.isMatchedByCommitLog !== undefined && !filter.isMatchedByCommitLog(record)) {
      if (bufferTotalSize === 0) status = 'NO_MATCHED_MESSAGE';
      continue;
    }
    buffers.push(record);
    queueOffsets.push(offset + i / CQ_STORE_UNIT_SIZE);
    bufferTotalSize += sizePy;
    status = 'FOUND';
    nextPhyFileStartOffset = Number.MIN_SAFE_INTEGER;
  }
  const nextBeginOffset = offset + i / CQ_STORE_UNIT_SIZE;
  const suggestPullingFromSlave = maxOffsetPy - maxPhyOffsetPulling > memory;
  if (status === 'FOUND') {
    return {
      status,
      nextBeginOffset,
      minOffset,
      maxOffset,
      suggestPullingFromSlave,
      messageBufferList: buffers,
      messageQueueOffsets: queueOffsets,
      bufferTotalSize,
    };
  }
  return { status, nextBeginOffset, minOffset, maxOffset, suggestPullingFromSlave };
}

/** Java's isTheBatchFull: the first message is always taken. */
function isTheBatchFull(
  config: MessageStoreConfig,
  sizePy: number,
  maxMsgNums: number,
  bufferTotal: number,
  messageTotal: number,
  isInDisk: boolean,
): boolean {
  if (bufferTotal === 0 || messageTotal === 0) return false;
  if (maxMsgNums <= messageTotal) return true;
  if (isInDisk) {
    if (bufferTotal + sizePy > config.maxTransferBytesOnMessageInDisk) return true;
    return messageTotal > config.maxTransferCountOnMessageInDisk - 1;
  }
  if (bufferTotal + sizePy > config.maxTransferBytesOnMessageInMemory) return true;
  return messageTotal > config.maxTransferCountOnMessageInMemory - 1;
}
