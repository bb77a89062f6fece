/**
 * The throttle gates on Redis, so every engine replica (on any host) waits at the same gate: a
 * 429 that one replica met holds the others' requests to that tenant too.
 *
 * A gate is one key, `msgraph-user:<instance>:throttle`, that exists while the gate is closed and
 * expires (PX) the moment it opens, so no key outlives its gate. Only durations cross the wire:
 * the closing sends "closed for N ms" and a check reads the key's remaining life (PTTL), both on
 * the Redis server's clock, so replicas whose clocks disagree still agree on when the gate opens.
 * Closing is one script, so two replicas closing at once keep the later opening.
 *
 * A check is one PTTL round trip per Graph request, with no local cache: a replica never sends a
 * request through a gate another replica closed (bench section 7 measures what that costs).
 * A Redis failure is a RedisUnavailableError (from RedisConnection.use): the gate does not guess.
 */
import { KEY_PREFIX } from './redis-backend.js';
import type { RedisConnection } from './redis-connection.js';
import type { ThrottleStore } from './throttle-store.js';

/** Extends the closing only when it would end later than the one in place. */
const CLOSE_SCRIPT = `
local left = redis.call('PTTL', KEYS[1])
local wanted = tonumber(ARGV[1])
if left < wanted then
  redis.call('SET', KEYS[1], '1', 'PX', wanted)
  return 1
end
return 0`;

export const throttleKey = (instance: string): string => `${KEY_PREFIX}:${instance}:throttle`;

export function redisThrottleStore(
  connection: RedisConnection,
  clock: { now(): number },
): ThrottleStore {
  return {
    async openAt(instance) {
      const left = await connection.use('check the throttle gate', (client) =>
        client.pTTL(throttleKey(instance)),
      );
      // -2: no key (open); -1 cannot happen (every closing sets an expiry) and reads as open.
      return left > 0 ? clock.now() + left : undefined;
    },
    async closeUntil(instance, until) {
      const wanted = Math.ceil(until - clock.now());
      if (wanted <= 0) return;
      await connection.use('close the throttle gate', (client) =>
        client.eval(CLOSE_SCRIPT, { keys: [throttleKey(instance)], arguments: [String(wanted)] }),
      );
    },
  };
}
