/**
 * The contract every state backend keeps (a folder, Redis), as one suite each backend's spec
 * runs: versions, conflicts, updates under contention in one process and across processes, the
 * instance lock, clearing, and instances kept apart.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { VersionConflictError, type StateBackend } from '../../src/state/instance-store.js';
import { failure } from '../helpers/waiting.js';

export interface ContractBackends {
  /** Opens a backend on the state under test (a new object each time, the same state). */
  open(options?: { lockWaitMs?: number }): Promise<StateBackend>;
  /** The location a child process opens the same state with (a folder or a Redis URL). */
  location(): string;
}

const writerScript = fileURLToPath(new URL('./fixtures/state-writer.ts', import.meta.url));

function runWriter(location: string, instance: string, times: number, id: number) {
  return new Promise<number>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', writerScript, location, instance, String(times), String(id)],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

export function instanceStoreContract(backends: () => ContractBackends): void {
  const opened: StateBackend[] = [];
  const open = async (options?: { lockWaitMs?: number }) => {
    const backend = await backends().open(options);
    opened.push(backend);
    return backend;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((b) => b.close()));
  });

  it('starts empty at version 0', async () => {
    expect(await (await open()).store('i1').get()).to.deep.equal({ context: {}, version: 0 });
  });

  it('persists across backends and increments the version on every write', async () => {
    const first = (await open()).store('i1');
    expect(await first.set({ a: 1 })).to.equal(1);
    expect(await first.set({ a: 2 })).to.equal(2);
    expect(await (await open()).store('i1').get()).to.deep.equal({ context: { a: 2 }, version: 2 });
  });

  it('hands out copies: changing what get returned changes nothing stored', async () => {
    const store = (await open()).store('i1');
    await store.set({ nested: { a: 1 } });
    const { context } = await store.get();
    (context.nested as Record<string, number>).a = 99;
    expect((await store.get()).context).to.deep.equal({ nested: { a: 1 } });
  });

  it('rejects a versioned write when another writer got there first, keeping the other write', async () => {
    const store = (await open()).store('i1');
    const { version } = await store.get();
    await (await open()).store('i1').set({ by: 'other' });
    const err = await failure(store.set({ by: 'me' }, version));
    expect(err).to.be.instanceOf(VersionConflictError);
    expect((await store.get()).context).to.deep.equal({ by: 'other' });
  });

  it('accepts a versioned write on the current version', async () => {
    const store = (await open()).store('i1');
    await store.set({ a: 1 });
    expect(await store.set({ a: 2 }, 1)).to.equal(2);
  });

  it('update returns the new context and version; a mutation that throws writes nothing', async () => {
    const store = (await open()).store('i1');
    await store.set({ n: 1 });
    expect(await store.update((c) => ({ ...c, n: 2 }))).to.deep.equal({
      context: { n: 2 },
      version: 2,
    });
    const err = await failure(
      store.update(() => {
        throw new Error('refused');
      }),
    );
    expect(err.message).to.equal('refused');
    expect(await store.get()).to.deep.equal({ context: { n: 2 }, version: 2 });
    // The lock was released: the next update does not wait for it.
    await store.update((c) => c);
  });

  it('loses no update when 40 updates of one process race on two backends', async () => {
    const stores = [(await open()).store('i1'), (await open()).store('i1')];
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        stores[i % 2]!.update(async (c) => {
          await new Promise((r) => setImmediate(r));
          return { ...c, count: ((c.count as number) ?? 0) + 1 };
        }),
      ),
    );
    expect(await stores[0]!.get()).to.deep.equal({ context: { count: 40 }, version: 40 });
  });

  it('loses no update when 8 processes update concurrently', async function () {
    this.timeout(90_000);
    const perWriter = 10;
    const location = backends().location();
    const codes = await Promise.all(
      Array.from({ length: 8 }, (_, i) => runWriter(location, 'i1', perWriter, i)),
    );
    expect(codes).to.deep.equal(Array(8).fill(0));
    const { context, version } = await (await open()).store('i1').get();
    expect(context.count).to.equal(8 * perWriter);
    expect(version).to.equal(8 * perWriter);
    for (let i = 0; i < 8; i++) expect(context[`writer_${i}`]).to.equal(perWriter);
  });

  it('runs one lock holder at a time, across backends', async () => {
    const a = (await open()).store('i1');
    const b = (await open()).store('i1');
    const events: string[] = [];
    let letGo!: () => void;
    const holding = new Promise<void>((r) => (letGo = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const first = a.withLock(async () => {
      events.push('a in');
      entered();
      await holding;
      events.push('a out');
    });
    await inside;
    const second = b.withLock(async () => {
      events.push('b in');
    });
    await new Promise((r) => setTimeout(r, 100));
    letGo();
    await Promise.all([first, second]);
    expect(events).to.deep.equal(['a in', 'a out', 'b in']);
  });

  it('gives up waiting for a held lock after the bound, with a user error', async () => {
    const holder = (await open()).store('i1');
    const waiter = (await open({ lockWaitMs: 150 })).store('i1');
    let letGo!: () => void;
    const held = new Promise<void>((r) => (letGo = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const holding = holder.withLock(async () => {
      entered();
      await held;
    });
    await inside;
    const err = await failure(waiter.update((c) => ({ ...c, lost: true })));
    letGo();
    await holding;
    expect((err as NodeJS.ErrnoException).code).to.equal('ELOCKED');
    expect(err.message).to.match(/Timed out after \d+ s waiting for the .*lock/);
    expect((await holder.get()).context).to.deep.equal({});
  });

  it('clear empties the context as a new version', async () => {
    const store = (await open()).store('i1');
    await store.set({ token: 'x' });
    expect(await store.clear()).to.equal(2);
    expect(await store.get()).to.deep.equal({ context: {}, version: 2 });
  });

  it('keeps instances apart, and lists the instances that have state', async () => {
    const backend = await open();
    await backend.store('alpha').set({ who: 'alpha' });
    await backend.store('beta.2').update(() => ({ who: 'beta' }));
    expect((await backend.store('alpha').get()).context).to.deep.equal({ who: 'alpha' });
    expect((await backend.store('beta.2').get()).context).to.deep.equal({ who: 'beta' });
    expect(await backend.store('gamma').get()).to.deep.equal({ context: {}, version: 0 });
    expect(await backend.instances()).to.deep.equal(['alpha', 'beta.2']);
  });
}
