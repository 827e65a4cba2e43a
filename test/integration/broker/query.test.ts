import { expect } from 'chai';

import { decodes } from '../../../src/common/message/index.js';
import { createRequestWithHeader } from '../../../src/common/protocol/headers/command-header.js';
import { QueryMessageRequestHeader, setUniqueKeyQuery } from '../../../src/common/protocol/headers/query-message.js';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import { RemotingCommand } from '../../../src/common/remoting/remoting-command.js';
import { BrokerFixture, TIMEOUT, sendV2, waitFor } from './helpers.js';

const query = (topic: string, key: string, maxNum = 32, begin = 0, end = Number.MAX_SAFE_INTEGER): RemotingCommand =>
  createRequestWithHeader(RequestCode.QUERY_MESSAGE, QueryMessageRequestHeader, { topic, key, maxNum, beginTimestamp: begin, endTimestamp: end });

describe('Broker QUERY_MESSAGE (real sockets, raw RemotingClient)', function () {
  this.timeout(20000);
  let fx: BrokerFixture;

  beforeEach(() => {
    fx = new BrokerFixture();
  });
  afterEach(() => fx.close());

  it('finds messages by KEYS and by UNIQ_KEY; QUERY_NOT_FOUND with Java\'s remark and the index headers', async () => {
    const c = await fx.cluster();
    const client = fx.client();
    const call = (req: RemotingCommand): Promise<RemotingCommand> => client.invokeSync(c.brokerAddr, req, TIMEOUT);
    const uniq = '7F000001000018B4AAC2000000000001';
    const props = (keys: string, uniqKey?: string): Map<string, string> =>
      new Map([['KEYS', keys], ...(uniqKey === undefined ? [] : [['UNIQ_KEY', uniqKey] as [string, string]]), ['WAIT', 'true']]);
    expect((await call(sendV2('QT', 'first', { properties: props('orderA shared', uniq) }))).code).to.equal(ResponseCode.SUCCESS);
    expect((await call(sendV2('QT', 'second', { properties: props('orderB shared') }))).code).to.equal(ResponseCode.SUCCESS);
    expect((await call(sendV2('OtherT', 'elsewhere', { properties: props('orderA') }))).code).to.equal(ResponseCode.SUCCESS);

    let byKey: RemotingCommand | undefined;
    await waitFor(async () => (byKey = await call(query('QT', 'orderA'))).code === ResponseCode.SUCCESS);
    expect(decodes(byKey!.body!).map((m) => m.body.toString())).to.deep.equal(['first']);
    expect(Number(byKey!.getExtField('indexLastUpdateTimestamp'))).to.be.greaterThan(0);
    expect(Number(byKey!.getExtField('indexLastUpdatePhyoffset'))).to.be.at.least(0);

    await waitFor(async () => (await call(query('QT', 'shared'))).body !== undefined && decodes((await call(query('QT', 'shared'))).body!).length === 2);
    const shared = decodes((await call(query('QT', 'shared'))).body!).map((m) => m.body.toString()).sort();
    expect(shared).to.deep.equal(['first', 'second']);

    // UNIQ_KEY query: the flag makes the broker use defaultQueryMaxNum whatever maxNum says.
    const u = await call(setUniqueKeyQuery(query('QT', uniq, 0), true));
    expect(u.code).to.equal(ResponseCode.SUCCESS);
    const found = decodes(u.body!);
    expect(found.map((m) => m.body.toString())).to.deep.equal(['first']);
    expect(found[0]!.getProperty('UNIQ_KEY')).to.equal(uniq);

    const none = await call(query('QT', 'nothing-here'));
    expect([none.code, none.remark]).to.deep.equal([ResponseCode.QUERY_NOT_FOUND, 'can not find message, maybe time range not correct']);
    expect(none.getExtField('indexLastUpdateTimestamp')).to.be.a('string');
    expect(none.getExtField('indexLastUpdatePhyoffset')).to.be.a('string');
    // The right key outside the time range: not found either.
    const past = await call(query('QT', 'orderA', 32, 0, 1000));
    expect(past.code).to.equal(ResponseCode.QUERY_NOT_FOUND);
  });
});
