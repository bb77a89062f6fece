import { expect } from 'chai';
import nock from 'nock';
import { GraphError, isNotFound } from '../../src/graph/errors.js';
import { graphPath } from '../../src/graph/path.js';
import type { GraphResponse } from '../../src/graph/types.js';
import { useNock } from '../http/support.js';
import { GRAPH, graphError, testGraph } from './support.js';

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}
interface SubResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * A fake $batch endpoint: answers each item with `answer(item, call)`, in reverse order (Graph
 * may answer in any order), after `latencyMs`. Records every call and the most calls in flight.
 */
function batchEndpoint(
  answer: (item: BatchItem, call: number) => SubResponse,
  options: { times?: number; latencyMs?: number; version?: string } = {},
) {
  const calls: BatchItem[][] = [];
  let inFlight = 0;
  const stats = { calls, maxInFlight: 0, authorizations: [] as string[] };
  nock(GRAPH)
    .post(`/${options.version ?? 'v1.0'}/$batch`)
    .times(options.times ?? 1)
    .reply(function (_uri, body, callback) {
      const { requests } = body as { requests: BatchItem[] };
      const call = calls.push(requests);
      stats.authorizations.push(String(this.req.headers.authorization));
      inFlight += 1;
      stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
      const responses = requests
        .map((item) => ({ id: item.id, headers: {}, ...answer(item, call) }))
        .reverse();
      setTimeout(() => {
        inFlight -= 1;
        callback(null, [200, { responses }, { 'content-type': 'application/json' }]);
      }, options.latencyMs ?? 0);
    });
  return stats;
}

const disable = (user: string) => ({
  method: 'PATCH' as const,
  path: `users/${user}`,
  body: { accountEnabled: false },
});
const users = (n: number) => Array.from({ length: n }, (_, i) => `user${i}@contoso.com`);
const settled = <T>(promises: Promise<T>[]) => Promise.allSettled(promises);

