/**
 * Creating the folders state lives in (the state dir, an instance's folder, its files folder),
 * private to the user, with a one-line error naming the path when that is impossible.
 *
 * One level at a time instead of `mkdir -p`: Node 20's recursive mkdir loops forever where the
 * file system refuses to create a folder under an existing one (under /proc, for one), and it
 * reports a file in the way with the path it was asked for, not the file that is in the way.
 */
import { mkdir, stat } from './fs-async.js';
import { dirname, resolve } from 'node:path';
import { UsageError } from './errors.js';
import { describeFileSystemError, FileSystemError } from './fs-errors.js';

export const PRIVATE_DIR_MODE = 0o700;

/** Refuses a state dir that names no folder (`--state-dir ""` would write into ./instances). */
export function checkStateDir(stateDir: string): string {
  if (stateDir.trim() === '') {
    throw new UsageError(
      'The state directory (--state-dir, MSGRAPH_USER_STATE_DIR or stateDir) is empty: name a folder, or leave it out to use ~/.msgraph-user.',
    );
  }
  return stateDir;
}

/** The folders missing above `dir`, outermost first, up to its nearest existing ancestor. */
async function missingFolders(dir: string): Promise<string[]> {
  const missing: string[] = [];
  let current = resolve(dir);
  for (;;) {
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(current)).isDirectory();
    } catch (error) {
      const parent = dirname(current);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === current) {
        throw describeFileSystemError(error, 'use the directory', current);
      }
      missing.push(current);
      current = parent;
      continue;
    }
    if (!isDirectory) {
      throw new FileSystemError('ENOTDIR', current, 'use', 'it is a file, not a directory');
    }
    return missing.reverse();
  }
}

/** Creates `dir` (and its missing parents) with mode 0700; fine if it already exists. */
export async function makePrivateDir(dir: string): Promise<void> {
  for (const folder of await missingFolders(dir)) {
    try {
      await mkdir(folder, { mode: PRIVATE_DIR_MODE });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && (await stat(folder).catch(() => undefined))?.isDirectory()) continue;
      // ENOENT although the parent exists: a file system that allows no folders there.
      if (code === 'ENOENT') {
        throw new FileSystemError(
          code,
          folder,
          'create the directory',
          'the file system does not allow a directory there',
        );
      }
      throw describeFileSystemError(error, 'create the directory', folder);
    }
  }
}
