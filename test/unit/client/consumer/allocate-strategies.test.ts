import { expect } from 'chai';

import {
  AllocateMachineRoomNearby,
  AllocateMessageQueueAveragely,
  AllocateMessageQueueAveragelyByCircle,
  AllocateMessageQueueByConfig,
  AllocateMessageQueueByMachineRoom,
  AllocateMessageQueueConsistentHash,
  ConsistentHashRouter,
  md5Hash,
  type AllocateMessageQueueStrategy,
  type MachineRoomResolver,
} from '../../../../src/client/consumer/allocate/index.js';
import { MQClientException } from '../../../../src/common/errors.js';
import { compareMessageQueue, createMessageQueue, messageQueueToString, type MessageQueue } from '../../../../src/common/protocol/body/message-queue.js';

/**
 * What RocketMQ 4.9.8's own classes allocate (rocketmq-all-4.9.8 jar, Java 17, default charset UTF-8):
 * [getName(), scenario, currentCID, queues as "brokerName:queueId" in result order]. Printed by a
 * throwaway program calling each strategy's allocate for every member of the scenario's group; the
 * scenarios are built by {@link scenario} exactly as that program built them (lists sorted as
 * RebalanceImpl sorts them).
 */
const JAVA_ALLOCATIONS: ReadonlyArray<readonly [string, string, string, string]> = [
  ['AVG', '8x3', 'cid-0', 'broker-a:0 broker-a:1 broker-a:2'],
  ['AVG', '8x3', 'cid-1', 'broker-a:3 broker-a:4 broker-a:5'],
  ['AVG', '8x3', 'cid-2', 'broker-a:6 broker-a:7'],
  ['AVG', '3x5', 'cid-0', 'broker-a:0'],
  ['AVG', '3x5', 'cid-1', 'broker-a:1'],
  ['AVG', '3x5', 'cid-2', 'broker-a:2'],
  ['AVG', '3x5', 'cid-3', ''],
  ['AVG', '3x5', 'cid-4', ''],
  ['AVG', '5x2', 'cid-0', 'broker-a:0 broker-a:1 broker-a:2'],
  ['AVG', '5x2', 'cid-1', 'broker-a:3 broker-a:4'],
  ['AVG', '1x1', 'cid-0', 'broker-a:0'],
  ['AVG', '10x4', 'cid-0', 'broker-a:0 broker-a:1 broker-a:2'],
  ['AVG', '10x4', 'cid-1', 'broker-a:3 broker-a:4 broker-a:5'],
  ['AVG', '10x4', 'cid-2', 'broker-a:6 broker-a:7'],
  ['AVG', '10x4', 'cid-3', 'broker-a:8 broker-a:9'],
  ['AVG', '4x4', 'cid-0', 'broker-a:0'],
  ['AVG', '4x4', 'cid-1', 'broker-a:1'],
  ['AVG', '4x4', 'cid-2', 'broker-a:2'],
  ['AVG', '4x4', 'cid-3', 'broker-a:3'],
  ['AVG', '7x3', 'cid-0', 'broker-a:0 broker-a:1 broker-a:2'],
  ['AVG', '7x3', 'cid-1', 'broker-a:3 broker-a:4'],
  ['AVG', '7x3', 'cid-2', 'broker-a:5 broker-a:6'],
  ['AVG_BY_CIRCLE', '8x3', 'cid-0', 'broker-a:0 broker-a:3 broker-a:6'],
  ['AVG_BY_CIRCLE', '8x3', 'cid-1', 'broker-a:1 broker-a:4 broker-a:7'],
  ['AVG_BY_CIRCLE', '8x3', 'cid-2', 'broker-a:2 broker-a:5'],
  ['AVG_BY_CIRCLE', '3x5', 'cid-0', 'broker-a:0'],
  ['AVG_BY_CIRCLE', '3x5', 'cid-1', 'broker-a:1'],
  ['AVG_BY_CIRCLE', '3x5', 'cid-2', 'broker-a:2'],
  ['AVG_BY_CIRCLE', '3x5', 'cid-3', ''],
  ['AVG_BY_CIRCLE', '3x5', 'cid-4', ''],
  ['AVG_BY_CIRCLE', '5x2', 'cid-0', 'broker-a:0 broker-a:2 broker-a:4'],
  ['AVG_BY_CIRCLE', '5x2', 'cid-1', 'broker-a:1 broker-a:3'],
  ['AVG_BY_CIRCLE', '1x1', 'cid-0', 'broker-a:0'],
  ['AVG_BY_CIRCLE', '10x4', 'cid-0', 'broker-a:0 broker-a:4 broker-a:8'],
  ['AVG_BY_CIRCLE', '10x4', 'cid-1', 'broker-a:1 broker-a:5 broker-a:9'],
  ['AVG_BY_CIRCLE', '10x4', 'cid-2', 'broker-a:2 broker-a:6'],
  ['AVG_BY_CIRCLE', '10x4', 'cid-3', 'broker-a:3 broker-a:7'],
  ['AVG_BY_CIRCLE', '4x4', 'cid-0', 'broker-a:0'],
  ['AVG_BY_CIRCLE', '4x4', 'cid-1', 'broker-a:1'],
  ['AVG_BY_CIRCLE', '4x4', 'cid-2', 'broker-a:2'],
  ['AVG_BY_CIRCLE', '4x4', 'cid-3', 'broker-a:3'],
  ['AVG_BY_CIRCLE', '7x3', 'cid-0', 'broker-a:0 broker-a:3 broker-a:6'],
  ['AVG_BY_CIRCLE', '7x3', 'cid-1', 'broker-a:1 broker-a:4'],
  ['AVG_BY_CIRCLE', '7x3', 'cid-2', 'broker-a:2 broker-a:5'],
  ['MACHINE_ROOM', 'room1-c2', 'cid-0', 'room1@broker-a:0 room1@broker-a:2'],
  ['MACHINE_ROOM', 'room1-c2', 'cid-1', 'room1@broker-a:1'],
  ['MACHINE_ROOM', 'room12-c4', 'cid-0', 'room1@broker-a:0 room2@broker-b:1'],
  ['MACHINE_ROOM', 'room12-c4', 'cid-1', 'room1@broker-a:1 room2@broker-b:2'],
  ['MACHINE_ROOM', 'room12-c4', 'cid-2', 'room1@broker-a:2'],
  ['MACHINE_ROOM', 'room12-c4', 'cid-3', 'room2@broker-b:0'],
  ['MACHINE_ROOM', 'room12-c7', 'cid-0', 'room1@broker-a:0'],
  ['MACHINE_ROOM', 'room12-c7', 'cid-1', 'room1@broker-a:1'],
  ['MACHINE_ROOM', 'room12-c7', 'cid-2', 'room1@broker-a:2'],
  ['MACHINE_ROOM', 'room12-c7', 'cid-3', 'room2@broker-b:0'],
  ['MACHINE_ROOM', 'room12-c7', 'cid-4', 'room2@broker-b:1'],
  ['MACHINE_ROOM', 'room12-c7', 'cid-5', 'room2@broker-b:2'],
  ['MACHINE_ROOM', 'room12-c7', 'cid-6', ''],
  ['CONSISTENT_HASH', '16q-3c', '192.168.0.1@1001', 'broker-a:2 broker-a:5 broker-b:0 broker-b:1 broker-b:4 broker-b:5'],
  ['CONSISTENT_HASH', '16q-3c', '192.168.0.2@1002', ''],
  ['CONSISTENT_HASH', '16q-3c', '192.168.0.3@1003', 'broker-a:0 broker-a:1 broker-a:3 broker-a:4 broker-a:6 broker-a:7 broker-b:2 broker-b:3 broker-b:6 broker-b:7'],
  ['CONSISTENT_HASH', '16q-4c', '192.168.0.1@1001', 'broker-a:2 broker-a:5 broker-b:4'],
  ['CONSISTENT_HASH', '16q-4c', '192.168.0.2@1002', ''],
  ['CONSISTENT_HASH', '16q-4c', '192.168.0.3@1003', 'broker-a:0 broker-a:1 broker-a:3 broker-a:4 broker-a:6 broker-a:7 broker-b:2 broker-b:3 broker-b:6 broker-b:7'],
  ['CONSISTENT_HASH', '16q-4c', '192.168.0.4@1004', 'broker-b:0 broker-b:1 broker-b:5'],
  ['CONSISTENT_HASH', '16q-3c-v3', '192.168.0.1@1001', 'broker-a:2 broker-b:1'],
  ['CONSISTENT_HASH', '16q-3c-v3', '192.168.0.2@1002', 'broker-a:3 broker-a:4 broker-a:5 broker-a:6 broker-b:0 broker-b:2 broker-b:4 broker-b:6'],
  ['CONSISTENT_HASH', '16q-3c-v3', '192.168.0.3@1003', 'broker-a:0 broker-a:1 broker-a:7 broker-b:3 broker-b:5 broker-b:7'],
  ['CONSISTENT_HASH', '16q-1c', '192.168.0.1@1001', 'broker-a:0 broker-a:1 broker-a:2 broker-a:3 broker-a:4 broker-a:5 broker-a:6 broker-a:7 broker-b:0 broker-b:1 broker-b:2 broker-b:3 broker-b:4 broker-b:5 broker-b:6 broker-b:7'],
  ['CONSISTENT_HASH', '16q-3c-v0', '192.168.0.1@1001', ''],
  ['CONSISTENT_HASH', '16q-3c-v0', '192.168.0.2@1002', ''],
  ['CONSISTENT_HASH', '16q-3c-v0', '192.168.0.3@1003', ''],
  ['CONSISTENT_HASH', 'uni', '消费者-1', 'broker-a:2 broker-b:1 broker-b:3'],
  ['CONSISTENT_HASH', 'uni', '消费者-2', 'broker-a:0 broker-a:1 broker-a:3 broker-b:0 broker-b:2'],
  ['MACHINE_ROOM_NEARBY-AVG', '3rooms-3c', 'IDC1-c1', 'IDC1-broker-a:0 IDC1-broker-a:1 IDC3-broker-c:0 IDC3-broker-c:1'],
  ['MACHINE_ROOM_NEARBY-AVG', '3rooms-3c', 'IDC1-c2', 'IDC1-broker-a:2 IDC1-broker-a:3 IDC3-broker-c:2'],
  ['MACHINE_ROOM_NEARBY-AVG', '3rooms-3c', 'IDC2-c1', 'IDC2-broker-b:0 IDC2-broker-b:1 IDC2-broker-b:2 IDC2-broker-b:3 IDC3-broker-c:3'],
  ['MACHINE_ROOM_NEARBY-AVG_BY_CIRCLE', '3rooms-3c', 'IDC1-c1', 'IDC1-broker-a:0 IDC1-broker-a:2 IDC3-broker-c:0 IDC3-broker-c:3'],
  ['MACHINE_ROOM_NEARBY-AVG_BY_CIRCLE', '3rooms-3c', 'IDC1-c2', 'IDC1-broker-a:1 IDC1-broker-a:3 IDC3-broker-c:1'],
  ['MACHINE_ROOM_NEARBY-AVG_BY_CIRCLE', '3rooms-3c', 'IDC2-c1', 'IDC2-broker-b:0 IDC2-broker-b:1 IDC2-broker-b:2 IDC2-broker-b:3 IDC3-broker-c:2'],
  ['MACHINE_ROOM_NEARBY-AVG', '3rooms-idc2only', 'IDC2-c1', 'IDC2-broker-b:0 IDC2-broker-b:1 IDC1-broker-a:0 IDC1-broker-a:1 IDC3-broker-c:0 IDC3-broker-c:1'],
  ['MACHINE_ROOM_NEARBY-AVG', '3rooms-idc2only', 'IDC2-c2', 'IDC2-broker-b:2 IDC2-broker-b:3 IDC1-broker-a:2 IDC1-broker-a:3 IDC3-broker-c:2 IDC3-broker-c:3'],
];

