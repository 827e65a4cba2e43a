import type { Logger } from '../../common/logging/logger.js';
import type { MessageExtBrokerInner } from '../../common/message/index.js';
import {
  decodeDelayOffsetSerializeWrapper,
  encodeDelayOffsetSerializeWrapper,
} from '../../common/protocol/body/delay-offset-serialize-wrapper.js';
import { ConfigFile } from '../config-file.js';
import type { TagsCodeResolver } from '../store/dispatcher.js';
import { TopicValidator } from '../../common/protocol/topic-validator.js';
import { delayLevel2QueueId, parseDelayLevel, type DelayLevelTable } from './delay-level-table.js';
import { rewriteDelayed, scheduleTagsCodeResolver } from './delay-rewrite.js';
import { DeliverDelayedMessageTimerTask, type DeliverContext, type ScheduleMessageStore } from './deliver-delayed-message-timer-task.js';

/** ScheduleMessageService.FIRST_DELAY_TIME: each level's first run, this long after start. */
export const FIRST_DELAY_TIME = 1000;
/** Java's persist task starts 10 s after start, then runs every flushDelayOffsetInterval. */
const FIRST_PERSIST_DELAY_MILLIS = 10_000;
/** RunningStats.scheduleMessageOffset: the GET_BROKER_RUNTIME_INFO key prefix (`scheduleMessageOffset_<level>`). */
export const SCHEDULE_MESSAGE_OFFSET_STAT = 'scheduleMessageOffset';

export interface ScheduleMessageServiceOptions {
  /** MessageStoreConfig.messageDelayLevel (read once, as Java parses it once at load). */
  readonly messageDelayLevel: string;
  /** MessageStoreConfig.flushDelayOffsetInterval, read live. */
  readonly flushDelayOffsetInterval: () => number;
  /** `<storePathRootDir>/config/delayOffset.json`. */
  readonly configPath: string;
  readonly log: Logger;
  readonly now?: () => number;
}

/**
 * ScheduleMessageService (store/schedule/ScheduleMessageService.java, PROTOCOL.md §12): the delay
 * level table, the send path's rewrite to SCHEDULE_TOPIC_XXXX, the store's deliver-time tagsCode, and
 * — on a master — one DeliverDelayedMessageTimerTask per level putting due messages back to their
 * real topics, with progress in `config/delayOffset.json` (`{"offsetTable":{level:nextCqOffset}}`,
 * written every flushDelayOffsetInterval and at shutdown).
 */
export class ScheduleMessageService {
  readonly delayLevelTable: DelayLevelTable;
  /** Level → next SCHEDULE_TOPIC_XXXX queue offset to deliver; only levels that delivered something. */
  readonly offsetTable = new Map<number, number>();
  private readonly file: ConfigFile;
  private readonly tasks: DeliverDelayedMessageTimerTask[] = [];
  private persistTimer: NodeJS.Timeout | undefined;
  private started = false;

  constructor(private readonly options: ScheduleMessageServiceOptions) {
    // Parsed up front: the send path and the store's dispatch need the table even on a slave.
    this.delayLevelTable = parseDelayLevel(options.messageDelayLevel);
    this.file = new ConfigFile(options.configPath, options.log);
  }

  get maxDelayLevel(): number {
    return this.delayLevelTable.maxDelayLevel;
  }

  isStarted(): boolean {
    return this.started;
  }

  /** The send path's hook: moves a delayed message to SCHEDULE_TOPIC_XXXX (see rewriteDelayed). */
  rewriteDelayed(msg: MessageExtBrokerInner): boolean {
    return rewriteDelayed(msg, this.delayLevelTable);
  }

  /** For DefaultMessageStore's `tagsCodeResolver` option. */
  tagsCodeResolver(): TagsCodeResolver {
    return scheduleTagsCodeResolver(this.delayLevelTable);
  }

