import { messageQueueToString, type MessageQueue } from '../../../common/protocol/body/message-queue.js';
import { checkAllocateArgs, illegalArgument, type AllocateMessageQueueStrategy } from './allocate-message-queue-strategy.js';

/**
 * AllocateMachineRoomNearby.MachineRoomResolver: which machine room a broker's queue and a consumer are
 * deployed in. Must never return an empty room.
 */
export interface MachineRoomResolver {
  brokerDeployIn(messageQueue: MessageQueue): string;
  consumerDeployIn(clientID: string): string;
}

/**
 * AllocateMachineRoomNearby: consumers prefer the queues of their own machine room (split among the
 * consumers of that room by `inner`); the queues of a room with no consumer alive are split among all
 * consumers (again by `inner`), so nothing is left unconsumed. Rooms are visited in String order (Java's
 * TreeMap), which fixes the order of the result.
 */
export function allocateMachineRoomNearby(
  inner: AllocateMessageQueueStrategy,
  resolver: MachineRoomResolver,
  consumerGroup: string,
  currentCID: string,
  mqAll: readonly MessageQueue[],
  cidAll: readonly string[],
): MessageQueue[] {
  if (!checkAllocateArgs(currentCID, mqAll, cidAll)) return [];
  const mr2Mq = groupByRoom(mqAll, (mq) => resolver.brokerDeployIn(mq), (mq) => `Machine room is null for mq ${messageQueueToString(mq)}`);
  const mr2c = groupByRoom(cidAll, (cid) => resolver.consumerDeployIn(cid), (cid) => `Machine room is null for consumer id ${cid}`);

  const allocateResults: MessageQueue[] = [];
  const currentMachineRoom = resolver.consumerDeployIn(currentCID);
  const mqInThisMachineRoom = mr2Mq.get(currentMachineRoom);
  mr2Mq.delete(currentMachineRoom);
  const consumerInThisMachineRoom = mr2c.get(currentMachineRoom) ?? [];
  if (mqInThisMachineRoom !== undefined && mqInThisMachineRoom.length > 0) {
    allocateResults.push(...inner.allocate(consumerGroup, currentCID, mqInThisMachineRoom, consumerInThisMachineRoom));
  }
  for (const room of [...mr2Mq.keys()].sort(compareJavaStrings)) {
    if (!mr2c.has(room)) allocateResults.push(...inner.allocate(consumerGroup, currentCID, mr2Mq.get(room) as MessageQueue[], cidAll));
  }
  return allocateResults;
}

/** Java's AllocateMachineRoomNearby (`MACHINE_ROOM_NEARBY-<inner name>`). */
export class AllocateMachineRoomNearby implements AllocateMessageQueueStrategy {
  constructor(
    private readonly allocateMessageQueueStrategy: AllocateMessageQueueStrategy,
    private readonly machineRoomResolver: MachineRoomResolver,
  ) {}

  get name(): string {
    return `MACHINE_ROOM_NEARBY-${this.allocateMessageQueueStrategy.name}`;
  }

  allocate(consumerGroup: string, currentCID: string, mqAll: readonly MessageQueue[], cidAll: readonly string[]): MessageQueue[] {
    return allocateMachineRoomNearby(this.allocateMessageQueueStrategy, this.machineRoomResolver, consumerGroup, currentCID, mqAll, cidAll);
  }
}

function groupByRoom<T>(items: readonly T[], roomOf: (item: T) => string, whenEmpty: (item: T) => string): Map<string, T[]> {
  const byRoom = new Map<string, T[]>();
  for (const item of items) {
    const room = roomOf(item);
    // Java's StringUtils.isNoneEmpty: a room must be named.
    if (room.length === 0) throw illegalArgument(whenEmpty(item));
    const list = byRoom.get(room);
    if (list === undefined) byRoom.set(room, [item]);
    else list.push(item);
  }
  return byRoom;
}

/** String.compareTo: UTF-16 code unit order, which is also what JS `<` compares. */
function compareJavaStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
