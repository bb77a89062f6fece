/**
 * Instance state on a Redis server, shared by every process (on any host) pointed at it.
 *
 * Keys, per instance:
 *   msgraph-user:<instance>:context  a hash: `version` (a counter) and `data` (the context as
 *                                    JSON, or sealed by state-cipher.ts when a key is set)
 *   msgraph-user:<instance>:lock     while held: the holder's owner token, with a TTL
 *
 * Every write is a compare-and-set on `version` in one server-side script, so no write lands on
 * a version other than the one it was computed from: `set(context, version)` is XSOAR's
 * optimistic setIntegrationContextVersioned, and `update` runs under the instance's lock with the
 * same check as a fence (retried, bounded, should the lock have expired under a paused holder).
 */
import { systemClock, type Clock } from '../base/clock.js';
import { UserError } from '../base/errors.js';
import {
  INSTANCE_NAME,
  VersionConflictError,
  type ContextData,
  type InstanceStore,
  type InstanceStoreOptions,
  type StateBackend,
  type VersionedContext,
} from './instance-store.js';
import { acquireRedisLock } from './redis-lock.js';
import type { RedisConnection } from './redis-connection.js';
import {
  isSealed,
  STATE_KEY_VARIABLE,
  StateKeyMismatchError,
  type StateCipher,
} from './state-cipher.js';

export const KEY_PREFIX = 'msgraph-user';

export const contextKey = (instanceId: string): string => `${KEY_PREFIX}:${instanceId}:context`;
export const lockKey = (instanceId: string): string => `${KEY_PREFIX}:${instanceId}:lock`;

export interface RedisBackendOptions {
  /** Seals every value (MSGRAPH_USER_STATE_KEY); without it Redis holds plain JSON. */
  cipher?: StateCipher;
  /** Lock time to live, in ms (default 30 s; the holder extends it while it works). */
  lockTtlMs?: number;
  /** How long to wait for the instance's lock, in ms (default 60 s, as the folder's lock). */
  lockWaitMs?: number;
  /** Times lock waits and extensions (default: the system clock). */
  clock?: Clock;
  /** Whether the connection is this backend's to close (not when the caller shares it). */
  ownsConnection?: boolean;
  /**
   * Read plain values though a key is set (the source of a migration that encrypts); normally a
   * plain value where sealed ones are expected is refused as not matching the key.
   */
  acceptPlain?: boolean;
}

/** Writes `data` as version `expected + 1` if the stored version is `expected`; else the version found. */
const COMPARE_AND_SET = `
local found = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if found ~= tonumber(ARGV[1]) then return {0, found} end
redis.call('HSET', KEYS[1], 'version', found + 1, 'data', ARGV[2])
return {1, found + 1}`;

/** Attempts of a write whose version moved meanwhile (only a lost lock or a racing `set` does that). */
const WRITE_ATTEMPTS = 5;