  /**
   * load(): reads delayOffset.json (or its .bak) and corrects offsets outside the queues
   * (correctDelayOffset). The store must be started and dispatched up to its end.
   */
  async load(store: ScheduleMessageStore): Promise<void> {
    const text = await this.file.load();
    if (text !== undefined) {
      for (const [level, offset] of decodeDelayOffsetSerializeWrapper(text).offsetTable) this.offsetTable.set(level, offset);
    }
    this.correctDelayOffset(store);
  }

  /** Starts delivering (masters only; the caller decides). Call load() first. */
  start(store: ScheduleMessageStore): void {
    if (this.started) return;
    this.started = true;
    const ctx: DeliverContext = {
      store,
      log: this.options.log,
      now: this.options.now ?? Date.now,
      isStarted: () => this.started,
      delayMillis: (level) => this.delayLevelTable.delayMillis(level) ?? 0,
      updateOffset: (level, nextOffset) => this.offsetTable.set(level, nextOffset),
    };
    for (const level of this.delayLevelTable.levels()) {
      const task = new DeliverDelayedMessageTimerTask(level, this.offsetTable.get(level) ?? 0, ctx);
      this.tasks.push(task);
      task.schedule(FIRST_DELAY_TIME);
    }
    this.schedulePersist(FIRST_PERSIST_DELAY_MILLIS);
  }

  /** Stops the timers, waits for deliveries in progress, writes delayOffset.json once more. */
  async shutdown(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    await Promise.all(this.tasks.map((t) => t.stop()));
    this.tasks.length = 0;
    await this.persist();
  }

  /** Writes delayOffset.json (pretty fastjson, levels ascending as Java's ConcurrentHashMap iterates them). */
  persist(): Promise<void> {
    return this.file.persist(this.encode(true));
  }

  encode(pretty = false): Buffer {
    const sorted = new Map([...this.offsetTable].sort((a, b) => a[0] - b[0]));
    return encodeDelayOffsetSerializeWrapper({ offsetTable: sorted }, pretty);
  }

  /**
   * buildRunningStats: `scheduleMessageOffset_<level>` → `"<delayOffset>,<maxOffset>"` for each level
   * in offsetTable (GET_BROKER_RUNTIME_INFO).
   */
  buildRunningStats(maxOffsetInQueue: (topic: string, queueId: number) => number): Map<string, string> {
    const stats = new Map<string, string>();
    for (const [level, offset] of [...this.offsetTable].sort((a, b) => a[0] - b[0])) {
      const max = maxOffsetInQueue(TopicValidator.RMQ_SYS_SCHEDULE_TOPIC, delayLevel2QueueId(level));
      stats.set(`${SCHEDULE_MESSAGE_OFFSET_STAT}_${level}`, `${offset},${max}`);
    }
    return stats;
  }

  /** correctDelayOffset: a persisted offset below the queue's min or above its max is clamped. */
  private correctDelayOffset(store: ScheduleMessageStore): void {
    for (const level of this.delayLevelTable.levels()) {
      const current = this.offsetTable.get(level);
      const cq = store.findConsumeQueue(TopicValidator.RMQ_SYS_SCHEDULE_TOPIC, delayLevel2QueueId(level));
      if (current === undefined || cq === undefined) continue;
      const min = cq.getMinOffsetInQueue();
      const max = cq.getMaxOffsetInQueue();
      const corrected = current < min ? min : current > max ? max : current;
      if (corrected !== current) {
        this.options.log.error('correct delay offset', { delayLevel: level, from: current, to: corrected, cqMinOffset: min, cqMaxOffset: max });
        this.offsetTable.set(level, corrected);
      }
    }
  }

  private schedulePersist(delay: number): void {
    this.persistTimer = setTimeout(() => {
      this.persistTimer = undefined;
      void this.persist().finally(() => {
        if (this.started) this.schedulePersist(this.options.flushDelayOffsetInterval());
      });
    }, delay);
  }
}
