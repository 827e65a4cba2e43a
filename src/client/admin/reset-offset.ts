import { MQClientException } from '../../common/errors.js';
import { selectBrokerAddr } from '../../common/protocol/body/broker-data.js';
import { compareMessageQueue, createMessageQueue, type MessageQueue } from '../../common/protocol/body/message-queue.js';
import type { OffsetWrapper } from '../../common/protocol/body/consume-stats.js';
import { ResponseCode } from '../../common/protocol/response-code.js';
import type { QueueOffset, ResetOffsetResult, RollbackStats } from './admin-types.js';
import type { AdminContext } from './admin-context.js';

/** ResetOffsetByTimeCommand's "now": the end of each queue. */
export const RESET_TO_MAX_OFFSET = -1;

/**
 * mqadmin resetOffsetByTime. First INVOKE_BROKER_TO_RESET_OFFSET on every broker of the topic: the
 * broker maps the timestamp to offsets and pushes them to the group's online clients (they commit
 * them as they go on). When no client is online the brokers answer CONSUMER_NOT_ONLINE and, like
 * mqadmin (ResetOffsetByTimeOldCommand), the offsets are committed on the brokers directly
 * (resetOffsetByTimestampOld). `force` false only moves offsets backwards. `isC` (mqadmin -c) asks the
 * broker to notify the clients in the C++ client's body format (ResetOffsetBodyForC).
 */
export async function resetOffsetByTimestamp(admin: AdminContext, topic: string, group: string, timestamp: number, force: boolean, isC = false): Promise<ResetOffsetResult> {
  const route = await admin.examineTopicRouteInfo(topic);
  const offsets: QueueOffset[] = [];
  try {
    for (const bd of route.brokerDatas) {
      const addr = selectBrokerAddr(bd);
      if (addr === undefined) continue;
      const table = await admin.api.invokeBrokerToResetOffset(addr, topic, group, timestamp, force, admin.timeoutMillis, isC);
      for (const [mq, offset] of table ?? []) offsets.push({ topic: mq.topic, brokerName: mq.brokerName, queueId: mq.queueId, offset });
    }
  } catch (e: unknown) {
    if (e instanceof MQClientException && e.code === ResponseCode.CONSUMER_NOT_ONLINE) {
      return { mode: 'OFFSETS_COMMITTED', rollbacks: await resetOffsetByTimestampOld(admin, topic, group, timestamp, force) };
    }
    throw e;
  }
  return { mode: 'CLIENTS_NOTIFIED', offsets: offsets.sort((a, b) => compareMessageQueue(a, b)) };
}

/**
 * DefaultMQAdminExtImpl.resetOffsetByTimestampOld: per broker, the group's queues of the topic from
 * GET_CONSUME_STATS — or, when the group never consumed there, every read queue with the topic stats
 * as offsets — then resetOffsetConsumeOffset on each.
 */
async function resetOffsetByTimestampOld(admin: AdminContext, topic: string, group: string, timestamp: number, force: boolean): Promise<RollbackStats[]> {
  const route = await admin.examineTopicRouteInfo(topic);
  const out: RollbackStats[] = [];
  for (const bd of route.brokerDatas) {
    const addr = selectBrokerAddr(bd);
    if (addr === undefined) continue;
    const stats = await admin.api.getConsumeStats(addr, group, topic, admin.timeoutMillis);
    const queues = [...stats.offsetTable].filter(([mq]) => mq.topic === topic);
    if (queues.length === 0) {
      const topicStats = await admin.api.getTopicStatsInfo(addr, topic, admin.timeoutMillis);
      const readQueueNums = route.queueDatas.find((q) => q.brokerName === bd.brokerName)?.readQueueNums ?? 0;
      for (let i = 0; i < readQueueNums; i++) {
        const mq = createMessageQueue(topic, bd.brokerName, i);
        const t = topicStats.offsetTable.get(mq);
        if (t === undefined) continue;
        queues.push([mq, { brokerOffset: t.maxOffset, consumerOffset: t.minOffset, lastTimestamp: 0 }]);
      }
    }
    queues.sort(([a], [b]) => compareMessageQueue(a, b));
    for (const [mq, wrapper] of queues) out.push(await resetOffsetConsumeOffset(admin, addr, group, mq, wrapper, timestamp, force));
  }
  return out;
}

async function resetOffsetConsumeOffset(
  admin: AdminContext,
  addr: string,
  group: string,
  mq: MessageQueue,
  wrapper: OffsetWrapper,
  timestamp: number,
  force: boolean,
): Promise<RollbackStats> {
  const api = admin.clientAPI;
  const timestampOffset = timestamp === RESET_TO_MAX_OFFSET
    ? await api.getMaxOffset(addr, mq.topic, mq.queueId, admin.timeoutMillis)
    : await api.searchOffset(addr, mq.topic, mq.queueId, timestamp, admin.timeoutMillis);
  const stats: RollbackStats = {
    brokerName: mq.brokerName,
    queueId: mq.queueId,
    brokerOffset: wrapper.brokerOffset,
    consumerOffset: wrapper.consumerOffset,
    timestampOffset,
    rollbackOffset: wrapper.consumerOffset,
  };
  if (force || timestampOffset <= wrapper.consumerOffset) {
    stats.rollbackOffset = timestampOffset;
    await api.updateConsumerOffset(
      addr,
      { consumerGroup: group, topic: mq.topic, queueId: mq.queueId, commitOffset: timestampOffset, bname: mq.brokerName },
      admin.timeoutMillis,
    );
  }
  return stats;
}
