/** One day: BrokerStats.record runs at every midnight. */
const DAY_MILLIS = 24 * 60 * 60 * 1000;

/** The two totals BrokerStats snapshots each morning. */
export interface MessageTotals {
  /** StoreStatsService.getPutMessageTimesTotal. */
  readonly putTotal: () => number;
  /** StoreStatsService.getGetMessageTransferedMsgCount. */
  readonly getTotal: () => number;
}

/**
 * BrokerStats (store/stats/BrokerStats.java): the put/get totals at yesterday's and today's midnight
 * (local time), so GET_BROKER_RUNTIME_INFO and mqadmin brokerStatus show "today" and "yesterday"
 * counts. record() runs at each midnight on a timer this class owns.
 */
export class BrokerStats {
  msgPutTotalYesterdayMorning = 0;
  msgPutTotalTodayMorning = 0;
  msgGetTotalYesterdayMorning = 0;
  msgGetTotalTodayMorning = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly totals: MessageTotals,
    private readonly now: () => number = Date.now,
  ) {}

  get msgPutTotalTodayNow(): number {
    return this.totals.putTotal();
  }

  get msgGetTotalTodayNow(): number {
    return this.totals.getTotal();
  }

  /** Shifts today's morning totals to yesterday's and takes new ones. */
  record(): void {
    this.msgPutTotalYesterdayMorning = this.msgPutTotalTodayMorning;
    this.msgGetTotalYesterdayMorning = this.msgGetTotalTodayMorning;
    this.msgPutTotalTodayMorning = this.totals.putTotal();
    this.msgGetTotalTodayMorning = this.totals.getTotal();
  }

  /** Schedules record() at the next local midnight, then every midnight after. */
  start(): void {
    this.stopped = false;
    this.scheduleNext();
  }

  shutdown(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private scheduleNext(): void {
    if (this.stopped) return;
    const now = this.now();
    const next = new Date(now);
    next.setHours(24, 0, 0, 0);
    const delay = Math.min(Math.max(1, next.getTime() - now), DAY_MILLIS);
    this.timer = setTimeout(() => {
      this.record();
      this.scheduleNext();
    }, delay);
    this.timer.unref();
  }
}
