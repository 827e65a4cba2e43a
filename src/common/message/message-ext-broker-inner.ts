import { MessageExt } from './message-ext.js';
import { MessageSysFlag } from './message-sys-flag.js';
import { isIPv6Host } from './socket-address.js';
import { tagsString2tagsCode } from './tags.js';

/**
 * The broker's message on the put path (Java's MessageExtBrokerInner): a MessageExt plus the exact
 * properties string to store (the processor builds it; it may differ from re-encoding the map, e.g.
 * delivered delayed messages keep the SCHEDULE record's string) and the ConsumeQueue tagsCode.
 */
export class MessageExtBrokerInner extends MessageExt {
  /** Stored verbatim as the record's PROPERTIES. Undefined: written from the map (Java order). */
  propertiesStringOverride: string | undefined;
  tagsCode = 0;

  /** The properties string that goes into the record. */
  override propertiesString(): string {
    return this.propertiesStringOverride ?? super.propertiesString();
  }

  /** Sets tagsCode from TAGS, as the send processor does for normal topics. */
  computeTagsCode(): void {
    this.tagsCode = tagsString2tagsCode(this.tags);
  }

  /** Sets or clears the two v6 sysFlag bits from bornHost / storeHost, as CommitLog.asyncPutMessage does. */
  applyHostFlags(): void {
    this.sysFlag = withHostFlags(this.sysFlag, this.bornHost.host, this.storeHost.host);
  }
}

/**
 * A SEND_BATCH_MESSAGE on the broker (Java's MessageExtBatch): `body` is the batch body (§4.8), the
 * message's own properties are the batch header's (e.g. WAIT, CLUSTER) and are appended to every inner
 * message's properties when the batch is split into records (see encodeBatchRecords).
 */
export class MessageExtBatch extends MessageExtBrokerInner {}

/** `sysFlag` with BORNHOST_V6_FLAG / STOREHOSTADDRESS_V6_FLAG set exactly for the IPv6 hosts. */
export function withHostFlags(sysFlag: number, bornHost: string, storeHost: string): number {
  let f = sysFlag & ~(MessageSysFlag.BORNHOST_V6_FLAG | MessageSysFlag.STOREHOSTADDRESS_V6_FLAG);
  if (isIPv6Host(bornHost)) f |= MessageSysFlag.BORNHOST_V6_FLAG;
  if (isIPv6Host(storeHost)) f |= MessageSysFlag.STOREHOSTADDRESS_V6_FLAG;
  return f;
}
