import { expect } from 'chai';

import { RemotingConnectException } from '../../../src/common/errors.js';
import { formatAddress, parseAddress, socketAddress } from '../../../src/common/remoting/address.js';

// A pure unit test, kept beside the transport tests it supports.
describe('remoting addresses', () => {
  it('parses host:port, [ipv6]:port and Java-style unbracketed ipv6', () => {
    expect(parseAddress('127.0.0.1:9876')).to.deep.equal({ host: '127.0.0.1', port: 9876 });
    expect(parseAddress('broker-a.local:10911')).to.deep.equal({ host: 'broker-a.local', port: 10911 });
    expect(parseAddress('[::1]:9876')).to.deep.equal({ host: '::1', port: 9876 });
    expect(parseAddress('fe80::1:10911')).to.deep.equal({ host: 'fe80::1', port: 10911 });
  });

  it('rejects malformed addresses with RemotingConnectException', () => {
    for (const bad of ['', '127.0.0.1', ':9876', '[::1]9876', '[::1', 'host:', 'host:65536', 'host:12a']) {
      expect(() => parseAddress(bad), bad).to.throw(RemotingConnectException);
    }
  });

  it('formats IPv6 hosts in brackets and round-trips', () => {
    expect(formatAddress('::1', 9876)).to.equal('[::1]:9876');
    expect(formatAddress('10.0.0.1', 10911)).to.equal('10.0.0.1:10911');
    expect(parseAddress(formatAddress('2001:db8::7', 80))).to.deep.equal({ host: '2001:db8::7', port: 80 });
  });

  it('shows IPv4-mapped peers as plain IPv4', () => {
    expect(socketAddress('::ffff:127.0.0.1', 5000)).to.equal('127.0.0.1:5000');
    expect(socketAddress(undefined, undefined)).to.equal('unknown');
  });
});
