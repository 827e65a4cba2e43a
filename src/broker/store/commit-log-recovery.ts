import type { Logger } from '../../common/logging/logger.js';
import {
  MESSAGE_MAGIC_CODE,
  MESSAGE_MAGIC_CODE_POSTION,
  SYSFLAG_POSITION,
  checkMessageAndReturnSize,
  readInt64BE,
  storeTimestampPosition,
} from '../../common/message/index.js';
import type { MappedFile } from './mapped-file.js';
import type { MappedFileQueue } from './mapped-file-queue.js';

/** Java scans the last 3 CommitLog files in normal recovery. */
export const RECOVER_LAST_FILES = 3;
/** Bytes read per step while scanning. */
const SCAN_CHUNK_BYTES = 4 * 1024 * 1024;
/** Enough of a record's head to reach its STORETIMESTAMP with IPv6 hosts. */
const RECORD_HEAD_BYTES = 128;

/**
 * Java's isMappedFileMatchedRecover: a file can start abnormal recovery when its first record is a
 * message stored no later than `minTimestamp` (the checkpoint's getMinTimestamp, or
 * getMinTimestampIndex with messageIndexSafe): everything before it was durable in every derived file.
 */
export async function isMappedFileMatchedRecover(file: MappedFile, minTimestamp: number): Promise<boolean> {
  const head = await file.read(0, Math.min(RECORD_HEAD_BYTES, file.wrotePosition));
  if (head === undefined || head.length < SYSFLAG_POSITION + 4) return false;
  if (head.readInt32BE(MESSAGE_MAGIC_CODE_POSTION) !== MESSAGE_MAGIC_CODE) return false;
  const at = storeTimestampPosition(head.readInt32BE(SYSFLAG_POSITION));
  if (at + 8 > head.length) return false;
  const storeTimestamp = readInt64BE(head, at);
  return storeTimestamp !== 0 && storeTimestamp <= minTimestamp;
}

/**
 * Java's recoverAbnormally start: the newest file that matches the checkpoint, or the first file when
 * none does (a checkpoint of 0 after a crash before any checkpoint write re-scans everything).
 */
export async function findAbnormalRecoverStart(queue: MappedFileQueue, minTimestamp: number, log: Logger): Promise<number> {
  const files = queue.mappedFiles;
  for (let i = files.length - 1; i >= 0; i--) {
    if (await isMappedFileMatchedRecover(files[i]!, minTimestamp)) {
      log.info('recover from this mapped file', { file: files[i]!.fileName, minTimestamp });
      return files[i]!.fileFromOffset;
    }
  }
  return files[0]?.fileFromOffset ?? 0;
}

export interface CommitLogRecoveryResult {
  /** Offset just past the last valid record: the new CommitLog end. */
  readonly processOffset: number;
  /** First offset that was scanned (the reput must not start later than this after a crash). */
  readonly scanFromOffset: number;
  /** Bytes cut from the tail (garbage, torn record). */
  readonly truncatedBytes: number;
  readonly reason: string | undefined;
}

/**
 * Recovery of the CommitLog (Java's recoverNormally / recoverAbnormally): validates records by magic,
 * size and (checkCRC) BODYCRC, follows BLANKs into the next file, and cuts everything after the last
 * valid record. A normal recovery scans the last RECOVER_LAST_FILES files; an abnormal one passes
 * `scanFromOffset` (findAbnormalRecoverStart) and scans from that file on, however far back it is.
 */
export async function recoverCommitLog(
  queue: MappedFileQueue,
  options: { checkCRC: boolean; maxRecordSize: number; log: Logger; scanFromOffset?: number | undefined },
): Promise<CommitLogRecoveryResult> {
  const files = queue.mappedFiles;
  if (files.length === 0) return { processOffset: 0, scanFromOffset: 0, truncatedBytes: 0, reason: undefined };
  let index = Math.max(0, files.length - RECOVER_LAST_FILES);
  const from = options.scanFromOffset;
  if (from !== undefined) {
    const byOffset = files.findIndex((f) => f.fileFromOffset + queue.mappedFileSize > from);
    index = byOffset >= 0 ? byOffset : files.length - 1;
  }
  const scanFromOffset = files[index]!.fileFromOffset;
  const chunkBytes = Math.max(SCAN_CHUNK_BYTES, options.maxRecordSize);
  let processOffset = scanFromOffset;
  let reason: string | undefined;
  scan: for (; index < files.length; index++) {
    const f = files[index]!;
    let pos = 0;
    for (;;) {
      if (pos >= f.fileSize) break; // exactly full: continue in the next file
      const data = await f.read(pos, Math.min(chunkBytes, f.fileSize - pos));
      if (data === undefined) throw new Error(`cannot read ${f.fileName} at ${pos} during recovery`);
      let p = 0;
      while (p < data.length) {
        if (data.length - p >= 8 && data.readInt32BE(p + 4) === MESSAGE_MAGIC_CODE && data.readInt32BE(p) > data.length - p && pos + p + data.readInt32BE(p) <= f.fileSize && p > 0) {
          break; // record continues past this chunk: re-read from its start
        }
        const r = checkMessageAndReturnSize(data, p, { checkCRC: options.checkCRC });
        if (r.status === 'MESSAGE') {
          p += r.size;
          continue;
        }
        if (r.status === 'BLANK') {
          processOffset = f.fileFromOffset + pos + p;
          if (index + 1 < files.length) {
            processOffset = files[index + 1]!.fileFromOffset;
            continue scan;
          }
          break scan;
        }
        processOffset = f.fileFromOffset + pos + p;
        reason = r.status === 'END' ? undefined : `${r.reason}: ${r.message}`;
        break scan;
      }
      pos += p;
      processOffset = f.fileFromOffset + pos;
    }
    processOffset = f.fileFromOffset + f.fileSize;
  }
  const before = queue.getMaxOffset();
  if (reason !== undefined) options.log.warn('CommitLog recovery cut a corrupt tail', { processOffset, reason, truncatedBytes: Math.max(0, before - processOffset) });
  await queue.truncateDirtyFiles(processOffset);
  queue.committedWhere = queue.flushedWhere = processOffset;
  return { processOffset, scanFromOffset, truncatedBytes: Math.max(0, before - processOffset), reason };
}
