import { ClientErrorCode, MQClientException, RemotingConnectException, RemotingException } from '../../common/errors.js';
import type { Logger } from '../../common/logging/logger.js';
import type { RemotingClient } from '../../common/remoting/remoting-client.js';
import type { RemotingCommand } from '../../common/remoting/remoting-command.js';

/**
 * The name servers a client talks to, with NettyRemotingClient's failover: one address is chosen and
 * kept while it works; a connect failure moves on to the next address (round-robin from a random
 * start) within the same call, and any other transport failure closes the connection and forgets the
 * choice, so the next call picks again.
 */
export class NamesrvAddressList {
  private addrs: string[] = [];
  private chosen: string | undefined;
  private index = Math.floor(Math.random() * 0x7fffffff);

  constructor(
    private readonly remoting: RemotingClient,
    private readonly log: Logger,
  ) {}

  update(addrs: readonly string[]): void {
    const next = [...addrs];
    if (next.length === this.addrs.length && next.every((a, i) => a === this.addrs[i])) return;
    this.addrs = next;
    if (this.chosen !== undefined && !next.includes(this.chosen)) this.chosen = undefined;
    this.log.info('name server address list updated', { addrs: next });
  }

  get list(): readonly string[] {
    return this.addrs;
  }

  get chosenAddr(): string | undefined {
    return this.chosen;
  }

  async invokeSync(request: RemotingCommand, timeoutMillis: number): Promise<RemotingCommand> {
    if (this.addrs.length === 0) {
      throw new MQClientException(ClientErrorCode.CLIENT_STATE, 'No name server address, please set it', { retriable: false });
    }
    const begin = Date.now();
    const candidates = this.candidates();
    let lastError: unknown;
    for (const addr of candidates) {
      const remaining = timeoutMillis - (Date.now() - begin);
      if (remaining <= 0) break;
      try {
        const response = await this.remoting.invokeSync(addr, request, remaining);
        this.chosen = addr;
        return response;
      } catch (e) {
        lastError = e;
        if (this.chosen === addr) this.chosen = undefined;
        if (e instanceof RemotingConnectException) {
          this.log.warn('name server unreachable, trying the next one', { addr, error: e.message });
          continue;
        }
        if (e instanceof RemotingException) this.remoting.closeChannel(addr);
        throw e;
      }
    }
    if (lastError !== undefined) throw lastError;
    throw new RemotingConnectException(`no name server reachable in ${timeoutMillis} ms: ${this.addrs.join(';')}`);
  }

  /** The chosen address first, then every other in round-robin order from a moving index. */
  private candidates(): string[] {
    const out: string[] = [];
    if (this.chosen !== undefined) out.push(this.chosen);
    const n = this.addrs.length;
    const start = this.index++ % n;
    for (let i = 0; i < n; i++) {
      const a = this.addrs[(start + i) % n] as string;
      if (a !== this.chosen) out.push(a);
    }
    return out;
  }
}
