import { expect } from 'chai';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { appToken, graph, graphError, obj, type Obj } from './helpers.js';

describe('sim: Graph $batch', () => {
  let sim: Simulator;
  let token: string;
  const batch = (requests: unknown[]) => graph(sim, token, 'POST', '$batch', { requests });
  const responses = async (requests: unknown[]) => {
    const res = await batch(requests);
    expect(res.status, res.text).to.equal(200);
    return obj(res).responses as Obj[];
  };

  beforeEach(async () => {
    sim = await startSimulator();
    token = await appToken(sim);
  });
  afterEach(() => sim.close());

  it('accepts 20 requests and refuses 21 with a Graph error', async () => {
    const items = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        id: String(i + 1),
        method: 'GET',
        url: '/users?$top=1',
      }));
    expect(await responses(items(20))).to.have.length(20);
    const res = await batch(items(21));
    expect(res.status).to.equal(400);
    expect(graphError(res).code).to.equal('BadRequest');
  });

  it('answers each item with its own status, headers and body; urls work with or without a leading slash', async () => {
    const out = await responses([
      { id: 'a', method: 'GET', url: `users/${sim.users.kim?.id ?? ''}` },
      { id: 'b', method: 'GET', url: '/users/ghost@nowhere.example' },
      { id: 'c', method: 'GET', url: '/users/$count', headers: { ConsistencyLevel: 'eventual' } },
      {
        id: 'd',
        method: 'PATCH',
        url: `/users/${sim.users.adele?.id ?? ''}`,
        headers: { 'Content-Type': 'application/json' },
        body: { passwordProfile: { password: 'N3w-Passw0rd!' } },
      },
      {
        id: 'e',
        method: 'PATCH',
        url: `/users/${sim.users.adele?.id ?? ''}`,
        body: { jobTitle: 'x' },
      },
    ]);
    expect(out.map((r) => [r.id, r.status])).to.deep.equal([
      ['a', 200],
      ['b', 404],
      ['c', 200],
      ['d', 403],
      ['e', 400],
    ]);
    expect((out[0]?.body as Obj).id).to.equal(sim.users.kim?.id);
    expect(out[0]?.headers).to.include({ 'Content-Type': 'application/json' });
    expect(out[2]?.body).to.equal('25');
  });

  it('fails dependents of a failed request with 424', async () => {
    const out = await responses([
      { id: '1', method: 'GET', url: '/users/ghost@nowhere.example' },
      { id: '2', dependsOn: ['1'], method: 'GET', url: '/users' },
      { id: '3', dependsOn: ['2'], method: 'GET', url: '/users' },
      { id: '4', method: 'GET', url: '/users?$top=1' },
    ]);
    expect(out.map((r) => [r.id, r.status])).to.deep.equal([
      ['1', 404],
      ['2', 424],
      ['3', 424],
      ['4', 200],
    ]);
    expect(out[1]).to.deep.equal({ id: '2', status: 424 });
  });

  it('refuses duplicate ids and unknown dependencies', async () => {
    expect(
      (
        await batch([
          { id: '1', method: 'GET', url: '/users' },
          { id: '1', method: 'GET', url: '/users' },
        ])
      ).status,
    ).to.equal(400);
    expect(
      (await batch([{ id: '1', dependsOn: ['9'], method: 'GET', url: '/users' }])).status,
    ).to.equal(400);
  });

  it('throttles items, not the batch, under p429=1 and puts Retry-After in the item headers', async () => {
    sim.setFaults({ p429: 1, retryAfter: 7 });
    const out = await responses([
      { id: '1', method: 'GET', url: '/users' },
      { id: '2', method: 'GET', url: '/users' },
    ]);
    for (const item of out) {
      expect(item.status).to.equal(429);
      expect(item.headers).to.include({ 'Retry-After': '7' });
      expect(((item.body as Obj).error as Obj).code).to.equal('TooManyRequests');
    }
    const stats = sim.stats();
    expect(stats.throttled).to.equal(2);
    expect(stats.batchItems).to.deep.equal({ 'GET /v1.0/users': 2 });
    expect(stats.requests).to.include({ 'POST /v1.0/$batch': 1 });
  });
});
