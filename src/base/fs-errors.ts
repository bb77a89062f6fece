/**
 * File-system failures as user errors: what went wrong with which path, in one line. A missing
 * permission, a full disk or a file where a folder should be is something the user can fix, so it
 * must never read as a bug ("unexpected error ... please report it").
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from './errors.js';

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted (is the file immutable, or owned by another user?)',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of its path is a file, not a directory',
  ENOTEMPTY: 'it is a directory that is not empty',
  EEXIST: 'something else already has that name',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exhausted',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'too many symbolic links in its path',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  EIO: 'input/output error',
  EBUSY: 'the file is busy',
  ETXTBSY: 'the file is busy',
  EXDEV: 'it is on another device',
};

export interface FileSystemErrorLike {
  code: string;
  path?: string;
  dest?: string;
}

/** Whether `error` is a Node file-system error (an errno code and the syscall that failed). */
export function isFileSystemError(error: unknown): error is Error & FileSystemErrorLike {
  if (!(error instanceof Error)) return false;
  const { code, syscall } = error as { code?: unknown; syscall?: unknown };
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) && typeof syscall === 'string';
}

/** The reason for an errno code, in words ("permission denied"); the code itself if unknown. */
export const fileSystemReason = (code: string): string => REASONS[code] ?? code;

/** A failed file operation, in one line: what was being done, where, and why. */
export class FileSystemError extends UserError {
  constructor(
    readonly code: string,
    readonly path: string,
    action: string,
    reason: string = fileSystemReason(code),
  ) {
    super(`Cannot ${action} ${path}: ${reason}.`);
  }
}

/** For ENOTDIR: the file in `path` that stands where a directory should be, if it can be found. */
function fileInTheWay(path: string): string | undefined {
  for (let current = dirname(resolve(path)); ; current = dirname(current)) {
    try {
      return statSync(current).isDirectory() ? undefined : current;
    } catch {
      if (dirname(current) === current) return undefined;
    }
  }
}

/**
 * `error` as a FileSystemError when it is one, otherwise unchanged (programming errors keep their
 * stack for the bug report). It names the path the system reported, or `path` with `exactPath`
 * (when the reported one is an implementation detail such as a temporary file); for a file where
 * a directory should be, it names that file.
 */
export function describeFileSystemError(
  error: unknown,
  action: string,
  path: string,
  exactPath = false,
): unknown {
  if (error instanceof UserError || !isFileSystemError(error)) return error;
  const named = exactPath ? path : (error.path ?? path);
  const culprit = error.code === 'ENOTDIR' ? fileInTheWay(named) : undefined;
  if (culprit) {
    return new FileSystemError(error.code, named, action, `${culprit} is a file, not a directory`);
  }
  return new FileSystemError(error.code, named, action);
}
