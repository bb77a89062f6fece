/**
 * Reading a file the user named (a params file, a playbook, a recording): any failure is a usage
 * error that says which file and why, never a stack trace, and no read waits or grows unbounded.
 *
 * A named pipe is read too (`--params <(vault read …)` keeps a secret off the disk), but opened
 * without blocking: opening a FIFO that nothing writes to would otherwise wait forever.
 */
import { constants, open, readFileSync, statSync } from 'node:fs';
import { Socket } from 'node:net';
import { promisify } from 'node:util';
import { UsageError } from './errors.js';
import { fileSystemReason } from './fs-errors.js';

/** Larger files are refused: no params file, playbook or recording comes near it. */
export const MAX_USER_FILE_BYTES = 16 * 1024 * 1024;
/** How long a named pipe may take to deliver its content. */
export const PIPE_WAIT_MS = 10_000;

export interface ReadUserFileOptions {
  /** Replaces the message when the file does not exist (e.g. to say how to create it). */
  missing?: string;
  /** Overrides PIPE_WAIT_MS (tests). */
  pipeWaitMs?: number;
}

const cannotRead = (what: string, file: string, why: string) =>
  new UsageError(`Cannot read ${what} ${file}: ${why}.`);

const tooLarge = `it is larger than ${MAX_USER_FILE_BYTES / 1024 / 1024} MB`;

/** A named pipe's content, as long as it arrives within `waitMs` and stays within the limit. */
async function readPipe(file: string, what: string, waitMs: number): Promise<string> {
  // A bare descriptor, not a FileHandle: the socket owns it and closes it.
  const fd = await promisify(open)(file, constants.O_RDONLY | constants.O_NONBLOCK);
  const pipe = new Socket({ fd, readable: true, writable: false });
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (why: string) => {
      pipe.destroy();
      reject(cannotRead(what, file, why));
    };
    const timer = setTimeout(
      () => fail(`it is a named pipe and nothing was written to it within ${waitMs / 1000} s`),
      waitMs,
    );
    pipe.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_USER_FILE_BYTES) fail(tooLarge);
      else chunks.push(chunk);
    });
    pipe.on('error', (error: NodeJS.ErrnoException) => fail(fileSystemReason(error.code ?? '')));
    pipe.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    pipe.on('close', () => clearTimeout(timer));
  });
}

/** The file's text, or a UsageError naming it (`what`: "the params file") and saying why not. */
export async function readUserFile(
  file: string,
  what: string,
  options: ReadUserFileOptions = {},
): Promise<string> {
  try {
    // Synchronous for a file (it is small, local and read once): a command's start-up then
    // waits for no round trip through Node's thread pool, which on a busy machine costs more
    // than the read.
    const info = statSync(file);
    if (info.isFIFO()) return await readPipe(file, what, options.pipeWaitMs ?? PIPE_WAIT_MS);
    if (info.isDirectory()) throw cannotRead(what, file, fileSystemReason('EISDIR'));
    if (!info.isFile()) throw cannotRead(what, file, 'it is a device or socket, not a file');
    if (info.size > MAX_USER_FILE_BYTES) throw cannotRead(what, file, tooLarge);
    return readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? 'unknown error';
    if (code === 'ENOENT' && options.missing) throw new UsageError(options.missing);
    throw cannotRead(what, file, fileSystemReason(code));
  }
}
