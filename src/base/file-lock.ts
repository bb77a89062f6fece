/**
 * The cross-process lock of an instance's integration context, in its own module so it loads
 * only when a command writes the context.
 *
 * proper-lockfile makes the lock (a directory, created atomically, its mtime refreshed while it is
 * held). Around it:
 *  - one deadline for the whole wait, so "wait 60 s" means 60 s (its own retry count, backing off,
 *    does not translate into a duration);
 *  - the holder's process id beside the lock, so a lock whose holder was killed on this host is
 *    taken over at once;
 *  - staleness judged by watching, not by comparing clocks: a lock is stale when the waiter has
 *    seen its mtime stay the same for `staleMs` of its own waiting. proper-lockfile compares the
 *    lock's mtime with this process's clock, so a clock ahead of the file system's (an NFS
 *    server's, a host whose time jumped) made every live holder's lock look stale and lost
 *    updates; here only durations on the waiter's side and the equality of mtimes count;
 *  - a one-line error for what is not a lock we made (a file in its place), instead of retrying.
 */
import { randomBytes } from 'node:crypto';
import { lstat, readFile, rmdir, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { lock } from 'proper-lockfile';
import type { Clock } from './clock.js';
import { UserError } from './errors.js';
import { describeFileSystemError, FileSystemError } from './fs-errors.js';

export interface FileLockOptions {
  /** The lock's path (a directory while held). */
  lockPath: string;
  /** How long to wait for a lock another process holds, in ms. */
  waitMs: number;
  /** A lock left unrefreshed this long (holder on another host, or unknown) is taken over, in ms. */
  staleMs: number;
  onCompromised: (error: Error) => void;
  /** Times the wait (tests pass a fake to check the bound without waiting). */
  clock: Clock;
}

/** The lock is still held by another process when the wait ends. */
export class LockBusyError extends UserError {
  readonly code = 'ELOCKED';
}

interface Owner {
  pid: number;
  host: string;
  /** Tells this holding apart from an earlier one by a process with the same id. */
  nonce: string;
}

const ownerPath = (lockPath: string) => `${lockPath}.owner`;

async function readOwner(lockPath: string): Promise<Owner | undefined> {
  try {
    const owner = JSON.parse(await readFile(ownerPath(lockPath), 'utf8')) as Partial<Owner>;
    if (typeof owner.pid === 'number' && typeof owner.host === 'string') return owner as Owner;
  } catch {
    // No owner written (yet, or any more): only the lock's age can tell.
  }
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** Removes the lock of a holder that died on this host; false when it is not (or no longer) so. */
async function takeOverFromDeadHolder(lockPath: string): Promise<boolean> {
  const owner = await readOwner(lockPath);
  if (!owner || owner.host !== hostname() || owner.pid === process.pid || isAlive(owner.pid)) {
    return false;
  }
  // Re-read right before removing: another waiter may have taken over and locked meanwhile.
  const again = await readOwner(lockPath);
  if (again?.nonce !== owner.nonce) return false;
  await unlink(ownerPath(lockPath)).catch(() => undefined);
  await rmdir(lockPath).catch(() => undefined);
  return true;
}

/** Refuses a lock path that holds something other than a lock this program makes. */
async function checkNotForeign(lockPath: string): Promise<void> {
  const info = await lstat(lockPath).catch(() => undefined);
  if (info && !info.isDirectory()) {
    throw new FileSystemError(
      'EEXIST',
      lockPath,
      'lock the integration context',
      'a file is in the way of the lock (msgraph-user locks with a directory); remove it',
    );
  }
}

/** A staleness proper-lockfile never reaches, whatever the clocks say: it never judges itself. */
const NEVER_STALE = Number.MAX_SAFE_INTEGER;

async function tryLock(options: FileLockOptions): Promise<() => Promise<void>> {
  const { lockPath } = options;
  const release = await lock(lockPath, {
    lockfilePath: lockPath,
    realpath: false,
    stale: NEVER_STALE,
    // The holder touches the lock this often; a waiter that sees no touch for staleMs takes over.
    update: Math.max(1_000, Math.floor(options.staleMs / 4)),
    retries: 0,
    onCompromised: options.onCompromised,
  });
  const owner: Owner = {
    pid: process.pid,
    host: hostname(),
    nonce: randomBytes(8).toString('hex'),
  };
  await writeFile(ownerPath(lockPath), JSON.stringify(owner), { mode: 0o600 }).catch(
    () => undefined,
  );
  return async () => {
    // The owner goes first: a lock without one is judged by age, never taken for a dead holder's.
    await unlink(ownerPath(lockPath)).catch(() => undefined);
    await release();
  };
}

/** What a waiter last saw of the lock, and since when (on its own clock). */
interface Sighting {
  mtimeMs: number;
  nonce: string | undefined;
  since: number;
}

/**
 * True when the lock has looked exactly the same (mtime and holder) for `staleMs` of this waiter's
 * time: its holder stopped refreshing it (killed on another host, frozen). Updates `seen`.
 */
async function unrefreshedFor(
  options: FileLockOptions,
  seen: { last?: Sighting },
): Promise<boolean> {
  const info = await lstat(options.lockPath).catch(() => undefined);
  if (!info) return false;
  const owner = await readOwner(options.lockPath);
  // A holder alive on this host is asked, not judged: it may be slow, but it is not gone.
  if (owner && owner.host === hostname() && isAlive(owner.pid)) {
    seen.last = undefined;
    return false;
  }
  const nonce = owner?.nonce;
  const now = options.clock.now();
  const last = seen.last;
  if (!last || last.mtimeMs !== info.mtimeMs || last.nonce !== nonce) {
    seen.last = { mtimeMs: info.mtimeMs, nonce, since: now };
    return false;
  }
  return now - last.since >= options.staleMs;
}

/** Removes a lock judged stale, unless it changed hands meanwhile. */
async function takeOverStale(lockPath: string, seen: { last?: Sighting }): Promise<void> {
  const owner = await readOwner(lockPath);
  if (owner?.nonce !== seen.last?.nonce) return;
  await unlink(ownerPath(lockPath)).catch(() => undefined);
  await rmdir(lockPath).catch(() => undefined);
  seen.last = undefined;
}

/** Acquires the lock within `waitMs`; resolves to its release. */
export async function acquireFileLock(options: FileLockOptions): Promise<() => Promise<void>> {
  const { clock } = options;
  const deadline = clock.now() + options.waitMs;
  const seen: { last?: Sighting } = {};
  let pause = 5;
  for (;;) {
    await checkNotForeign(options.lockPath);
    try {
      return await tryLock(options);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'ENOTDIR') {
        throw new FileSystemError(
          code,
          options.lockPath,
          'lock the integration context',
          'something that is not a lock msgraph-user made is in the way; remove it',
        );
      }
      // ENOENT: the lock went away between proper-lockfile's look and its check; look again
      // (unless what went away is the folder the lock lives in).
      const vanished =
        code === 'ENOENT' && (await lstat(dirname(options.lockPath)).catch(() => false));
      if (code !== 'ELOCKED' && !vanished) {
        throw describeFileSystemError(error, 'lock', options.lockPath);
      }
    }
    if (await takeOverFromDeadHolder(options.lockPath)) continue;
    if (await unrefreshedFor(options, seen)) {
      await takeOverStale(options.lockPath, seen);
      continue;
    }
    const left = deadline - clock.now();
    if (left <= 0) throw await busy(options);
    await clock.sleep(Math.min(left, Math.round(pause + Math.random() * pause)));
    pause = Math.min(pause * 1.5, 100);
  }
}

async function busy(options: FileLockOptions): Promise<LockBusyError> {
  const owner = await readOwner(options.lockPath);
  const holder = owner
    ? `process ${owner.pid}${owner.host === hostname() ? '' : ` on ${owner.host}`}`
    : 'another process';
  return new LockBusyError(
    `Timed out after ${Math.round(options.waitMs / 1000)} s waiting for the integration context lock ${options.lockPath}, held by ${holder} (another msgraph-user command for this instance).`,
  );
}