/** MD5Hash.hash values printed by the same Java run. */
const JAVA_MD5_HASHES: ReadonlyArray<readonly [string, number]> = [
  ['192.168.0.1@1001-0', 2336303067],
  ['MessageQueue [topic=TopicTest, brokerName=broker-a, queueId=0]', 1987926524],
  ['', 3558706393],
];

interface Scenario {
  strategy: AllocateMessageQueueStrategy;
  mqAll: MessageQueue[];
  cidAll: string[];
}

const IPS = ['192.168.0.1@1001', '192.168.0.2@1002', '192.168.0.3@1003'];

/** Brokers × queueIds, sorted like RebalanceImpl sorts mqAll. */
function queues(topic: string, brokers: readonly string[], perBroker: number): MessageQueue[] {
  return brokers.flatMap((b) => Array.from({ length: perBroker }, (_, i) => createMessageQueue(topic, b, i))).sort(compareMessageQueue);
}

function cids(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `cid-${i}`);
}

/** brokerName / clientId up to the first '-' (the resolver of the Java test program). */
const DASH_RESOLVER: MachineRoomResolver = {
  brokerDeployIn: (mq) => mq.brokerName.split('-')[0] as string,
  consumerDeployIn: (cid) => cid.split('-')[0] as string,
};

function scenario(name: string, label: string): Scenario {
  const shape = /^(\d+)x(\d+)$/.exec(label);
  if (shape !== null && (name === 'AVG' || name === 'AVG_BY_CIRCLE')) {
    const strategy = name === 'AVG' ? new AllocateMessageQueueAveragely() : new AllocateMessageQueueAveragelyByCircle();
    return { strategy, mqAll: queues('T', ['broker-a'], Number(shape[1])), cidAll: cids(Number(shape[2])) };
  }
  const rooms = queues('T', ['room1@broker-a', 'room2@broker-b', 'broker-c', 'room3@'], 3);
  const ab = ['broker-a', 'broker-b'];
  const nearby = queues('T', ['IDC1-broker-a', 'IDC2-broker-b', 'IDC3-broker-c'], 4);
  switch (`${name}|${label}`) {
    case 'MACHINE_ROOM|room1-c2':
      return { strategy: new AllocateMessageQueueByMachineRoom(['room1']), mqAll: rooms, cidAll: cids(2) };
    case 'MACHINE_ROOM|room12-c4':
      return { strategy: new AllocateMessageQueueByMachineRoom(['room1', 'room2']), mqAll: rooms, cidAll: cids(4) };
    case 'MACHINE_ROOM|room12-c7':
      return { strategy: new AllocateMessageQueueByMachineRoom(['room1', 'room2']), mqAll: rooms, cidAll: cids(7) };
    case 'CONSISTENT_HASH|16q-3c':
      return { strategy: new AllocateMessageQueueConsistentHash(), mqAll: queues('TopicTest', ab, 8), cidAll: IPS };
    case 'CONSISTENT_HASH|16q-4c':
      return { strategy: new AllocateMessageQueueConsistentHash(), mqAll: queues('TopicTest', ab, 8), cidAll: [...IPS, '192.168.0.4@1004'] };
    case 'CONSISTENT_HASH|16q-3c-v3':
      return { strategy: new AllocateMessageQueueConsistentHash(3), mqAll: queues('TopicTest', ab, 8), cidAll: IPS };
    case 'CONSISTENT_HASH|16q-1c':
      return { strategy: new AllocateMessageQueueConsistentHash(), mqAll: queues('TopicTest', ab, 8), cidAll: IPS.slice(0, 1) };
    case 'CONSISTENT_HASH|16q-3c-v0':
      return { strategy: new AllocateMessageQueueConsistentHash(0), mqAll: queues('TopicTest', ab, 8), cidAll: IPS };
    case 'CONSISTENT_HASH|uni':
      return { strategy: new AllocateMessageQueueConsistentHash(), mqAll: queues('主题', ab, 4), cidAll: ['消费者-1', '消费者-2'] };
    case 'MACHINE_ROOM_NEARBY-AVG|3rooms-3c':
      return { strategy: new AllocateMachineRoomNearby(new AllocateMessageQueueAveragely(), DASH_RESOLVER), mqAll: nearby, cidAll: ['IDC1-c1', 'IDC1-c2', 'IDC2-c1'] };
    case 'MACHINE_ROOM_NEARBY-AVG_BY_CIRCLE|3rooms-3c':
      return { strategy: new AllocateMachineRoomNearby(new AllocateMessageQueueAveragelyByCircle(), DASH_RESOLVER), mqAll: nearby, cidAll: ['IDC1-c1', 'IDC1-c2', 'IDC2-c1'] };
    case 'MACHINE_ROOM_NEARBY-AVG|3rooms-idc2only':
      return { strategy: new AllocateMachineRoomNearby(new AllocateMessageQueueAveragely(), DASH_RESOLVER), mqAll: nearby, cidAll: ['IDC2-c1', 'IDC2-c2'] };
    default:
      throw new Error(`no scenario ${name}|${label}`);
  }
}

