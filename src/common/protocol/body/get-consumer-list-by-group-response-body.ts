import { encodeFastJson } from '../json/fastjson-writer.js';
import { JsonObjectReader } from '../json/json-object-reader.js';

/** GET_CONSUMER_LIST_BY_GROUP (38) response `{"consumerIdList":["cid1","cid2"]}` (§8.1; a Java List). */
export interface GetConsumerListByGroupResponseBody {
  consumerIdList: string[];
}

export function encodeGetConsumerListByGroupResponseBody(body: GetConsumerListByGroupResponseBody): Buffer {
  return encodeFastJson({ consumerIdList: body.consumerIdList });
}

export function decodeGetConsumerListByGroupResponseBody(body: Uint8Array): GetConsumerListByGroupResponseBody {
  return { consumerIdList: JsonObjectReader.parse(body, 'GetConsumerListByGroupResponseBody').strings('consumerIdList') };
}
