import { networkInterfaces } from 'node:os';

import type { LanguageCodeName } from '../common/remoting/language-code.js';

/**
 * Java's ClientConfig: what every producer and consumer shares (PROTOCOL.md §8.2, §8.3). Option names
 * and defaults are RocketMQ's; producers and consumers extend this.
 */
export interface ClientConfigOptions {
  /** Name servers, `host:port` separated by `;`. Default: env NAMESRV_ADDR. */
  namesrvAddr?: string;
  /** Default: RemotingUtil.getLocalAddress (first non-loopback, non-192.168 IPv4 …). */
  clientIP?: string;
  /** Default `DEFAULT` (env `rocketmq.client.name` has no Node equivalent); replaced by `<pid>#<nanos>`. */
  instanceName?: string;
  namespace?: string;
  pollNameServerInterval?: number;
  heartbeatBrokerInterval?: number;
  persistConsumerOffsetInterval?: number;
  pullTimeDelayMillsWhenException?: number;
  unitMode?: boolean;
  unitName?: string;
  /** VIP channel = broker port − 2. Java 4.9.8 defaults to false. */
  vipChannelEnabled?: boolean;
  /** Timeout of the client's own RPCs (routes, heartbeats, offsets). */
  mqClientApiTimeout?: number;
  language?: LanguageCodeName;
}

export const DEFAULT_INSTANCE_NAME = 'DEFAULT';
/** ClientConfig defaults of 4.9.8. */
export const CLIENT_CONFIG_DEFAULTS = {
  instanceName: DEFAULT_INSTANCE_NAME,
  namespace: '',
  pollNameServerInterval: 30_000,
  heartbeatBrokerInterval: 30_000,
  persistConsumerOffsetInterval: 5_000,
  pullTimeDelayMillsWhenException: 1_000,
  unitMode: false,
  vipChannelEnabled: false,
  mqClientApiTimeout: 3_000,
  language: 'JAVA',
} as const satisfies Partial<ClientConfigOptions>;

/** A resolved ClientConfig: every option has a value (namesrvAddr and unitName may be empty). */
export class ClientConfig {
  namesrvAddr: string;
  clientIP: string;
  instanceName: string;
  namespace: string;
  pollNameServerInterval: number;
  heartbeatBrokerInterval: number;
  persistConsumerOffsetInterval: number;
  pullTimeDelayMillsWhenException: number;
  unitMode: boolean;
  unitName: string;
  vipChannelEnabled: boolean;
  mqClientApiTimeout: number;
  language: LanguageCodeName;

  constructor(options: ClientConfigOptions = {}) {
    const o = { ...CLIENT_CONFIG_DEFAULTS, ...definedOnly(options) };
    this.namesrvAddr = o.namesrvAddr ?? process.env.NAMESRV_ADDR ?? '';
    this.clientIP = o.clientIP ?? getLocalAddress();
    this.instanceName = o.instanceName;
    this.namespace = o.namespace;
    this.pollNameServerInterval = o.pollNameServerInterval;
    this.heartbeatBrokerInterval = o.heartbeatBrokerInterval;
    this.persistConsumerOffsetInterval = o.persistConsumerOffsetInterval;
    this.pullTimeDelayMillsWhenException = o.pullTimeDelayMillsWhenException;
    this.unitMode = o.unitMode;
    this.unitName = o.unitName ?? '';
    this.vipChannelEnabled = o.vipChannelEnabled;
    this.mqClientApiTimeout = o.mqClientApiTimeout;
    this.language = o.language;
  }

  /** `clientIP@instanceName[@unitName]`: one MQClientInstance per distinct id in a process. */
  buildMQClientId(): string {
    let id = `${this.clientIP}@${this.instanceName}`;
    if (this.unitName.trim() !== '') id += `@${this.unitName}`;
    return id;
  }

  /**
   * Java 4.9.8: a still-DEFAULT instance name becomes `<pid>#<System.nanoTime()>`, so every producer and
   * consumer gets its own MQClientInstance unless the application names the instance.
   */
  changeInstanceNameToPID(): void {
    if (this.instanceName === DEFAULT_INSTANCE_NAME) this.instanceName = `${process.pid}#${process.hrtime.bigint()}`;
  }

  /** The name server addresses, in the order given. */
  namesrvAddrList(): string[] {
    return parseNamesrvAddr(this.namesrvAddr);
  }

  /** The options needed to build an equal config (for MQClientInstance, which keeps its own copy). */
  cloneClientConfig(): ClientConfig {
    const c = new ClientConfig({ clientIP: this.clientIP });
    Object.assign(c, this);
    return c;
  }
}

export function parseNamesrvAddr(addr: string): string[] {
  return addr
    .split(';')
    .map((a) => a.trim())
    .filter((a) => a.length > 0);
}

/**
 * RemotingUtil.getLocalAddress: skip loopback; the first IPv4 not in 127.0/192.168, else the last
 * IPv4 seen, else the first IPv6, else 127.0.0.1.
 */
export function getLocalAddress(interfaces = networkInterfaces()): string {
  const v4: string[] = [];
  const v6: string[] = [];
  for (const addrs of Object.values(interfaces)) {
    for (const a of addrs ?? []) {
      if (a.internal) continue;
      if (a.family === 'IPv4') v4.push(a.address);
      else v6.push(a.address);
    }
  }
  const preferred = v4.find((ip) => !ip.startsWith('127.0') && !ip.startsWith('192.168'));
  if (preferred !== undefined) return preferred;
  if (v4.length > 0) return v4[v4.length - 1] as string;
  if (v6.length > 0) return `[${(v6[0] as string).split('%')[0]}]`;
  return '127.0.0.1';
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