function fmt(mqs: readonly MessageQueue[]): string {
  return mqs.map((mq) => `${mq.brokerName}:${mq.queueId}`).join(' ');
}

/** scenario key → (cid → formatted allocation), from the Java table. */
function javaGroups(): Map<string, Map<string, string>> {
  const groups = new Map<string, Map<string, string>>();
  for (const [name, label, cid, expected] of JAVA_ALLOCATIONS) {
    const key = `${name}|${label}`;
    if (!groups.has(key)) groups.set(key, new Map());
    groups.get(key)!.set(cid, expected);
  }
  return groups;
}

describe('allocation strategies (RebalanceImpl input: sorted queues, sorted client ids)', () => {
  describe('agree with RocketMQ 4.9.8 on every member of every scenario', () => {
    for (const [name, label, cid, expected] of JAVA_ALLOCATIONS) {
      it(`${name} ${label} ${cid} → [${expected}]`, () => {
        const s = scenario(name, label);
        expect(s.strategy.name).to.equal(name);
        expect(fmt(s.strategy.allocate('G', cid, s.mqAll, s.cidAll))).to.equal(expected);
      });
    }
  });

  it('Averagely, ByCircle, ConsistentHash (virtual nodes > 0) and Nearby hand every queue to exactly one member', () => {
    for (const [key, members] of javaGroups()) {
      if (key.startsWith('MACHINE_ROOM|') || key.endsWith('-v0')) continue;
      const [name, label] = key.split('|') as [string, string];
      const s = scenario(name, label);
      expect([...members.keys()].sort(), key).to.deep.equal([...s.cidAll].sort());
      const owned = [...members.values()].flatMap((v) => (v === '' ? [] : v.split(' '))).sort();
      expect(owned, key).to.deep.equal(s.mqAll.map((mq) => `${mq.brokerName}:${mq.queueId}`).sort());
    }
  });

  it('ConsistentHash: a joining consumer only takes queues, nobody else loses or gains any', () => {
    const before = javaGroups().get('CONSISTENT_HASH|16q-3c')!;
    const after = javaGroups().get('CONSISTENT_HASH|16q-4c')!;
    const taken = new Set(after.get('192.168.0.4@1004')!.split(' '));
    for (const cid of IPS) {
      const was = before.get(cid)!.split(' ').filter((q) => q !== '');
      expect(after.get(cid)!.split(' ').filter((q) => q !== ''), cid).to.deep.equal(was.filter((q) => !taken.has(q)));
    }
  });

  it('MD5Hash: first four digest bytes, unsigned big-endian, UTF-8', () => {
    for (const [key, hash] of JAVA_MD5_HASHES) expect(md5Hash(key), key).to.equal(hash);
    expect(messageQueueToString(createMessageQueue('TopicTest', 'broker-a', 0))).to.equal(JAVA_MD5_HASHES[1]![0]);
  });

  describe('check (AbstractAllocateMessageQueueStrategy)', () => {
    const checked: AllocateMessageQueueStrategy[] = [
      new AllocateMessageQueueAveragely(),
      new AllocateMessageQueueAveragelyByCircle(),
      new AllocateMessageQueueByMachineRoom(['room1']),
      new AllocateMessageQueueConsistentHash(),
      new AllocateMachineRoomNearby(new AllocateMessageQueueAveragely(), DASH_RESOLVER),
    ];
    const mqAll = queues('T', ['room1-broker-a'], 4);
    const cases: ReadonlyArray<readonly [string, string, MessageQueue[], string[], string | undefined]> = [
      ['currentCID not in cidAll ⇒ nothing (the broker has not seen our heartbeat yet)', 'room1-x', mqAll, ['room1-a', 'room1-b'], undefined],
      ['empty currentCID ⇒ thrown', '', mqAll, ['room1-a'], 'currentCID is empty'],
      ['empty mqAll ⇒ thrown', 'room1-a', [], ['room1-a'], 'mqAll is null or mqAll empty'],
      ['empty cidAll ⇒ thrown', 'room1-a', mqAll, [], 'cidAll is null or cidAll empty'],
    ];
    for (const [title, cid, mqs, all, error] of cases) {
      it(title, () => {
        for (const s of checked) {
          if (error === undefined) expect(s.allocate('G', cid, mqs, all), s.name).to.deep.equal([]);
          else expect(() => s.allocate('G', cid, mqs, all), s.name).to.throw(MQClientException, error);
        }
      });
    }
  });

  it('names are Java getName() values', () => {
    const table: ReadonlyArray<readonly [AllocateMessageQueueStrategy, string]> = [
      [new AllocateMessageQueueAveragely(), 'AVG'],
      [new AllocateMessageQueueAveragelyByCircle(), 'AVG_BY_CIRCLE'],
      [new AllocateMessageQueueByConfig(), 'CONFIG'],
      [new AllocateMessageQueueByMachineRoom(), 'MACHINE_ROOM'],
      [new AllocateMessageQueueConsistentHash(), 'CONSISTENT_HASH'],
      [new AllocateMachineRoomNearby(new AllocateMessageQueueConsistentHash(), DASH_RESOLVER), 'MACHINE_ROOM_NEARBY-CONSISTENT_HASH'],
    ];
    for (const [s, name] of table) expect(s.name).to.equal(name);
  });

  it('ByConfig returns its list whatever the group (no check), as a copy', () => {
    const configured = [createMessageQueue('T', 'b', 3), createMessageQueue('Other', 'b', 0)];
    const s = new AllocateMessageQueueByConfig(configured);
    const got = s.allocate('G', 'not-a-member', queues('T', ['b'], 2), ['a']);
    expect(got).to.deep.equal(configured);
    got.pop();
    expect(s.getMessageQueueList()).to.have.length(2);
    s.setMessageQueueList([]);
    expect(s.allocate('G', 'a', [], [])).to.deep.equal([]);
  });

  it('ByMachineRoom: only "<idc>@<name>" brokers of a configured idc (Java split semantics)', () => {
    const mqs = [createMessageQueue('T', 'room1@a', 0), createMessageQueue('T', 'room1@', 0), createMessageQueue('T', '@room1', 0), createMessageQueue('T', 'room1@a@b', 0)];
    expect(new AllocateMessageQueueByMachineRoom(['room1']).allocate('G', 'c', mqs, ['c'])).to.deep.equal([mqs[0]]);
    expect(new AllocateMessageQueueByMachineRoom(['']).allocate('G', 'c', mqs, ['c'])).to.deep.equal([mqs[2]]);
  });

  it('Nearby: a room without a name is an error, as in Java', () => {
    const s = new AllocateMachineRoomNearby(new AllocateMessageQueueAveragely(), { brokerDeployIn: () => '', consumerDeployIn: () => 'x' });
    expect(() => s.allocate('G', 'c', queues('T', ['b'], 1), ['c'])).to.throw(MQClientException, 'Machine room is null for mq MessageQueue [topic=T, brokerName=b, queueId=0]');
  });

  it('ConsistentHash: custom hash function, negative virtualNodeCnt rejected', () => {
    expect(() => new AllocateMessageQueueConsistentHash(-1)).to.throw(MQClientException, 'illegal virtualNodeCnt :-1');
    // Every key hashes to 0: the ring holds one entry (later inserts overwrite), the last client's.
    const s = new AllocateMessageQueueConsistentHash(2, () => 0);
    const mqs = queues('T', ['b'], 3);
    expect(s.allocate('G', 'c2', mqs, ['c1', 'c2'])).to.deep.equal(mqs);
    expect(s.allocate('G', 'c1', mqs, ['c1', 'c2'])).to.deep.equal([]);
  });

  it('ConsistentHashRouter: wraps to the first node, numbers replicas on re-add, removes nodes', () => {
    const hashes = new Map([['a-0', 10], ['b-0', 20], ['a-1', 30], ['x', 15], ['y', 31], ['z', 20]]);
    const router = new ConsistentHashRouter(['a', 'b'], 1, (k) => hashes.get(k) ?? 0);
    expect([router.routeNode('x'), router.routeNode('z'), router.routeNode('y')]).to.deep.equal(['b', 'b', 'a']);
    router.addNode('a', 1); // replica index continues at 1: key "a-1" → 30
    expect(router.getExistingReplicas('a')).to.equal(2);
    expect(router.routeNode('z')).to.equal('b');
    router.removeNode('b');
    expect([router.routeNode('x'), router.routeNode('y')]).to.deep.equal(['a', 'a']);
    router.removeNode('a');
    expect(router.routeNode('x')).to.equal(undefined);
  });
});
