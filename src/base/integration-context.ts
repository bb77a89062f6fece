/**
 * The integration context: a per-instance JSON object that survives between commands (tokens,
 * refresh tokens, backoff state), like XSOAR's get/setIntegrationContextVersioned.
 *
 * Durability and concurrency: the file is replaced atomically (temp file + rename), so a reader
 * never sees a torn write and needs no lock; writers serialise on a cross-process lock, and
 * `update` holds it across read-modify-write so concurrent commands never lose an update.
 * The file holds tokens, so it and its directory are private to the user (0600 / 0700).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { close, fsync, open, rename, unlink, writeFile } from './fs-async.js';
import { join } from 'node:path';
import { systemClock, type Clock } from './clock.js';
import { UserError } from './errors.js';
import { describeFileSystemError } from './fs-errors.js';
import { makePrivateDir } from './private-dir.js';

export type ContextData = Record<string, unknown>;

export interface VersionedContext {
  context: ContextData;
  version: number;
}

/** `set` with a version that is no longer current (another process wrote first). */
export class VersionConflictError extends Error {
  constructor(
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`Integration context version conflict: expected version ${expected}, found ${actual}.`);
  }
}

export interface LockOptions {
  /** Names quarantined files (default: the system clock). */
  clock?: Clock;
  /** How long to wait for the lock before failing, in ms. */
  waitMs?: number;
  /** A lock whose holder stopped refreshing it for this long is taken over, in ms. */
  staleMs?: number;
  /**
   * Times the wait for the lock (default: the system clock). Not `clock`: the lock is shared with
   * other processes, which a scaled or replayed clock knows nothing of. Tests pass a fake.
   */
  waitClock?: Clock;
  /**
   * Only read (a migration's source): a damaged file is reported, not moved aside, and nothing
   * is ever written.
   */
  readOnly?: boolean;
}

const FILE_MODE = 0o600;

const isPlainObject = (value: unknown): value is ContextData =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export class IntegrationContextStore {
  readonly file: string;
  private readonly lockPath: string;
  private cached: { key: string; value: VersionedContext } | undefined;

  constructor(
    readonly dir: string,
    private readonly lockOptions: LockOptions = {},
    private readonly warn: (message: string) => void = () => {},
  ) {
    this.file = join(dir, 'context.json');
    this.lockPath = join(dir, 'context.lock');
  }

  async get(): Promise<VersionedContext> {
    // The file is replaced by rename, so (inode, size, mtime) names its content: while they are
    // unchanged, the last parse is reused (a copy, so callers may mutate it) and one stat()
    // replaces open/fstat/read/close and JSON.parse on every command.
    let key: string;
    try {
      const st = statSync(this.file, { bigint: true });
      key = `${st.ino}:${st.size}:${st.mtimeNs}`;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { context: {}, version: 0 };
      throw describeFileSystemError(err, 'read the integration context', this.file);
    }
    if (this.cached?.key !== key) {
      const parsed = await this.read();
      // A damaged file is only moved aside under the lock, so no writer races the quarantine.
      if (parsed === 'corrupt') {
        if (this.lockOptions.readOnly) {
          throw new UserError(
            `The integration context ${this.file} is unreadable (not msgraph-user state); it was left as it is.`,
          );
        }
        return this.withLock(() => this.readForWrite());
      }
      this.cached = { key, value: parsed };
    }
    const { context, version } = this.cached.value;
    return { context: structuredClone(context), version };
  }

  /** Replaces the context. With `version >= 0`, fails if another writer got there first. */
  async set(context: ContextData, version = -1): Promise<number> {
    return this.withLock(async () => {
      const current = await this.readForWrite();
      if (version >= 0 && version !== current.version) {
        throw new VersionConflictError(version, current.version);
      }
      return this.write(context, current.version + 1);
    });
  }

  /** Read-modify-write under the lock; `mutate` may do slow work (a token refresh). */
  async update(
    mutate: (context: ContextData) => ContextData | Promise<ContextData>,
  ): Promise<VersionedContext> {
    return this.withLock(async () => {
      const current = await this.readForWrite();
      const next = await mutate(structuredClone(current.context));
      const version = await this.write(next, current.version + 1);
      return { context: next, version };
    });
  }

  async clear(): Promise<number> {
    return this.set({});
  }

  /** Runs `fn` while holding the instance's cross-process lock. */
  async withLock<T>(fn: () => Promise<T>): Promise<T> {
    await makePrivateDir(this.dir);
    // Loaded on demand: commands that only read the context never pay for it.
    const { acquireFileLock } = await import('./file-lock.js');
    const release = await acquireFileLock({
      lockPath: this.lockPath,
      waitMs: this.lockOptions.waitMs ?? 60_000,
      staleMs: this.lockOptions.staleMs ?? 10_000,
      clock: this.lockOptions.waitClock ?? systemClock,
      onCompromised: (err: Error) =>
        this.warn(`The integration context lock was lost: ${err.message}`),
    });
    try {
      return await fn();
    } finally {
      await release().catch(() => undefined);
    }
  }

  private async read(): Promise<VersionedContext | 'corrupt'> {
    let text: string;
    try {
      // Synchronous: a few kilobytes of local state, read at every command's start, where a
      // round trip through Node's thread pool costs more than the read (writes stay async).
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { context: {}, version: 0 };
      throw describeFileSystemError(err, 'read the integration context', this.file);
    }
    try {
      const data: unknown = JSON.parse(text);
      if (isPlainObject(data) && isPlainObject(data.context) && typeof data.version === 'number') {
        return { context: data.context, version: data.version };
      }
    } catch {
      // fall through
    }
    return 'corrupt';
  }

  private async readForWrite(): Promise<VersionedContext> {
    const current = await this.read();
    if (current !== 'corrupt') return current;
    const quarantine = `${this.file}.corrupt-${(this.lockOptions.clock ?? systemClock).now()}`;
    await rename(this.file, quarantine).catch((err: unknown) => {
      throw describeFileSystemError(err, 'move aside the damaged integration context', this.file);
    });
    this.warn(`The integration context file was unreadable; it was moved to ${quarantine}.`);
    return { context: {}, version: 0 };
  }

  private async write(context: ContextData, version: number): Promise<number> {
    await makePrivateDir(this.dir);
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      const fd = await open(tmp, 'w', FILE_MODE);
      try {
        await writeFile(fd, JSON.stringify({ version, context }));
        await fsync(fd);
      } finally {
        await close(fd);
      }
      await rename(tmp, this.file);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      // Named after the file the user knows, whichever step (temporary file, rename) failed.
      throw describeFileSystemError(err, 'write the integration context', this.file, true);
    }
    return version;
  }
}
