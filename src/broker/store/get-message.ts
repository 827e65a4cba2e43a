import { totalmem } from 'node:os';

import type { CommitLog } from './commit-log.js';
import { CQ_STORE_UNIT_SIZE, unitCommitLogOffset, unitSize, unitTagsCode, type ConsumeQueue } from './consume-queue.js';
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
  // Module functions, not closures: this runs once per pull (thousands a second).
  if (cq === undefined) return plainResult('NO_MATCHED_LOGIC_QUEUE', correctOffset(config, offset, 0));
  const minOffset = cq.getMinOffsetInQueue();
  const maxOffset = cq.getMaxOffsetInQueue();
  if (maxOffset === 0) return plainResult('NO_MESSAGE_IN_QUEUE', correctOffset(config, offset, 0), minOffset, maxOffset);
  if (offset < minOffset) return plainResult('OFFSET_TOO_SMALL', correctOffset(config, offset, minOffset), minOffset, maxOffset);
  if (offset === maxOffset) return plainResult('OFFSET_OVERFLOW_ONE', correctOffset(config, offset, offset), minOffset, maxOffset);
  if (offset > maxOffset) {
    return plainResult('OFFSET_OVERFLOW_BADLY', correctOffset(config, offset, minOffset === 0 ? minOffset : maxOffset), minOffset, maxOffset);
  }
  const maxFilterBytes = Math.max(MIN_FILTER_SCAN_BYTES, maxMsgNums * CQ_STORE_UNIT_SIZE);
  const units = await cq.getIndexBuffer(offset, Math.floor(maxFilterBytes / CQ_STORE_UNIT_SIZE));
  if (units === undefined) return plainResult('OFFSET_FOUND_NULL', correctOffset(config, offset, cq.rollNextFile(offset)), minOffset, maxOffset);

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
    // The unit's fields read in place (readUnit's object per unit, 32 per pull, is not needed here).
    const offsetPy = unitCommitLogOffset(units, i);
    const sizePy = unitSize(units, i);
    const tagsCode = unitTagsCode(units, i);
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

/** Java's offset correction: a slave keeps the requested offset unless offsetCheckInSlave. */
function correctOffset(config: MessageStoreConfig, oldOffset: number, newOffset: number): number {
  return config.brokerRole !== 'SLAVE' || config.offsetCheckInSlave ? newOffset : oldOffset;
}

/** A result without messages. */
function plainResult(status: Exclude<GetMessageStatus, 'FOUND'>, nextBeginOffset: number, minOffset = 0, maxOffset = 0): GetMessageResult {
  return { status, nextBeginOffset, minOffset, maxOffset, suggestPullingFromSlave: false };
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
