/**
 * Where the engine's instances keep what replicas share: the throttle gates and the instances'
 * state (tokens, MSAL cache, backoff, MFA token, integration context). Either this process (gates
 * in memory, state in the state dir), or one Redis server that every replica and CLI worker points
 * at. One connection serves every instance; the engine closes it when it stops.
 *
 * A call that meets Redis down is not an error of the command: it is answered 503
 * `state_unavailable` (with Retry-After), naming the server without its password, and nothing
 * goes round the shared state meanwhile (no local throttle gate, no token of our own), so replicas
 * never drift apart. The connection reconnects in the background; the first call after Redis is
 * back works, without a restart.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Clock } from '../base/clock.js';
import {
  connectRedis,
  RedisUnavailableError,
  type RedisConnection,
  type RedisTarget,
} from '../state/redis-connection.js';
import type { StateBackend } from '../state/instance-store.js';
import { redisBackend } from '../state/redis-backend.js';
import { redisThrottleStore } from '../state/redis-throttle-store.js';
import type { StateCipher } from '../state/state-cipher.js';
import { memoryThrottleStore, type ThrottleStore } from '../state/throttle-store.js';

/** What a call returned, or the shared-state outage it met (which then explains any failure). */
export type Tracked<T> = { value: T; outage?: undefined } | { outage: RedisUnavailableError };

export interface SharedState {
  /** "local" (this process and its state dir), or the Redis URL without its password. */
  readonly describe: string;
  readonly throttleStore: ThrottleStore;
  /** The instances' state, shared by all of them (undefined: each runtime's state dir). */
  readonly instances?: StateBackend;
  /**
   * Runs one call, noting whether a shared-state operation of it failed. `failed` tells whether
   * its answer is a failure: one that ends while another call's operation fails is put down to
   * the outage too (calls waiting on one token request share its failure).
   */
  track<T>(call: () => Promise<T>, failed?: (value: T) => boolean): Promise<Tracked<T>>;
  close(): Promise<void>;
}

export function memoryState(clock: Clock): SharedState {
  return {
    describe: 'local',
    throttleStore: memoryThrottleStore(clock),
    track: async (call) => ({ value: await call() }),
    close: async () => undefined,
  };
}

/** The failures of shared-state operations: the latest, and how many so far. */
interface Failures {
  count: number;
  latest?: RedisUnavailableError;
}

/** The connection, telling the call in whose course an operation failed (and counting it). */
function tracked(
  inner: RedisConnection,
  calls: AsyncLocalStorage<{ outage?: RedisUnavailableError }>,
  failures: Failures,
): RedisConnection {
  return {
    target: inner.target,
    client: inner.client,
    close: () => inner.close(),
    async use(action, fn) {
      try {
        return await inner.use(action, fn);
      } catch (err) {
        if (err instanceof RedisUnavailableError) {
          failures.count++;
          failures.latest = err;
          const call = calls.getStore();
          if (call && !call.outage) call.outage = err;
        }
        throw err;
      }
    },
  };
}

export interface RedisStateOptions {
  clock: Clock;
  /** Seals the instances' state on Redis (MSGRAPH_USER_STATE_KEY). */
  cipher?: StateCipher;
  /** Told when the connection is lost and being re-established. */
  onReconnecting?(display: string): void;
}

/** Connects to Redis (a bounded number of tries: an engine that cannot reach it does not start). */
export async function redisState(
  target: RedisTarget,
  options: RedisStateOptions,
): Promise<SharedState> {
  const calls = new AsyncLocalStorage<{ outage?: RedisUnavailableError }>();
  const failures: Failures = { count: 0 };
  const connection = tracked(
    await connectRedis(target, { onReconnecting: options.onReconnecting }),
    calls,
    failures,
  );
  return {
    describe: target.display,
    throttleStore: redisThrottleStore(connection, options.clock),
    // Lock waits on a shared server are real time: the system clock, not the engine's.
    instances: redisBackend(connection, { cipher: options.cipher, ownsConnection: false }),
    async track(call, failed) {
      const scope: { outage?: RedisUnavailableError } = {};
      const before = failures.count;
      const outage = () => scope.outage ?? (failures.count > before ? failures.latest : undefined);
      let value;
      try {
        value = await calls.run(scope, call);
      } catch (err) {
        const cause = outage();
        if (cause) return { outage: cause };
        throw err;
      }
      const cause = scope.outage ?? (failed?.(value) ? outage() : undefined);
      return cause ? { outage: cause } : { value };
    },
    close: () => connection.close(),
  };
}
