import { PipelineDriver, type PipelineResult } from './pipeline.js';
import { LatencyRecorder } from './stats.js';

/**
 * A running request/response stack (a server and a connected client) that can be measured for
 * several rounds. Keeping it up between rounds lets a scenario interleave a baseline and the
 * stack under test, so a load change on a shared machine hits both alike.
 */
export interface EchoStack {
  /** Sends one request for `slot`; the stack calls `driver.complete(slot, sentAt)` on its answer. */
  issue(slot: number): void;
  close(): Promise<void>;
}

/** Routes completions of an EchoStack to whichever driver is measuring now. */
export class DriverHolder {
  current: PipelineDriver | undefined;

  complete(slot: number, sentAt: number): void {
    this.current?.complete(slot, sentAt);
  }

  fail(e: unknown): void {
    this.current?.fail(e);
  }
}

export async function measureRound(
  stack: EchoStack,
  holder: DriverHolder,
  window: number,
  warmupSeconds: number,
  seconds: number,
): Promise<PipelineResult> {
  const driver = new PipelineDriver(window, (slot) => stack.issue(slot));
  holder.current = driver;
  try {
    return await driver.run(warmupSeconds, seconds);
  } finally {
    holder.current = undefined;
  }
}

export function mergeResults(results: readonly PipelineResult[]): PipelineResult {
  const latency = new LatencyRecorder();
  let messages = 0;
  let seconds = 0;
  for (const r of results) {
    latency.merge(r.latency);
    messages += r.messages;
    seconds += r.seconds;
  }
  return { messages, seconds, latency };
}
