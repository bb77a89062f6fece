/**
 * The CLI in this process (`main`) against an in-process simulated tenant: params with "Trust any
 * certificate" (the process cannot add the simulator's CA after start), a private state dir, and
 * standard input and terminal facts a test chooses.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import { startSimulator, type Simulator } from '../../sim/index.js';

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
  /** Every write to stdout, in order (to see that a listing streams). */
  writes: string[];
}

export interface RunOptions {
  stdin?: CliIo['stdin'];
  stdoutTTY?: boolean;
  columns?: number;
  env?: NodeJS.ProcessEnv;
}

export class SimCli {
  readonly dir = mkdtempSync(join(tmpdir(), 'msgraph-user-cli-sim-'));
  private constructor(readonly sim: Simulator) {}

  static async start(users = 25): Promise<SimCli> {
    return new SimCli(await startSimulator({ users }));
  }

  /** A params file for client credentials against the simulator, with `extra` on top. */
  params(extra: Record<string, unknown> = {}, name = 'params'): string {
    const file = join(this.dir, `${name}.json`);
    const params = { ...this.sim.paramsFor('client-credentials'), insecure: true, ...extra };
    writeFileSync(file, JSON.stringify(params), { mode: 0o600 });
    return file;
  }

  upn(key: string): string {
    return this.sim.users[key]!.userPrincipalName;
  }

  async run(argv: string[], options: RunOptions = {}): Promise<Captured> {
    const out: Captured = { code: -1, stdout: '', stderr: '', writes: [] };
    out.code = await main(argv, {
      stdout: {
        write: (text: string) => {
          out.stdout += text;
          out.writes.push(text);
          return true;
        },
        isTTY: options.stdoutTTY,
        columns: options.columns,
      },
      stderr: { write: (text: string) => (out.stderr += text) },
      env: { MSGRAPH_USER_STATE_DIR: join(this.dir, 'state'), ...options.env },
      stdin: options.stdin,
    });
    return out;
  }

  async close(): Promise<void> {
    await this.sim.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Standard input that is a pipe holding `text`. */
export const pipedStdin = (text: string): CliIo['stdin'] => Readable.from([text]);

/** `main` in this process with `env` as its whole environment: exit code, stdout and stderr. */
export async function runMain(
  argv: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env,
  });
  return { code, stdout, stderr };
}
