import { encodeFastJson } from '../json/fastjson-writer.js';
import { JsonObjectReader } from '../json/json-object-reader.js';
import { subscriptionDataFromJson, subscriptionDataToJson, type SubscriptionData } from './subscription-data.js';

/**
 * CHECK_CLIENT_CONFIG (46) request body (common/protocol/body/CheckClientRequestBody.java): a
 * client asks the broker whether it supports a subscription (e.g. SQL92) before using it.
 */
export interface CheckClientRequestBody {
  clientId: string;
  group: string;
  subscriptionData?: SubscriptionData;
}

export function encodeCheckClientRequestBody(body: CheckClientRequestBody): Buffer {
  return encodeFastJson({
    clientId: body.clientId,
    group: body.group,
    subscriptionData: body.subscriptionData === undefined ? undefined : subscriptionDataToJson(body.subscriptionData),
  });
}

export function decodeCheckClientRequestBody(body: Uint8Array): CheckClientRequestBody {
  const r = JsonObjectReader.parse(body, 'CheckClientRequestBody');
  const out: CheckClientRequestBody = { clientId: r.string('clientId', ''), group: r.string('group', '') };
  const sd = r.optObject('subscriptionData');
  if (sd !== undefined) out.subscriptionData = subscriptionDataFromJson(sd);
  return out;
}
