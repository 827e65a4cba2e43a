import { expect } from 'chai';
import { RemotingCommandException } from '../../../../src/common/errors.js';
import {
  decodeClusterInfo,
  decodeConsumerOffsetSerializeWrapper,
  decodeHeartbeatData,
  decodeLockBatchRequestBody,
  decodeRegisterBrokerBody,
  decodeTopicRouteData,
} from '../../../../src/common/protocol/body/index.js';
import { fixtureBytes, frameBody } from './fixture-util.js';

// A fixed-seed xorshift so failures reproduce.
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

const CASES: [string, Buffer, (b: Buffer) => unknown][] = [
  ['TopicRouteData', frameBody('ns-105-getroute-v395-legacy.resp.bin'), decodeTopicRouteData],
  ['ClusterInfo', frameBody('ns-106-clusterinfo.resp.bin'), decodeClusterInfo],
  ['HeartbeatData', frameBody('broker-34-heartbeat-consumer-producer.req.bin'), decodeHeartbeatData],
  ['RegisterBrokerBody', frameBody('ns-103-register-broker-full.req.bin'), (b) => decodeRegisterBrokerBody(b)],
  ['LockBatchRequestBody', frameBody('broker-41-lock-batch-mq.req.bin'), decodeLockBatchRequestBody],
  ['consumerOffset.json', fixtureBytes('config-consumerOffset.json'), decodeConsumerOffsetSerializeWrapper],
];

describe('body decoders on corrupted input', () => {
  for (const [name, body, decode] of CASES) {
    it(`${name}: 2,000 mutated or truncated copies either decode or throw RemotingCommandException`, () => {
      const random = rng(name.length * 7919 + 17);
      const interesting = Buffer.from('{}[]:,"\'0-9eE.\\ ntfl');
      for (let i = 0; i < 2000; i++) {
        let b = Buffer.from(body);
        const kind = random();
        if (kind < 0.3) {
          b = b.subarray(0, Math.floor(random() * b.length));
        } else {
          const n = 1 + Math.floor(random() * 3);
          for (let j = 0; j < n; j++) {
            const pos = Math.floor(random() * b.length);
            b[pos] = random() < 0.7 ? interesting[Math.floor(random() * interesting.length)]! : Math.floor(random() * 256);
          }
        }
        try {
          decode(b);
        } catch (e: unknown) {
          expect(e, `input ${JSON.stringify(b.toString('latin1'))}`).to.be.instanceOf(RemotingCommandException);
        }
      }
    });
  }
});
