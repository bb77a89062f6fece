/**
 * Where the engine's instances keep what replicas share: in this process ("memory"), or on one
 * Redis server that every replica (and the CLI workers) point at. One connection serves every
 * instance; the engine closes it when it stops.
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
import { redisThrottleStore } from '../state/redis-throttle-store.js';
import { memoryThrottleStore, type ThrottleStore } from '../state/throttle-store.js';

/** What a call returned, or the shared-state outage it met (which then explains any failure). */
export type Tracked<T> = { value: T; outage?: undefined } | { outage: RedisUnavailableError };

export interface SharedState {
  /** "memory", or the Redis URL without its password: what logs and metrics name. */
  readonly backend: string;
  readonly throttleStore: ThrottleStore;
  /** The connection the instances' stores use (undefined in memory). */
  readonly connection?: RedisConnection;
  /** Runs one call, noting whether a shared-state operation of it failed. */
  track<T>(call: () => Promise<T>): Promise<Tracked<T>>;
  close(): Promise<void>;
}

export function memoryState(clock: Clock): SharedState {
  return {
    backend: 'memory',
    throttleStore: memoryThrottleStore(clock),
    track: async (call) => ({ value: await call() }),
    close: async () => undefined,
  };
}

/** The connection, telling the call in whose course an operation failed. */
function tracked(
  inner: RedisConnection,
  calls: AsyncLocalStorage<{ outage?: RedisUnavailableError }>,
): RedisConnection {
  return {
    target: inner.target,
    client: inner.client,
    close: () => inner.close(),
    async use(action, fn) {
      try {
        return await inner.use(action, fn);
      } catch (err) {
        const call = calls.getStore();
        if (call && !call.outage && err instanceof RedisUnavailableError) call.outage = err;
        throw err;
      }
    },
  };
}

export interface RedisStateOptions {
  clock: Clock;
  /** Told when the connection is lost and being re-established. */
  onReconnecting?(display: string): void;
}

/** Connects to Redis (a bounded number of tries: an engine that cannot reach it does not start). */
export async function redisState(
  target: RedisTarget,
  options: RedisStateOptions,
): Promise<SharedState> {
  const calls = new AsyncLocalStorage<{ outage?: RedisUnavailableError }>();
  const connection = tracked(
    await connectRedis(target, { onReconnecting: options.onReconnecting }),
    calls,
  );
  return {
    backend: target.display,
    connection,
    throttleStore: redisThrottleStore(connection, options.clock),
    async track(call) {
      const scope: { outage?: RedisUnavailableError } = {};
      try {
        const value = await calls.run(scope, call);
        return scope.outage ? { outage: scope.outage } : { value };
      } catch (err) {
        if (scope.outage) return { outage: scope.outage };
        throw err;
      }
    },
    close: () => connection.close(),
  };
}
