/**
 * mqadmin's message tracking (DefaultMQAdminExtImpl.messageTrackDetail), printed under every message
 * queryMsgById and queryMsgByOffset show: for each group that consumes the message's topic, whether
 * it has consumed the message yet.
 */
import { RocketMQError } from '../../common/errors.js';
import type { MessageExt } from '../../common/message/message-ext.js';
import { socketAddressToString } from '../../common/message/socket-address.js';
import { MASTER_ID, selectBrokerAddr } from '../../common/protocol/body/broker-data.js';
import { ResponseCode } from '../../common/protocol/response-code.js';
import type { AdminContext } from './admin-context.js';
import type { ConsumerConnectionInfo, ConsumerProgress, MessageTrack, TrackType } from './admin-types.js';

/** AdminContext plus the two group look-ups of MQAdmin this needs. */
interface TrackAdmin extends AdminContext {
  examineConsumerConnectionInfo(group: string): Promise<ConsumerConnectionInfo>;
  examineConsumeStats(group: string): Promise<ConsumerProgress>;
}

/**
 * The groups QUERY_TOPIC_CONSUME_BY_WHO names on the topic's first broker (as Java asks only that
 * one), sorted, each with its TrackType: PULL for a pull consumer; for a push consumer CONSUMED when
 * its committed offset of the message's queue is past the message (CONSUMED_BUT_FILTERED when its
 * subscription's tags exclude the message's tag), else NOT_CONSUME_YET; NOT_ONLINE when no client of
 * the group is connected; UNKNOWN with the reason when asking failed.
 */
export async function messageTrackDetail(admin: TrackAdmin, msg: MessageExt): Promise<MessageTrack[]> {
  const route = await admin.examineTopicRouteInfo(msg.topic);
  const first = route.brokerDatas[0];
  const addr = first === undefined ? undefined : selectBrokerAddr(first);
  if (addr === undefined) return [];
  const groups = (await admin.api.queryTopicConsumeByWho(addr, msg.topic, admin.timeoutMillis)).sort();
  const tracks: MessageTrack[] = [];
  for (const consumerGroup of groups) {
    let trackType: TrackType;
    try {
      trackType = await trackOf(admin, msg, consumerGroup);
    } catch (e: unknown) {
      const notOnline = e instanceof RocketMQError && e.code === ResponseCode.CONSUMER_NOT_ONLINE;
      tracks.push({ consumerGroup, trackType: notOnline ? 'NOT_ONLINE' : 'UNKNOWN', exceptionDesc: describe(e) });
      continue;
    }
    tracks.push({ consumerGroup, trackType, exceptionDesc: undefined });
  }
  return tracks;
}

async function trackOf(admin: TrackAdmin, msg: MessageExt, group: string): Promise<TrackType> {
  const cc = await admin.examineConsumerConnectionInfo(group);
  if (cc.consumeType === 'CONSUME_ACTIVELY') return 'PULL';
  if (cc.consumeType !== 'CONSUME_PASSIVELY') return 'UNKNOWN';
  if (!(await consumed(admin, msg, group))) return 'NOT_CONSUME_YET';
  const sub = cc.subscriptions.find((s) => s.topic === msg.topic);
  // Java's test: the tag set holds the message's tag, or "*", or nothing (subscribed to everything).
  const matches = sub === undefined || sub.tags.length === 0 || sub.tags.includes('*') || (msg.tags !== undefined && sub.tags.includes(msg.tags));
  return matches ? 'CONSUMED' : 'CONSUMED_BUT_FILTERED';
}

/** DefaultMQAdminExtImpl.consumed: the group's offset of the message's queue, on the master that stored it, is past the message. */
async function consumed(admin: TrackAdmin, msg: MessageExt, group: string): Promise<boolean> {
  const stats = await admin.examineConsumeStats(group);
  const info = await admin.examineBrokerClusterInfo();
  const storeHost = socketAddressToString(msg.storeHost);
  return stats.queues.some(
    (q) =>
      q.topic === msg.topic &&
      q.queueId === msg.queueId &&
      info.brokerAddrTable.get(q.brokerName)?.brokerAddrs.get(MASTER_ID) === storeHost &&
      q.consumerOffset > msg.queueOffset,
  );
}

/** Java's "CODE:<code> DESC:<remark>" for RocketMQ errors, the message otherwise. */
function describe(e: unknown): string {
  if (e instanceof RocketMQError) return e.message.startsWith('CODE:') ? e.message : `CODE:${e.code} DESC:${e.message}`;
  return e instanceof Error ? e.message : String(e);
}
