import { expect } from 'chai';
import { readSocketAddress, writeSocketAddress } from '../../../src/common/message/socket-address.js';

function bytes(host: string, port: number): Buffer {
  const buf = Buffer.alloc(24, 0xee);
  writeSocketAddress(buf, 2, { host, port });
  return buf;
}

describe('message/socket-address readSocketAddress', () => {
  it('reads IPv4 and IPv6 addresses at an offset', () => {
    expect(readSocketAddress(bytes('10.1.2.3', 10911), 2, false)).to.deep.equal({ host: '10.1.2.3', port: 10911 });
    expect(readSocketAddress(bytes('fd00::2', 9876), 2, true)).to.deep.equal({ host: 'fd00::2', port: 9876 });
  });

  it('hands out one shared object for an IPv4 address read again, and the right one for every other', () => {
    const a = readSocketAddress(bytes('127.0.0.1', 40000), 2, false);
    expect(readSocketAddress(bytes('127.0.0.1', 40000), 2, false)).to.equal(a);
    // Many distinct addresses, some colliding in the cache: each read still answers its own bytes.
    for (let i = 0; i < 200; i++) {
      const host = `192.168.${i % 7}.${i % 251}`;
      const port = 1000 + ((i * 37) % 64);
      expect(readSocketAddress(bytes(host, port), 2, false)).to.deep.equal({ host, port });
    }
    expect(readSocketAddress(bytes('127.0.0.1', 40001), 2, false)).to.deep.equal({ host: '127.0.0.1', port: 40001 });
  });

  it('reads ports outside 0..2^21 (not cached) as the int32 Java wrote', () => {
    expect(readSocketAddress(bytes('1.2.3.4', -5), 2, false)).to.deep.equal({ host: '1.2.3.4', port: -5 });
    expect(readSocketAddress(bytes('1.2.3.4', 0x7fffffff), 2, false)).to.deep.equal({ host: '1.2.3.4', port: 0x7fffffff });
    expect(readSocketAddress(bytes('255.255.255.255', 0x1fffff), 2, false)).to.deep.equal({ host: '255.255.255.255', port: 0x1fffff });
  });
});
