import os from 'node:os';
import { randomInt } from 'node:crypto';
import { RemotingCommandException } from '../errors.js';
import { MessageConst } from './message-const.js';
import type { Message } from './message.js';
import { IPV4_LENGTH, IPV6_LENGTH, ipBytesToString, ipToBytes } from './socket-address.js';

/*
 * UNIQ_KEY, the client message id users see as msgId (Java's MessageClientIDSetter, PROTOCOL.md §4.5).
 * Upper-case hex of:
 *
 *   +-----------+-----------+--------------------+----------------------+-------------+
 *   | IP (4/16) | pid int16 | classloader int32  | ms since month start | counter u16 |
 *   +-----------+-----------+--------------------+----------------------+-------------+
 *
 * 16 bytes = 32 hex chars with an IPv4 address, 28 bytes = 56 chars with IPv6. The real 4.9.8 capture
 * shows 56-char keys on an IPv4-only connection: decoders must take both.
 */

/** Bytes after the IP: pid (2) + classloader hash (4) + time diff (4) + counter (2). */
const TAIL_LENGTH = 2 + 4 + 4 + 2;
/** Java clamps a small negative diff (clock stepped back by NTP) to 0 only within this many ms. */
const NTP_DRIFT_TOLERANCE_MS = 1_000_000;

export interface UniqIdGeneratorOptions {
  /** 4 or 16 bytes; default: `getLocalIP()`. */
  ip?: Uint8Array;
  /** Default: process.pid (low 16 bits are used). */
  pid?: number;
  /** Stands in for Java's classloader hashCode; default random. */
  classLoaderHash?: number;
  /** Default Date.now. */
  clock?: () => number;
}

/** Creates UNIQ_KEYs; one per process is enough (`createUniqID` uses a shared default one). */
export class UniqIdGenerator {
  readonly #fixPrefix: string;
  readonly #clock: () => number;
  #counter = 0;
  #startTime = 0;
  #nextStartTime = 0;

  constructor(options: UniqIdGeneratorOptions = {}) {
    const ip = options.ip ?? getLocalIP();
    if (ip.length !== IPV4_LENGTH && ip.length !== IPV6_LENGTH) {
      throw new RemotingCommandException(`UNIQ_KEY IP must have 4 or 16 bytes, not ${ip.length}`);
    }
    const fix = Buffer.allocUnsafe(ip.length + 6);
    fix.set(ip, 0);
    fix.writeUInt16BE((options.pid ?? process.pid) & 0xffff, ip.length);
    fix.writeInt32BE((options.classLoaderHash ?? randomInt(-0x8000_0000, 0x7fff_ffff)) | 0, ip.length + 2);
    this.#fixPrefix = fix.toString('hex').toUpperCase();
    this.#clock = options.clock ?? Date.now;
  }

  createUniqID(): string {
    const now = this.#clock();
    if (now >= this.#nextStartTime) this.#setStartTime(now);
    let diff = (now - this.#startTime) | 0;
    if (diff < 0 && diff > -NTP_DRIFT_TOLERANCE_MS) diff = 0;
    const counter = this.#counter;
    this.#counter = (this.#counter + 1) | 0;
    return this.#fixPrefix + hex(diff >>> 0, 8) + hex(counter & 0xffff, 4);
  }

  /** Month start in the local time zone, as Java's Calendar.getInstance() computes it. */
  #setStartTime(millis: number): void {
    const d = new Date(millis);
    this.#startTime = new Date(d.getFullYear(), d.getMonth(), 1).getTime();
    this.#nextStartTime = new Date(d.getFullYear(), d.getMonth() + 1, 1).getTime();
  }
}

let defaultGenerator: UniqIdGenerator | undefined;

/** A new UNIQ_KEY from the process-wide generator (created on first use, like Java's static init). */
export function createUniqID(): string {
  defaultGenerator ??= new UniqIdGenerator();
  return defaultGenerator.createUniqID();
}

/** Java's setUniqID: gives the message a UNIQ_KEY unless it has one. */
export function setUniqID(msg: Message): void {
  if (msg.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX) === undefined) {
    msg.putProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX, createUniqID());
  }
}

export function getUniqID(msg: Message): string | undefined {
  return msg.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX);
}

/** The parts of a UNIQ_KEY. */
export interface UniqIdInfo {
  /** 4 or 16 bytes. */
  readonly ip: Buffer;
  /** `1.2.3.4` or `fd00::2`. */
  readonly ipString: string;
  readonly pid: number;
  readonly classLoaderHash: number;
  /** Milliseconds since the start of the (local-time) month the id was made in. */
  readonly timeDiff: number;
  readonly counter: number;
}

