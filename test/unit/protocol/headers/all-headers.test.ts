import { expect } from 'chai';
import { RemotingCommandException } from '../../../../src/common/errors.js';
import type { HeaderCodec, HeaderFieldSpec } from '../../../../src/common/protocol/header.js';
import * as H from '../../../../src/common/protocol/headers/index.js';

/** Every exported header codec, found by shape. */
const codecs = Object.values(H).filter(
  (v): v is HeaderCodec<Record<string, unknown>> => typeof v === 'object' && v !== null && 'wireKeys' in v && 'decode' in v,
);

/** A sample value per field type; a long beyond int32 catches accidental `| 0`. */
function sample(spec: HeaderFieldSpec): string | number | boolean {
  switch (spec.type) {
    case 'string':
      return 'v\u0001ä';
    case 'int':
      return -7;
    case 'long':
      return 1795623684528;
    case 'boolean':
      return true;
    case 'double':
      return 1.5;
  }
}

describe('every typed header', () => {
  it('covers the headers of PROTOCOL.md §2.2 and the code table', () => {
    expect(codecs.map((c) => c.name).sort()).to.deep.equal(
      [
        'AddWritePermOfBrokerRequestHeader', 'AddWritePermOfBrokerResponseHeader', 'CheckTransactionStateRequestHeader',
        'ConsumeMessageDirectlyResultRequestHeader', 'ConsumerSendMsgBackRequestHeader', 'CreateTopicRequestHeader',
        'DeleteKVConfigRequestHeader', 'DeleteSubscriptionGroupRequestHeader', 'DeleteTopicFromNamesrvRequestHeader',
        'DeleteTopicRequestHeader', 'EndTransactionRequestHeader', 'GetBrokerConfigResponseHeader',
        'GetConsumeStatsRequestHeader', 'GetConsumerConnectionListRequestHeader', 'GetConsumerListByGroupRequestHeader',
        'GetConsumerListByGroupResponseHeader', 'GetConsumerRunningInfoRequestHeader', 'GetConsumerStatusRequestHeader',
        'GetEarliestMsgStoretimeRequestHeader', 'GetEarliestMsgStoretimeResponseHeader', 'GetKVConfigRequestHeader',
        'GetKVConfigResponseHeader', 'GetKVListByNamespaceRequestHeader', 'GetMaxOffsetRequestHeader',
        'GetMaxOffsetResponseHeader', 'GetMinOffsetRequestHeader', 'GetMinOffsetResponseHeader',
        'GetProducerConnectionListRequestHeader', 'GetRouteInfoRequestHeader', 'GetTopicStatsInfoRequestHeader',
        'GetTopicsByClusterRequestHeader', 'NotifyConsumerIdsChangedRequestHeader', 'PullMessageRequestHeader',
        'PullMessageResponseHeader', 'PutKVConfigRequestHeader', 'QueryConsumerOffsetRequestHeader',
        'QueryConsumerOffsetResponseHeader', 'QueryDataVersionRequestHeader', 'QueryDataVersionResponseHeader',
        'QueryMessageRequestHeader', 'QueryMessageResponseHeader', 'QueryTopicConsumeByWhoRequestHeader',
        'RegisterBrokerRequestHeader', 'RegisterBrokerResponseHeader', 'ResetOffsetRequestHeader',
        'SearchOffsetRequestHeader', 'SearchOffsetResponseHeader', 'SendMessageRequestHeader',
        'SendMessageRequestHeaderV2', 'SendMessageResponseHeader', 'UnRegisterBrokerRequestHeader',
        'UnregisterClientRequestHeader', 'UnregisterClientResponseHeader', 'UpdateConsumerOffsetRequestHeader',
        'UpdateConsumerOffsetResponseHeader', 'ViewMessageRequestHeader', 'WipeWritePermOfBrokerRequestHeader',
        'WipeWritePermOfBrokerResponseHeader',
      ].sort(),
    );
  });

  for (const codec of codecs) {
    describe(codec.name, () => {
      const full: Record<string, unknown> = {};
      for (const field of codec.fields) full[field] = sample(codec.schema[field]!);

      it('round-trips every field through extFields strings', () => {
        const ext = codec.encode(full);
        expect(Object.values(ext).every((v) => typeof v === 'string')).to.equal(true);
        expect(Object.keys(ext)).to.deep.equal([...codec.wireKeys]);
        expect(codec.decode(ext)).to.deep.equal(full);
      });

      for (const field of codec.fields.filter((f) => codec.schema[f]!.required === true)) {
        const wire = codec.schema[field]!.wire ?? field;
        it(`rejects a missing ${wire}`, () => {
          const ext = codec.encode(full);
          delete ext[wire];
          expect(() => codec.decode(ext)).to.throw(RemotingCommandException, `the custom field <${wire}> is null`);
        });
      }
    });
  }
});
