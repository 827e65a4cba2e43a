import { deflateSync, inflateSync, constants as zlibConstants } from 'node:zlib';
import { RemotingCommandException } from '../../errors.js';
import { encodeFastJson } from '../json/fastjson-writer.js';
import { parseFastJson } from '../json/fastjson-reader.js';
import { JsonObjectReader, nodeToString } from '../json/json-object-reader.js';
import { dataVersionFromJson, encodeDataVersion } from './data-version.js';
import { decodeTopicConfigLine, encodeTopicConfigLine } from './topic-config.js';
import {
  createTopicConfigSerializeWrapper,
  topicConfigSerializeWrapperFromJson,
  topicConfigSerializeWrapperToJson,
  type TopicConfigSerializeWrapper,
} from './topic-config-serialize-wrapper.js';

/**
 * The REGISTER_BROKER (103) body (common/protocol/body/RegisterBrokerBody.java; PROTOCOL.md §7.2).
 *
 * Plain form (header `compressed=false`, the 4.9.8 default and what the captures show):
 *   {"filterServerList":[…],"topicConfigSerializeWrapper":{"dataVersion":{…},"topicConfigTable":{…}}}
 *
 * Compressed form (`compressed=true`, BrokerConfig.compressedRegister): a zlib stream
 * (Deflater BEST_COMPRESSION) of
 *
 *   +-------+-------------+-------+---------------------------+-------+------------------+
 *   | i32 n | DataVersion | i32 k | k × (i32 n + TopicConfig  | i32 n | filterServerList |
 *   |       | JSON        |       |   line "name r w perm ft")|       | JSON array       |
 *   +-------+-------------+-------+---------------------------+-------+------------------+
 *
 * (big-endian lengths; topicSysFlag and order do not survive the compressed form).
 */
export interface RegisterBrokerBody {
  topicConfigSerializeWrapper: TopicConfigSerializeWrapper;
  filterServerList: string[];
}

export function createRegisterBrokerBody(): RegisterBrokerBody {
  return { topicConfigSerializeWrapper: createTopicConfigSerializeWrapper(), filterServerList: [] };
}

export function encodeRegisterBrokerBody(body: RegisterBrokerBody, compressed = false): Buffer {
  if (!compressed) {
    return encodeFastJson({
      filterServerList: body.filterServerList,
      topicConfigSerializeWrapper: topicConfigSerializeWrapperToJson(body.topicConfigSerializeWrapper),
    });
  }
  const parts: Buffer[] = [];
  const withLength = (b: Buffer): void => {
    const len = Buffer.allocUnsafe(4);
    len.writeInt32BE(b.length, 0);
    parts.push(len, b);
  };
  const w = body.topicConfigSerializeWrapper;
  withLength(encodeDataVersion(w.dataVersion));
  const count = Buffer.allocUnsafe(4);
  count.writeInt32BE(w.topicConfigTable.size, 0);
  parts.push(count);
  for (const tc of w.topicConfigTable.values()) withLength(Buffer.from(encodeTopicConfigLine(tc), 'utf8'));
  withLength(encodeFastJson(body.filterServerList));
  return deflateSync(Buffer.concat(parts), { level: zlibConstants.Z_BEST_COMPRESSION });
}

export function decodeRegisterBrokerBody(data: Uint8Array, compressed = false): RegisterBrokerBody {
  if (!compressed) {
    const r = JsonObjectReader.parse(data, 'RegisterBrokerBody');
    const w = r.optObject('topicConfigSerializeWrapper');
    return {
      topicConfigSerializeWrapper:
        w === undefined ? createTopicConfigSerializeWrapper() : topicConfigSerializeWrapperFromJson(w),
      filterServerList: r.strings('filterServerList'),
    };
  }
  let raw: Buffer;
  try {
    raw = inflateSync(data);
  } catch (e: unknown) {
    throw new RemotingCommandException(`invalid compressed RegisterBrokerBody: ${(e as Error).message}`, { cause: e });
  }
  const reader = new LengthPrefixedReader(raw);
  const body = createRegisterBrokerBody();
  const w = body.topicConfigSerializeWrapper;
  w.dataVersion = dataVersionFromJson(JsonObjectReader.parse(reader.chunk(), 'RegisterBrokerBody.dataVersion'));
  const topicCount = reader.int();
  for (let i = 0; i < topicCount; i++) {
    const tc = decodeTopicConfigLine(reader.chunk().toString('utf8'));
    w.topicConfigTable.set(tc.topicName, tc);
  }
  const list = parseFastJson(reader.chunk(), 'RegisterBrokerBody.filterServerList');
  if (!Array.isArray(list)) throw new RemotingCommandException('invalid RegisterBrokerBody.filterServerList: not an array');
  body.filterServerList = list.map((n, i) => nodeToString(n, `RegisterBrokerBody.filterServerList[${i}]`));
  return body;
}

class LengthPrefixedReader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  int(): number {
    if (this.pos + 4 > this.buf.length) throw new RemotingCommandException('invalid compressed RegisterBrokerBody: truncated');
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  chunk(): Buffer {
    const len = this.int();
    if (len < 0 || this.pos + len > this.buf.length) {
      throw new RemotingCommandException('invalid compressed RegisterBrokerBody: truncated');
    }
    const b = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return b;
  }
}
