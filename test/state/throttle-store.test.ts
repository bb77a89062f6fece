/**
 * The throttle store contract, held by both stores: the in-memory one (one process) and the Redis
 * one (replicas on many hosts). Closings keep the later opening whatever their order, a closing
 * passes, gates are per key. The Redis store also keeps no key past its gate, stays right when two
 * replicas close at once, and fails cleanly (naming the server, never its password) while Redis is
 * down, then works again once it is back.
 */
import { expect } from 'chai';
import { createClock } from '../../src/base/clock.js';
import {
  connectRedis,
  RedisUnavailableError,
  type RedisConnection,
} from '../../src/state/redis-connection.js';
import { parseRedisUrl } from '../../src/state/redis-connection.js';
import { redisThrottleStore, throttleKey } from '../../src/state/redis-throttle-store.js';
import { memoryThrottleStore, type ThrottleStore } from '../../src/state/throttle-store.js';
import { testClock } from '../helpers/clock.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { until } from '../helpers/waiting.js';

interface Subject {
  store: ThrottleStore;
  now(): number;
  /** Lets `ms` pass for the store. */
  pass(ms: number): Promise<void>;
}

function contract(name: string, subject: () => Subject) {
  describe(`${name}: the throttle store contract`, () => {
    it('is open for a key never closed', async () => {
      expect(await subject().store.openAt('never-closed')).to.equal(undefined);
    });

    it('keeps the later opening when a shorter closing follows a longer one', async () => {
      const { store, now } = subject();
      await store.closeUntil('later-wins', now() + 60_000);
      await store.closeUntil('later-wins', now() + 2_000);
      const left = (await store.openAt('later-wins'))! - now();
      expect(left).to.be.above(30_000).and.at.most(60_000);
    });

    it('extends the closing when a longer one follows a shorter one', async () => {
      const { store, now } = subject();
      await store.closeUntil('extends', now() + 2_000);
      await store.closeUntil('extends', now() + 60_000);
      expect((await store.openAt('extends'))! - now()).to.be.above(30_000);
    });

    it('opens once the closing has passed', async () => {
      const s = subject();
      await s.store.closeUntil('passes', s.now() + 50);
      expect(await s.store.openAt('passes')).to.be.above(s.now());
      await s.pass(60);
      await until(async () => (await s.store.openAt('passes')) === undefined);
    });

    it('ignores a closing that has already passed', async () => {
      const { store, now } = subject();
      await store.closeUntil('past', now() - 1_000);
      expect(await store.openAt('past')).to.equal(undefined);
    });

    it('keeps gates apart by key', async () => {
      const { store, now } = subject();
      await store.closeUntil('tenant-a', now() + 60_000);
      expect(await store.openAt('tenant-a')).to.be.above(now());
      expect(await store.openAt('tenant-b')).to.equal(undefined);
    });
  });
}

describe('throttle stores', function () {
  this.timeout(60_000);

  describe('in memory', () => {
    const clock = testClock();
    const store = memoryThrottleStore(clock);
    contract('memory', () => ({
      store,
      now: clock.now,
      pass: async (ms) => clock.advance(ms),
    }));
  });

  describe('on Redis', () => {
    const PASSWORD = 'gate-store-pw-5c1f';
    const clock = createClock({ unref: true });
    let server: RedisServer;
    let connection: RedisConnection;
    let other: RedisConnection;
    let store: ThrottleStore;

    before(async () => {
      server = await startRedisServer({ password: PASSWORD });
      const target = parseRedisUrl(server.url(), '--state');
      connection = await connectRedis(target, { connectTimeoutMs: 500 });
      other = await connectRedis(target, { connectTimeoutMs: 500 });
      store = redisThrottleStore(connection, clock);
    });
    after(async () => {
      await connection?.close();
      await other?.close();
      await server?.stop();
    });

    contract('redis', () => ({
      store,
      now: () => clock.now(),
      pass: (ms) => new Promise((r) => setTimeout(r, ms)),
    }));

    it('names the key msgraph-user:<instance>:throttle and lets it expire when the gate opens', async () => {
      await store.closeUntil('contoso', clock.now() + 5_000);
      const left = await connection.client.pTTL('msgraph-user:contoso:throttle');
      expect(throttleKey('contoso')).to.equal('msgraph-user:contoso:throttle');
      expect(left).to.be.above(0).and.at.most(5_000);
      await store.closeUntil('short', clock.now() + 30);
      await until(async () => (await connection.client.exists(throttleKey('short'))) === 0);
    });

    it('keeps the latest opening when two replicas close the same gate at once', async () => {
      const replicaB = redisThrottleStore(other, clock);
      const waits = Array.from({ length: 40 }, (_, i) => 10_000 + ((i * 7919) % 40) * 1_000);
      const now = clock.now();
      await Promise.all(
        waits.map((ms, i) => (i % 2 ? store : replicaB).closeUntil('race', now + ms)),
      );
      const left = (await replicaB.openAt('race'))! - clock.now();
      expect(left).to.be.above(Math.max(...waits) - 5_000);
    });

    it('fails at once while Redis is down, naming it without the password, then works again', async () => {
      await server.halt();
      try {
        await until(async () => !connection.client.isReady);
        const failures = await Promise.allSettled([
          store.openAt('contoso'),
          store.closeUntil('contoso', clock.now() + 1_000),
        ]);
        for (const failure of failures) {
          expect(failure.status).to.equal('rejected');
          const error = (failure as PromiseRejectedResult).reason as Error;
          expect(error).to.be.instanceOf(RedisUnavailableError);
          expect(error.message).to.match(
            /throttle gate: Redis at redis:\/\/:<redacted>@127\.0\.0\.1:/,
          );
          expect(error.message).not.to.include(PASSWORD);
        }
      } finally {
        await server.resume();
      }
      await until(async () => connection.client.isReady);
      expect(await store.openAt('contoso')).to.equal(undefined);
    });
  });
});
