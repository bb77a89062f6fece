/**
 * The world the edge cases run in (edges.test.ts): the simulated tenant, a tripwire no request may
 * reach, a proxy that never answers, and the scenarios that take more than one step.
 */
import { expect } from 'chai';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Simulator } from '../../sim/index.js';
import { REPO_ROOT, type CliResult, type SilentServer } from './support.js';

const LOCK_HOLDER = join(REPO_ROOT, 'test', 'base', 'fixtures', 'lock-holder.ts');

export interface World {
  sim: Simulator;
  /** Counts connections; no request may reach it. */
  tripwire: SilentServer;
  /** A proxy that accepts and never answers. */
  silentProxy: SilentServer;
  /** A fresh directory for one case. */
  dir(name: string): Promise<string>;
  /** A params file in `dir`: the simulator's client credentials, or the tripwire's. */
  params(
    dir: string,
    extra?: Record<string, unknown>,
    against?: 'sim' | 'tripwire',
  ): Promise<string>;
  /** The CLI against the simulator (its CA trusted), with more environment. */
  cli(argv: string[], env?: Record<string, string>, stdout?: 'closed' | number): Promise<CliResult>;
}

/** Whether chattr +i works here (root on ext4 and the like), tried on a throwaway file. */
function canMakeImmutable(): boolean {
  if (process.platform !== 'linux') return false;
  const dir = mkdtempSync(join(tmpdir(), 'msgraph-user-rel-chattr-'));
  const file = join(dir, 'probe');
  try {
    writeFileSync(file, '');
    execFileSync('chattr', ['+i', file], { stdio: 'ignore' });
    execFileSync('chattr', ['-i', file], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
export const IMMUTABLE = canMakeImmutable();

/** Runs `msgraph-user-auth-reset` while a process holding the lock is killed with SIGKILL. */
export async function afterKilledHolder(world: World): Promise<CliResult> {
  const dir = await world.dir('killed');
  const instance = join(dir, 'state', 'instances', 'edge-killed');
  const holder = spawn(process.execPath, ['--import', 'tsx', LOCK_HOLDER, instance], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => holder.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    holder.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
    holder.once('exit', () => reject(new Error('the lock holder exited before locking')));
  });
  holder.kill('SIGKILL');
  await exited;
  const params = await world.params(dir, {}, 'tripwire');
  const state = ['--state-dir', join(dir, 'state'), '--instance', 'edge-killed'];
  return world.cli(['msgraph-user-auth-reset', '--params', params, ...state]);
}

/** test-module with a good secret, then with a mistyped one on the same instance. */
export async function mistypedSecret(world: World, command: string[]): Promise<CliResult> {
  const dir = await world.dir(`mistyped-${command[0]}`);
  const state = ['--state-dir', join(dir, 'state')];
  const good = await world.cli(['test-module', '--params', await world.params(dir), ...state]);
  expect(good.stdout, good.stderr).to.equal('ok\n');
  const wrong = await world.params(dir, { creds_enc_key: { password: 'a-mistyped-secret' } });
  return world.cli([...command, '--params', wrong, ...state]);
}

/** A command that writes the context of `instance`, prepared by `prepare` in the state dir. */
export function stateFault(instance: string, prepare: (instanceDir: string) => Promise<void>) {
  return async (world: World): Promise<CliResult> => {
    const dir = await world.dir(instance);
    const instanceDir = join(dir, 'state', 'instances', instance);
    await mkdir(join(instanceDir, '..'), { recursive: true });
    await prepare(instanceDir);
    const params = await world.params(dir, {}, 'tripwire');
    const state = ['--state-dir', join(dir, 'state'), '--instance', instance];
    return world.cli(['msgraph-user-auth-reset', '--params', params, ...state]);
  };
}

export async function immutableContext(world: World): Promise<CliResult> {
  const dir = await world.dir('immutable');
  const params = await world.params(dir, {}, 'tripwire');
  const state = ['--state-dir', join(dir, 'state'), '--instance', 'edge-immutable'];
  const first = await world.cli(['msgraph-user-auth-reset', '--params', params, ...state]);
  expect(first.code, first.stderr).to.equal(0);
  const file = join(dir, 'state', 'instances', 'edge-immutable', 'context.json');
  execFileSync('chattr', ['+i', file]);
  try {
    return await world.cli(['msgraph-user-auth-reset', '--params', params, ...state]);
  } finally {
    execFileSync('chattr', ['-i', file]);
  }
}