const isPlainObject = (value: unknown): value is ContextData =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export class RedisInstanceStore implements InstanceStore {
  readonly key: string;
  readonly lockKey: string;

  constructor(
    private readonly connection: RedisConnection,
    readonly instanceId: string,
    private readonly options: RedisBackendOptions = {},
    private readonly warn: (message: string) => void = () => undefined,
  ) {
    this.key = contextKey(instanceId);
    this.lockKey = lockKey(instanceId);
  }

  async get(): Promise<VersionedContext> {
    const stored = await this.connection.use(`read the state of instance ${this.instanceId}`, (c) =>
      c.hmGet(this.key, ['version', 'data']),
    );
    const [version, data] = stored as (string | null)[];
    if (data === null || data === undefined) return { context: {}, version: Number(version ?? 0) };
    return { context: this.decode(data, Number(version)), version: Number(version) };
  }

  async set(context: ContextData, version = -1): Promise<number> {
    if (version >= 0) return this.write(context, version);
    // Unversioned: still never over a value this process cannot read (a wrong key, say).
    for (let attempt = 1; ; attempt++) {
      const current = await this.get();
      try {
        return await this.write(context, current.version);
      } catch (err) {
        if (!(err instanceof VersionConflictError) || attempt >= WRITE_ATTEMPTS) throw err;
      }
    }
  }

  async update(
    mutate: (context: ContextData) => ContextData | Promise<ContextData>,
  ): Promise<VersionedContext> {
    return this.withLock(async () => {
      for (let attempt = 1; ; attempt++) {
        const current = await this.get();
        const next = await mutate(current.context);
        try {
          return { context: next, version: await this.write(next, current.version) };
        } catch (err) {
          if (!(err instanceof VersionConflictError) || attempt >= WRITE_ATTEMPTS) throw err;
          this.warn(
            `The state of instance ${this.instanceId} changed while this process held its lock; the update was redone on the new version.`,
          );
        }
      }
    });
  }

  async clear(): Promise<number> {
    return this.set({});
  }

  async withLock<T>(fn: () => Promise<T>): Promise<T> {
    const release = await acquireRedisLock(this.connection, this.lockKey, {
      ttlMs: this.options.lockTtlMs ?? 30_000,
      waitMs: this.options.lockWaitMs ?? 60_000,
      clock: this.options.clock ?? systemClock,
      warn: this.warn,
    });
    try {
      return await fn();
    } finally {
      await release();
    }
  }

  /** Compare-and-set of version `expected + 1`. */
  private async write(context: ContextData, expected: number): Promise<number> {
    const next = expected + 1;
    const json = JSON.stringify(context);
    const data = this.options.cipher ? this.options.cipher.seal(json, this.aad(next)) : json;
    const reply = (await this.connection.use(
      `write the state of instance ${this.instanceId}`,
      (c) => c.eval(COMPARE_AND_SET, { keys: [this.key], arguments: [String(expected), data] }),
    )) as [number, number];
    if (reply[0] !== 1) throw new VersionConflictError(expected, Number(reply[1]));
    return Number(reply[1]);
  }

  /** What a sealed value is bound to: its key and its version (no copy, no rollback). */
  private aad(version: number): string {
    return `${this.key}\n${version}`;
  }

  private decode(data: string, version: number): ContextData {
    let json = data;
    const { cipher } = this.options;
    if (isSealed(data)) {
      if (!cipher) {
        throw new StateKeyMismatchError(
          `The state of instance ${this.instanceId} on ${this.connection.target.display} is encrypted; set ${STATE_KEY_VARIABLE} to the key it was written with.`,
        );
      }
      try {
        json = cipher.open(data, this.aad(version));
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        throw new StateKeyMismatchError(
          `Cannot read the state of instance ${this.instanceId} on ${this.connection.target.display}: ${err.message} Nothing was changed.`,
        );
      }
    } else if (cipher && !this.options.acceptPlain) {
      throw new StateKeyMismatchError(
        `The state of instance ${this.instanceId} on ${this.connection.target.display} is not encrypted, but ${STATE_KEY_VARIABLE} is set: the key does not match. Unset it, or encrypt the state by migrating it (msgraph-user state migrate).`,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      parsed = undefined;
    }
    if (!isPlainObject(parsed)) {
      throw new UserError(
        `The state of instance ${this.instanceId} on ${this.connection.target.display} (${this.key}) is not msgraph-user state; remove the key or point --state elsewhere.`,
      );
    }
    return parsed;
  }
}

const CONTEXT_PATTERN = `${KEY_PREFIX}:*:context`;

/** State on Redis; its connection is there for other shared state (the engine's throttle gate). */
export interface RedisStateBackend extends StateBackend {
  readonly kind: 'redis';
  readonly connection: RedisConnection;
  store(instanceId: string, options?: InstanceStoreOptions): RedisInstanceStore;
}

export function redisBackend(
  connection: RedisConnection,
  options: RedisBackendOptions = {},
): RedisStateBackend {
  return {
    kind: 'redis',
    connection,
    describe: connection.target.display,
    store: (instanceId, storeOptions = {}) =>
      new RedisInstanceStore(connection, instanceId, options, storeOptions.warn),
    async instances() {
      const names = new Set<string>();
      await connection.use('list the instances', async (client) => {
        let cursor = '0';
        do {
          const page = await client.scan(cursor, { MATCH: CONTEXT_PATTERN, COUNT: 500 });
          cursor = String(page.cursor);
          for (const key of page.keys) {
            const name = String(key).slice(KEY_PREFIX.length + 1, -':context'.length);
            // A key some other program made that no instance could have (`a:b`, `../x`).
            if (INSTANCE_NAME.test(name)) names.add(name);
          }
        } while (cursor !== '0');
      });
      return [...names].sort();
    },
    close: async () => {
      if (options.ownsConnection ?? true) await connection.close();
    },
  };
}
