/**
 * The clock seam. Product code reads the time and waits only through a Clock handed in by the
 * composition root, so a replayed recording runs at the moment it was recorded (a token that
 * expired in the real world is still valid there), tests and benchmarks skip retry waits, and a
 * test can move time without touching the process's timers.
 *
 * `now` is epoch milliseconds. `sleep` is a wait in the clock's time: a clock with `scale` 0
 * advances by the wait at once, a clock with `scale` 1 really waits. `timer` is a deadline in real
 * time (a request that never answers must end even when waits are skipped).
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after `ms` of this clock's time; rejects with the signal's reason when it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Calls `fire` once after `ms` of real time, unless cancelled first. */
  timer(ms: number, fire: () => void): Timer;
}

export interface Timer {
  cancel(): void;
}

export interface ClockOptions {
  /** The epoch ms the clock reads at creation (default: the system time). */
  origin?: number;
  /**
   * How much of each `sleep` is really waited, from 0 (none: the clock jumps ahead) to 1 (all, the
   * default). Waits are still counted in full, so Retry-After and backoff budgets do not change.
   */
  scale?: number;
  /** Keep `timer` from holding the process open (the CLI's own deadlines). */
  unref?: boolean;
}

/** setTimeout's longest delay; longer ones fire at once in Node, so they are chained. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function realTimer(ms: number, fire: () => void, unref: boolean): Timer {
  let handle: NodeJS.Timeout;
  let remaining = Math.max(0, ms);
  const arm = () => {
    const step = Math.min(remaining, MAX_TIMER_MS);
    remaining -= step;
    handle = setTimeout(() => (remaining > 0 ? arm() : fire()), step);
    if (unref) handle.unref();
  };
  arm();
  return { cancel: () => clearTimeout(handle) };
}

function waitFor(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      timer.cancel();
      reject(signal?.reason);
    };
    // A zero wait still yields to the event loop, so a retry loop cannot starve other work.
    const timer: Timer =
      ms > 0
        ? realTimer(ms, () => done(), false)
        : (() => {
            const immediate = setImmediate(() => done());
            return { cancel: () => clearImmediate(immediate) };
          })();
    const done = () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A clock; with no options, the system clock. */
export function createClock(options: ClockOptions = {}): Clock {
  const scale = Math.min(1, Math.max(0, options.scale ?? 1));
  const unref = options.unref ?? false;
  const timer = (ms: number, fire: () => void) => realTimer(ms, fire, unref);
  if (options.origin === undefined && scale === 1) {
    return { now: () => Date.now(), sleep: (ms, signal) => waitFor(ms, signal), timer };
  }
  const origin = options.origin ?? Date.now();
  const started = performance.now();
  let skipped = 0;
  return {
    now: () => Math.floor(origin + (performance.now() - started) + skipped),
    async sleep(ms, signal) {
      const real = ms * scale;
      await waitFor(real, signal);
      skipped += Math.max(0, ms - real);
    },
    timer,
  };
}

/** The system clock: real time, real waits. */
export const systemClock: Clock = createClock();

/** Epoch seconds (token expiries are stated in seconds). */
export const nowSeconds = (clock: Clock): number => Math.floor(clock.now() / 1000);
