import { encodeFastJson } from '../json/fastjson-writer.js';
import { JsonObjectReader } from '../json/json-object-reader.js';

/** GroupList `{"groupList":["g1",…]}` (common/protocol/body/GroupList.java), e.g. QUERY_TOPIC_CONSUME_BY_WHO. */
export interface GroupList {
  groupList: string[];
}

export function encodeGroupList(list: GroupList): Buffer {
  return encodeFastJson({ groupList: new Set(list.groupList) });
}

export function decodeGroupList(body: Uint8Array): GroupList {
  return { groupList: JsonObjectReader.parse(body, 'GroupList').strings('groupList') };
}
