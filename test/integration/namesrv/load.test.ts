import { expect } from 'chai';

import { MASTER_ID } from '../../../src/common/protocol/body/broker-data.js';
import { createDataVersion } from '../../../src/common/protocol/body/data-version.js';
import type { QueueData } from '../../../src/common/protocol/body/queue-data.js';
import { createTopicConfig, type TopicConfig } from '../../../src/common/protocol/body/topic-config.js';
import { decodeTopicRouteData, type TopicRouteData } from '../../../src/common/protocol/body/topic-route-data.js';
import { createRequestWithHeader } from '../../../src/common/protocol/headers/command-header.js';
import { GetRouteInfoRequestHeader } from '../../../src/common/protocol/headers/namesrv/route.js';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import type { RemotingClient } from '../../../src/common/remoting/remoting-client.js';
import type { NamesrvController } from '../../../src/namesrv/namesrv-controller.js';
import { NamesrvFixture, register } from './helpers.js';

/**
 * Registration storm: 10 fake brokers (2 clusters × 3 broker names; 4 of the 6 names have a slave),
 * each on its own connection, re-register their full topic tables (1,000 topics spread over the
 * masters) with a new dataVersion and new queue counts every round, while route readers fetch in
 * both JSON forms. Every answer is checked against what the brokers had sent and had been
 * acknowledged at the moment the fetch went out and came back.
 */
const TOPICS = 1000;
const STORM_MILLIS = 2500;
const MIN_ROUNDS = 3;
const READERS = 4;
const READER_IN_FLIGHT = 16;
const CALL_TIMEOUT = 10_000;
/** Queue counts cycle through this many values; a route window never spans that many rounds. */
const QUEUE_CYCLE = 32;

interface FakeBroker {
  cluster: string;
  brokerName: string;
  /** Index of brokerName in NAMES (decides its topics and queue counts). */
  nameIndex: number;
  brokerId: number;
  brokerAddr: string;
  client?: RemotingClient;
  /** Highest round sent / acknowledged (0 = nothing yet). */
  sent: number;
  acked: number;
}

const NAMES = ['broker-a', 'broker-b', 'broker-c', 'broker-d', 'broker-e', 'broker-f'];
const CLUSTER_OF = (j: number): string => (j < 3 ? 'C1' : 'C2');
const HAS_SLAVE = (j: number): boolean => j !== 2 && j !== 5;
const topicName = (i: number): string => `Load-${String(i).padStart(4, '0')}`;

/** Topic i lives on broker name j when bit j of i is set, and always on name i % 6 (never on none). */
function hosts(i: number, j: number): boolean {
  return ((i >> j) & 1) === 1 || i % NAMES.length === j;
}

function hostNames(i: number): string[] {
  return NAMES.filter((_, j) => hosts(i, j));
}

/**
 * The queue counts broker name j announces for topic i in round r. Read and write counts move at
 * different speeds, so a QueueData stitched from two rounds matches no single round.
 */
function expectedQueues(r: number, i: number, j: number): { readQueueNums: number; writeQueueNums: number } {
  return { readQueueNums: 1 + ((r + i + j) % QUEUE_CYCLE), writeQueueNums: 1 + ((3 * r + i + 2 * j) % QUEUE_CYCLE) };
}

function topicTable(r: number, j: number): TopicConfig[] {
  const out: TopicConfig[] = [];
  for (let i = 0; i < TOPICS; i++) if (hosts(i, j)) out.push(createTopicConfig(topicName(i), { ...expectedQueues(r, i, j), perm: 6 }));
  return out;
}

/** The round (within [lo, hi]) whose queue counts `qd` carries, or undefined when none does. */
function roundOf(qd: QueueData, i: number, j: number, lo: number, hi: number): number | undefined {
  for (let r = hi; r >= lo; r--) {
    const e = expectedQueues(r, i, j);
    if (e.readQueueNums === qd.readQueueNums && e.writeQueueNums === qd.writeQueueNums) return r;
  }
  return undefined;
}

