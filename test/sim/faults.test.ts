import { expect } from 'chai';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { appToken, call, graph, graphError, postJson } from './helpers.js';

async function statusSequence(seed: number, count: number): Promise<number[]> {
  const sim = await startSimulator({ seed });
  try {
    const token = await appToken(sim);
    sim.setFaults({ p429: 0.3, p503: 0.2 });
    const statuses: number[] = [];
    for (let i = 0; i < count; i++) {
      statuses.push((await graph(sim, token, 'GET', 'users?$top=1')).status);
    }
    return statuses;
  } finally {
    await sim.close();
  }
}

describe('sim: fault injection', () => {
  it('gives the same fault sequence for the same seed, and another for another seed', async () => {
    const a = await statusSequence(42, 40);
    const b = await statusSequence(42, 40);
    const c = await statusSequence(43, 40);
    expect(a).to.deep.equal(b);
    expect(a).to.not.deep.equal(c);
    expect([...new Set(a)].sort()).to.deep.equal([200, 429, 503]);
  });

  describe('on one simulator', () => {
    let sim: Simulator;
    let token: string;
    beforeEach(async () => {
      sim = await startSimulator({ p429: 1, retryAfter: 3 });
      // Identity endpoints are never faulted, so this works even with p429 = 1.
      token = await appToken(sim);
    });
    afterEach(() => sim.close());

    it('answers 429 TooManyRequests with Retry-After, and counts it', async () => {
      const res = await graph(sim, token, 'GET', 'users');
      expect(res.status).to.equal(429);
      expect(res.headers['retry-after']).to.equal('3');
      const error = graphError(res);
      expect(error.code).to.equal('TooManyRequests');
      expect(error.innerError).to.include({
        code: '429',
        status: '429',
        message: 'Please retry after',
      });
      expect(sim.stats().throttled).to.equal(1);
    });

    it('answers 503 with Retry-After when p503 = 1, and never faults /_sim or identity', async () => {
      const set = await call(sim, '/_sim/faults', postJson({ p429: 0, p503: 1, retryAfter: 2 }));
      expect(set.status).to.equal(200);
      const res = await graph(sim, token, 'GET', 'users');
      expect(res.status).to.equal(503);
      expect(res.headers['retry-after']).to.equal('2');
      expect(
        (await call(sim, `/${sim.tenantId}/v2.0/.well-known/openid-configuration`)).status,
      ).to.equal(200);
      expect((await call(sim, '/_sim/stats')).status).to.equal(200);
      expect(sim.stats().unavailable).to.equal(1);
    });

    it('refuses invalid fault settings', async () => {
      expect((await call(sim, '/_sim/faults', postJson({ p429: 2 }))).status).to.equal(400);
      expect(() => sim.setFaults({ p503: -1 })).to.throw(/p503/);
    });

    it('adds latency to every request', async () => {
      sim.setFaults({ p429: 0, latencyMs: 120 });
      const started = performance.now();
      await call(sim, `/${sim.tenantId}/v2.0/.well-known/openid-configuration`);
      expect(performance.now() - started).to.be.at.least(110);
      expect((sim.stats().latency as Record<string, number>).injectedTotalMs).to.equal(120);
    });
  });
});
