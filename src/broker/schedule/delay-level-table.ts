import { ConfigError } from '../../common/util/config-schema.js';

/**
 * The delay levels of `messageDelayLevel` (ScheduleMessageService.parseDelayLevel): space separated
 * durations, level = 1-based position, maxDelayLevel = the count. Java's units are s/m/h/d; we also
 * accept `ms` (a rocketmq-ts extension, so tests can use sub-second levels; a Java broker refuses
 * such a table at start).
 */
export interface DelayLevelTable {
  readonly maxDelayLevel: number;
  /** Delay of `level` in ms, undefined for a level outside 1..maxDelayLevel. */
  delayMillis(level: number): number | undefined;
  /** Levels 1..maxDelayLevel. */
  levels(): number[];
}

/** The default of MessageStoreConfig.messageDelayLevel. */
export const DEFAULT_MESSAGE_DELAY_LEVEL = '1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h';

/** Unit → ms (Java's timeUnitTable, plus `ms`). */
const TIME_UNIT_MILLIS: ReadonlyMap<string, number> = new Map([
  ['ms', 1],
  ['s', 1000],
  ['m', 60_000],
  ['h', 3_600_000],
  ['d', 86_400_000],
]);
const LEVEL_PATTERN = /^([+-]?\d+)(ms|s|m|h|d)$/;

/** Parses `messageDelayLevel`; throws ConfigError where Java's parseDelayLevel fails (the broker does not start). */
export function parseDelayLevel(levelString: string): DelayLevelTable {
  const delays: number[] = [];
  // Java splits on single spaces: "1s  5s" has an empty level and fails, so does a trailing space.
  for (const value of levelString.split(' ')) {
    const m = LEVEL_PATTERN.exec(value);
    if (m === null) throw new ConfigError('messageDelayLevel', `messageDelayLevel: bad level '${value}' in '${levelString}' (expected <number><ms|s|m|h|d>)`);
    delays.push(Number(m[1]) * TIME_UNIT_MILLIS.get(m[2]!)!);
  }
  return {
    maxDelayLevel: delays.length,
    delayMillis: (level) => delays[level - 1],
    levels: () => delays.map((_, i) => i + 1),
  };
}

/** ScheduleMessageService.delayLevel2QueueId: level n lives in SCHEDULE_TOPIC_XXXX queue n − 1. */
export function delayLevel2QueueId(delayLevel: number): number {
  return delayLevel - 1;
}

export function queueId2DelayLevel(queueId: number): number {
  return queueId + 1;
}

/** Java's fallback delay when a record's level has no entry in the table. */
const UNKNOWN_LEVEL_DELAY_MILLIS = 1000;

/** computeDeliverTimestamp: storeTimestamp + the level's delay (+ 1 s for an unknown level, as Java). */
export function computeDeliverTimestamp(table: DelayLevelTable, delayLevel: number, storeTimestamp: number): number {
  return storeTimestamp + (table.delayMillis(delayLevel) ?? UNKNOWN_LEVEL_DELAY_MILLIS);
}
