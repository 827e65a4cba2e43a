import type { MessageQueue } from '../../../common/protocol/body/message-queue.js';
import { checkAllocateArgs, type AllocateMessageQueueStrategy } from './allocate-message-queue-strategy.js';

/** Separates the machine room (IDC) from the broker name in `"<idc>@<brokerName>"`. */
export const MACHINE_ROOM_SEPARATOR = '@';

/**
 * AllocateMessageQueueByMachineRoom: only queues of brokers named `"<idc>@<name>"` with `idc` among
 * `consumeridcs` are shared out; each consumer takes a block of `m / c` of them, and the remaining
 * `m % c` go one each to the first consumers (taken from the end of the list, so the split differs from
 * Averagely: 5 queues, 2 consumers → [0 1 4] [2 3]).
 */
export function allocateMessageQueueByMachineRoom(
  consumeridcs: ReadonlySet<string>,
  _consumerGroup: string,
  currentCID: string,
  mqAll: readonly MessageQueue[],
  cidAll: readonly string[],
): MessageQueue[] {
  if (!checkAllocateArgs(currentCID, mqAll, cidAll)) return [];
  const currentIndex = cidAll.indexOf(currentCID);
  const premqAll = mqAll.filter((mq) => {
    // Java's String.split("@") drops trailing empty parts: "room@" is one part, so not a match.
    const parts = javaSplit(mq.brokerName, MACHINE_ROOM_SEPARATOR);
    return parts.length === 2 && consumeridcs.has(parts[0] as string);
  });
  const mod = Math.floor(premqAll.length / cidAll.length);
  const rem = premqAll.length % cidAll.length;
  const startIndex = mod * currentIndex;
  const result = premqAll.slice(startIndex, startIndex + mod);
  if (rem > currentIndex) result.push(premqAll[currentIndex + mod * cidAll.length] as MessageQueue);
  return result;
}

/** Java's AllocateMessageQueueByMachineRoom (`MACHINE_ROOM`). */
export class AllocateMessageQueueByMachineRoom implements AllocateMessageQueueStrategy {
  readonly name = 'MACHINE_ROOM';
  private consumeridcs: ReadonlySet<string>;

  constructor(consumeridcs: Iterable<string> = []) {
    this.consumeridcs = new Set(consumeridcs);
  }

  getConsumeridcs(): Set<string> {
    return new Set(this.consumeridcs);
  }

  setConsumeridcs(consumeridcs: Iterable<string>): void {
    this.consumeridcs = new Set(consumeridcs);
  }

  allocate(consumerGroup: string, currentCID: string, mqAll: readonly MessageQueue[], cidAll: readonly string[]): MessageQueue[] {
    return allocateMessageQueueByMachineRoom(this.consumeridcs, consumerGroup, currentCID, mqAll, cidAll);
  }
}

/** String.split(regex) for a literal single-character separator: trailing empty strings removed. */
function javaSplit(s: string, sep: string): string[] {
  const parts = s.split(sep);
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  // Java returns [""] for "" and drops all-empty results of a non-empty input ("@" → []).
  if (s.length > 0 && parts.length === 1 && parts[0] === '') return [];
  return parts;
}
