/**
 * Retry policy: which answers are retried, and how long to wait.
 *
 * Graph asks clients to wait the 429's Retry-After and otherwise back off exponentially
 * (docs: concepts/throttling.md); immediate retries count against the quota. The Graph SDK and
 * Azure core retry 429/503/504 and transport errors, and neither is allowed to run a POST twice by
 * accident. Waits are counted in the clock's time: a clock that skips waits (a replay, a test, a
 * benchmark) makes exactly the attempts production would.
 */
import { systemClock, type Clock } from '../base/clock.js';
import type { HttpMethod, RetryBudget, RetryMode, RetryOptions, RetryPolicy } from './types.js';

export const DEFAULT_RETRY: Required<RetryOptions> = {
  maxAttempts: 5,
  maxThrottledAttempts: 10,
  maxTotalWaitMs: 120_000,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
};

export interface RetryPolicyOptions extends RetryOptions {
  clock?: Clock;
  /** The jitter source in [0, 1) (default Math.random). */
  random?: () => number;
}

export const defaultRetryMode = (method: HttpMethod): RetryMode =>
  method === 'POST' ? 'throttle-only' : 'idempotent';

/** Whether a status may be retried: 429 always (unless `never`), 503/504 only when idempotent. */
export function isRetryableStatus(mode: RetryMode, status: number): boolean {
  if (mode === 'never') return false;
  if (status === 429) return true;
  return mode === 'idempotent' && (status === 503 || status === 504);
}

/**
 * Retry-After as ms: delta-seconds (Graph sends fractions such as "2.128") or an HTTP date (a
 * past date means now). Undefined when absent or unreadable, so the caller backs off instead.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  // An HTTP date names its day and month; Date.parse alone would read "-3" as a year.
  const date = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function createRetryPolicy(options: RetryPolicyOptions = {}): RetryPolicy {
  const maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_RETRY.maxAttempts);
  const maxThrottledAttempts = Math.max(
    1,
    options.maxThrottledAttempts ?? DEFAULT_RETRY.maxThrottledAttempts,
  );
  const maxTotalWaitMs = options.maxTotalWaitMs ?? DEFAULT_RETRY.maxTotalWaitMs;
  const baseDelayMs = options.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs;
  const maxDelayMs = options.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;

  return {
    begin(): RetryBudget {
      let retries = 0;
      let throttledRetries = 0;
      let waited = 0;
      return {
        get retries() {
          return retries;
        },
        next(retryAfter, throttled = false) {
          const used = throttled ? throttledRetries : retries - throttledRetries;
          if (used + 1 >= (throttled ? maxThrottledAttempts : maxAttempts)) return undefined;
          // The server's own wait is honoured as given (waiting less only earns another 429);
          // the total budget still bounds it. Otherwise: full jitter, capped per step.
          const wait =
            parseRetryAfter(retryAfter, clock.now()) ??
            Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** retries));
          if (waited + wait > maxTotalWaitMs) return undefined;
          retries += 1;
          if (throttled) throttledRetries += 1;
          waited += wait;
          return wait;
        },
        spend(ms) {
          waited += ms;
        },
      };
    },
    sleep: (ms, signal) => clock.sleep(ms, signal),
    clock,
  };
}
