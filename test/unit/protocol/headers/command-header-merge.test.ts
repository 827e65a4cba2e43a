import { expect } from 'chai';
import type { HeaderCodec } from '../../../../src/common/protocol/header.js';
import * as H from '../../../../src/common/protocol/headers/index.js';
import { RemotingCommand, type ExtFields } from '../../../../src/common/remoting/remoting-command.js';

type AnyCodec = HeaderCodec<Record<string, unknown>>;
const codec = <T>(c: HeaderCodec<T>): AnyCodec => c as unknown as AnyCodec;

/** setHeader's merge written the plain way (spreads, entries, a fresh Set): the reference result. */
function referenceSetHeader(ext: ExtFields | undefined, fastFieldCount: number, c: AnyCodec, header: Record<string, unknown>) {
  const fields = c.encode(header);
  const others: ExtFields = {};
  const own = new Set(c.wireKeys);
  Object.entries(ext ?? {}).forEach(([key, value], index) => {
    if (index < fastFieldCount || own.has(key)) return;
    others[key] = value;
  });
  if (c.fastCodes) return { extFields: { ...fields, ...others }, fastFieldCount: Object.keys(fields).length };
  const ordered: ExtFields = { ...others };
  for (const key of c.javaFieldOrder) if (fields[key] !== undefined) ordered[key] = fields[key]!;
  return { extFields: ordered, fastFieldCount: 0 };
}

describe('setHeader merging with existing extFields', () => {
  const send = {
    producerGroup: 'PG', topic: 'T', defaultTopic: 'TBW102', defaultTopicQueueNums: 4, queueId: 1, sysFlag: 0,
    bornTimestamp: 1700000000000, flag: 0, properties: 'K\u0001V\u0002', reconsumeTimes: 0, bname: 'broker-a',
  };
  const pull = {
    consumerGroup: 'G', topic: 'T', queueId: 0, queueOffset: 5, maxMsgNums: 32, sysFlag: 2, commitOffset: 0,
    suspendTimeoutMillis: 15000, subVersion: 1, subscription: '*',
  };
  const headers: [string, AnyCodec, Record<string, unknown>][] = [
    ['SendMessageRequestHeaderV2', codec(H.SendMessageRequestHeaderV2), send],
    ['PullMessageRequestHeader', codec(H.PullMessageRequestHeader), pull],
    ['SendMessageResponseHeader', codec(H.SendMessageResponseHeader), { msgId: 'AC1100010000', queueId: 1, queueOffset: 7 }],
    ['UpdateConsumerOffsetRequestHeader', codec(H.UpdateConsumerOffsetRequestHeader), { consumerGroup: 'G', topic: 'T', queueId: 3, commitOffset: 9 }],
    ['GetConsumerListByGroupRequestHeader', codec(H.GetConsumerListByGroupRequestHeader), { consumerGroup: 'G' }],
  ];
  const previous: [string, ExtFields | undefined, number][] = [
    ['no extFields', undefined, 0],
    ['empty extFields', {}, 0],
    ['hand-added keys', { MSG_REGION: 'DefaultRegion', TRACE_ON: 'true' }, 0],
    ['a previous fast header and hand-added keys', { a: 'PG', b: 'T', c: 'X', MSG_REGION: 'R', topic: 'old', queueId: '9' }, 3],
    ['own keys among hand-added ones', { x: '1', consumerGroup: 'old', msgId: 'old', b: 'old', queueId: '2', y: '2' }, 0],
    ['integer-like keys', { '10': 'ten', z: 'z', '2': 'two', topic: 'old' }, 1],
    ['a fast count beyond the keys', { k: 'v' }, 5],
  ];
  for (const [headerName, c, header] of headers) {
    for (const [what, ext, fastFieldCount] of previous) {
      it(`${headerName} over ${what}: same keys, values, order and fastFieldCount as the plain merge`, () => {
        const cmd = new RemotingCommand({ code: 0, extFields: ext === undefined ? undefined : { ...ext }, fastFieldCount });
        const before = cmd.extFields;
        const expected = referenceSetHeader(ext, fastFieldCount, c, header);
        H.setHeader(cmd, c, header);
        expect(Object.entries(cmd.extFields!)).to.deep.equal(Object.entries(expected.extFields));
        expect(cmd.fastFieldCount).to.equal(expected.fastFieldCount);
        expect(cmd.extFields).to.not.equal(before);
        if (before !== undefined) expect(before).to.deep.equal(ext);
        // Setting the same header again over the result changes nothing (the cached key set is reused).
        const again = referenceSetHeader(cmd.extFields, cmd.fastFieldCount, c, header);
        H.setHeader(cmd, c, header);
        expect(Object.entries(cmd.extFields!)).to.deep.equal(Object.entries(again.extFields));
        expect(cmd.fastFieldCount).to.equal(again.fastFieldCount);
      });
    }
  }
});
