import { encodeFastJson } from '../json/fastjson-writer.js';
import { JsonObjectReader } from '../json/json-object-reader.js';
import { messageQueueFromJson, messageQueueToJson, type MessageQueue } from './message-queue.js';

/**
 * Orderly-consumption queue locks (common/protocol/body/{LockBatchRequestBody,
 * LockBatchResponseBody,UnlockBatchRequestBody}.java; PROTOCOL.md §2.3):
 *   LOCK_BATCH_MQ (41) request  {"clientId":"…","consumerGroup":"…","mqSet":[MessageQueue…]}
 *   LOCK_BATCH_MQ (41) response {"lockOKMQSet":[MessageQueue…]}
 *   UNLOCK_BATCH_MQ (42) request, same shape as the lock request.
 * The sets are Java HashSets; arrays here, written in array order.
 */
export interface LockBatchRequestBody {
  consumerGroup: string;
  clientId: string;
  mqSet: MessageQueue[];
}

export type UnlockBatchRequestBody = LockBatchRequestBody;

export interface LockBatchResponseBody {
  lockOKMQSet: MessageQueue[];
}

export function encodeLockBatchRequestBody(body: LockBatchRequestBody): Buffer {
  return encodeFastJson({
    clientId: body.clientId,
    consumerGroup: body.consumerGroup,
    mqSet: new Set(body.mqSet.map(messageQueueToJson)),
  });
}

export function decodeLockBatchRequestBody(body: Uint8Array): LockBatchRequestBody {
  return batchRequestFromJson(JsonObjectReader.parse(body, 'LockBatchRequestBody'));
}

export const encodeUnlockBatchRequestBody: (body: UnlockBatchRequestBody) => Buffer = encodeLockBatchRequestBody;

export function decodeUnlockBatchRequestBody(body: Uint8Array): UnlockBatchRequestBody {
  return batchRequestFromJson(JsonObjectReader.parse(body, 'UnlockBatchRequestBody'));
}

export function encodeLockBatchResponseBody(body: LockBatchResponseBody): Buffer {
  return encodeFastJson({ lockOKMQSet: new Set(body.lockOKMQSet.map(messageQueueToJson)) });
}

export function decodeLockBatchResponseBody(body: Uint8Array): LockBatchResponseBody {
  return { lockOKMQSet: JsonObjectReader.parse(body, 'LockBatchResponseBody').objects('lockOKMQSet', messageQueueFromJson) };
}

function batchRequestFromJson(r: JsonObjectReader): LockBatchRequestBody {
  return {
    consumerGroup: r.string('consumerGroup', ''),
    clientId: r.string('clientId', ''),
    mqSet: r.objects('mqSet', messageQueueFromJson),
  };
}
