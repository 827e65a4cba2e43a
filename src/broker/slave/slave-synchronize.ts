import type { Logger } from '../../common/logging/logger.js';
import { decodeConsumerOffsetSerializeWrapper } from '../../common/protocol/body/consumer-offset-serialize-wrapper.js';
import { dataVersionEquals, type DataVersion } from '../../common/protocol/body/data-version.js';
import { decodeSubscriptionGroupWrapper } from '../../common/protocol/body/subscription-group-wrapper.js';
import type { SubscriptionGroupConfig } from '../../common/protocol/body/subscription-group-config.js';
import type { TopicConfig } from '../../common/protocol/body/topic-config.js';
import { decodeTopicConfigSerializeWrapper } from '../../common/protocol/body/topic-config-serialize-wrapper.js';
import { RequestCode } from '../../common/protocol/request-code.js';
import { ResponseCode } from '../../common/protocol/response-code.js';
import { RemotingClient } from '../../common/remoting/remoting-client.js';
import { RemotingCommand } from '../../common/remoting/remoting-command.js';
import type { ConfigFile } from '../config-file.js';

/** BrokerController.handleSlaveSynchronize: first sync 3 s after start, then every 10 s. */
export const SLAVE_SYNC_INITIAL_DELAY_MILLIS = 3000;
export const SLAVE_SYNC_PERIOD_MILLIS = 10_000;
/** BrokerOuterAPI's admin calls to the master use 3 s. */
const ADMIN_CALL_TIMEOUT_MILLIS = 3000;

/** The slave's tables SlaveSynchronize overwrites, each with its own persistence. */
export interface SlaveSynchronizeDeps {
  /** This broker's own address: a master address equal to it is not synced from (Java's check). */
  readonly brokerAddr: () => string;
  readonly topicConfigManager: { readonly topicConfigTable: Map<string, TopicConfig>; dataVersion: DataVersion; persist(): Promise<void> };
  readonly consumerOffsetManager: { readonly offsetTable: Map<string, Map<number, number>>; persist(): Promise<void> };
  readonly subscriptionGroupManager: { readonly subscriptionGroupTable: Map<string, SubscriptionGroupConfig>; dataVersion: DataVersion; persist(): Promise<void> };
  /** delayOffset.json, written as the master answered it (Java: MixAll.string2File). */
  readonly delayOffsetFile: Pick<ConfigFile, 'persist'>;
  readonly initialDelayMillis?: number;
  readonly periodMillis?: number;
  readonly log: Logger;
}

/**
 * SlaveSynchronize: a slave periodically copies from its master (the masterAddr the name servers
 * answer on registration) the topic table and subscription groups (replaced when their DataVersion
 * differs), the consumer offsets (merged per topic@group) and the delay offsets. Each part fails on
 * its own with a log line; the next round tries again.
 */
export class SlaveSynchronize {
  masterAddr: string | undefined;
  private readonly client: RemotingClient;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  /** Completed syncAll rounds (tests). */
  rounds = 0;

  constructor(private readonly deps: SlaveSynchronizeDeps) {
    this.client = new RemotingClient({ connectTimeoutMillis: ADMIN_CALL_TIMEOUT_MILLIS, logger: deps.log });
  }

  start(): void {
    this.schedule(this.deps.initialDelayMillis ?? SLAVE_SYNC_INITIAL_DELAY_MILLIS);
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    await this.client.shutdown();
  }

  /** One round of all four syncs (what the schedule runs; tests call it directly). */
  async syncAll(): Promise<void> {
    const master = this.masterAddr;
    if (master === undefined || master === '' || master === this.deps.brokerAddr()) return;
    await this.part('topic config', master, RequestCode.GET_ALL_TOPIC_CONFIG, (body) => this.applyTopicConfig(body));
    await this.part('consumer offset', master, RequestCode.GET_ALL_CONSUMER_OFFSET, (body) => this.applyConsumerOffset(body));
    await this.part('delay offset', master, RequestCode.GET_ALL_DELAY_OFFSET, (body) => this.deps.delayOffsetFile.persist(body));
    await this.part('subscription group', master, RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG, (body) => this.applySubscriptionGroup(body));
    this.rounds++;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.syncAll()
        .catch((e: unknown) => this.deps.log.error('slave synchronize failed', { error: e }))
        .finally(() => {
          this.running = undefined;
          this.schedule(this.deps.periodMillis ?? SLAVE_SYNC_PERIOD_MILLIS);
        });
    }, delay);
  }

  private async part(what: string, master: string, code: number, apply: (body: Buffer) => Promise<void>): Promise<void> {
    try {
      const response = await this.client.invokeSync(master, RemotingCommand.createRequest(code), ADMIN_CALL_TIMEOUT_MILLIS);
      if (response.code !== ResponseCode.SUCCESS || response.body === undefined) {
        this.deps.log.warn(`sync ${what} refused by the master`, { master, code: response.code, remark: response.remark });
        return;
      }
      await apply(Buffer.from(response.body));
    } catch (e: unknown) {
      this.deps.log.error(`sync ${what} failed`, { master, error: e });
    }
  }

  private async applyTopicConfig(body: Buffer): Promise<void> {
    const w = decodeTopicConfigSerializeWrapper(body);
    const tcm = this.deps.topicConfigManager;
    if (dataVersionEquals(tcm.dataVersion, w.dataVersion)) return;
    tcm.dataVersion = { ...w.dataVersion };
    tcm.topicConfigTable.clear();
    for (const [name, tc] of w.topicConfigTable) tcm.topicConfigTable.set(name, tc);
    await tcm.persist();
    this.deps.log.info('update slave topic config from master', { topics: tcm.topicConfigTable.size });
  }

  private async applyConsumerOffset(body: Buffer): Promise<void> {
    const w = decodeConsumerOffsetSerializeWrapper(body);
    const table = this.deps.consumerOffsetManager.offsetTable;
    for (const [key, offsets] of w.offsetTable) table.set(key, new Map(offsets));
    await this.deps.consumerOffsetManager.persist();
  }

  private async applySubscriptionGroup(body: Buffer): Promise<void> {
    const w = decodeSubscriptionGroupWrapper(body);
    const sgm = this.deps.subscriptionGroupManager;
    if (dataVersionEquals(sgm.dataVersion, w.dataVersion)) return;
    sgm.dataVersion = { ...w.dataVersion };
    sgm.subscriptionGroupTable.clear();
    for (const [name, c] of w.subscriptionGroupTable) sgm.subscriptionGroupTable.set(name, c);
    await sgm.persist();
    this.deps.log.info('update slave subscription group config from master', { groups: sgm.subscriptionGroupTable.size });
  }
}
