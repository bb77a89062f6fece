/**
 * migrateState as a library call, against targets that fail part-way (the CLI's own tests,
 * test/cli/state-migrate.test.ts, cover the command against real backends).
 */
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../src/base/errors.js';
import { directoryBackend } from '../../src/state/directory-backend.js';
import type { StateBackend } from '../../src/state/instance-store.js';
import { migrateState } from '../../src/state/migrate.js';
import { failure } from '../helpers/waiting.js';

/** `backend`, except that writing instance `broken` fails as an unreachable server would. */
function failingOn(backend: StateBackend, broken: string): StateBackend {
  return {
    ...backend,
    describe: 'redis://cache.example:6379/0',
    store(instance, options) {
      const store = backend.store(instance, options);
      if (instance !== broken) return store;
      return {
        ...store,
        get: () => store.get(),
        update: async () => {
          throw new UserError('Could not write the state of instance b: Redis is unavailable.');
        },
      };
    },
  };
}

describe('migrating state', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'msgraph-user-migrate-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('says which instances were already copied when the target fails part-way', async () => {
    const source = directoryBackend(join(dir, 'from'));
    for (const name of ['a', 'b', 'c']) await source.store(name).set({ token: `t-${name}` });
    const target = directoryBackend(join(dir, 'to'));
    const err = await failure(migrateState(source, failingOn(target, 'b')));
    expect(err).to.be.instanceOf(UserError);
    expect(err.message).to.equal(
      'Could not write the state of instance b: Redis is unavailable. The copy stopped at instance b: 1 instance(s) were copied to redis://cache.example:6379/0 before it (a); the source is unchanged.',
    );
    expect((await target.store('a').get()).context).to.deep.equal({ token: 't-a' });
    expect((await source.store('b').get()).context).to.deep.equal({ token: 't-b' });
  });

  it('says nothing was copied when the first write fails', async () => {
    const source = directoryBackend(join(dir, 'from'));
    await source.store('b').set({ token: 't-b' });
    const err = await failure(
      migrateState(source, failingOn(directoryBackend(join(dir, 'to')), 'b')),
    );
    expect(err.message).to.include('nothing was copied to redis://cache.example:6379/0');
  });
});
