/** fastjson-compatible JSON (PROTOCOL.md §1.6): the writer, the lenient reader and typed access. */
export { JavaDouble, javaDouble, isJsonObjectNode } from './json-value.js';
export type { JsonWritable, JsonBean, JsonWritableKey, JsonNode, JsonObjectNode, JsonKey } from './json-value.js';
export { toFastJson, encodeFastJson, STANDARD_JSON_OPTIONS } from './fastjson-writer.js';
export type { FastJsonWriteOptions } from './fastjson-writer.js';
export { parseFastJson, MAX_DEPTH } from './fastjson-reader.js';
export { formatJavaDouble } from './java-double.js';
export {
  JsonObjectReader,
  nodeToString,
  nodeToStringArray,
  nodeToInt,
  nodeToLong,
  nodeToDouble,
  nodeToBoolean,
  nodeToEnum,
  keyToLong,
  keyToString,
} from './json-object-reader.js';
