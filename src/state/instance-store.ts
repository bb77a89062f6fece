/**
 * Where instances keep their state, as one contract with two homes: a folder on this machine
 * (the default) or a Redis server that many processes on many hosts share.
 *
 * Every write makes a new version; a versioned `set` fails when another writer got there first,
 * and `update` runs its read-modify-write while holding the instance's lock, so the slow work it
 * may do (a token request) is done once however many processes want it at the same moment.
 */
import type { ContextData, VersionedContext } from '../base/integration-context.js';

export type { ContextData, VersionedContext } from '../base/integration-context.js';
export { VersionConflictError } from '../base/integration-context.js';

/**
 * What an instance may be called: it names a folder and a part of a Redis key, so no path
 * separator, no `..`, no `:` and no glob character.
 */
export const INSTANCE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** One instance's state: the integration context (tokens, MSAL cache, backoff, MFA secrets). */
export interface InstanceStore {
  /** The current context and its version (`{}` at version 0 when nothing was ever written). */
  get(): Promise<VersionedContext>;
  /** Replaces the context; with `version >= 0`, throws VersionConflictError unless it is current. */
  set(context: ContextData, version?: number): Promise<number>;
  /** Read-modify-write under the instance's lock; no concurrent update is ever lost. */
  update(
    mutate: (context: ContextData) => ContextData | Promise<ContextData>,
  ): Promise<VersionedContext>;
  /** Empties the context (a new version). */
  clear(): Promise<number>;
  /** Runs `fn` while holding the instance's lock, which every process sharing the state honours. */
  withLock<T>(fn: () => Promise<T>): Promise<T>;
}

export interface InstanceStoreOptions {
  /** Told about trouble that does not stop the command (a lock lost while held, a damaged file). */
  warn?: (message: string) => void;
}

/**
 * An open home for instance state. One is opened per process (the CLI per command, the engine
 * once for all its instances) and closed when the process is done with it.
 */
export interface StateBackend {
  readonly kind: 'directory' | 'redis';
  /** Where the state is, for messages: a folder, or the Redis URL without its password. */
  readonly describe: string;
  store(instanceId: string, options?: InstanceStoreOptions): InstanceStore;
  /** The instances that have state here, sorted by name. */
  instances(): Promise<string[]>;
  /** Releases the connection (Redis); safe to call twice. */
  close(): Promise<void>;
}
