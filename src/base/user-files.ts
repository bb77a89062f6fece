/**
 * Reading a file the user named (a params file, a playbook, a recording): any failure is a usage
 * error that says which file and why, never a stack trace.
 */
import { readFile } from 'node:fs/promises';
import { UsageError } from './errors.js';

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a folder in its path is a file',
};

/**
 * The file's text. `what` names it in messages ("the params file"); `missing` replaces the
 * message when the file does not exist (e.g. to say how to create it).
 */
export async function readUserFile(file: string, what: string, missing?: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unknown error';
    if (code === 'ENOENT' && missing) throw new UsageError(missing);
    throw new UsageError(`Cannot read ${what} ${file}: ${REASONS[code] ?? code}.`);
  }
}
