/**
 * The two value models of the fastjson-compatible JSON layer (PROTOCOL.md §1.6).
 *
 * Writing: JavaScript values stand for the Java types fastjson would see, so the writer can reproduce
 * its output byte for byte:
 *   - a plain object is a Java **bean**: properties written in alphabetical order, `undefined`/`null`
 *     properties omitted (fastjson SortField + no WriteMapNullValue);
 *   - a `Map` is a Java **map**: entries in the Map's iteration order (callers decide the order —
 *     a decoded body keeps the peer's order, so re-encoding is byte-identical); string keys are
 *     quoted, number/bigint keys are written unquoted (`{0:"addr"}`), bean keys as an object literal
 *     in key position (`{{"brokerName":"b","queueId":0,"topic":"t"}:5}`);
 *   - an array is a Java `List`, a `Set` is any other Java `Collection` — they differ only in pretty
 *     mode, where fastjson's ListSerializer breaks lines and its CollectionCodec does not;
 *   - integers (`number` or `bigint`) are Java int/long; a Java `double` must be wrapped in
 *     {@link JavaDouble} because `1` and `1.0` are the same JS number but not the same Java text.
 *
 * Reading: the lenient reader returns {@link JsonNode}s. Objects come back as ordered Maps (JS plain
 * objects would reorder integer-like keys, which breaks byte-identical re-encoding of `{1:…,0:…}`).
 * Keys are strings (an unquoted numeric key comes back as its exact source text, e.g. `"0"`), or a
 * nested object node for object keys. Integers beyond Number.MAX_SAFE_INTEGER come back as `bigint`
 * (never rounded); every other number is a JS `number`.
 */

/** A Java `double`/`Double` value: written in Java's `Double.toString` form (`0.0`, `1.5E7`). */
export class JavaDouble {
  constructor(readonly value: number) {}
}

/** Shorthand for `new JavaDouble(value)`. */
export function javaDouble(value: number): JavaDouble {
  return new JavaDouble(value);
}

/** A value the fastjson-compatible writer can serialize (see the module comment for the mapping). */
export type JsonWritable =
  | undefined
  | null
  | boolean
  | number
  | bigint
  | string
  | JavaDouble
  | readonly JsonWritable[]
  | ReadonlySet<JsonWritable>
  | ReadonlyMap<JsonWritableKey, JsonWritable>
  | JsonBean;

/** A Java bean: properties are written alphabetically, undefined/null ones omitted. */
export interface JsonBean {
  readonly [property: string]: JsonWritable;
}

/** A Java map key: String (quoted), Integer/Long (unquoted unless browser-compatible), or a bean. */
export type JsonWritableKey = string | number | bigint | JsonBean;

/** What the lenient reader returns. */
export type JsonNode = null | boolean | number | bigint | string | JsonNode[] | JsonObjectNode;

/** A JSON object as read: document order kept; keys are strings or (object keys) object nodes. */
export interface JsonObjectNode extends Map<JsonKey, JsonNode> {}

/** A key of a read JSON object. */
export type JsonKey = string | JsonObjectNode;

export function isJsonObjectNode(node: JsonNode | undefined): node is JsonObjectNode {
  return node instanceof Map;
}
