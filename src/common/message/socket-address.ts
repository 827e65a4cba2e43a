import { RemotingCommandException } from '../errors.js';

/**
 * A host and port as RocketMQ stores them (Java's InetSocketAddress, without name resolution): the
 * bornHost (producer's end of the connection) and storeHost (broker's advertised address) of a record.
 *
 * On the wire and on disk an address is `ip (4 or 16 bytes) + port (int32)`, i.e. 8 bytes for IPv4
 * and 20 for IPv6; which one a record holds is told by the BORNHOST_V6_FLAG / STOREHOSTADDRESS_V6_FLAG
 * sysFlag bits, not by the bytes.
 */
export interface SocketAddress {
  /** Dotted IPv4 (`127.0.0.1`) or IPv6 text (`fd00::2`, any RFC 4291 form accepted on input). */
  readonly host: string;
  readonly port: number;
}

export const IPV4_LENGTH = 4;
export const IPV6_LENGTH = 16;
/** ip + int32 port. */
export const IPV4_SOCKET_ADDRESS_LENGTH = IPV4_LENGTH + 4;
export const IPV6_SOCKET_ADDRESS_LENGTH = IPV6_LENGTH + 4;

/**
 * Whether `host` is stored as 16 bytes. IPv4-mapped IPv6 (`::ffff:1.2.3.4`, what Node reports for an
 * IPv4 peer on a dual-stack socket) counts as IPv4, as Java turns such addresses into Inet4Address.
 */
export function isIPv6Host(host: string): boolean {
  return host.includes(':') && mappedIPv4Start(host) < 0;
}

/** 8 for an IPv4 address, 20 for IPv6: the bytes `writeSocketAddress` writes. */
export function socketAddressLength(addr: SocketAddress): number {
  return isIPv6Host(addr.host) ? IPV6_SOCKET_ADDRESS_LENGTH : IPV4_SOCKET_ADDRESS_LENGTH;
}

/** Writes `ip + port` at `pos`; returns the number of bytes written (8 or 20). No allocation for IPv4. */
export function writeSocketAddress(buf: Buffer, pos: number, addr: SocketAddress): number {
  const ipLen = writeIp(buf, pos, addr.host);
  buf.writeInt32BE(addr.port | 0, pos + ipLen);
  return ipLen + 4;
}

/**
 * Recently read IPv4 addresses (direct-mapped by ip and port): a consumer decodes a bornHost and a
 * storeHost per message, nearly always the same few, and would otherwise build two address strings
 * and objects per message (~10 % of a consuming client's allocation). SocketAddress is read-only, so
 * records share the object.
 */
const V4_CACHE_SIZE = 16;
const v4CacheKeys = new Float64Array(V4_CACHE_SIZE).fill(-1);
const v4CacheValues: (SocketAddress | undefined)[] = new Array<SocketAddress | undefined>(V4_CACHE_SIZE).fill(undefined);

/** Reads `ip (4 or 16 bytes) + port` at `pos`. */
export function readSocketAddress(buf: Buffer, pos: number, v6: boolean): SocketAddress {
  if (v6) return { host: ipBytesToString(buf, pos, IPV6_LENGTH), port: buf.readInt32BE(pos + IPV6_LENGTH) };
  const ip = buf.readUInt32BE(pos);
  const port = buf.readInt32BE(pos + IPV4_LENGTH);
  // ip (32 bits) and a non-negative port below 2^21 fit one exact double key; other ports skip the cache.
  if (port < 0 || port >= 0x200000) return { host: ipBytesToString(buf, pos, IPV4_LENGTH), port };
  const key = ip * 0x200000 + port;
  const slot = ((ip ^ port ^ (ip >>> 16)) & (V4_CACHE_SIZE - 1)) >>> 0;
  if (v4CacheKeys[slot] === key) return v4CacheValues[slot]!;
  const addr: SocketAddress = { host: ipBytesToString(buf, pos, IPV4_LENGTH), port };
  v4CacheKeys[slot] = key;
  v4CacheValues[slot] = addr;
  return addr;
}

/** Java's getBornHostBytes / getStoreHostBytes: a fresh 8- or 20-byte buffer. */
export function socketAddressToBytes(addr: SocketAddress): Buffer {
  const out = Buffer.allocUnsafe(socketAddressLength(addr));
  writeSocketAddress(out, 0, addr);
  return out;
}

