import { encodeFastJson } from '../json/fastjson-writer.js';
import { JsonObjectReader } from '../json/json-object-reader.js';

/** CMResult (common/protocol/body/CMResult.java), in Java declaration order. */
export const CM_RESULTS = [
  'CR_SUCCESS',
  'CR_LATER',
  'CR_ROLLBACK',
  'CR_COMMIT',
  'CR_THROW_EXCEPTION',
  'CR_RETURN_NULL',
] as const;
export type CMResult = (typeof CM_RESULTS)[number];

/**
 * The client's answer to CONSUME_MESSAGE_DIRECTLY (309)
 * (common/protocol/body/ConsumeMessageDirectlyResult.java).
 */
export interface ConsumeMessageDirectlyResult {
  order: boolean;
  autoCommit: boolean;
  consumeResult?: CMResult;
  remark?: string;
  spentTimeMills: number;
}

export function encodeConsumeMessageDirectlyResult(r: ConsumeMessageDirectlyResult): Buffer {
  return encodeFastJson({
    autoCommit: r.autoCommit,
    consumeResult: r.consumeResult,
    order: r.order,
    remark: r.remark,
    spentTimeMills: r.spentTimeMills,
  });
}

export function decodeConsumeMessageDirectlyResult(body: Uint8Array): ConsumeMessageDirectlyResult {
  const r = JsonObjectReader.parse(body, 'ConsumeMessageDirectlyResult');
  const out: ConsumeMessageDirectlyResult = {
    order: r.bool('order', false),
    autoCommit: r.bool('autoCommit', true),
    spentTimeMills: r.long('spentTimeMills', 0),
  };
  const result = r.optEnum('consumeResult', CM_RESULTS);
  if (result !== undefined) out.consumeResult = result;
  const remark = r.optString('remark');
  if (remark !== undefined) out.remark = remark;
  return out;
}