describe('NameServer under a registration storm (load)', function () {
  this.timeout(30_000);
  let fx: NamesrvFixture;
  let ns: NamesrvController;

  beforeEach(async () => {
    fx = new NamesrvFixture();
    ns = await fx.namesrv();
  });
  afterEach(() => fx.close());

  it('1,000 topics × 10 brokers re-registering while readers fetch both JSON forms: no lost or torn routes', async () => {
    const brokers: FakeBroker[] = [];
    NAMES.forEach((brokerName, j) => {
      for (const brokerId of HAS_SLAVE(j) ? [0, 1] : [0]) {
        brokers.push({ cluster: CLUSTER_OF(j), brokerName, nameIndex: j, brokerId, brokerAddr: `10.0.${brokerId}.${j + 1}:10911`, sent: 0, acked: 0 });
      }
    });
    expect(brokers).to.have.length(10);
    for (const b of brokers) b.client = fx.client();
    const masters = brokers.filter((b) => b.brokerId === MASTER_ID);
    const masterOf = new Map(masters.map((b) => [b.brokerName, b]));
    const slaveOf = new Map(brokers.filter((b) => b.brokerId !== MASTER_ID).map((b) => [b.brokerName, b]));

    const deadline = Date.now() + STORM_MILLIS;
    let stormOver = false;
    const failures: string[] = [];
    const fail = (msg: string): void => {
      if (failures.length < 20) failures.push(msg);
    };

    // One sequential registration loop per broker, like a broker's 30 s timer run back to back.
    const registerLoop = async (b: FakeBroker): Promise<void> => {
      for (let r = 1; r <= MIN_ROUNDS || Date.now() < deadline; r++) {
        b.sent = r;
        await register(b.client!, ns.address, {
          cluster: b.cluster,
          brokerName: b.brokerName,
          brokerId: b.brokerId,
          brokerAddr: b.brokerAddr,
          haServerAddr: b.brokerAddr.replace(/:\d+$/, ':10912'),
          topics: topicTable(r, b.nameIndex),
          // Slaves send the same table as their master (Java slaves sync it); only the master's counts.
          dataVersion: createDataVersion(1_700_000_000_000 + r, r),
          compressed: r % 2 === 0,
        });
        b.acked = r;
      }
    };

    let fetched = 0;
    let legacyBodies = 0;
    let standardBodies = 0;
    let notExist = 0;

    const checkRoute = (i: number, route: TopicRouteData, ackedAtSend: ReadonlyMap<string, number>, slaveAckedAtSend: ReadonlyMap<string, number>): void => {
      const t = topicName(i);
      const expectedNames = hostNames(i);
      const qdNames = route.queueDatas.map((q) => q.brokerName);
      if (new Set(qdNames).size !== qdNames.length) fail(`${t}: duplicate QueueData ${qdNames.join(',')}`);
      const bdByName = new Map(route.brokerDatas.map((bd) => [bd.brokerName, bd]));
      for (const qd of route.queueDatas) {
        const j = NAMES.indexOf(qd.brokerName);
        if (j < 0 || !expectedNames.includes(qd.brokerName)) {
          fail(`${t}: QueueData for ${qd.brokerName}, which does not host it`);
          continue;
        }
        const bd = bdByName.get(qd.brokerName);
        const master = masterOf.get(qd.brokerName)!;
        if (bd === undefined) fail(`${t}: QueueData ${qd.brokerName} has no BrokerData`);
        else {
          if (bd.brokerAddrs.get(MASTER_ID) !== master.brokerAddr) fail(`${t}: ${qd.brokerName} master address ${String(bd.brokerAddrs.get(MASTER_ID))}`);
          if (bd.cluster !== CLUSTER_OF(j)) fail(`${t}: ${qd.brokerName} cluster ${bd.cluster}`);
          const slave = slaveOf.get(qd.brokerName);
          if (slave !== undefined && (slaveAckedAtSend.get(qd.brokerName) ?? 0) > 0 && bd.brokerAddrs.get(1) !== slave.brokerAddr) {
            fail(`${t}: ${qd.brokerName} lost its registered slave`);
          }
        }
        if (qd.perm !== 6 || qd.topicSysFlag !== 0) fail(`${t}: ${qd.brokerName} perm/sysFlag ${qd.perm}/${qd.topicSysFlag}`);
        // Counts must be those of a round acknowledged no earlier than the fetch was sent and sent no
        // later than its answer came back; a read/write pair from two rounds matches none.
        const lo = Math.max(1, ackedAtSend.get(qd.brokerName) ?? 0);
        const hi = master.sent;
        if (roundOf(qd, i, j, lo, hi) === undefined) {
          fail(`${t}: ${qd.brokerName} counts ${qd.readQueueNums}/${qd.writeQueueNums} match no round in [${lo}, ${hi}]`);
        }
      }
      // No lost route: every hosting master acknowledged before the fetch must be in it.
      for (const name of expectedNames) {
        if ((ackedAtSend.get(name) ?? 0) > 0 && !qdNames.includes(name)) fail(`${t}: route lost ${name}`);
      }
      for (const bd of route.brokerDatas) if (!qdNames.includes(bd.brokerName)) fail(`${t}: BrokerData ${bd.brokerName} without QueueData`);
    };

    const fetchOnce = async (client: RemotingClient, i: number, legacy: boolean): Promise<void> => {
      const ackedAtSend = new Map(masters.map((b) => [b.brokerName, b.acked]));
      const slaveAckedAtSend = new Map([...slaveOf].map(([name, b]) => [name, b.acked]));
      const req = createRequestWithHeader(RequestCode.GET_ROUTEINFO_BY_TOPIC, GetRouteInfoRequestHeader, { topic: topicName(i) });
      // 395 gets fastjson's legacy form (unquoted integer keys), 409 the standard one.
      req.version = legacy ? 395 : 409;
      const res = await client.invokeSync(ns.address, req, CALL_TIMEOUT);
      fetched++;
      if (res.code === ResponseCode.TOPIC_NOT_EXIST) {
        notExist++;
        if (hostNames(i).some((n) => (ackedAtSend.get(n) ?? 0) > 0)) fail(`${topicName(i)}: TOPIC_NOT_EXIST after a hosting master registered`);
        return;
      }
      if (res.code !== ResponseCode.SUCCESS) {
        fail(`${topicName(i)}: code ${res.code} ${res.remark ?? ''}`);
        return;
      }
      const text = res.body!.toString('utf8');
      if (legacy) {
        legacyBodies++;
        if (!/"brokerAddrs":\{0:/.test(text)) fail(`${topicName(i)}: legacy body without unquoted keys`);
      } else {
        standardBodies++;
        if (!/"brokerAddrs":\{"0":/.test(text)) fail(`${topicName(i)}: standard body with unquoted keys`);
      }
      checkRoute(i, decodeTopicRouteData(res.body!), ackedAtSend, slaveAckedAtSend);
    };

    const readerLoop = async (client: RemotingClient, seed: number): Promise<void> => {
      let k = seed;
      while (!stormOver) {
        k = (k * 1103515245 + 12345) >>> 0;
        await fetchOnce(client, k % TOPICS, (k & 0x100) !== 0);
      }
    };

    const began = Date.now();
    const registering = Promise.all(brokers.map(registerLoop)).finally(() => {
      stormOver = true;
    });
    const reading: Promise<void>[] = [];
    for (let c = 0; c < READERS; c++) {
      const client = fx.client();
      for (let s = 0; s < READER_IN_FLIGHT; s++) reading.push(readerLoop(client, c * 1000 + s));
    }
    await Promise.all([registering, ...reading]);
    const stormMillis = Date.now() - began;

    expect(failures, failures.join('\n')).to.deep.equal([]);
    expect(legacyBodies).to.be.greaterThan(0);
    expect(standardBodies).to.be.greaterThan(0);
    // The readers must really have overlapped the storm, not run after it.
    expect(fetched, 'route fetches during the storm').to.be.at.least(READERS * READER_IN_FLIGHT);
    for (const b of brokers) expect(b.acked, b.brokerAddr).to.be.at.least(MIN_ROUNDS);
    expect(stormMillis, 'storm bounded in time').to.be.below(15_000);

    // After the storm: each topic's route has exactly its brokers, at their last round, master and slave addresses.
    const reader = fx.client();
    const finalAcked = new Map(masters.map((b) => [b.brokerName, b.acked]));
    const checkFinal = async (i: number): Promise<void> => {
      const res = await reader.invokeSync(
        ns.address,
        createRequestWithHeader(RequestCode.GET_ROUTEINFO_BY_TOPIC, GetRouteInfoRequestHeader, { topic: topicName(i) }),
        CALL_TIMEOUT,
      );
      expect(res.code, topicName(i)).to.equal(ResponseCode.SUCCESS);
      const route = decodeTopicRouteData(res.body!);
      const names = hostNames(i);
      expect(route.queueDatas.map((q) => q.brokerName).sort(), topicName(i)).to.deep.equal(names);
      expect(route.brokerDatas.map((b) => b.brokerName).sort(), topicName(i)).to.deep.equal(names);
      for (const qd of route.queueDatas) {
        const j = NAMES.indexOf(qd.brokerName);
        expect({ readQueueNums: qd.readQueueNums, writeQueueNums: qd.writeQueueNums }, `${topicName(i)}@${qd.brokerName}`).to.deep.equal(
          expectedQueues(finalAcked.get(qd.brokerName)!, i, j),
        );
      }
      for (const bd of route.brokerDatas) {
        const addrs = new Map([[MASTER_ID, masterOf.get(bd.brokerName)!.brokerAddr]]);
        const slave = slaveOf.get(bd.brokerName);
        if (slave !== undefined) addrs.set(1, slave.brokerAddr);
        expect(bd.brokerAddrs, `${topicName(i)}@${bd.brokerName}`).to.deep.equal(addrs);
      }
    };
    // 64 at a time: pipelined over one connection, yet bounded.
    for (let i = 0; i < TOPICS; i += 64) {
      await Promise.all(Array.from({ length: Math.min(64, TOPICS - i) }, (_, k) => checkFinal(i + k)));
    }
    expect(ns.routeInfoManager.topicQueueTable.size).to.equal(TOPICS);
    expect(ns.routeInfoManager.brokerLiveTable.size).to.equal(10);
    // Visible in the mocha output so a slowdown shows up before it becomes a timeout.
    const rounds = masters.map((b) => b.acked).join('/');
    console.log(`      storm ${stormMillis} ms: master rounds ${rounds}, ${fetched} route fetches (${notExist} before first registration)`);
  });
});
