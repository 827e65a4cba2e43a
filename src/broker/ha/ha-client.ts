import { connect, type Socket } from 'node:net';

import type { Logger } from '../../common/logging/logger.js';
import { parseAddress } from '../../common/remoting/address.js';
import { ChunkQueue } from './chunk-queue.js';
import { decodeTransferHeader, encodeReport, TRANSFER_HEADER_SIZE } from './ha-wire.js';

/** What the slave side needs from its store. */
export interface HAClientStore {
  getMaxPhyOffset(): number;
  /** Appends the master's bytes at `startOffset` (our max offset); false if they do not fit there. */
  appendToCommitLog(startOffset: number, data: Buffer): Promise<boolean>;
}

export interface HAClientOptions {
  readonly haSendHeartbeatInterval: number;
  readonly haHousekeepingInterval: number;
  /** Java's HAClient waits 5 s after a failed connect. */
  readonly reconnectIntervalMillis?: number;
  readonly log: Logger;
}

/** Java's run loop wakes at least once a second (select(1000)) for reports and housekeeping. */
const TICK_MILLIS = 1000;
const DEFAULT_RECONNECT_INTERVAL_MILLIS = 5000;
/** Received but not yet appended bytes before the socket is paused (bounds memory on a fast master). */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/**
 * HAClient: the slave's connection to its master's HA port. It reports the CommitLog max offset on
 * connect, after every append and every haSendHeartbeatInterval; it appends each transfer at exactly
 * the offset the master says, and any disagreement (a header whose offset is not our max offset,
 * a refused append) closes the connection: the next one resumes from our max offset, so the log
 * never gets a hole. Silence from the master for haHousekeepingInterval also closes it.
 */
export class HAClient {
  private masterAddress: string | undefined;
  private socket: Socket | undefined;
  private connected = false;
  private readonly received = new ChunkQueue();
  private processing: Promise<void> | undefined;
  private currentReportedOffset = 0;
  private lastReadTimestamp = 0;
  private lastWriteTimestamp = 0;
  private nextConnectAt = 0;
  private tick: NodeJS.Timeout | undefined;
  private soon: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Appended bytes since start (stats, tests). */
  appendedBytes = 0;

  constructor(
    private readonly store: HAClientStore,
    private readonly opts: HAClientOptions,
  ) {}

  get isConnected(): boolean {
    return this.connected;
  }

  get currentMasterAddress(): string | undefined {
    return this.masterAddress;
  }

  start(): void {
    this.tick = setInterval(() => this.onTick(), TICK_MILLIS);
    this.connectSoon();
  }

  /** The master's HA address (from the name server or haMasterAddress); a change drops the old connection. */
  updateMasterAddress(addr: string | undefined): void {
    const next = addr === undefined || addr === '' ? undefined : addr;
    if (next === this.masterAddress) return;
    this.opts.log.info('update master address', { from: this.masterAddress, to: next });
    this.masterAddress = next;
    this.closeMaster('master address changed');
    this.nextConnectAt = 0;
    this.connectSoon();
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    if (this.tick !== undefined) clearInterval(this.tick);
    if (this.soon !== undefined) clearTimeout(this.soon);
    this.tick = this.soon = undefined;
    this.closeMaster('shutdown');
    await this.processing;
  }

