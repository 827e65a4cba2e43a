import { encodeFastJson } from '../json/fastjson-writer.js';
import { JsonObjectReader, keyToString, nodeToString } from '../json/json-object-reader.js';

/**
 * KVTable `{"table":{"k":"v",…}}` (common/protocol/body/KVTable.java): GET_BROKER_RUNTIME_INFO
 * (all values strings, §2.4), the REGISTER_BROKER response (ORDER_TOPIC_CONFIG namespace, §7.2),
 * GET_KVLIST_BY_NAMESPACE.
 */
export interface KVTable {
  table: Map<string, string>;
}

export function encodeKVTable(kv: KVTable): Buffer {
  return encodeFastJson({ table: kv.table });
}

export function decodeKVTable(body: Uint8Array): KVTable {
  const r = JsonObjectReader.parse(body, 'KVTable');
  const table = new Map<string, string>();
  const path = r.sub('table');
  for (const [k, v] of r.entries('table')) {
    const key = keyToString(k, path);
    table.set(key, nodeToString(v, `${path}.${key}`));
  }
  return { table };
}
