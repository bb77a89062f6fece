/**
 * A clock for tests: time moves only when the test moves it or something sleeps (a sleep returns
 * at once and is recorded). Deadlines (`timer`) stay real, so a hung request still fails the test.
 */
import type { Clock } from '../../src/base/clock.js';

export interface TestClock extends Clock {
  /** Every sleep asked for, in ms. */
  readonly sleeps: number[];
  advance(ms: number): void;
}

export function testClock(origin = Date.UTC(2030, 0, 1)): TestClock {
  let now = origin;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    advance(ms) {
      now += ms;
    },
    async sleep(ms, signal) {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      now += ms;
      await new Promise((resolve) => setImmediate(resolve));
    },
    timer(ms, fire) {
      const handle = setTimeout(fire, ms);
      return { cancel: () => clearTimeout(handle) };
    },
  };
}

/**
 * The variables that put a child process on this process's clock: when the suite runs under
 * faketime (to prove nothing depends on today's date), a child started with a minimal
 * environment would otherwise run years apart from the simulator that issued its certificates.
 */
export function inheritedClockEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => name === 'LD_PRELOAD' || name.startsWith('FAKETIME'),
    ),
  );
}
