/**
 * Lock and file-system faults of the integration context: each ends at once in one line naming
 * the path at fault (a UserError, never "unexpected error"), and a held lock is waited for no
 * longer than the configured bound. Waits use a fake clock; nothing here depends on real time.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Clock } from '../../src/base/clock.js';
import { UsageError, UserError } from '../../src/base/errors.js';
import { LockBusyError } from '../../src/base/file-lock.js';
import { IntegrationContextStore } from '../../src/base/integration-context.js';
import { makePrivateDir } from '../../src/base/private-dir.js';
import { directoryFileStore } from '../../src/command/files.js';
import { createRuntime } from '../../src/runtime/compose.js';

const holderScript = fileURLToPath(new URL('./fixtures/lock-holder.ts', import.meta.url));

/** A fake clock whose sleeps advance it at once, and the total it slept. */
function fakeTime() {
  const clock = { now: 1_000_000, slept: 0, sleeps: 0 };
  const waitClock: Clock = {
    now: () => clock.now,
    sleep: async (ms: number) => {
      clock.now += ms;
      clock.slept += ms;
      clock.sleeps += 1;
    },
    timer: () => ({ cancel: () => undefined }),
  };
  return { clock, waitClock };
}

/** Holds the instance's lock in this process until `letGo` is called; `holding` ends then. */
async function holdLock(dir: string) {
  let letGo!: () => void;
  const held = new Promise<void>((resolve) => (letGo = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const holding = new IntegrationContextStore(dir).withLock(async () => {
    locked();
    await held;
  });
  await isLocked;
  return { letGo, holding };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('expected a failure'),
    (error: unknown) => error as Error,
  );

function expectOneLine(error: Error, path: string, says: RegExp) {
  expect(error, error.stack).to.be.instanceOf(UserError);
  expect((error as UserError).userMessage.split('\n')).to.have.length(1);
  expect(error.message).to.include(path).and.to.match(says);
}

/** Whether this system lets us make a file immutable (chattr +i: root on ext4 and friends). */
function canMakeImmutable(file: string): boolean {
  try {
    execFileSync('chattr', ['+i', file], { stdio: 'ignore' });
    execFileSync('chattr', ['-i', file], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('integration context: lock and file-system faults', () => {
  let root: string;
  let dir: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'msgraph-user-faults-'));
    dir = join(root, 'state', 'instances', 'i1');
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  describe('the lock', () => {
    it('a stray file at context.lock: one line naming it, at once (was: 121 s, then "unexpected error … ENOTDIR")', async () => {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'context.lock'), 'not a lock');
      const time = fakeTime();
      const store = new IntegrationContextStore(dir, { waitClock: time.waitClock });
      const error = await failure(store.update((c) => ({ ...c, a: 1 })));
      expectOneLine(error, join(dir, 'context.lock'), /a file is in the way of the lock/);
      expect(time.clock.sleeps, 'waits').to.equal(0);
    });

    it('a held lock is waited for exactly waitMs, then one line (was: 121 s for a 60 s wait)', async () => {
      const { letGo, holding } = await holdLock(dir);
      const time = fakeTime();
      const waiter = new IntegrationContextStore(dir, {
        waitMs: 60_000,
        waitClock: time.waitClock,
      });
      const error = await failure(waiter.update((c) => c));
      letGo();
      await holding;
      expect(error).to.be.instanceOf(LockBusyError);
      expect(error.message).to.match(
        /^Timed out after 60 s waiting for the integration context lock/,
      );
      expect(error.message).to.include(`held by process ${process.pid}`);
      expect(time.clock.slept).to.equal(60_000);
    });

    it('the lock of a holder killed with SIGKILL is taken over at once (was: about 10 s)', async function () {
      this.timeout(30_000);
      const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', holderScript, dir], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      try {
        await new Promise<void>((resolve, reject) => {
          child.stdout!.on('data', (chunk: Buffer) => {
            if (chunk.toString().includes('locked')) resolve();
          });
          child.on('exit', () => reject(new Error('the lock holder exited early')));
        });
      } finally {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }
      // No waiting allowed: before, the lock stayed "fresh" for 10 s after the kill.
      const store = new IntegrationContextStore(dir, { waitMs: 0 });
      expect((await store.update((c) => ({ ...c, after: 'kill' }))).context).to.deep.equal({
        after: 'kill',
      });
      expect((await readdir(dir)).sort()).to.deep.equal(['context.json']);
    });

    it('a live holder is not taken over when the clocks disagree (its lock looks old to this one)', async () => {
      const { letGo, holding } = await holdLock(dir);
      // As if this process's clock ran a year ahead of the file system's: the lock's time is old.
      const yearAgo = new Date(Date.now() - 366 * 24 * 3600_000);
      await utimes(join(dir, 'context.lock'), yearAgo, yearAgo);
      const time = fakeTime();
      const waiter = new IntegrationContextStore(dir, {
        waitMs: 30_000,
        waitClock: time.waitClock,
      });
      const error = await failure(waiter.update((c) => c));
      letGo();
      await holding;
      expect(error).to.be.instanceOf(LockBusyError);
    });

    it('the lock of a holder on another host is taken over once it has not moved for staleMs of waiting', async () => {
      await mkdir(join(dir, 'context.lock'), { recursive: true });
      await writeFile(
        join(dir, 'context.lock.owner'),
        JSON.stringify({ pid: 4242, host: 'another-host.example', nonce: 'n1' }),
      );
      const time = fakeTime();
      const store = new IntegrationContextStore(dir, {
        waitMs: 60_000,
        staleMs: 10_000,
        waitClock: time.waitClock,
      });
      expect((await store.update((c) => ({ ...c, after: 'stale' }))).context).to.deep.equal({
        after: 'stale',
      });
      expect(time.clock.slept).to.be.within(10_000, 12_000);
    });

    it('a live holder is not taken over: the waiter times out naming it', async () => {
      const { letGo, holding } = await holdLock(dir);
      const error = await failure(new IntegrationContextStore(dir, { waitMs: 0 }).update((c) => c));
      letGo();
      await holding;
      expect(error).to.be.instanceOf(LockBusyError);
    });
  });

  describe('the file system', () => {
    it('a state dir that is a file: one line naming the file', async () => {
      await writeFile(join(root, 'state'), '');
      const store = new IntegrationContextStore(dir);
      expectOneLine(await failure(store.get()), join(root, 'state'), /is a file, not a directory/);
      expectOneLine(
        await failure(store.update((c) => c)),
        join(root, 'state'),
        /is a file, not a directory/,
      );
    });

    it('an instance dir that is a file: one line naming it', async () => {
      await mkdir(join(dir, '..'), { recursive: true });
      await writeFile(dir, '');
      const store = new IntegrationContextStore(dir);
      expectOneLine(await failure(store.get()), dir, /is a file, not a directory/);
      expectOneLine(await failure(store.set({ a: 1 })), dir, /is a file, not a directory/);
    });

    it('a context.json that is a directory: one line naming it', async () => {
      await mkdir(join(dir, 'context.json'), { recursive: true });
      const store = new IntegrationContextStore(dir);
      expectOneLine(await failure(store.get()), join(dir, 'context.json'), /it is a directory/);
      expectOneLine(
        await failure(store.set({ a: 1 })),
        join(dir, 'context.json'),
        /it is a directory/,
      );
    });

    it('an immutable context.json (EPERM): one line naming it, the old content kept', async function () {
      const store = new IntegrationContextStore(dir);
      await store.set({ kept: true });
      if (!canMakeImmutable(store.file)) this.skip();
      execFileSync('chattr', ['+i', store.file]);
      try {
        const error = await failure(store.set({ kept: false }));
        expectOneLine(error, store.file, /operation not permitted/);
        expect((await store.get()).context).to.deep.equal({ kept: true });
        expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).to.deep.equal([]);
      } finally {
        execFileSync('chattr', ['-i', store.file]);
      }
    });

    it("a state dir under /proc ends with one line (was: Node 20's recursive mkdir looped forever)", async function () {
      if (process.platform !== 'linux') this.skip();
      const error = await failure(makePrivateDir('/proc/self/msgraph-user-state/instances/i1'));
      expectOneLine(error, '/proc/self/msgraph-user-state', /does not allow a directory there/);
    });

    it('a file the command saves, in an instance dir that is a file: one line naming it', async () => {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'files'), '');
      const error = await failure(
        directoryFileStore(join(dir, 'files')).save('x.zip', Buffer.from('x')),
      );
      expectOneLine(error, join(dir, 'files'), /is a file, not a directory/);
    });

    it('an empty state dir is refused before anything is written (was: ./instances of the working directory)', async () => {
      const error = await failure(createRuntime({ stateDir: '' }));
      expect(error).to.be.instanceOf(UsageError);
      expect(error.message).to.match(/state directory .* is empty/);
    });
  });
});
