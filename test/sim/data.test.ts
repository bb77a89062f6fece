import { expect } from 'chai';
import { indexedGuid, indexFromGuid, stableGuid } from '../../sim/data/ids.js';
import { proceduralUser } from '../../sim/data/people.js';
import { USER_SCHEMA } from '../../sim/data/schema.js';
import { startSimulator } from '../../sim/index.js';
import { appToken, graph, obj, page } from './helpers.js';

describe('sim: seeded tenant data', () => {
  it('generates the same tenant on every start', async () => {
    const snapshot = async () => {
      const sim = await startSimulator({ users: 300, seed: 'a' });
      try {
        const token = await appToken(sim);
        const users = page(
          await graph(
            sim,
            token,
            'GET',
            'users?$top=300&$select=id,displayName,userPrincipalName,accountEnabled',
          ),
        );
        const kim = sim.users.kim?.id ?? '';
        const methods = page(
          await graph(sim, token, 'GET', `users/${kim}/authentication/methods`),
        ).value.map((m) => m.id);
        return { tenant: sim.tenantId, users: users.value, methods };
      } finally {
        await sim.close();
      }
    };
    const [a, b] = [await snapshot(), await snapshot()];
    expect(a).to.deep.equal(b);
    expect(a.users).to.have.length(300);
  });

  it('gives generated users every schema property, in schema order', () => {
    expect(Object.keys(proceduralUser(7))).to.deep.equal(Object.keys(USER_SCHEMA.props));
  });

  it('encodes the procedural index in the user id and rejects other GUIDs', () => {
    for (const n of [1, 42, 99_999, 4_000_000]) {
      expect(indexFromGuid('user', indexedGuid('user', n))).to.equal(n);
    }
    expect(indexFromGuid('user', stableGuid('something-else'))).to.equal(undefined);
    expect(indexFromGuid('user', 'not-a-guid')).to.equal(undefined);
  });

  it('seeds the named users the scenarios rely on', async () => {
    const sim = await startSimulator();
    try {
      const token = await appToken(sim);
      const get = async (key: string) =>
        obj(await graph(sim, token, 'GET', `users/${sim.users[key]?.id ?? ''}?$select=*`));
      expect(await get('disabled')).to.include({ accountEnabled: false });
      expect(await get('guest')).to.include({ userType: 'Guest' });
      expect(sim.users.guest?.userPrincipalName).to.contain('#EXT#');
      expect(sim.users.apostrophe?.userPrincipalName).to.contain("'");
      expect(
        page(await graph(sim, token, 'GET', `users/${sim.users.sara?.id ?? ''}/directReports`))
          .value.length,
      ).to.be.at.least(2);
    } finally {
      await sim.close();
    }
  });
});
