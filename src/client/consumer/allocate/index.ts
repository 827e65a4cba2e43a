/** The six allocation strategies of RocketMQ 4.9 (client/consumer/rebalance), as pure functions and Java-named classes. */
export { checkAllocateArgs, type AllocateFunction, type AllocateMessageQueueStrategy } from './allocate-message-queue-strategy.js';
export { AllocateMessageQueueAveragely, allocateMessageQueueAveragely } from './allocate-message-queue-averagely.js';
export { AllocateMessageQueueAveragelyByCircle, allocateMessageQueueAveragelyByCircle } from './allocate-message-queue-averagely-by-circle.js';
export { AllocateMessageQueueByConfig } from './allocate-message-queue-by-config.js';
export { AllocateMessageQueueByMachineRoom, allocateMessageQueueByMachineRoom, MACHINE_ROOM_SEPARATOR } from './allocate-message-queue-by-machine-room.js';
export {
  AllocateMessageQueueConsistentHash,
  allocateMessageQueueConsistentHash,
  DEFAULT_VIRTUAL_NODE_CNT,
} from './allocate-message-queue-consistent-hash.js';
export { ConsistentHashRouter, md5Hash, type HashFunction } from './consistent-hash-router.js';
export { AllocateMachineRoomNearby, allocateMachineRoomNearby, type MachineRoomResolver } from './allocate-machine-room-nearby.js';