describe('graph batching', () => {
  useNock();

  it('packs 100 concurrent requests into 5 $batch calls and answers each caller in order', async () => {
    const server = batchEndpoint((item) => ({ status: 200, body: { url: item.url } }), {
      times: 5,
    });
    const graph = testGraph().graph.batching();
    const responses = await Promise.all(
      users(100).map((u) =>
        graph.request<{ url: string }>({
          method: 'GET',
          path: graphPath`users/${u}`,
          query: { $select: 'id' },
        }),
      ),
    );
    expect(server.calls.map((c) => c.length)).to.deep.equal([20, 20, 20, 20, 20]);
    expect(responses.map((r) => r.body.url)).to.deep.equal(
      users(100).map((u) => `/users/${encodeURIComponent(u)}?$select=id`),
    );
  });

  it('sends each item with its method, relative URL, headers and JSON body', async () => {
    const server = batchEndpoint(() => ({ status: 204 }));
    const graph = testGraph().graph.batching();
    const results = await Promise.all([
      graph.request(disable('a@contoso.com')),
      graph.request({
        method: 'GET',
        path: 'users',
        headers: { ConsistencyLevel: 'eventual' },
        query: { $count: 'true' },
      }),
    ]);
    expect(server.calls[0]).to.deep.equal([
      {
        id: '1',
        method: 'PATCH',
        url: '/users/a@contoso.com',
        headers: { 'Content-Type': 'application/json' },
        body: { accountEnabled: false },
      },
      {
        id: '2',
        method: 'GET',
        url: '/users?$count=true',
        headers: { ConsistencyLevel: 'eventual' },
      },
    ]);
    expect(results.map((r) => r.body)).to.deep.equal([undefined, undefined]);
    expect(server.authorizations).to.deep.equal(['Bearer token-1']);
  });

  it("fails only the item Graph failed, with that item's GraphError", async () => {
    batchEndpoint((item) =>
      item.url.includes('ghost')
        ? {
            status: 404,
            body: graphError(
              'Request_ResourceNotFound',
              "Resource 'ghost' does not exist.",
              'req-ghost',
            ),
          }
        : { status: 204 },
    );
    const graph = testGraph().graph.batching();
    const outcomes = await settled(['a', 'ghost', 'b'].map((u) => graph.request(disable(u))));
    expect(outcomes.map((o) => o.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
    const error = (outcomes[1] as PromiseRejectedResult).reason as GraphError;
    expect(isNotFound(error)).to.equal(true);
    expect(error.requestId).to.equal('req-ghost');
  });

  it('retries throttled items after their longest Retry-After, in a new batch', async () => {
    const server = batchEndpoint(
      (item, call) =>
        call === 1 && ['/users/b', '/users/c'].includes(item.url)
          ? {
              status: 429,
              headers: { 'Retry-After': item.url === '/users/b' ? '3' : '7' },
              body: graphError('TooManyRequests', 'Please retry again later.'),
            }
          : { status: 204 },
      { times: 2 },
    );
    const { graph, sleeps } = testGraph();
    const batching = graph.batching();
    const responses = await Promise.all(
      ['a', 'b', 'c', 'd'].map((u) => batching.request(disable(u))),
    );
    expect(responses.map((r) => r.status)).to.deep.equal([204, 204, 204, 204]);
    expect(sleeps).to.deep.equal([7000]);
    expect(server.calls.map((c) => c.map((i) => i.url))).to.deep.equal([
      ['/users/a', '/users/b', '/users/c', '/users/d'],
      ['/users/b', '/users/c'],
    ]);
  });

  it('gives a throttled item up after its retry budget, with a 429 GraphError', async () => {
    const server = batchEndpoint(
      (item) =>
        item.url === '/users/b'
          ? {
              status: 429,
              headers: { 'Retry-After': '1' },
              body: graphError('TooManyRequests', 'Please retry again later.'),
            }
          : { status: 204 },
      { times: 4 },
    );
    const { graph, sleeps } = testGraph({ http: { retry: { maxThrottledAttempts: 4 } } });
    const batching = graph.batching();
    const outcomes = await settled(['a', 'b'].map((u) => batching.request(disable(u))));
    expect(outcomes[0]).to.deep.include({ status: 'fulfilled' });
    const error = (outcomes[1] as PromiseRejectedResult).reason as GraphError;
    expect(error).to.be.instanceOf(GraphError);
    expect(error.status).to.equal(429);
    expect(error.hint).to.include('retried 3 times');
    expect(sleeps).to.deep.equal([1000, 1000, 1000]);
    // The retries stay $batch calls (of one), so the item's budget is the only one that applies.
    expect(server.calls.map((c) => c.length)).to.deep.equal([2, 1, 1, 1]);
  });

  it('retries a 503 item for GET but not for POST', async () => {
    const server = batchEndpoint(
      (item, call) =>
        call === 1
          ? { status: 503, body: graphError('serviceNotAvailable', 'down') }
          : { status: 200, body: { ok: item.url } },
      { times: 2 },
    );
    const batching = testGraph().graph.batching();
    const outcomes = await settled([
      batching.request({ method: 'GET', path: 'users/a' }),
      batching.request({ method: 'POST', path: 'users', body: { displayName: 'x' } }),
    ]);
    expect(outcomes[0]).to.deep.include({ status: 'fulfilled' });
    expect(((outcomes[1] as PromiseRejectedResult).reason as GraphError).status).to.equal(503);
    expect(server.calls.map((c) => c.map((i) => `${i.method} ${i.url}`))).to.deep.equal([
      ['GET /users/a', 'POST /users'],
      ['GET /users/a'],
    ]);
  });

  it('refreshes the token after a 401 on the $batch call and resends it', async () => {
    nock(GRAPH)
      .post('/v1.0/$batch')
      .reply(401, graphError('InvalidAuthenticationToken', 'Access token has expired.'));
    const server = batchEndpoint(() => ({ status: 204 }));
    const { graph, session } = testGraph();
    const batching = graph.batching();
    await Promise.all(['a', 'b'].map((u) => batching.request(disable(u))));
    expect(server.authorizations).to.deep.equal(['Bearer token-2']);
    expect(session.invalidate.calledOnceWithExactly('token-1')).to.equal(true);
  });

  it('refreshes the token once for items rejected with 401 inside the batch', async () => {
    const server = batchEndpoint(
      (_item, call) =>
        call === 1
          ? { status: 401, body: graphError('InvalidAuthenticationToken', 'expired') }
          : { status: 204 },
      { times: 2 },
    );
    const { graph, session } = testGraph();
    const batching = graph.batching();
    await Promise.all(['a', 'b', 'c'].map((u) => batching.request(disable(u))));
    expect(server.authorizations).to.deep.equal(['Bearer token-1', 'Bearer token-2']);
    expect(session.invalidate.callCount).to.equal(1);
  });

  it('fails every item of a $batch call that Graph rejected as a whole', async () => {
    nock(GRAPH)
      .post('/v1.0/$batch')
      .reply(400, graphError('BadRequest', 'Invalid batch payload format.'));
    const batching = testGraph().graph.batching();
    const outcomes = await settled(['a', 'b'].map((u) => batching.request(disable(u))));
    for (const outcome of outcomes) {
      expect(((outcome as PromiseRejectedResult).reason as GraphError).message).to.include(
        'Invalid batch payload format.',
      );
    }
  });

  it('sends a lone request and absolute URLs directly', async () => {
    nock(GRAPH).get('/v1.0/users/a').reply(200, { id: 'a' });
    nock(GRAPH).get('/v1.0/users?$skiptoken=x').reply(200, { value: [] });
    const batching = testGraph().graph.batching();
    await batching.request({ method: 'GET', path: 'users/a' });
    await batching.request({ method: 'GET', path: `${GRAPH}/v1.0/users?$skiptoken=x` });
  });

  it('keeps v1.0 and beta requests in separate batches', async () => {
    batchEndpoint(() => ({ status: 204 }));
    batchEndpoint(() => ({ status: 204 }), { version: 'beta' });
    const batching = testGraph().graph.batching();
    await Promise.all([
      ...['a', 'b'].map((u) => batching.request(disable(u))),
      ...['c', 'd'].map((u) => batching.request({ ...disable(u), version: 'beta' as const })),
    ]);
  });

  it('bounds the $batch calls in flight by concurrency', async () => {
    const server = batchEndpoint(() => ({ status: 204 }), { times: 5, latencyMs: 10 });
    const batching = testGraph().graph.batching({ concurrency: 40 });
    await Promise.all(users(100).map((u) => batching.request(disable(u))));
    expect(server.calls).to.have.length(5);
    expect(server.maxInFlight).to.equal(2);
  });

  it('disables 1,000 users in 50 requests, five of them in flight at a time', async function () {
    this.timeout(10_000);
    const server = batchEndpoint(() => ({ status: 204 }), { times: 50, latencyMs: 20 });
    const batching = testGraph().graph.batching();
    const responses: GraphResponse[] = await Promise.all(
      users(1000).map((u) => batching.request(disable(u))),
    );
    expect(responses).to.have.length(1000);
    expect(server.calls).to.have.length(50);
    // 1,000 sequential single calls would be 1,000 round trips; 10 rounds of 5 parallel calls.
    expect(server.maxInFlight).to.equal(5);
  });
});
