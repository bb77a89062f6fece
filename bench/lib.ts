/**
 * Bench helpers: statistics, timed child processes, and the simulator child.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { SimAnswer, SimCall, SimReady } from './sim-process.js';
import type { JsonObject } from '../sim/types.js';

// ---------------------------------------------------------------- statistics

export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (at - lo);
}

export const median = (values: number[]): number => quantile(values, 0.5);

/** Rounds for display and JSON: 3 significant decimals for small numbers, fewer for large. */
export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export interface Summary {
  n: number;
  median: number;
  min: number;
  p10: number;
  p90: number;
  max: number;
}

export function summarize(values: number[], digits = 1): Summary {
  return {
    n: values.length,
    median: round(median(values), digits),
    min: round(Math.min(...values), digits),
    p10: round(quantile(values, 0.1), digits),
    p90: round(quantile(values, 0.9), digits),
    max: round(Math.max(...values), digits),
  };
}

// ---------------------------------------------------------------- processes

export interface RunResult {
  /** Wall time from spawn() to the process's exit, ms. */
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
  /** Peak RSS in kB, when the process ran with rss-probe.mjs. */
  maxRssKb?: number;
  /** CPU time (user + system) in ms, when the process ran with rss-probe.mjs. */
  cpuMs?: number;
}

export interface RunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** 'devnull': stdout goes to /dev/null (not captured); 'pipe' (default): captured. */
  stdout?: 'devnull' | 'pipe';
  /** Preload rss-probe.mjs and read the peak RSS and CPU time it writes to this file. */
  rssFile?: string;
}

/** Runs `node ...args`, timing it from spawn to exit as hyperfine would (fork/exec included). */
export function runNode(
  args: string[],
  options: RunOptions,
  rssProbe?: string,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const devnull = options.stdout === 'devnull' ? openSync('/dev/null', 'w') : undefined;
    const env = options.rssFile ? { ...options.env, BENCH_RSS_FILE: options.rssFile } : options.env;
    const argv = options.rssFile && rssProbe ? ['--import', rssProbe, ...args] : args;
    const started = performance.now();
    const child = spawn(process.execPath, argv, {
      cwd: options.cwd,
      env,
      stdio: ['ignore', devnull ?? 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    let ms = 0;
    child.once('exit', () => (ms = performance.now() - started));
    child.once('error', (err) => {
      if (devnull !== undefined) closeSync(devnull);
      reject(err);
    });
    child.once('close', (code) => {
      if (devnull !== undefined) closeSync(devnull);
      let maxRssKb: number | undefined;
      let cpuMs: number | undefined;
      if (options.rssFile) {
        try {
          const [rss, user, system] = readFileSync(options.rssFile, 'utf8').split(' ').map(Number);
          maxRssKb = rss;
          cpuMs = ((user ?? NaN) + (system ?? NaN)) / 1000;
          rmSync(options.rssFile, { force: true });
        } catch {
          maxRssKb = undefined;
        }
      }
      resolve({ ms, code, stdout, stderr, maxRssKb, cpuMs });
    });
  });
}

// ---------------------------------------------------------------- simulator child

export class SimProcess {
  private nextId = 1;
  private pending = new Map<number, (answer: SimAnswer) => void>();
  private exited: Promise<void>;

  private constructor(
    private child: ChildProcess,
    readonly ready: SimReady,
  ) {
    child.on('message', (message: SimAnswer) => {
      if (message.type !== 'answer') return;
      this.pending.get(message.id)?.(message);
      this.pending.delete(message.id);
    });
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
  }

  /** Forks sim-process.ts (through tsx) and waits until it listens. */
  static async start(root: string, dir: string, users: number, upns: number): Promise<SimProcess> {
    const child = fork(join(root, 'bench', 'sim-process.ts'), [], {
      cwd: root,
      execArgv: ['--import', 'tsx'],
      env: {
        ...process.env,
        BENCH_SIM_OUT_DIR: dir,
        BENCH_SIM_USERS: String(users),
        BENCH_SIM_UPNS: String(upns),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ready = await new Promise<SimReady>((resolve, reject) => {
      child.once('message', (m: SimReady) => resolve(m));
      child.once('exit', (code) => reject(new Error(`the simulator exited (${code})`)));
      child.once('error', reject);
    });
    return new SimProcess(child, ready);
  }

  private call(op: SimCall['op'], extra: Partial<SimCall> = {}): Promise<JsonObject> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (answer) =>
        answer.error ? reject(new Error(answer.error)) : resolve(answer.result ?? {}),
      );
      this.child.send({ id, op, ...extra } satisfies SimCall);
    });
  }

  stats(): Promise<SimStats> {
    return this.call('stats') as unknown as Promise<SimStats>;
  }

  async setLatency(latencyMs: number): Promise<void> {
    await this.call('faults', { faults: { latencyMs } });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || !this.child.connected) {
      if (this.child.exitCode === null) this.child.kill('SIGTERM');
      await this.exited;
      return;
    }
    this.child.send({ id: 0, op: 'close' } satisfies SimCall);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** The part of the sim's stats the bench reads. */
export interface SimStats {
  totalRequests: number;
  requests: Record<string, number>;
  batchItems: Record<string, number>;
  tokensIssued: Record<string, number>;
  throttled: number;
  unavailable: number;
}

/** What happened between two stats snapshots. */
export interface StatsDelta {
  total: number;
  byRoute: Record<string, number>;
  batchItems: Record<string, number>;
  tokens: number;
  tokensByGrant: Record<string, number>;
  throttled: number;
  unavailable: number;
}

function diffMap(after: Record<string, number>, before: Record<string, number>) {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(after)) {
    const d = value - (before[key] ?? 0);
    if (d !== 0) out[key] = d;
  }
  return out;
}

export function statsDelta(before: SimStats, after: SimStats): StatsDelta {
  const tokensByGrant = diffMap(after.tokensIssued, before.tokensIssued);
  return {
    total: after.totalRequests - before.totalRequests,
    byRoute: diffMap(after.requests, before.requests),
    batchItems: diffMap(after.batchItems, before.batchItems),
    tokens: Object.values(tokensByGrant).reduce((a, b) => a + b, 0),
    tokensByGrant,
    throttled: after.throttled - before.throttled,
    unavailable: after.unavailable - before.unavailable,
  };
}
