/**
 * Shared pieces of the reliability and safety suites: the CLI in process and as a real process
 * (both under the hang guard, hang-guard.ts), temporary directories, a silent TCP server, and
 * file and text scans.
 */
import { spawn } from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nock from 'nock';
import { stringify } from 'yaml';
import { main } from '../../src/cli/main.js';
import type { Logger } from '../../src/base/log.js';
import {
  hang,
  IN_PROCESS_DEADLINE_MS,
  judge,
  PROCESS_DEADLINE_MS,
  shownCommand,
  underDeadline,
  type CliResult,
} from './hang-guard.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI_BIN = join(REPO_ROOT, 'bin', 'msgraph-user.js');

export {
  figures,
  IN_PROCESS_DEADLINE_MS,
  judge,
  PROCESS_DEADLINE_MS,
  runtimeCase,
  STACK_LINE,
  underDeadline,
  type CliResult,
} from './hang-guard.js';

export interface InProcessOptions {
  /** Deadline of the hang guard (default IN_PROCESS_DEADLINE_MS). */
  deadlineMs?: number;
}

/** `msgraph-user ARGV` in this process (`main` from src/cli/main.ts), output captured. */
export async function runInProcess(
  argv: string[],
  env: NodeJS.ProcessEnv = {},
  options: InProcessOptions = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const started = performance.now();
  const what = `"${shownCommand(argv)}" (in process)`;
  const code = await underDeadline(
    what,
    main(argv, {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      env,
    }),
    options.deadlineMs ?? IN_PROCESS_DEADLINE_MS,
  );
  const result = { code, stdout, stderr, ms: performance.now() - started };
  judge(what, result);
  return result;
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  /** Deadline of the hang guard: the process is killed, and the case fails as a hang. */
  killAfterMs?: number;
  /** Where stdout goes: a pipe, captured (default); a pipe whose reader is gone; a descriptor. */
  stdout?: 'pipe' | 'closed' | number;
}

/**
 * The environment every child keeps: where programs and home are, the suite's temporary
 * directory, its code cache and default state dir (never the user's), and a clock library the run was started under (faketime), so the whole process
 * tree agrees on the time. Nothing that configures msgraph-user leaks in from the caller.
 */
export function processEssentials(): NodeJS.ProcessEnv {
  const kept = Object.entries(process.env).filter(
    ([name]) =>
      [
        'PATH',
        'HOME',
        'TMPDIR',
        'LD_PRELOAD',
        'MSGRAPH_USER_CACHE_DIR',
        'MSGRAPH_USER_STATE_DIR',
      ].includes(name) || name.startsWith('FAKETIME'),
  );
  return Object.fromEntries(kept);
}

/** `node bin/msgraph-user.js ARGV` as a real process (the built CLI in dist/). */
export function runCliProcess(argv: string[], options: SpawnOptions = {}): Promise<CliResult> {
  const started = performance.now();
  const what = `"${shownCommand(argv)}"`;
  const deadlineMs = options.killAfterMs ?? PROCESS_DEADLINE_MS;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...argv], {
      cwd: REPO_ROOT,
      env: { ...processEssentials(), ...options.env },
      stdio: ['ignore', typeof options.stdout === 'number' ? options.stdout : 'pipe', 'pipe'],
    });
    // As `| head -c 0`: the reader goes away before the CLI writes a byte.
    if (options.stdout === 'closed') child.stdout?.destroy();
    let stdout = '';
    let stderr = '';
    let hung = false;
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, deadlineMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (hung) {
        reject(hang(what, deadlineMs));
        return;
      }
      const result = {
        code: code ?? (signal ? 128 : -1),
        stdout,
        stderr,
        ms: performance.now() - started,
      };
      try {
        judge(what, result);
        resolve(result);
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** Temporary directories made by a suite, removed together at its end. */
export class TempDirs {
  private readonly dirs: string[] = [];

  async make(prefix: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), `msgraph-user-rel-${prefix}-`));
    this.dirs.push(dir);
    return dir;
  }

  async removeAll(): Promise<void> {
    await Promise.all(this.dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  }
}

export async function writeJson(file: string, value: unknown): Promise<string> {
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
  return file;
}

/** Every regular file under `dir`, recursively (a missing directory has none). */
export async function listFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const nested = await Promise.all(
    entries.map((e) =>
      e.isDirectory() ? listFiles(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]),
    ),
  );
  return nested.flat();
}

/** The non-empty lines of a text. */
export const lines = (text: string): string[] => text.split('\n').filter((l) => l.trim() !== '');

/** A logger that keeps every line (debug included), for retry counts and secret scans. */
export function keepingLogger(): Logger & { lines: string[] } {
  const kept: string[] = [];
  const keep = (level: string) => (message: string) => kept.push(`${level}: ${message}`);
  return {
    lines: kept,
    debug: keep('debug'),
    info: keep('info'),
    warn: keep('warn'),
    error: keep('error'),
  };
}

export interface SilentServer {
  url: string;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/**
 * A TCP server that accepts every connection and never sends a byte: an HTTPS client waits in
 * the TLS handshake forever unless its own timeout ends the attempt. Doubles as a tripwire that
 * counts connection attempts.
 */
export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `https://127.0.0.1:${port}`,
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Instance parameters of a Custom cloud whose identity and Graph endpoints are `url`. */
export const customCloudParams = (url: string, extra: Record<string, unknown> = {}) => ({
  azure_cloud: 'Custom',
  host: url,
  azure_ad_endpoint: url,
  self_deployed: true,
  creds_auth_id: { password: '0d4a3c52-1111-4aaa-8bbb-000000000001' },
  creds_tenant_id: { password: '0d4a3c52-2222-4aaa-8bbb-000000000002' },
  creds_enc_key: { password: 'rel-client-secret-value' },
  ...extra,
});

/** Turns nock's interception on or off; returns how to put it back the way it was. */
export function setInterception(on: boolean): () => void {
  const was = nock.isActive();
  if (on && !was) nock.activate();
  if (!on && was) nock.restore();
  syncBuiltinESMExports();
  return () => {
    if (nock.isActive() !== was) {
      if (was) nock.activate();
      else nock.restore();
    }
    syncBuiltinESMExports();
  };
}

/**
 * Mocha hooks that take nock's interception off for a suite that talks to real servers. nock
 * stays active after other suites; its pass-through sockets turn an aborted request into an
 * uncaught error (mswjs/interceptors#753), and only record mode should pay for them.
 */
export function withoutInterception(): void {
  let putBack: () => void = () => undefined;
  before(() => {
    putBack = setInterception(false);
  });
  after(() => putBack());
}

/** A command of a playbook step and its arguments (simple values). */
export type PlaybookStep = readonly [string, Record<string, string>];

/** A playbook that runs `steps` one after the other, as `msgraph-user playbook run` takes it. */
export function linearPlaybook(name: string, steps: readonly PlaybookStep[]): string {
  const tasks: Record<string, unknown> = {
    '0': { id: '0', type: 'start', task: {}, nexttasks: { '#none#': ['1'] } },
  };
  steps.forEach(([command, args], i) => {
    const id = String(i + 1);
    tasks[id] = {
      id,
      type: 'regular',
      task: { name: command, script: `|||${command}` },
      scriptarguments: Object.fromEntries(Object.entries(args).map(([k, v]) => [k, { simple: v }])),
      ...(i + 1 < steps.length ? { nexttasks: { '#none#': [String(i + 2)] } } : {}),
    };
  });
  return stringify({ id: name, name, starttaskid: '0', tasks });
}
