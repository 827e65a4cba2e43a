/*
 * Results of the put path (Java's PutMessageStatus / AppendMessageResult / PutMessageResult) as a
 * discriminated union: a stored message always carries its AppendMessageResult, a refused one a
 * reason, so no caller reads an append result that does not exist.
 */

/** Statuses of a message that was appended (FLUSH_* / SLAVE_*: stored, but not as durable as asked). */
export type PutMessageStoredStatus = 'PUT_OK' | 'FLUSH_DISK_TIMEOUT' | 'FLUSH_SLAVE_TIMEOUT' | 'SLAVE_NOT_AVAILABLE';

/** Statuses of a message that was not appended; the store is unchanged. */
export type PutMessageRefusedStatus =
  | 'SERVICE_NOT_AVAILABLE'
  | 'CREATE_MAPEDFILE_FAILED'
  | 'MESSAGE_ILLEGAL'
  | 'PROPERTIES_SIZE_EXCEEDED'
  | 'OS_PAGECACHE_BUSY'
  | 'UNKNOWN_ERROR';

export type PutMessageStatus = PutMessageStoredStatus | PutMessageRefusedStatus;

/** Java spells it CREATE_MAPEDFILE_FAILED; the alias reads better in TypeScript. */
export const CREATE_MAPPEDFILE_FAILED = 'CREATE_MAPEDFILE_FAILED' as const;

export interface AppendMessageResult {
  /** CommitLog offset of the (first) record. */
  readonly wroteOffset: number;
  /** Bytes written (all records of a batch). */
  readonly wroteBytes: number;
  /** Offset msgId of the (first) record; for batches, one per record in `msgIds`. */
  readonly msgId: string;
  readonly msgIds: readonly string[];
  readonly storeTimestamp: number;
  /** Queue offset of the (first) record. */
  readonly logicsOffset: number;
  /** Records written (1, or the batch size). */
  readonly msgNum: number;
  /** ms spent appending (Java's pagecacheRT). */
  readonly pagecacheRT: number;
}

export type PutMessageResult =
  | { readonly status: PutMessageStoredStatus; readonly appendMessageResult: AppendMessageResult }
  | { readonly status: PutMessageRefusedStatus; readonly reason: string };

export function isPutOk(r: PutMessageResult): r is { status: PutMessageStoredStatus; appendMessageResult: AppendMessageResult } {
  return 'appendMessageResult' in r;
}

export function refused(status: PutMessageRefusedStatus, reason: string): PutMessageResult {
  return { status, reason };
}
