import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { UsageError, UserError } from '../../src/base/errors.js';
import type { StateBackend } from '../../src/state/instance-store.js';
import { openRedisBackend } from '../../src/state/open-backend.js';
import {
  connectRedis,
  parseRedisUrl,
  RedisUnavailableError,
  type RedisConnection,
} from '../../src/state/redis-connection.js';
import { parseStateKey, StateKeyMismatchError } from '../../src/state/state-cipher.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { instanceStoreContract } from './instance-store-contract.js';
import { eventually, failure } from '../helpers/waiting.js';

const KEY = 'a'.repeat(64);
const OTHER_KEY = Buffer.alloc(32, 7).toString('base64');
const lockHolder = fileURLToPath(new URL('./fixtures/redis-lock-holder.ts', import.meta.url));

describe('instance state on Redis', function () {
  this.timeout(30_000);
  let server: RedisServer;
  let admin: RedisConnection;
  const opened: StateBackend[] = [];
  const open = async (options: Parameters<typeof openRedisBackend>[1] = { origin: 'test' }) => {
    const backend = await openRedisBackend(server.url(), options);
    opened.push(backend);
    return backend;
  };

  before(async () => {
    server = await startRedisServer();
    admin = await connectRedis(parseRedisUrl(server.url(), 'test'));
  });
  beforeEach(async () => {
    await admin.client.flushDb();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((b) => b.close()));
  });
  after(async () => {
    await admin?.close();
    await server?.stop();
  });

  describe('the state contract', () => {
    instanceStoreContract(() => ({
      open: (options) =>
        openRedisBackend(server.url(), { origin: 'test', lockWaitMs: options?.lockWaitMs }),
      location: () => server.url(),
    }));
  });

  it('keeps each instance under msgraph-user:<instance>: as a version and the JSON', async () => {
    const backend = await open();
    await backend.store('tenant-a').set({ access_token: 'tok-1' });
    await backend.store('tenant-b').set({ n: 1 });
    expect((await admin.client.keys('*')).sort()).to.deep.equal([
      'msgraph-user:tenant-a:context',
      'msgraph-user:tenant-b:context',
    ]);
    expect(await admin.client.hGetAll('msgraph-user:tenant-a:context')).to.deep.equal({
      version: '1',
      data: '{"access_token":"tok-1"}',
    });
  });

  it('holds the lock as msgraph-user:<instance>:lock with an owner and a TTL, and removes it after', async () => {
    const store = (await open()).store('tenant-a');
    const seen = await store.withLock(async () => ({
      owner: await admin.client.get('msgraph-user:tenant-a:lock'),
      ttl: await admin.client.pTTL('msgraph-user:tenant-a:lock'),
    }));
    expect(seen.owner).to.match(new RegExp(`^${hostname()}:${process.pid}:[0-9a-f]{24}$`));
    expect(seen.ttl).to.be.above(0).and.at.most(30_000);
    expect(await admin.client.exists('msgraph-user:tenant-a:lock')).to.equal(0);
  });

  it('extends the lock while a long holder works past its TTL', async function () {
    this.timeout(20_000);
    const store = (await open({ origin: 'test', lockTtlMs: 1_000 })).store('tenant-a');
    const owners = await store.withLock(async () => {
      await new Promise((r) => setTimeout(r, 3_500));
      return admin.client.get('msgraph-user:tenant-a:lock');
    });
    expect(owners, 'the lock outlived three TTLs').to.match(new RegExp(`:${process.pid}:`));
  });

  it("takes over a SIGKILLed holder's lock once its TTL has run out", async function () {
    this.timeout(60_000);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', lockHolder, server.url(), 'tenant-a', '1500'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise((r) => child.once('exit', r));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('locked')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`the holder exited with ${code}`)));
      });
      expect(await admin.client.get('msgraph-user:tenant-a:lock')).to.match(
        new RegExp(`:${child.pid}:`),
      );
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    const store = (await open({ origin: 'test', lockWaitMs: 20_000 })).store('tenant-a');
    await store.update((c) => ({ ...c, after: 'the holder died' }));
    expect((await store.get()).context).to.deep.equal({ after: 'the holder died' });
  });

  it('redoes an update whose version moved under it, keeping both writes (the version fences the lock)', async () => {
    const warnings: string[] = [];
    const backend = await open();
    const store = backend.store('tenant-a', { warn: (m) => warnings.push(m) });
    const other = (await open()).store('tenant-a');
    await store.set({ n: 0 });
    let calls = 0;
    const result = await store.update(async (context) => {
      // The first time, a writer that does not take the lock (a versioned set) gets in between.
      if (calls++ === 0) await other.set({ ...context, other: true }, 1);
      return { ...context, mine: true };
    });
    expect(calls).to.equal(2);
    expect(result).to.deep.equal({ context: { n: 0, other: true, mine: true }, version: 3 });
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(/changed while this process held its lock; the update was redone/);
  });

  it('names the lock, the server and the holder when the wait for it ends', async () => {
    await admin.client.set('msgraph-user:tenant-a:lock', 'other-host:4242:abcdef', { PX: 10_000 });
    const store = (await open({ origin: 'test', lockWaitMs: 50 })).store('tenant-a');
    const err = await failure(store.update((c) => c));
    expect(err).to.be.instanceOf(UserError);
    expect(err.message).to.include('msgraph-user:tenant-a:lock');
    expect(err.message).to.include(`redis://127.0.0.1:${server.port}/0`);
    expect(err.message).to.include('process 4242 on other-host');
    expect(await admin.client.get('msgraph-user:tenant-a:lock')).to.equal('other-host:4242:abcdef');
  });

  describe('with MSGRAPH_USER_STATE_KEY', () => {
    it('stores ciphertext: no plaintext value reaches Redis, and it reads back', async () => {
      const store = (await open({ origin: 'test', key: KEY })).store('tenant-a');
      await store.set({ access_token: 'secret-token-value', nested: { refresh: 'rt-secret' } });
      const stored = await admin.client.hGetAll('msgraph-user:tenant-a:context');
      expect(stored.version).to.equal('1');
      expect(stored.data).to.match(/^aes256gcm:v1:[0-9a-f]{12}:/);
      expect(stored.data).not.to.include('secret-token-value');
      expect(stored.data).not.to.include('rt-secret');
      expect(stored.data).not.to.include('access_token');
      expect((await store.get()).context).to.deep.equal({
        access_token: 'secret-token-value',
        nested: { refresh: 'rt-secret' },
      });
    });

    it('uses a fresh IV for every write of the same value', async () => {
      const store = (await open({ origin: 'test', key: KEY })).store('tenant-a');
      await store.set({ a: 1 });
      const first = await admin.client.hGet('msgraph-user:tenant-a:context', 'data');
      await store.set({ a: 1 });
      const second = await admin.client.hGet('msgraph-user:tenant-a:context', 'data');
      expect(first!.split(':')[3]).not.to.equal(second!.split(':')[3]);
    });

    it('refuses another key with an error saying the key does not match, and overwrites nothing', async () => {
      await (await open({ origin: 'test', key: KEY })).store('tenant-a').set({ token: 't' });
      const before = await admin.client.hGetAll('msgraph-user:tenant-a:context');
      const wrong = (await open({ origin: 'test', key: OTHER_KEY })).store('tenant-a');
      for (const attempt of [
        () => wrong.get(),
        () => wrong.update(() => ({ token: 'replaced' })),
        () => wrong.set({ token: 'replaced' }),
        () => wrong.clear(),
      ]) {
        const err = await failure(attempt());
        expect(err).to.be.instanceOf(StateKeyMismatchError);
        expect(err.message).to.match(/does not match/);
        expect(err.message).to.include('tenant-a');
      }
      expect(await admin.client.hGetAll('msgraph-user:tenant-a:context')).to.deep.equal(before);
    });

    it('refuses a tampered value, a value moved from another instance, and an older version', async () => {
      const backend = await open({ origin: 'test', key: KEY });
      await backend.store('tenant-a').set({ token: 'a1' });
      const v1 = (await admin.client.hGet('msgraph-user:tenant-a:context', 'data'))!;
      await backend.store('tenant-a').set({ token: 'a2' });
      await backend.store('tenant-b').set({ token: 'b' });
      const flipped = `${v1.slice(0, -4)}${v1.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
      for (const [instance, data, version] of [
        ['tenant-a', flipped, '1'],
        ['tenant-b', v1, '1'],
        ['tenant-a', v1, '2'],
      ] as const) {
        await admin.client.hSet(`msgraph-user:${instance}:context`, { version, data });
        const err = await failure(backend.store(instance).get());
        expect(err, `${instance} v${version}`).to.be.instanceOf(StateKeyMismatchError);
        expect(err.message).to.match(/does not match .*integrity check/);
      }
    });

    it('without the key, says the state is encrypted; with a key, refuses plain state', async () => {
      await (await open({ origin: 'test', key: KEY })).store('tenant-a').set({ token: 't' });
      await (await open()).store('tenant-b').set({ token: 'plain' });
      const noKey = await failure((await open()).store('tenant-a').get());
      expect(noKey.message).to.match(/is encrypted; set MSGRAPH_USER_STATE_KEY/);
      const keyed = await failure(
        (await open({ origin: 'test', key: KEY })).store('tenant-b').get(),
      );
      expect(keyed.message).to.match(/not encrypted, but MSGRAPH_USER_STATE_KEY is set/);
    });

    for (const bad of [
      'too-short',
      'a'.repeat(63),
      'z'.repeat(64),
      Buffer.alloc(31).toString('base64'),
    ]) {
      it(`refuses the key form ${bad.length} characters long as a usage error that never shows it`, async () => {
        const err = await failure(Promise.resolve().then(() => parseStateKey(bad)));
        expect(err).to.be.instanceOf(UsageError);
        expect(err.message).to.include('MSGRAPH_USER_STATE_KEY').and.include('64 hexadecimal');
        expect(err.message).not.to.include(bad);
      });
    }

    it('accepts the key as 64 hex digits, as base64 and as unpadded base64url', () => {
      const bytes = Buffer.alloc(32, 0xfb);
      for (const form of [
        bytes.toString('hex'),
        bytes.toString('base64'),
        bytes.toString('base64url'),
      ]) {
        expect(parseStateKey(form).equals(bytes), form).to.equal(true);
      }
    });
  });

  describe('while Redis is down', () => {
    let secured: RedisServer;
    before(async () => {
      secured = await startRedisServer({ password: 'redis-pw-1234' });
    });
    after(async () => {
      await secured?.stop();
    });

    it('fails each command at once with one clean line naming the server without its password, then recovers', async function () {
      this.timeout(60_000);
      const backend = await openRedisBackend(secured.url(), { origin: 'test' });
      opened.push(backend);
      const store = backend.store('tenant-a');
      for (let i = 0; i < 5; i++) await store.update((c) => ({ ...c, n: i + 1 }));
      await secured.halt();
      const errors: Error[] = [];
      for (const action of [
        () => store.get(),
        () => store.update((c) => ({ ...c, n: 99 })),
        () => store.set({ n: 98 }),
        () => store.withLock(async () => undefined),
      ]) {
        errors.push(await failure(action()));
      }
      for (const err of errors) {
        expect(err, err.stack).to.be.instanceOf(RedisUnavailableError);
        expect(err.message).to.match(
          new RegExp(
            `Redis at redis://:<redacted>@127\\.0\\.0\\.1:${secured.port}/0 is unavailable`,
          ),
        );
        expect((err as UserError).userMessage).not.to.include('redis-pw-1234');
        expect((err as UserError).userMessage).not.to.match(/\n\s+at /);
      }
      await secured.resume();
      // The restarted server has no data (no persistence): the store works again from empty.
      await eventually(() => store.update((c) => ({ ...c, back: true })));
      expect((await store.get()).context).to.deep.equal({ back: true });
    });

    it('refuses to start when Redis cannot be reached, naming it without its password', async () => {
      await secured.halt();
      try {
        const err = await failure(
          openRedisBackend(secured.url(), { origin: 'test', connection: { connectAttempts: 2 } }),
        );
        expect(err).to.be.instanceOf(RedisUnavailableError);
        expect(err.message).to.include(`redis://:<redacted>@127.0.0.1:${secured.port}/0`);
        expect(err.message).not.to.include('redis-pw-1234');
      } finally {
        await secured.resume();
      }
    });
  });
});
