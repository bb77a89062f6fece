/**
 * `msgraph-user serve` as a real process, for the tests that need one (or several): started on a
 * free loopback port with an API key, its output kept, its exit awaited. A guard kills it if a
 * test forgets it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { BIN } from '../e2e/support.js';
import { processEssentials } from '../reliability/support.js';

export const KEY = 'serve-test-key-0123456789';

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

/** Starts `msgraph-user serve ARGS` and waits for the line that says where it listens. */
export async function startServe(
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd?: string,
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--listen', '127.0.0.1:0', ...args], {
    cwd,
    env: { ...processEssentials(), MSGRAPH_USER_API_KEYS: KEY, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = once(child, 'exit').then(([code]) => {
    clearTimeout(guard);
    return code as number | null;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const look = () => {
      const found = / listening on (\S+) /.exec(out);
      if (found) resolve(found[1]!);
    };
    child.stdout!.on('data', look);
    void exited.then((code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
  return { child, url, stdout: () => out, stderr: () => err, exited };
}
