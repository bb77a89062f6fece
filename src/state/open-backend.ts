/**
 * Opens the state backend a location names: a `redis://` or `rediss://` URL (a shared server),
 * anything else a folder on this machine.
 */
import type { Clock } from '../base/clock.js';
import type { StateBackend } from './instance-store.js';
import { directoryBackend } from './directory-backend.js';
import type { RedisStateBackend } from './redis-backend.js';
import type { RedisConnectionOptions } from './redis-connection.js';

export interface OpenStateOptions {
  /** Where the location came from, for messages (`--state`, `MSGRAPH_USER_STATE`; default `state`). */
  origin?: string;
  /** MSGRAPH_USER_STATE_KEY's text: encrypts what Redis holds. Not used for a folder. */
  key?: string;
  /** Where the key came from, for messages (default MSGRAPH_USER_STATE_KEY). */
  keyOrigin?: string;
  /** Times lock waits; names a damaged file's quarantine (default: the system clock). */
  clock?: Clock;
  connection?: RedisConnectionOptions;
  /** Redis lock TTL and wait, in ms (tests shorten them). */
  lockTtlMs?: number;
  lockWaitMs?: number;
  /**
   * Open a migration's source: Redis values are read whether encrypted or not (a key being set),
   * and a damaged file in a folder is reported instead of moved aside.
   */
  asSource?: boolean;
}

export const isRedisLocation = (location: string): boolean => /^rediss?:\/\//i.test(location);

/** Opens Redis (a bounded connect; a clear error naming the URL without its password). */
export async function openRedisBackend(
  url: string,
  options: OpenStateOptions = {},
): Promise<RedisStateBackend> {
  // Loaded only for Redis: a command on a folder never loads the client.
  const { parseRedisUrl, connectRedis } = await import('./redis-connection.js');
  const { parseStateKey, stateCipher } = await import('./state-cipher.js');
  const { redisBackend } = await import('./redis-backend.js');
  const target = parseRedisUrl(url, options.origin ?? 'state');
  // The key is checked before connecting: a bad key is a usage error whether or not Redis is up.
  const cipher =
    options.key !== undefined && options.key !== ''
      ? stateCipher(parseStateKey(options.key, options.keyOrigin))
      : undefined;
  const connection = await connectRedis(target, options.connection);
  return redisBackend(connection, {
    cipher,
    clock: options.clock,
    lockTtlMs: options.lockTtlMs,
    lockWaitMs: options.lockWaitMs,
    acceptPlain: options.asSource,
  });
}

/** A Redis URL opens Redis; any other location is a state folder. */
export async function openStateBackend(
  location: string,
  options: OpenStateOptions = {},
): Promise<StateBackend> {
  if (isRedisLocation(location)) return openRedisBackend(location, options);
  return directoryBackend(location, { clock: options.clock, readOnly: options.asSource });
}
