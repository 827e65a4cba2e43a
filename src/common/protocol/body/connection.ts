import { isLanguageCodeName, type LanguageCodeName } from '../../remoting/language-code.js';
import { encodeFastJson } from '../json/fastjson-writer.js';
import { JsonObjectReader } from '../json/json-object-reader.js';
import type { JsonBean } from '../json/json-value.js';

/**
 * One client channel as the broker lists it (common/protocol/body/Connection.java):
 * `{"clientAddr":"…","clientId":"…","language":"JAVA","version":409}`.
 */
export interface Connection {
  clientId: string;
  clientAddr: string;
  language: LanguageCodeName;
  version: number;
}

/** ProducerConnection `{"connectionSet":[Connection…]}` (GET_PRODUCER_CONNECTION_LIST 204). */
export interface ProducerConnection {
  connectionSet: Connection[];
}

export function connectionToJson(c: Connection): JsonBean {
  return { clientAddr: c.clientAddr, clientId: c.clientId, language: c.language, version: c.version };
}

export function connectionFromJson(r: JsonObjectReader): Connection {
  const lang = r.optString('language');
  return {
    clientId: r.string('clientId', ''),
    clientAddr: r.string('clientAddr', ''),
    // A name this SDK does not know (a newer peer's language) reads as OTHER rather than failing.
    language: lang === undefined ? 'JAVA' : isLanguageCodeName(lang) ? lang : 'OTHER',
    version: r.int('version', 0),
  };
}

export function encodeProducerConnection(pc: ProducerConnection): Buffer {
  return encodeFastJson({ connectionSet: new Set(pc.connectionSet.map(connectionToJson)) });
}

export function decodeProducerConnection(body: Uint8Array): ProducerConnection {
  return { connectionSet: JsonObjectReader.parse(body, 'ProducerConnection').objects('connectionSet', connectionFromJson) };
}
