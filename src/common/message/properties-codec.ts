import { javaHashMapOrderIndices } from '../util/java-hash-map-order.js';

/*
 * The properties string (PROTOCOL.md §4.1): `name \u0001 value \u0002 name \u0001 value`, UTF-8 on the
 * wire, no trailing \u0002 when Java writes it (ali-ons writes one; the parser tolerates it).
 */

/** Java's MessageDecoder.NAME_VALUE_SEPARATOR (char 1). */
export const NAME_VALUE_SEPARATOR = '\u0001';
/** Java's MessageDecoder.PROPERTY_SEPARATOR (char 2). */
export const PROPERTY_SEPARATOR = '\u0002';
/** PROPERTY_SEPARATOR as a byte, for checks on encoded properties (batch records). */
export const PROPERTY_SEPARATOR_BYTE = 0x02;
/** The properties length is a Java short on the wire and on disk (Short.MAX_VALUE). */
export const MAX_PROPERTIES_LENGTH = 32767;

export type PropertiesOrder = 'java' | 'insertion';

/**
 * Java's messageProperties2String. With `order = 'java'` (the default) entries come out in the
 * iteration order of a java.util.HashMap filled in the map's insertion order, so a message built the
 * way a Java producer builds it (same puts, same order) yields the same bytes. Because a Java-written
 * string is itself in HashMap order, parse-then-encode reproduces it exactly (duplicated keys aside).
 * Entries with an undefined value are skipped, as Java skips nulls.
 */
export function messageProperties2String(
  properties: ReadonlyMap<string, string | undefined> | undefined,
  order: PropertiesOrder = 'java',
): string {
  if (properties === undefined || properties.size === 0) return '';
  const keys = [...properties.keys()];
  const javaOrder = order === 'java' ? javaHashMapOrderIndices(keys, 0, 0) : undefined;
  let out = '';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[javaOrder !== undefined ? javaOrder[i]! : i]!;
    const value = properties.get(key);
    if (value === undefined) continue;
    if (out.length > 0) out += PROPERTY_SEPARATOR;
    out += key + NAME_VALUE_SEPARATOR + value;
  }
  return out;
}

/**
 * Java's string2messageProperties. Split on \u0002; a segment counts only if it is at least 3 chars
 * long and its first \u0001 is neither its first nor its last char (so key and value are non-empty);
 * the key ends at the first \u0001 (values may contain more of them). A later duplicate key wins.
 * Never throws: malformed segments are skipped, as Java does.
 */
export function string2messageProperties(properties: string | undefined): Map<string, string> {
  const map = new Map<string, string>();
  if (properties === undefined) return map;
  const len = properties.length;
  let index = 0;
  while (index < len) {
    let end = properties.indexOf(PROPERTY_SEPARATOR, index);
    if (end < 0) end = len;
    if (end - index >= 3) {
      // Java searches from `index` to the end of the string, not of the segment: a \u0001 found past
      // the segment fails the `< end - 1` test, so such a segment is skipped.
      const kv = properties.indexOf(NAME_VALUE_SEPARATOR, index);
      if (kv > index && kv < end - 1) {
        const key = properties.substring(index, kv);
        // Java's HashMap.put keeps the first position of a repeated key; so does Map.set.
        map.set(key, properties.substring(kv + 1, end));
      }
    }
    index = end + 1;
  }
  return map;
}

/**
 * A ReadonlyMap over a properties string that parses it (string2messageProperties) on first use: the
 * reput path hands every record's properties to listeners that seldom read them.
 */
export class LazyPropertiesMap implements ReadonlyMap<string, string> {
  #map: Map<string, string> | undefined;

  constructor(readonly propertiesString: string) {}

  get size(): number {
    return this.parsed().size;
  }
  get(key: string): string | undefined {
    return this.parsed().get(key);
  }
  has(key: string): boolean {
    return this.parsed().has(key);
  }
  forEach(callback: (value: string, key: string, map: ReadonlyMap<string, string>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.parsed()) callback.call(thisArg, v, k, this);
  }
  entries(): IterableIterator<[string, string]> {
    return this.parsed().entries();
  }
  keys(): IterableIterator<string> {
    return this.parsed().keys();
  }
  values(): IterableIterator<string> {
    return this.parsed().values();
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.parsed().entries();
  }

  private parsed(): Map<string, string> {
    this.#map ??= string2messageProperties(this.propertiesString);
    return this.#map;
  }
}

/** True when `s` holds neither separator, i.e. can be a property name or value. */
export function isValidPropertyText(s: string): boolean {
  return !s.includes(NAME_VALUE_SEPARATOR) && !s.includes(PROPERTY_SEPARATOR);
}
