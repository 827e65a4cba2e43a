import type {
  ConsumeFromWhere as ConsumeFromWhereName,
  ConsumeType as ConsumeTypeName,
  MessageModel as MessageModelName,
} from '../../common/protocol/body/consumer-enums.js';

/**
 * The consumer enums as values, for Java-style code (`MessageModel.BROADCASTING`). The names and their
 * wire order live in common/protocol/body/consumer-enums.ts; `satisfies` ties every table here to those
 * types, so a name added there without being added here (or misspelled here) fails to compile.
 */
export { CONSUME_FROM_WHERES, CONSUME_TYPES, MESSAGE_MODELS } from '../../common/protocol/body/consumer-enums.js';

export const MessageModel = {
  BROADCASTING: 'BROADCASTING',
  CLUSTERING: 'CLUSTERING',
} as const satisfies { [K in MessageModelName]: K };
export type MessageModel = (typeof MessageModel)[keyof typeof MessageModel];

export const ConsumeType = {
  CONSUME_ACTIVELY: 'CONSUME_ACTIVELY',
  CONSUME_PASSIVELY: 'CONSUME_PASSIVELY',
} as const satisfies { [K in ConsumeTypeName]: K };
export type ConsumeType = (typeof ConsumeType)[keyof typeof ConsumeType];

export const ConsumeFromWhere = {
  CONSUME_FROM_LAST_OFFSET: 'CONSUME_FROM_LAST_OFFSET',
  /** @deprecated in RocketMQ; behaves as CONSUME_FROM_LAST_OFFSET. */
  CONSUME_FROM_LAST_OFFSET_AND_FROM_MIN_WHEN_BOOT_FIRST: 'CONSUME_FROM_LAST_OFFSET_AND_FROM_MIN_WHEN_BOOT_FIRST',
  /** @deprecated in RocketMQ; behaves as CONSUME_FROM_LAST_OFFSET. */
  CONSUME_FROM_MIN_OFFSET: 'CONSUME_FROM_MIN_OFFSET',
  /** @deprecated in RocketMQ; behaves as CONSUME_FROM_LAST_OFFSET. */
  CONSUME_FROM_MAX_OFFSET: 'CONSUME_FROM_MAX_OFFSET',
  CONSUME_FROM_FIRST_OFFSET: 'CONSUME_FROM_FIRST_OFFSET',
  CONSUME_FROM_TIMESTAMP: 'CONSUME_FROM_TIMESTAMP',
} as const satisfies { [K in ConsumeFromWhereName]: K };
export type ConsumeFromWhere = (typeof ConsumeFromWhere)[keyof typeof ConsumeFromWhere];
