/** Java's GetMessageStatus; PROTOCOL.md §9.4 maps each to a pull response code. */
export type GetMessageStatus =
  | 'FOUND'
  | 'NO_MATCHED_MESSAGE'
  | 'MESSAGE_WAS_REMOVING'
  | 'OFFSET_FOUND_NULL'
  | 'OFFSET_OVERFLOW_BADLY'
  | 'OFFSET_OVERFLOW_ONE'
  | 'OFFSET_TOO_SMALL'
  | 'NO_MATCHED_LOGIC_QUEUE'
  | 'NO_MESSAGE_IN_QUEUE';

interface GetMessageCommon {
  readonly nextBeginOffset: number;
  readonly minOffset: number;
  readonly maxOffset: number;
  /** The pulled data lies beyond the in-memory window: suggest reading from a slave. */
  readonly suggestPullingFromSlave: boolean;
}

export type GetMessageResult =
  | (GetMessageCommon & {
      readonly status: 'FOUND';
      /** Whole CommitLog records, in queue order; a pull body concatenates them. */
      readonly messageBufferList: readonly Buffer[];
      readonly messageQueueOffsets: readonly number[];
      readonly bufferTotalSize: number;
    })
  | (GetMessageCommon & { readonly status: Exclude<GetMessageStatus, 'FOUND'> });

/** Tag filtering (Java's MessageFilter): by ConsumeQueue tagsCode, then optionally by the record. */
export interface MessageFilter {
  isMatchedByConsumeQueue(tagsCode: number): boolean;
  isMatchedByCommitLog?(record: Buffer): boolean;
}
