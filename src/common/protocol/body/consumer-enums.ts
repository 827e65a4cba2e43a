/**
 * How a consumer group consumes, as carried in heartbeats and connection listings (enum names on
 * the wire; fastjson also accepts the ordinal, hence the declaration order matters).
 */

/** ConsumeType: CONSUME_ACTIVELY = pull consumer, CONSUME_PASSIVELY = push consumer. */
export const CONSUME_TYPES = ['CONSUME_ACTIVELY', 'CONSUME_PASSIVELY'] as const;
export type ConsumeType = (typeof CONSUME_TYPES)[number];

/** MessageModel (common/protocol/heartbeat/MessageModel.java). */
export const MESSAGE_MODELS = ['BROADCASTING', 'CLUSTERING'] as const;
export type MessageModel = (typeof MESSAGE_MODELS)[number];

/** ConsumeFromWhere (common/consumer/ConsumeFromWhere.java), in Java declaration order. */
export const CONSUME_FROM_WHERES = [
  'CONSUME_FROM_LAST_OFFSET',
  'CONSUME_FROM_LAST_OFFSET_AND_FROM_MIN_WHEN_BOOT_FIRST',
  'CONSUME_FROM_MIN_OFFSET',
  'CONSUME_FROM_MAX_OFFSET',
  'CONSUME_FROM_FIRST_OFFSET',
  'CONSUME_FROM_TIMESTAMP',
] as const;
export type ConsumeFromWhere = (typeof CONSUME_FROM_WHERES)[number];