export function parseUniqID(msgId: string): UniqIdInfo {
  const bytes = uniqIdBytes(msgId);
  const ipLen = bytes.length - TAIL_LENGTH;
  const ip = bytes.subarray(0, ipLen);
  return {
    ip,
    ipString: ipBytesToString(ip),
    pid: bytes.readUInt16BE(ipLen),
    classLoaderHash: bytes.readInt32BE(ipLen + 2),
    timeDiff: bytes.readUInt32BE(ipLen + 6),
    counter: bytes.readUInt16BE(ipLen + 10),
  };
}

export function getIPStrFromID(msgId: string): string {
  return parseUniqID(msgId).ipString;
}

export function getPidFromID(msgId: string): number {
  return parseUniqID(msgId).pid;
}

/**
 * Java's getNearlyTimeFromID: the id's month-relative time placed in the current month, or in the
 * previous one if that would be at or after `now` (ids are read back after they were made).
 */
export function getNearlyTimeFromID(msgId: string, now: number = Date.now()): Date {
  const span = parseUniqID(msgId).timeDiff;
  const d = new Date(now);
  let monthStart = new Date(d.getFullYear(), d.getMonth(), 1).getTime();
  if (monthStart + span >= now) monthStart = new Date(d.getFullYear(), d.getMonth() - 1, 1).getTime();
  return new Date(monthStart + span);
}

/** A network interface address as `os.networkInterfaces()` reports it (only the fields we need). */
export interface InterfaceAddress {
  readonly address: string;
  readonly family: string | number;
  readonly internal: boolean;
}

/**
 * The IP a UNIQ_KEY carries (Java's UtilAll.getIP, as the 4.9.8 capture shows it behave): the first
 * address, in interface order, that is a public IPv4 or an IPv6 that is not any-local, loopback,
 * link-local (fe80::/10) or site-local (fec0::/10); failing that the first private IPv4 (10/8,
 * 172.16/12, 192.168/16); failing that Java's fake IP (bytes 4..7 of the big-endian current millis).
 * Interfaces Node marks `internal` (loopback) are skipped: Java reaches lo last on Linux, Node first.
 */
export function getLocalIP(
  interfaces: NodeJS.Dict<readonly InterfaceAddress[]> = os.networkInterfaces(),
  now: number = Date.now(),
): Buffer {
  let privateV4: Buffer | undefined;
  for (const addresses of Object.values(interfaces)) {
    for (const a of addresses ?? []) {
      if (a.internal) continue;
      const v6 = a.family === 'IPv6' || a.family === 6;
      let ip: Buffer;
      try {
        ip = ipToBytes(a.address);
      } catch (e: unknown) {
        if (e instanceof RemotingCommandException) continue; // not an address we can carry; next one
        throw e;
      }
      if (!v6 && ip.length === IPV4_LENGTH) {
        if (!isPrivateIPv4(ip)) return ip;
        privateV4 ??= ip;
      } else if (v6 && ip.length === IPV6_LENGTH && !isInternalIPv6(ip)) {
        return ip;
      }
    }
  }
  return privateV4 ?? createFakeIP(now);
}

/** Java's createFakeIP: bytes 4..7 of the big-endian int64 millis. */
export function createFakeIP(now: number = Date.now()): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(now % 0x1_0000_0000, 0);
  return b;
}

function isPrivateIPv4(ip: Buffer): boolean {
  const [a = 0, b = 0] = ip;
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

function isInternalIPv6(ip: Buffer): boolean {
  const anyLocal = ip.every((x) => x === 0);
  const loopback = ip.subarray(0, 15).every((x) => x === 0) && ip[15] === 1;
  const linkLocal = ip[0] === 0xfe && ((ip[1] ?? 0) & 0xc0) === 0x80;
  const siteLocal = ip[0] === 0xfe && ((ip[1] ?? 0) & 0xc0) === 0xc0;
  return anyLocal || loopback || linkLocal || siteLocal;
}

function uniqIdBytes(msgId: string): Buffer {
  const ipv4Len = (IPV4_LENGTH + TAIL_LENGTH) * 2;
  const ipv6Len = (IPV6_LENGTH + TAIL_LENGTH) * 2;
  if ((msgId.length !== ipv4Len && msgId.length !== ipv6Len) || !/^[0-9a-fA-F]*$/.test(msgId)) {
    throw new RemotingCommandException(`not a UNIQ_KEY (32 or 56 hex chars): ${JSON.stringify(msgId)}`);
  }
  return Buffer.from(msgId, 'hex');
}

function hex(value: number, width: number): string {
  return value.toString(16).toUpperCase().padStart(width, '0');
}
