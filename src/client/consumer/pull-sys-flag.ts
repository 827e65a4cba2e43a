/** PullSysFlag (common/sysflag/PullSysFlag.java; PROTOCOL.md §9.2). */
export const PullSysFlag = {
  /** The broker stores `commitOffset` for the group (a master only). */
  FLAG_COMMIT_OFFSET: 0x1,
  /** The broker may hold the request until a message arrives (long polling). */
  FLAG_SUSPEND: 0x1 << 1,
  /** The header carries the subscription expression. */
  FLAG_SUBSCRIPTION: 0x1 << 2,
  FLAG_CLASS_FILTER: 0x1 << 3,
  FLAG_LITE_PULL_MESSAGE: 0x1 << 4,
} as const;

/** PullSysFlag.buildSysFlag(commitOffset, suspend, subscription, classFilter). */
export function buildPullSysFlag(commitOffset: boolean, suspend: boolean, subscription: boolean, classFilter: boolean): number {
  let flag = 0;
  if (commitOffset) flag |= PullSysFlag.FLAG_COMMIT_OFFSET;
  if (suspend) flag |= PullSysFlag.FLAG_SUSPEND;
  if (subscription) flag |= PullSysFlag.FLAG_SUBSCRIPTION;
  if (classFilter) flag |= PullSysFlag.FLAG_CLASS_FILTER;
  return flag;
}

/** A slave never stores offsets: Java clears the flag when pulling from one. */
export function clearCommitOffsetFlag(sysFlag: number): number {
  return sysFlag & ~PullSysFlag.FLAG_COMMIT_OFFSET;
}

export function hasClassFilterFlag(sysFlag: number): boolean {
  return (sysFlag & PullSysFlag.FLAG_CLASS_FILTER) === PullSysFlag.FLAG_CLASS_FILTER;
}
