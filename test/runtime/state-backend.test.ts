/**
 * The composition root's choice of state backend: the state folder by default, Redis from a URL
 * (connected by the runtime and disconnected by its close), or a backend the caller opened once
 * and shares between runtimes (left open by them).
 */
import { expect } from 'chai';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime } from '../../src/runtime/compose.js';
import { openStateBackend } from '../../src/state/open-backend.js';
import { RedisUnavailableError } from '../../src/state/redis-connection.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';

const params = {
  self_deployed: true,
  creds_auth_id: 'app-id',
  creds_tenant_id: 'contoso.onmicrosoft.com',
  creds_enc_key: { password: 's3cret-value-1' },
};

describe('runtime state backends', function () {
  this.timeout(30_000);
  let server: RedisServer;
  let dir: string;

  before(async () => {
    server = await startRedisServer();
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'msgraph-user-runtime-state-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  after(async () => {
    await server?.stop();
  });

  it('keeps state in the state folder by default', async () => {
    const runtime = await createRuntime({ params, stateDir: dir, instance: 'local' });
    expect(runtime.stateBackend.kind).to.equal('directory');
    await runtime.integrationContext.set({ a: 1 });
    await runtime.close();
    expect((await stat(join(dir, 'instances', 'local', 'context.json'))).isFile()).to.equal(true);
  });

  it('connects to Redis from a URL, and close() disconnects it', async () => {
    const runtime = await createRuntime({
      params,
      stateDir: dir,
      state: server.url(),
      instance: 'shared',
    });
    expect(runtime.stateBackend.describe).to.equal(`redis://127.0.0.1:${server.port}/0`);
    await runtime.integrationContext.set({ a: 1 });
    const reader = await openStateBackend(server.url());
    try {
      expect((await reader.store('shared').get()).context).to.deep.equal({ a: 1 });
    } finally {
      await reader.close();
    }
    await runtime.close();
    let after: unknown;
    await runtime.integrationContext.get().catch((err: unknown) => (after = err));
    expect(after).to.be.instanceOf(RedisUnavailableError);
  });

  it('shares a backend the caller opened between runtimes, and leaves it open', async () => {
    const backend = await openStateBackend(server.url());
    try {
      const one = await createRuntime({ params, stateDir: dir, state: backend, instance: 'one' });
      const two = await createRuntime({ params, stateDir: dir, state: backend, instance: 'two' });
      await one.integrationContext.set({ who: 'one' });
      await two.integrationContext.set({ who: 'two' });
      await one.close();
      await two.close();
      expect((await backend.store('one').get()).context).to.deep.equal({ who: 'one' });
      expect(await backend.instances()).to.include.members(['one', 'two']);
    } finally {
      await backend.close();
    }
  });
});
