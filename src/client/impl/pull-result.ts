import { MQBrokerException } from '../../common/errors.js';
import { readHeader } from '../../common/protocol/headers/command-header.js';
import { PullMessageResponseHeader } from '../../common/protocol/headers/pull-message.js';
import { ResponseCode } from '../../common/protocol/response-code.js';
import type { RemotingCommand } from '../../common/remoting/remoting-command.js';

/** Java's PullStatus. */
export const PullStatus = {
  FOUND: 'FOUND',
  NO_NEW_MSG: 'NO_NEW_MSG',
  NO_MATCHED_MSG: 'NO_MATCHED_MSG',
  OFFSET_ILLEGAL: 'OFFSET_ILLEGAL',
} as const;
export type PullStatus = (typeof PullStatus)[keyof typeof PullStatus];

/**
 * Java's PullResultExt as MQClientAPIImpl.processPullResponse returns it: undecoded records in
 * `messageBinary` (FOUND only); the consumer's PullAPIWrapper decodes and filters them.
 */
export interface PullResultExt {
  pullStatus: PullStatus;
  nextBeginOffset: number;
  minOffset: number;
  maxOffset: number;
  suggestWhichBrokerId: number;
  messageBinary: Buffer | undefined;
}

const PULL_STATUS = new Map<number, PullStatus>([
  [ResponseCode.SUCCESS, PullStatus.FOUND],
  [ResponseCode.PULL_NOT_FOUND, PullStatus.NO_NEW_MSG],
  [ResponseCode.PULL_RETRY_IMMEDIATELY, PullStatus.NO_MATCHED_MSG],
  [ResponseCode.PULL_OFFSET_MOVED, PullStatus.OFFSET_ILLEGAL],
]);

export function processPullResponse(response: RemotingCommand, addr: string): PullResultExt {
  const pullStatus = PULL_STATUS.get(response.code);
  if (pullStatus === undefined) throw new MQBrokerException(response.code, response.remark ?? '', addr);
  const h = readHeader(response, PullMessageResponseHeader);
  return {
    pullStatus,
    nextBeginOffset: h.nextBeginOffset,
    minOffset: h.minOffset,
    maxOffset: h.maxOffset,
    suggestWhichBrokerId: h.suggestWhichBrokerId,
    messageBinary: pullStatus === PullStatus.FOUND ? response.body : undefined,
  };
}
