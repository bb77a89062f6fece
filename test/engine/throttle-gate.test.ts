import { expect } from 'chai';
import { resolveCloud } from '../../src/auth/clouds.js';
import { throttleGate } from '../../src/engine/throttle-gate.js';
import { memoryThrottleStore } from '../../src/state/throttle-store.js';
import { upstreamClassifier } from '../../src/engine/upstream.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../../src/http/types.js';
import { testClock } from '../helpers/clock.js';

const cloud = resolveCloud({});
const GRAPH = 'https://graph.microsoft.com/v1.0';

/** An upstream that answers from a script and notes when (on the clock) each request arrived. */
function upstream(clock: { now(): number }, answers: Partial<HttpResponse>[]) {
  const arrivals: { url: string; at: number }[] = [];
  const client: HttpClient = {
    async send(request: HttpRequest) {
      arrivals.push({ url: request.url, at: clock.now() });
      const answer = answers.shift() ?? {};
      return { status: 200, headers: {}, body: '', retries: 0, ...answer };
    },
  };
  return { client, arrivals };
}

function gated(answers: Partial<HttpResponse>[], maxWaitMs = 120_000) {
  const clock = testClock();
  const { client, arrivals } = upstream(clock, answers);
  const events = { throttled: 0, waited: [] as number[] };
  const gate = throttleGate(client, {
    key: 'contoso',
    store: memoryThrottleStore(clock),
    clock,
    upstreamOf: upstreamClassifier(cloud),
    maxWaitMs,
    onThrottled: (n) => (events.throttled += n),
    onWaited: (ms) => events.waited.push(ms),
  });
  return { gate, clock, arrivals, events };
}

const get = (path: string): HttpRequest => ({ method: 'GET', url: `${GRAPH}/${path}` });

describe('the per-tenant throttle gate', () => {
  it("holds every later Graph request of the instance until a 429's Retry-After has passed", async () => {
    const { gate, clock, arrivals, events } = gated([
      { status: 429, headers: { 'retry-after': '3' } },
    ]);
    const start = clock.now();
    expect((await gate.send(get('users/a'))).status).to.equal(429);
    expect((await gate.send(get('users/b'))).status).to.equal(200);
    expect(arrivals.map((a) => a.at - start)).to.deep.equal([0, 3000]);
    expect(events).to.deep.equal({ throttled: 1, waited: [3000] });
  });

  it('closes for the longest Retry-After of the 429 items inside a $batch answer', async () => {
    const batch = {
      responses: [
        { id: '1', status: 200, body: {} },
        { id: '2', status: 429, headers: { 'Retry-After': '2' } },
        { id: '3', status: 429, headers: { 'Retry-After': '5' } },
      ],
    };
    const { gate, clock, arrivals, events } = gated([{ body: JSON.stringify(batch) }]);
    const start = clock.now();
    await gate.send({ method: 'POST', url: `${GRAPH}/$batch`, body: '{}' });
    await gate.send(get('users/c'));
    expect(arrivals.map((a) => a.at - start)).to.deep.equal([0, 5000]);
    expect(events.throttled).to.equal(2);
  });

  it('lets token requests through a closed gate (throttling is Graph’s, not the login’s)', async () => {
    const { gate, clock, arrivals } = gated([{ status: 429, headers: { 'retry-after': '30' } }]);
    const start = clock.now();
    await gate.send(get('users/a'));
    await gate.send({
      method: 'POST',
      url: `${cloud.loginUrl}/contoso.onmicrosoft.com/oauth2/v2.0/token`,
      body: 'grant_type=client_credentials',
    });
    expect(arrivals.map((a) => a.at - start)).to.deep.equal([0, 0]);
  });

  it('waits at most its bound, then lets the request go', async () => {
    const { gate, clock, arrivals } = gated(
      [{ status: 429, headers: { 'retry-after': '600' } }],
      1000,
    );
    const start = clock.now();
    await gate.send(get('users/a'));
    await gate.send(get('users/b'));
    expect(arrivals.map((a) => a.at - start)).to.deep.equal([0, 1000]);
  });

  it('does not close on a 429 without Retry-After (the retries back off on their own)', async () => {
    const { gate, clock, arrivals, events } = gated([{ status: 429 }]);
    const start = clock.now();
    await gate.send(get('users/a'));
    await gate.send(get('users/b'));
    expect(arrivals.map((a) => a.at - start)).to.deep.equal([0, 0]);
    expect(events.throttled).to.equal(1);
  });

  it('fails the request, sending nothing, when its store cannot answer (no wait, no going round it)', async () => {
    const clock = testClock();
    const { client, arrivals } = upstream(clock, []);
    const down = new Error(
      'Could not check the throttle gate: Redis at redis://cache:6379 is unavailable.',
    );
    const gate = throttleGate(client, {
      key: 'contoso',
      store: {
        openAt: async () => Promise.reject(down),
        closeUntil: async () => Promise.reject(down),
      },
      clock,
      upstreamOf: upstreamClassifier(cloud),
      maxWaitMs: 120_000,
    });
    let failure: unknown;
    await gate.send(get('users/a')).catch((e: unknown) => (failure = e));
    expect(failure).to.equal(down);
    expect(arrivals).to.deep.equal([]);
    expect(clock.sleeps).to.deep.equal([]);
  });
});
