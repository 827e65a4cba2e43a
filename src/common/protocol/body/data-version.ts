import { encodeFastJson } from '../json/fastjson-writer.js';
import { JsonObjectReader } from '../json/json-object-reader.js';
import type { JsonBean } from '../json/json-value.js';

/**
 * DataVersion (common/DataVersion.java): the version of a broker's topic or subscription-group
 * table. The broker sends it inside REGISTER_BROKER and, alone, as the QUERY_DATA_VERSION body; the
 * name server answers QUERY_DATA_VERSION with its stored one. JSON: `{"counter":N,"timestamp":ms}`
 * (counter is an AtomicLong, written as a plain number).
 */
export interface DataVersion {
  timestamp: number;
  counter: number;
}

export function createDataVersion(timestamp = Date.now(), counter = 0): DataVersion {
  return { timestamp, counter };
}

/** DataVersion.nextVersion: new timestamp, counter + 1. */
export function nextDataVersion(dv: DataVersion, now = Date.now()): void {
  dv.timestamp = now;
  dv.counter += 1;
}

/** DataVersion.equals: the name server re-reads topic configs only when this is false. */
export function dataVersionEquals(a: DataVersion | undefined, b: DataVersion | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.timestamp === b.timestamp && a.counter === b.counter;
}

export function dataVersionToJson(dv: DataVersion): JsonBean {
  return { counter: dv.counter, timestamp: dv.timestamp };
}

/** Missing fields read as 0, as a null body does on the name server (§7.2). */
export function dataVersionFromJson(r: JsonObjectReader): DataVersion {
  return { timestamp: r.long('timestamp', 0), counter: r.long('counter', 0) };
}

export function encodeDataVersion(dv: DataVersion): Buffer {
  return encodeFastJson(dataVersionToJson(dv));
}

export function decodeDataVersion(body: Uint8Array): DataVersion {
  return dataVersionFromJson(JsonObjectReader.parse(body, 'DataVersion'));
}
