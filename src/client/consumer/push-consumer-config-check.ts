import { ClientErrorCode, MQClientException } from '../../common/errors.js';
import { CONSUME_FROM_WHERES, MESSAGE_MODELS } from '../../common/protocol/body/consumer-enums.js';
import type { SubscriptionData } from '../../common/protocol/body/subscription-data.js';
import { checkGroup } from '../validators.js';
import type { MessageListener } from './listener.js';
import { parseConsumeTimestamp, type PushConsumerSettings } from './push-consumer-options.js';

/** MixAll.DEFAULT_CONSUMER_GROUP: reserved, a consumer may not use it. */
export const DEFAULT_CONSUMER_GROUP = 'DEFAULT_CONSUMER';

/** Java's inclusive ranges of DefaultMQPushConsumerImpl.checkConfig. */
const RANGES: readonly (readonly [keyof PushConsumerSettings, number, number, boolean])[] = [
  // [option, min, max, -1 allowed]
  ['consumeThreadMin', 1, 1000, false],
  ['consumeThreadMax', 1, 1000, false],
  ['consumeConcurrentlyMaxSpan', 1, 65535, false],
  ['pullThresholdForQueue', 1, 65535, false],
  ['pullThresholdForTopic', 1, 6553500, true],
  ['pullThresholdSizeForQueue', 1, 1024, false],
  ['pullThresholdSizeForTopic', 1, 102400, true],
  ['pullInterval', 0, 65535, false],
  ['consumeMessageBatchMaxSize', 1, 1024, false],
  ['pullBatchSize', 1, 1024, false],
];

/** DefaultMQPushConsumerImpl.checkConfig: the same checks and messages, MQClientException code -1. */
export function checkPushConsumerConfig(s: PushConsumerSettings, subscriptions: ReadonlyMap<string, SubscriptionData>, listener: MessageListener | undefined): void {
  checkGroup(s.consumerGroup);
  if (s.consumerGroup === DEFAULT_CONSUMER_GROUP) throw invalid(`consumerGroup can not equal ${DEFAULT_CONSUMER_GROUP}, please specify another one.`);
  if (!MESSAGE_MODELS.includes(s.messageModel)) throw invalid('messageModel is null');
  if (!CONSUME_FROM_WHERES.includes(s.consumeFromWhere)) throw invalid('consumeFromWhere is null');
  if (Number.isNaN(parseConsumeTimestamp(s.consumeTimestamp))) {
    throw invalid(`consumeTimestamp is invalid, the valid format is yyyyMMddHHmmss,but received ${s.consumeTimestamp}`);
  }
  if (subscriptions.size === 0) throw invalid('subscription is null');
  if (listener === undefined) throw invalid('messageListener is null');
  if (typeof listener.consumeMessage !== 'function') throw invalid('messageListener must be instanceof MessageListenerOrderly or MessageListenerConcurrently');
  for (const [key, min, max, offAllowed] of RANGES) {
    const v = s[key] as number;
    if (offAllowed && v === -1) continue;
    if (!Number.isInteger(v) || v < min || v > max) throw invalid(`${key} Out of range [${min}, ${max}]`);
  }
  if (s.consumeThreadMin > s.consumeThreadMax) {
    throw invalid(`consumeThreadMin (${s.consumeThreadMin}) is larger than consumeThreadMax (${s.consumeThreadMax})`);
  }
}

function invalid(message: string): MQClientException {
  return new MQClientException(ClientErrorCode.CLIENT_VALIDATION, message);
}
