/**
 * Waiting for a Graph long-running operation inside one command run: how long to wait between
 * polls and how much waiting one run may do before it hands over to a scheduled re-run. Waits go
 * through the runtime's clock, so a replay or a test that skips waits runs them instantly, and
 * nothing global is read. Tests pass their own PollClock.
 */
import type { CommandContext } from '../../src/command/handler.js';
import { parseRetryAfter } from '../../src/http/retry.js';

export interface PollClock {
  sleep(ms: number): Promise<void>;
  /** Epoch ms (to read a Retry-After date). */
  now(): number;
  /** Most waiting (logical ms) one run does before returning a scheduled re-run. */
  readonly budgetMs: number;
  /** The wait when Graph sends no Retry-After. */
  readonly defaultWaitMs: number;
  /** Longest single wait, whatever Retry-After says. */
  readonly maxWaitMs: number;
}

export const defaultPollClock = (ctx: CommandContext): PollClock => ({
  sleep: (ms) => ctx.clock.sleep(ms),
  now: () => ctx.clock.now(),
  budgetMs: 60_000,
  defaultWaitMs: 5_000,
  maxWaitMs: 30_000,
});

/** The wait before the next poll: Graph's Retry-After (bounded), or the clock's default. */
export function pollWait(clock: PollClock, retryAfter: string | undefined): number {
  const asked = parseRetryAfter(retryAfter, clock.now());
  return Math.min(clock.maxWaitMs, Math.max(1_000, asked ?? clock.defaultWaitMs));
}
