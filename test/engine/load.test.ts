/**
 * The engine under load: many simultaneous requests on one instance share one token, a full
 * queue answers 503 with Retry-After, and a storm of 429s is absorbed by the per-tenant gate.
 */
import { expect } from 'chai';
import type { Entry } from '../../src/command/entries.js';
import { startEngineHarness, type EngineHarness } from './support.js';

interface CommandBody {
  entries: Entry[];
  data: Record<string, unknown>[];
}

const userUpn = (h: EngineHarness, n: number) => `user${n}@${h.sim.tenantDomain}`;

/** `count` msgraph-user-get calls at once, for users 1..users in turn. */
async function getUsersAtOnce(h: EngineHarness, count: number, users: number) {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const user = userUpn(h, (i % users) + 1);
      const answer = await h.post('/v1/commands/msgraph-user-get', { user });
      return { user, answer };
    }),
  );
}

const failures = (results: Awaited<ReturnType<typeof getUsersAtOnce>>) =>
  results.filter(({ user, answer }) => {
    const body = answer.json as CommandBody | undefined;
    return (
      answer.status !== 200 ||
      body!.entries.some((e) => e.Type === 4) ||
      body!.data[0]?.UserPrincipalName !== user
    );
  });

describe('the engine under load', function () {
  this.timeout(120_000);

  describe('500 simultaneous requests for 50 users on a cold instance', () => {
    let h: EngineHarness;
    before(async () => {
      h = await startEngineHarness({ sim: { users: 60, latencyMs: 5 } });
    });
    after(() => h?.close());

    it('answers every one, with one token for the instance', async () => {
      const results = await getUsersAtOnce(h, 500, 50);
      expect(
        failures(results).map(
          (f) => `${f.user}: ${f.answer.status} ${f.answer.text.slice(0, 200)}`,
        ),
      ).to.deep.equal([]);
      expect(
        (h.sim.stats() as { tokensIssued: Record<string, number> }).tokensIssued,
      ).to.deep.equal({
        client_credentials: 1,
      });
    });
  });

  describe('a full queue', () => {
    let h: EngineHarness;
    before(async () => {
      h = await startEngineHarness({
        sim: { users: 30, latencyMs: 300 },
        admission: { concurrency: 1, depth: 2 },
      });
    });
    after(() => h?.close());

    it('answers 503 with Retry-After beyond the queue, and runs the rest', async () => {
      const results = await getUsersAtOnce(h, 6, 6);
      const statuses = results.map((r) => r.answer.status).sort();
      expect(statuses).to.deep.equal([200, 200, 200, 503, 503, 503]);
      const busy = results.find((r) => r.answer.status === 503)!.answer;
      expect(busy.headers.get('retry-after')).to.equal('1');
      expect((busy.json as { error: { code: string } }).error.code).to.equal('overloaded');
      const metrics = (await h.get('/metrics')).text;
      expect(metrics).to.match(
        /^msgraph_user_commands_total\{command="msgraph-user-get",outcome="overloaded"\} 3$/m,
      );
    });
  });

  describe('a storm of 429s from Graph', () => {
    let h: EngineHarness;
    before(async () => {
      // A short Retry-After on the real clock: requests of the instance that arrive while the
      // gate is closed must really wait.
      h = await startEngineHarness({ sim: { users: 60, p429: 0.2, retryAfter: 0.1, seed: 7 } });
    });
    after(() => h?.close());

    it('is absorbed: every command succeeds, and the instance waited at its gate', async () => {
      const results = await getUsersAtOnce(h, 150, 50);
      expect(
        failures(results).map((f) => `${f.user}: ${f.answer.text.slice(0, 200)}`),
      ).to.deep.equal([]);
      const stats = h.sim.stats() as { throttled: number };
      expect(stats.throttled).to.be.above(10);
      const metrics = (await h.get('/metrics')).text;
      const value = (name: string) =>
        Number(new RegExp(`^${name}\\{instance="default"\\} (\\S+)$`, 'm').exec(metrics)?.[1]);
      expect(value('msgraph_user_graph_throttled_total')).to.equal(stats.throttled);
      // Requests that were not throttled themselves waited at the gate for the others' 429s.
      expect(value('msgraph_user_throttle_gate_wait_seconds_total')).to.be.above(0);
    });
  });
});
