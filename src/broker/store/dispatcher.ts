import { MessageSysFlag, getTransactionValue, type DispatchRequest } from '../../common/message/index.js';

/**
 * Something built from the CommitLog by the ReputMessageService (Java's CommitLogDispatcher): the
 * ConsumeQueue builder, the IndexService. It may return a promise; dispatching waits for it so the
 * derived structures advance in CommitLog order.
 */
export interface CommitLogDispatcher {
  dispatch(request: DispatchRequest): void | Promise<void> | undefined;
}

/** What long polling hears once a message is in its ConsumeQueue (Java's MessageArrivingListener). */
export interface MessageArrivingListener {
  arriving(topic: string, queueId: number, logicOffset: number, tagsCode: number, storeTimestamp: number, properties: ReadonlyMap<string, string>): void;
}

/**
 * Replaces a record's ConsumeQueue tagsCode (the broker's ScheduleMessageService returns the deliver
 * time for SCHEDULE_TOPIC_XXXX); undefined keeps the TAGS hash.
 */
export type TagsCodeResolver = (request: DispatchRequest) => number | undefined;

/** Prepared and rolled-back transaction records are not consumable (Java's CommitLogDispatcherBuildConsumeQueue). */
export function isConsumable(sysFlag: number): boolean {
  const t = getTransactionValue(sysFlag);
  return t === MessageSysFlag.TRANSACTION_NOT_TYPE || t === MessageSysFlag.TRANSACTION_COMMIT_TYPE;
}
