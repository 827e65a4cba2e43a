import { encodeFastJson } from '../json/fastjson-writer.js';
import { JsonObjectReader, keyToLong, nodeToLong } from '../json/json-object-reader.js';

/**
 * delayOffset.json (pretty, §6.7; store/schedule/DelayOffsetSerializeWrapper.java):
 * `{"offsetTable":{2:1,3:1}}` — delay level (Integer key, unquoted) → next ConsumeQueue offset to
 * deliver in SCHEDULE_TOPIC_XXXX queue level−1.
 */
export interface DelayOffsetSerializeWrapper {
  offsetTable: Map<number, number>;
}

export function encodeDelayOffsetSerializeWrapper(w: DelayOffsetSerializeWrapper, pretty = false): Buffer {
  return encodeFastJson({ offsetTable: w.offsetTable }, { pretty });
}

export function decodeDelayOffsetSerializeWrapper(body: Uint8Array | string): DelayOffsetSerializeWrapper {
  const r = JsonObjectReader.parse(body, 'DelayOffsetSerializeWrapper');
  const offsetTable = new Map<number, number>();
  const path = r.sub('offsetTable');
  for (const [k, v] of r.entries('offsetTable')) offsetTable.set(keyToLong(k, path), nodeToLong(v, `${path}[${String(k)}]`));
  return { offsetTable };
}