  private connectSoon(): void {
    if (this.stopped || this.soon !== undefined) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      this.connectMaster();
    }, 0);
  }

  private onTick(): void {
    if (this.socket === undefined) {
      this.connectMaster();
      return;
    }
    if (!this.connected) return;
    const now = Date.now();
    if (now - this.lastReadTimestamp > this.opts.haHousekeepingInterval) {
      this.closeMaster('housekeeping: nothing from the master', { interval: now - this.lastReadTimestamp });
      return;
    }
    if (now - this.lastWriteTimestamp > this.opts.haSendHeartbeatInterval) this.report(this.currentReportedOffset);
  }

  private connectMaster(): void {
    if (this.stopped || this.socket !== undefined || this.masterAddress === undefined) return;
    if (Date.now() < this.nextConnectAt) return;
    const addr = this.masterAddress;
    const { host, port } = parseAddress(addr);
    const socket = connect({ host, port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('connect', () => {
      if (this.socket !== socket) return;
      this.connected = true;
      this.lastReadTimestamp = Date.now();
      this.currentReportedOffset = this.store.getMaxPhyOffset();
      this.opts.log.info('connected to master', { master: addr, maxPhyOffset: this.currentReportedOffset });
      // Java reports after the first heartbeat interval; reporting at once only starts the stream sooner.
      this.report(this.currentReportedOffset);
    });
    socket.on('data', (chunk: Buffer) => {
      if (this.socket !== socket) return;
      this.lastReadTimestamp = Date.now();
      this.received.push(chunk);
      if (this.received.length > MAX_BUFFERED_BYTES) socket.pause();
      this.kick();
    });
    socket.on('error', (e: Error) => {
      if (this.socket !== socket) return;
      if (!this.connected) this.nextConnectAt = Date.now() + (this.opts.reconnectIntervalMillis ?? DEFAULT_RECONNECT_INTERVAL_MILLIS);
      this.closeMaster('socket error', { error: e });
    });
    socket.on('close', () => {
      if (this.socket !== socket) return;
      if (!this.connected) this.nextConnectAt = Date.now() + (this.opts.reconnectIntervalMillis ?? DEFAULT_RECONNECT_INTERVAL_MILLIS);
      const wasConnected = this.connected;
      this.closeMaster('closed by the master');
      // Java's loop reconnects at once after a lost connection, and waits only after a failed connect.
      if (wasConnected) this.connectSoon();
    });
  }

  /** Starts the append loop for the current connection unless it runs (one append at a time). */
  private kick(): void {
    const socket = this.socket;
    if (this.processing !== undefined || socket === undefined) return;
    this.processing = this.dispatchReadRequest(socket)
      .catch((e: unknown) => {
        if (this.socket === socket) this.closeMaster('append failed', { error: e });
      })
      .finally(() => {
        this.processing = undefined;
        // A loop of an old connection may have held the slot while a new one received data.
        if (this.socket !== undefined && this.socket !== socket && this.received.length > 0) this.kick();
      });
  }

  /**
   * Appends every whole transfer buffered; stops at the first disagreement. The transfers buffered
   * at one time are handed to the CommitLog together (its writer keeps their order), so a catching-up
   * slave pays one writer turn and one report for many 32 KiB transfers instead of one each.
   */
  private async dispatchReadRequest(socket: Socket): Promise<void> {
    const q = this.received;
    while (this.socket === socket && q.length >= TRANSFER_HEADER_SIZE) {
      let expected = this.store.getMaxPhyOffset();
      const appends: Promise<boolean>[] = [];
      let bytes = 0;
      let failure: { why: string; fields: Record<string, unknown> } | undefined;
      while (q.length >= TRANSFER_HEADER_SIZE) {
        const { phyOffset, bodySize } = decodeTransferHeader(q.peek(TRANSFER_HEADER_SIZE), 0);
        if (expected !== 0 && expected !== phyOffset) {
          failure = { why: 'master pushed offset not equal the max phy offset in slave', fields: { masterPhyOffset: phyOffset, slavePhyOffset: expected } };
          break;
        }
        if (bodySize < 0 || phyOffset < 0) {
          failure = { why: 'garbage transfer header', fields: { masterPhyOffset: phyOffset, bodySize } };
          break;
        }
        if (q.length < TRANSFER_HEADER_SIZE + bodySize) break;
        q.skip(TRANSFER_HEADER_SIZE);
        const body = q.take(bodySize);
        if (bodySize === 0) continue;
        appends.push(this.store.appendToCommitLog(phyOffset, body));
        expected = phyOffset + bodySize;
        bytes += bodySize;
        // An empty store creates its first file during its first append: let that finish alone.
        if (this.store.getMaxPhyOffset() === 0) break;
      }
      const results = await Promise.all(appends);
      if (this.socket !== socket) return;
      if (results.includes(false)) {
        this.closeMaster('append refused by the CommitLog', { slavePhyOffset: this.store.getMaxPhyOffset() });
        return;
      }
      this.appendedBytes += bytes;
      this.reportSlaveMaxOffsetPlus();
      if (failure !== undefined) {
        this.closeMaster(failure.why, failure.fields);
        return;
      }
      if (appends.length === 0) break;
    }
    if (this.socket === socket && q.length <= MAX_BUFFERED_BYTES) socket.resume();
  }

  private reportSlaveMaxOffsetPlus(): void {
    const current = this.store.getMaxPhyOffset();
    if (current > this.currentReportedOffset) {
      this.currentReportedOffset = current;
      this.report(current);
    }
  }

  private report(offset: number): void {
    const socket = this.socket;
    if (socket === undefined || !this.connected) return;
    socket.write(encodeReport(offset));
    this.lastWriteTimestamp = Date.now();
  }

  private closeMaster(why: string, fields: Record<string, unknown> = {}): void {
    const socket = this.socket;
    if (socket === undefined) return;
    const level = why === 'shutdown' || why === 'master address changed' ? 'info' : 'warn';
    this.opts.log[level](`HAClient close connection: ${why}`, { master: this.masterAddress, ...fields });
    this.socket = undefined;
    this.connected = false;
    this.received.clear();
    socket.destroy();
  }
}
