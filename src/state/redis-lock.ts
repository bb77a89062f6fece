/**
 * An instance's lock on a shared Redis: a key set only if absent (SET NX) with a time to live and
 * a random owner token as its value. Only the owner extends or releases it (a compare script),
 * the owner extends it while it holds it, and a holder that crashed or was cut off stops
 * extending it, so its lock expires after the TTL and the next waiter takes it: processes on any
 * host serialise their token requests on it without ever waiting for ever on a dead one.
 *
 * A lock can still be lost while held (a holder paused longer than the TTL). Writes never rely on
 * it alone: every write is checked against the version it read (see redis-backend.ts).
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock, Timer } from '../base/clock.js';
import { UserError } from '../base/errors.js';
import type { RedisConnection } from './redis-connection.js';

export interface RedisLockOptions {
  /** How long a lock lives unless its holder extends it, in ms. */
  ttlMs: number;
  /** How long to wait for a lock another process holds, in ms. */
  waitMs: number;
  /** Times the wait and the extensions (real time: the lock is shared with other processes). */
  clock: Clock;
  warn: (message: string) => void;
}

/** The lock is still held by another process when the wait ends. */
export class RedisLockBusyError extends UserError {
  /** As the file lock's: the auth session turns it into its own message. */
  readonly code = 'ELOCKED';
}

/** Deletes the lock only if this owner still holds it. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
/** Extends the lock only if this owner still holds it. */
const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/** Who holds a lock, as its owner token says: `host:pid:random`. */
function describeOwner(owner: string | null): string {
  if (!owner) return 'another process';
  const [host, pid] = owner.split(':');
  return `process ${pid} on ${host}`;
}

/** Takes `key` within `waitMs`; resolves to its release. */
export async function acquireRedisLock(
  connection: RedisConnection,
  key: string,
  options: RedisLockOptions,
): Promise<() => Promise<void>> {
  const { clock } = options;
  const owner = `${hostname()}:${process.pid}:${randomBytes(12).toString('hex')}`;
  const deadline = clock.now() + options.waitMs;
  let pause = 5;
  for (;;) {
    const taken = await connection.use(`take the lock ${key}`, (client) =>
      client.set(key, owner, { condition: 'NX', expiration: { type: 'PX', value: options.ttlMs } }),
    );
    if (taken === 'OK') return holding(connection, key, owner, options);
    const left = deadline - clock.now();
    if (left <= 0) {
      const holder = await connection
        .use(`read the lock ${key}`, (client) => client.get(key))
        .catch(() => null);
      throw new RedisLockBusyError(
        `Timed out after ${Math.round(options.waitMs / 1000)} s waiting for the lock ${key} on ${connection.target.display}, held by ${describeOwner(holder)} (another msgraph-user command for this instance).`,
      );
    }
    await clock.sleep(Math.min(left, Math.round(pause + Math.random() * pause)));
    pause = Math.min(pause * 1.5, 100);
  }
}

/** Extends the held lock every third of its TTL until released. */
function holding(
  connection: RedisConnection,
  key: string,
  owner: string,
  options: RedisLockOptions,
): () => Promise<void> {
  let timer: Timer | undefined;
  let released = false;
  const extend = async () => {
    try {
      const kept = await connection.client.eval(EXTEND, {
        keys: [key],
        arguments: [owner, String(options.ttlMs)],
      });
      if (kept !== 1 && !released) {
        options.warn(
          `The lock ${key} expired while this process held it; its writes stay checked by version.`,
        );
        return;
      }
    } catch {
      // Redis away for a moment: try again at the next beat; the TTL decides if it stays away.
    }
    if (!released) timer = options.clock.timer(Math.max(1, Math.floor(options.ttlMs / 3)), tick);
  };
  const tick = () => void extend();
  timer = options.clock.timer(Math.max(1, Math.floor(options.ttlMs / 3)), tick);
  return async () => {
    released = true;
    timer?.cancel();
    // If Redis is away, the lock expires by itself after its TTL.
    await connection.client.eval(RELEASE, { keys: [key], arguments: [owner] }).catch(() => 0);
  };
}