/** The IP alone, 4 or 16 bytes. */
export function ipToBytes(host: string): Buffer {
  const out = Buffer.allocUnsafe(isIPv6Host(host) ? IPV6_LENGTH : IPV4_LENGTH);
  writeIp(out, 0, host);
  return out;
}

/** `1.2.3.4` for 4 bytes, compressed lower-case RFC 5952 text (`fd00::2`) for 16 bytes. */
export function ipBytesToString(buf: Uint8Array, pos = 0, len = buf.length - pos): string {
  if (len === IPV4_LENGTH) return `${buf[pos]}.${buf[pos + 1]}.${buf[pos + 2]}.${buf[pos + 3]}`;
  if (len !== IPV6_LENGTH) throw new RemotingCommandException(`an IP address has 4 or 16 bytes, not ${len}`);
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(((buf[pos + 2 * i] ?? 0) << 8) | (buf[pos + 2 * i + 1] ?? 0));
  // RFC 5952: compress the longest run (≥ 2) of zero groups, the first one on ties.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** `host:port`, IPv6 hosts in brackets. */
export function socketAddressToString(addr: SocketAddress): string {
  return addr.host.includes(':') ? `[${addr.host}]:${addr.port}` : `${addr.host}:${addr.port}`;
}

/** Parses `1.2.3.4:10911` or `[fd00::2]:10911`. */
export function parseSocketAddress(text: string): SocketAddress {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:]+):(\d+)$/.exec(text);
  if (m === null) throw new RemotingCommandException(`not a host:port address: ${JSON.stringify(text)}`);
  const host = m[1] as string;
  ipToBytes(host); // validates
  return { host, port: Number(m[2]) };
}

// ---------------------------------------------------------------------------------------------

function writeIp(buf: Buffer, pos: number, host: string): number {
  const mapped = host.includes(':') ? mappedIPv4Start(host) : 0;
  if (mapped >= 0) {
    writeIPv4(buf, pos, host, mapped, host.length);
    return IPV4_LENGTH;
  }
  writeIPv6(buf, pos, host);
  return IPV6_LENGTH;
}

/** Dotted quad in host[start, end) → 4 bytes, without allocating. */
function writeIPv4(buf: Buffer, pos: number, host: string, start: number, end: number): void {
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = start; i <= end; i++) {
    const c = i < end ? host.charCodeAt(i) : 0x2e; // a virtual '.' closes the last part
    if (c >= 0x30 && c <= 0x39 && digits < 3) {
      value = value * 10 + (c - 0x30);
      digits++;
    } else if (c === 0x2e && digits > 0 && value <= 255 && part < 4) {
      buf[pos + part++] = value;
      value = 0;
      digits = 0;
    } else {
      throw new RemotingCommandException(`not an IPv4 address: ${JSON.stringify(host)}`);
    }
  }
  if (part !== 4) throw new RemotingCommandException(`not an IPv4 address: ${JSON.stringify(host)}`);
}

function writeIPv6(buf: Buffer, pos: number, hostWithZone: string): void {
  const bad = (): never => {
    throw new RemotingCommandException(`not an IPv6 address: ${JSON.stringify(hostWithZone)}`);
  };
  const zone = hostWithZone.indexOf('%'); // fe80::1%eth0: the zone id is not part of the address
  const host = zone >= 0 ? hostWithZone.slice(0, zone) : hostWithZone;
  const halves = host.split('::');
  if (halves.length > 2) bad();
  const parse = (s: string): number[] => {
    if (s === '') return [];
    const out: number[] = [];
    const parts = s.split(':');
    parts.forEach((p, i) => {
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = Buffer.allocUnsafe(4);
        writeIPv4(v4, 0, p, 0, p.length);
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(p)) bad();
        out.push(parseInt(p, 16));
      }
    });
    return out;
  };
  const head = parse(halves[0] as string);
  const tail = halves.length === 2 ? parse(halves[1] as string) : [];
  const groups =
    halves.length === 2 ? [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail] : head;
  if (groups.length !== 8 || (halves.length === 2 && head.length + tail.length > 7)) bad();
  for (let i = 0; i < 8; i++) buf.writeUInt16BE(groups[i] as number, pos + 2 * i);
}

/** Index of the dotted IPv4 part of an IPv4-mapped address (`::ffff:a.b.c.d`), else -1. */
function mappedIPv4Start(host: string): number {
  const prefix = '::ffff:';
  if (host.length > prefix.length && host.slice(0, prefix.length).toLowerCase() === prefix && host.includes('.', prefix.length)) {
    return prefix.length;
  }
  return -1;
}
