/**
 * The process's stdout and stderr, made safe for the CLI to write to whatever they are connected
 * to. A stream that fails emits 'error', and an unhandled one ends the process with a stack trace:
 *  - a closed pipe (`msgraph-user-list … | head`) is the reader saying it has enough: the rest of
 *    the output is dropped quietly, and the exit code stays what the command made it;
 *  - any other failure (ENOSPC on a full disk, EIO) loses output the user expected: one line on
 *    stderr says so, and the exit code is at least 1.
 */
import { fileSystemReason } from '../base/fs-errors.js';

interface ProcessStream {
  write(text: string): unknown;
  on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
  once?(event: 'drain', listener: () => void): unknown;
  isTTY?: boolean;
  columns?: number;
}

interface OutputStream {
  write(text: string): unknown;
  /** Calls `listener` when the stream can take more, or at once when it is broken. */
  once(event: 'drain', listener: () => void): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
  /** The stream failed (a closed pipe, a full disk): whatever is written now is dropped. */
  readonly closed: boolean;
}

export interface GuardedStdio {
  io: { stdout: OutputStream; stderr: OutputStream; env: NodeJS.ProcessEnv };
  /** The exit code to use: `code`, or 1 when output was lost to a failed write. */
  exitCode(code: number): number;
}

/** The reader went away: not a failure of ours. */
const isClosedPipe = (error: NodeJS.ErrnoException) =>
  error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED';

export function guardStdio(process: {
  stdout: ProcessStream;
  stderr: ProcessStream;
  env: NodeJS.ProcessEnv;
  exitCode?: number | string | null;
}): GuardedStdio {
  const broken = { stdout: false, stderr: false };
  let lostOutput = false;

  const guard = (name: 'stdout' | 'stderr'): OutputStream => {
    const stream = process[name];
    // A writer waiting for 'drain' (a streamed listing) must not wait for a stream that failed.
    const waiting = new Set<() => void>();
    stream.on('error', (error) => {
      if (broken[name]) return;
      broken[name] = true;
      for (const release of waiting) release();
      waiting.clear();
      if (isClosedPipe(error)) return;
      lostOutput = true;
      // The failure may surface after the command returned its exit code.
      if (!Number(process.exitCode)) process.exitCode = 1;
      const code = error.code ?? error.message;
      const words = fileSystemReason(code);
      const reason = words === code ? code : `${words} (${code})`;
      if (name === 'stdout' && !broken.stderr) {
        process.stderr.write(`msgraph-user: cannot write the output to stdout: ${reason}.\n`);
      }
    });
    return {
      write: (text: string) => (broken[name] ? false : stream.write(text)),
      once: (_event: 'drain', listener: () => void) => {
        if (broken[name] || !stream.once) return listener();
        const release = () => {
          if (waiting.delete(release)) listener();
        };
        waiting.add(release);
        stream.once!('drain', release);
      },
      get isTTY() {
        return stream.isTTY;
      },
      get columns() {
        return stream.columns;
      },
      get closed() {
        return broken[name];
      },
    };
  };

  return {
    io: { stdout: guard('stdout'), stderr: guard('stderr'), env: process.env },
    exitCode: (code) => (lostOutput && code === 0 ? 1 : code),
  };
}
