import type { DispatchRequest } from '../../common/message/index.js';

/**
 * Hints kept at most: beyond that (reput far behind) appends stop adding them and reput parses the
 * CommitLog as it would after a restart. 64k hints of ~1 KiB messages cover 64 MiB of appends.
 */
const MAX_HINTS = 65_536;
/** The consumed head is cut off once it is this long (and half the array). */
const COMPACT_AT = 4_096;

/**
 * DispatchRequests the CommitLog built while appending, in CommitLog order, for the
 * ReputMessageService: it dispatches a record from its hint instead of parsing the bytes it was just
 * encoded from. Hints are memory only and optional: a record without one (batches, HA data, anything
 * after a restart, hints dropped when full) is read back from the CommitLog, which stays the single
 * truth every derived structure is rebuilt from.
 */
export class DispatchHints {
  private hints: DispatchRequest[] = [];
  private head = 0;

  /** Appends must call this in CommitLog order. */
  add(request: DispatchRequest): void {
    if (this.hints.length - this.head >= MAX_HINTS) return;
    this.hints.push(request);
  }

  /** The hint of the record at `offset`, consumed; older hints are dropped; undefined if there is none. */
  take(offset: number): DispatchRequest | undefined {
    const hints = this.hints;
    let h = this.head;
    while (h < hints.length && hints[h]!.commitLogOffset < offset) h++;
    let found: DispatchRequest | undefined;
    if (h < hints.length && hints[h]!.commitLogOffset === offset) found = hints[h++];
    this.head = h;
    if (h === hints.length) {
      hints.length = 0;
      this.head = 0;
    } else if (h >= COMPACT_AT && h * 2 >= hints.length) {
      this.hints = hints.slice(h);
      this.head = 0;
    }
    return found;
  }

  /** CommitLog offset of the oldest hint not consumed, or undefined. */
  nextOffset(): number | undefined {
    return this.head < this.hints.length ? this.hints[this.head]!.commitLogOffset : undefined;
  }
}
