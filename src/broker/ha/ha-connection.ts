import type { Socket } from 'node:net';

import type { Logger } from '../../common/logging/logger.js';
import { encodeTransferHeader, lastReport } from './ha-wire.js';
import type { WaitNotifyObject } from './wait-notify-object.js';

/** What a master-side connection needs from the store and the HAService. */
export interface HAConnectionContext {
  getCommitLogData(offset: number, maxBytes: number): Promise<Buffer | undefined>;
  getMaxPhyOffset(): number;
  readonly mappedFileSizeCommitLog: number;
  readonly haTransferBatchSize: number;
  readonly haSendHeartbeatInterval: number;
  readonly haHousekeepingInterval: number;
  readonly waitNotifyObject: WaitNotifyObject;
  /** The slave acked up to `offset` (HAService.notifyTransferSome). */
  notifyTransferSome(offset: number): void;
  removeConnection(c: HAConnection): void;
  readonly log: Logger;
}

/** Java's WriteSocketService sleeps this long when there is nothing to send. */
const IDLE_WAIT_MILLIS = 100;
/** Java's select(1000): how often the reader checks housekeeping. */
const HOUSEKEEPING_CHECK_MILLIS = 1000;

/**
 * HAConnection: the master's side of one slave. The read half takes the slave's offset reports
 * (the first one says where to start, later ones are acks); the write half streams CommitLog data
 * from there in transfers of at most haTransferBatchSize bytes, never crossing a file, and sends a
 * heartbeat header when it has been silent for haSendHeartbeatInterval. Either half failing, a
 * report beyond our CommitLog, or silence for haHousekeepingInterval closes the connection.
 */
export class HAConnection {
  readonly clientAddr: string;
  /** The slave's first report: where transfers start (-1 until it arrives). */
  slaveRequestOffset = -1;
  /** The slave's latest report. */
  slaveAckOffset = -1;
  private nextTransferFromWhere = -1;
  private pending: Buffer = Buffer.alloc(0);
  private lastReadTimestamp = Date.now();
  private lastWriteTimestamp = Date.now();
  private readonly housekeeping: NodeJS.Timeout;
  private writer: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly socket: Socket,
    private readonly ctx: HAConnectionContext,
  ) {
    this.clientAddr = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e: Error) => this.close('socket error', e));
    socket.on('close', () => this.close('closed by the slave'));
    this.housekeeping = setInterval(() => {
      const interval = Date.now() - this.lastReadTimestamp;
      if (interval > ctx.haHousekeepingInterval) this.close('ha housekeeping: no report from the slave', undefined, { interval });
    }, HOUSEKEEPING_CHECK_MILLIS);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Where the next transfer starts (-1 before the slave's first report). */
  get transferFromWhere(): number {
    return this.nextTransferFromWhere;
  }

  /** Closes the socket and stops both halves; resolves when the writer loop has ended. */
  async shutdown(): Promise<void> {
    this.close('shutdown');
    await this.writer;
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.lastReadTimestamp = Date.now();
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const report = lastReport(this.pending);
    if (report === undefined) return;
    this.pending = this.pending.subarray(report.consumed);
    const offset = report.offset;
    if (offset < 0) {
      this.close('slave reported a negative offset', undefined, { offset });
      return;
    }
    this.slaveAckOffset = offset;
    if (this.slaveRequestOffset < 0) {
      this.slaveRequestOffset = offset;
      this.ctx.log.info('slave requests offset', { slave: this.clientAddr, offset });
      this.writer = this.writeLoop().catch((e: unknown) => this.close('transfer failed', e));
    } else if (offset > this.ctx.getMaxPhyOffset()) {
      // A slave ahead of us has data we never wrote: following it would put holes in its log.
      this.close('slave ack offset beyond the master CommitLog', undefined, { offset, masterMaxOffset: this.ctx.getMaxPhyOffset() });
      return;
    }
    this.ctx.notifyTransferSome(offset);
  }

  private async writeLoop(): Promise<void> {
    const ctx = this.ctx;
    if (this.slaveRequestOffset === 0) {
      // An empty slave starts at the master's last file, not at its first (Java: history is not replayed).
      const max = ctx.getMaxPhyOffset();
      this.nextTransferFromWhere = Math.max(0, max - (max % ctx.mappedFileSizeCommitLog));
    } else {
      this.nextTransferFromWhere = this.slaveRequestOffset;
    }
    if (this.nextTransferFromWhere > ctx.getMaxPhyOffset()) {
      this.close('slave requests an offset beyond the master CommitLog', undefined, { offset: this.slaveRequestOffset, masterMaxOffset: ctx.getMaxPhyOffset() });
      return;
    }
    ctx.log.info('master transfer data to slave', { slave: this.clientAddr, from: this.nextTransferFromWhere });
    while (!this.closed) {
      const data = await ctx.getCommitLogData(this.nextTransferFromWhere, ctx.haTransferBatchSize);
      if (this.closed) return;
      if (data !== undefined && data.length > 0) {
        const from = this.nextTransferFromWhere;
        this.nextTransferFromWhere += data.length;
        await this.write(encodeTransferHeader(from, data.length), data);
        continue;
      }
      if (Date.now() - this.lastWriteTimestamp > ctx.haSendHeartbeatInterval) {
        await this.write(encodeTransferHeader(this.nextTransferFromWhere, 0), undefined);
        continue;
      }
      await ctx.waitNotifyObject.waitForRunning(IDLE_WAIT_MILLIS);
    }
  }

  /** Writes a transfer and waits for the socket to drain if its buffer is full (Java's lastWriteOver). */
  private async write(header: Buffer, data: Buffer | undefined): Promise<void> {
    this.socket.write(header);
    const flushed = data === undefined ? true : this.socket.write(data);
    this.lastWriteTimestamp = Date.now();
    if (flushed || this.closed) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
    this.lastWriteTimestamp = Date.now();
  }

  private close(why: string, error?: unknown, fields: Record<string, unknown> = {}): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.housekeeping);
    const entry = { slave: this.clientAddr, ...fields, ...(error === undefined ? {} : { error }) };
    if (why === 'shutdown' || why === 'closed by the slave') this.ctx.log.info(`HA connection closed: ${why}`, entry);
    else this.ctx.log.warn(`HA connection closed: ${why}`, entry);
    this.socket.destroy();
    this.ctx.removeConnection(this);
    // The writer may be asleep in the wait object: wake it so it sees `closed` now.
    this.ctx.waitNotifyObject.wakeupAll();
  }
}
