import { expect } from 'chai';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { appToken, call, graph, obj, page, type SimHttpResponse } from './helpers.js';

describe('sim: 100,000 users', () => {
  let sim: Simulator;
  let token: string;
  before(async () => {
    sim = await startSimulator({ users: 100_000 });
    token = await appToken(sim);
  });
  after(() => sim.close());

  it('pages every user with $top=999 in 101 requests', async () => {
    const ids = new Set<string>();
    let next: string | undefined = '/v1.0/users?$top=999&$select=id';
    while (next) {
      const res: SimHttpResponse = await call(sim, next, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = page(res);
      body.value.forEach((u) => ids.add(String(u.id)));
      next = body['@odata.nextLink'];
    }
    expect(ids.size).to.equal(100_000);
    expect((sim.stats().requests as Record<string, number>)['GET /v1.0/users']).to.equal(101);
  });

  it('counts, finds and filters the last generated user without listing', async () => {
    const eventual = { ConsistencyLevel: 'eventual' };
    expect((await graph(sim, token, 'GET', 'users/$count', undefined, eventual)).text).to.equal(
      '100000',
    );
    const upn = `user${100_000 - 9}@${sim.tenantDomain}`;
    const user = obj(await graph(sim, token, 'GET', `users/${upn}`));
    expect(
      obj(await graph(sim, token, 'GET', `users/${String(user.id)}`)).userPrincipalName,
    ).to.equal(upn);
    const filtered = page(
      await graph(
        sim,
        token,
        'GET',
        `users?$filter=${encodeURIComponent(`userPrincipalName eq '${upn}'`)}&$count=true`,
        undefined,
        eventual,
      ),
    );
    expect(filtered['@odata.count']).to.equal(1);
    expect(filtered.value.map((u) => u.id)).to.deep.equal([user.id]);
    expect(
      (await graph(sim, token, 'GET', `users/user100001@${sim.tenantDomain}`)).status,
    ).to.equal(404);
  });
});
