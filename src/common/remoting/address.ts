import { RemotingConnectException } from '../errors.js';

/**
 * Broker and name-server addresses travel as `host:port` strings (route data, registration,
 * `namesrvAddr`). IPv6 hosts are written in brackets, `[::1]:9876`; an unbracketed IPv6 form
 * (`::1:9876`) is accepted too because Java's RemotingHelper.string2SocketAddress splits on the
 * last colon, so Java peers may produce it.
 */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** Parses `host:port`, `[v6]:port` or `v6:port`; throws RemotingConnectException when malformed. */
export function parseAddress(addr: string): HostPort {
  const s = addr.trim();
  let host: string;
  let portText: string;
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close < 0 || s[close + 1] !== ':') throw invalid(addr);
    host = s.slice(1, close);
    portText = s.slice(close + 2);
  } else {
    const colon = s.lastIndexOf(':');
    if (colon <= 0) throw invalid(addr);
    host = s.slice(0, colon);
    portText = s.slice(colon + 1);
  }
  if (host.length === 0 || !/^\d{1,5}$/.test(portText)) throw invalid(addr);
  const port = Number(portText);
  if (port > 65535) throw invalid(addr);
  return { host, port };
}

/** Formats an address the way RocketMQ writes it, bracketing IPv6 hosts. */
export function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * The address of a socket's peer (or local end) as `host:port`. IPv4-mapped IPv6 addresses
 * (`::ffff:127.0.0.1`, what a dual-stack listener reports) are shown as plain IPv4, which is what
 * Java prints and what the name server compares against registered broker addresses.
 */
export function socketAddress(host: string | undefined, port: number | undefined): string {
  if (host === undefined || port === undefined) return 'unknown';
  const plain = host.startsWith('::ffff:') && host.includes('.') ? host.slice(7) : host;
  return formatAddress(plain, port);
}

function invalid(addr: string): RemotingConnectException {
  return new RemotingConnectException(`invalid address "${addr}", expected host:port or [ipv6]:port`, {
    retriable: false,
    context: { addr },
  });
}
