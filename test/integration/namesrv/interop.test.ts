import { expect } from 'chai';

import { decodeClusterInfo } from '../../../src/common/protocol/body/cluster-info.js';
import { decodeTopicRouteData } from '../../../src/common/protocol/body/topic-route-data.js';
import { createRequestWithHeader } from '../../../src/common/protocol/headers/command-header.js';
import { GetRouteInfoRequestHeader } from '../../../src/common/protocol/headers/namesrv/route.js';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import { RemotingClient } from '../../../src/common/remoting/remoting-client.js';
import { RemotingCommand } from '../../../src/common/remoting/remoting-command.js';

/** Opt-in: RMQ_INTEROP_NAMESRV=host:port of a real RocketMQ 4.9.8 name server (with a broker registered). */
const REAL = process.env['RMQ_INTEROP_NAMESRV'];

(REAL === undefined ? describe.skip : describe)('interop with a real 4.9.8 name server', () => {
  const client = new RemotingClient();
  after(() => client.shutdown());

  it('decodes its cluster info and the route of every cluster name topic, in both JSON forms', async () => {
    const info = await client.invokeSync(REAL!, RemotingCommand.createRequest(RequestCode.GET_BROKER_CLUSTER_INFO), 5000);
    expect(info.code).to.equal(ResponseCode.SUCCESS);
    const ci = decodeClusterInfo(info.body!);
    expect(ci.clusterAddrTable.size).to.be.greaterThan(0);
    for (const version of [409, 395]) {
      const req = createRequestWithHeader(RequestCode.GET_ROUTEINFO_BY_TOPIC, GetRouteInfoRequestHeader, { topic: 'TBW102' });
      req.version = version;
      const res = await client.invokeSync(REAL!, req, 5000);
      expect(res.code).to.equal(ResponseCode.SUCCESS);
      expect(decodeTopicRouteData(res.body!).brokerDatas.length).to.be.greaterThan(0);
    }
  });
});
