import type { RemotingChannel } from '../../common/remoting/remoting-channel.js';
import type { LanguageCodeName } from '../../common/remoting/language-code.js';

/** ClientHousekeepingService.CHANNEL_EXPIRED_TIMEOUT: a client silent this long is dropped (120 s). */
export const CHANNEL_EXPIRED_TIMEOUT_MILLIS = 1000 * 120;

/** One client connection as the broker tracks it (broker/client/ClientChannelInfo.java). */
export interface ClientChannelInfo {
  readonly channel: RemotingChannel;
  readonly clientId: string;
  readonly language: LanguageCodeName;
  readonly version: number;
  /** Last heartbeat (ms epoch). */
  lastUpdateTimestamp: number;
}
