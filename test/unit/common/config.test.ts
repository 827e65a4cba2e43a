import { expect } from 'chai';
import { applyConfig, ConfigError, defaultConfig, parseKeyValueArgs } from '../../../src/common/util/config-schema.js';
import { formatJavaProperties, parseJavaProperties } from '../../../src/common/util/java-properties.js';

describe('java properties', () => {
  it('reads broker.conf the way java.util.Properties.load does', () => {
    const text = [
      '# comment',
      '! another',
      'brokerClusterName = DefaultCluster',
      'brokerName:broker-a',
      'brokerId 0',
      'deleteWhen=04',
      'messageDelayLevel=1s 5s \\',
      '   10s',
      'unicode=\\u0041b',
      '',
    ].join('\n');
    const p = parseJavaProperties(text);
    expect([...p.entries()]).to.deep.equal([
      ['brokerClusterName', 'DefaultCluster'],
      ['brokerName', 'broker-a'],
      ['brokerId', '0'],
      ['deleteWhen', '04'],
      ['messageDelayLevel', '1s 5s 10s'],
      ['unicode', 'Ab'],
    ]);
  });

  it('writes key=value lines like MixAll.properties2String', () => {
    expect(formatJavaProperties([['a', 1], ['b', true], ['c', 'x y']])).to.equal('a=1\nb=true\nc=x y\n');
  });
});

describe('config schema', () => {
  const schema = {
    listenPort: { type: 'int', default: 9876, min: 0, max: 65535 },
    flushDiskType: { type: 'enum', default: 'ASYNC_FLUSH', values: ['ASYNC_FLUSH', 'SYNC_FLUSH'] },
    orderMessageEnable: { type: 'boolean', default: false },
    kvConfigPath: { type: 'string', default: '/tmp/kv.json' },
  } as const;

  it('applies typed values and keeps defaults for the rest', () => {
    const c = defaultConfig(schema);
    applyConfig(schema, c, [['listenPort', '1234'], ['orderMessageEnable', 'TRUE']]);
    expect(c).to.deep.equal({ listenPort: 1234, flushDiskType: 'ASYNC_FLUSH', orderMessageEnable: true, kvConfigPath: '/tmp/kv.json' });
  });

  it('names the key in errors for unknown keys and bad values', () => {
    const c = defaultConfig(schema);
    expect(() => applyConfig(schema, c, [['listenPortt', '1']])).to.throw(ConfigError, "unknown config key 'listenPortt'");
    expect(() => applyConfig(schema, c, [['listenPort', 'abc']])).to.throw(ConfigError, "'listenPort' expects a number");
    expect(() => applyConfig(schema, c, [['listenPort', '70000']])).to.throw(ConfigError, 'must be <= 65535');
    expect(() => applyConfig(schema, c, [['flushDiskType', 'SOMETIMES']])).to.throw(ConfigError, 'expects one of ASYNC_FLUSH, SYNC_FLUSH');
  });

  it('returns keys of other schemas when asked not to reject them', () => {
    const c = defaultConfig(schema);
    expect(applyConfig(schema, c, [['mappedFileSizeCommitLog', '4096']], false)).to.deep.equal([['mappedFileSizeCommitLog', '4096']]);
  });

  it('splits --key=value, --key value, flags with values and positionals', () => {
    const r = parseKeyValueArgs(['-n', '127.0.0.1:9876', '--listenPort=1', '--brokerName', 'b', 'extra'], ['-n', '-c']);
    expect(r.pairs).to.deep.equal([['listenPort', '1'], ['brokerName', 'b']]);
    expect(r.flags.get('-n')).to.equal('127.0.0.1:9876');
    expect(r.positional).to.deep.equal(['extra']);
  });
});
