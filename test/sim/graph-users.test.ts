import { expect } from 'chai';
import { startSimulator, type Simulator } from '../../sim/index.js';
import {
  appToken,
  call,
  graph,
  graphError,
  obj,
  page,
  type Obj,
  type SimHttpResponse,
} from './helpers.js';

const EVENTUAL = { ConsistencyLevel: 'eventual' };
const q = (value: string) => encodeURIComponent(value);

describe('sim: Graph users', () => {
  let sim: Simulator;
  let token: string;
  const get = (path: string, headers: Record<string, string> = {}) =>
    graph(sim, token, 'GET', path, undefined, headers);
  const upnOf = (key: string) => sim.users[key]?.userPrincipalName ?? '';
  const idOf = (key: string) => sim.users[key]?.id ?? '';

  before(async () => {
    sim = await startSimulator({ users: 2500 });
    token = await appToken(sim);
  });
  after(() => sim.close());

  describe('paging', () => {
    it('pages 2,500 users in three $top=999 pages whose nextLinks keep $select and $top', async () => {
      const sizes: number[] = [];
      const ids = new Set<string>();
      let next: string | undefined = `/v1.0/users?$top=999&$select=${q('id,displayName')}`;
      while (next) {
        const res: SimHttpResponse = await call(sim, next, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(res.status).to.equal(200);
        const body = page(res);
        sizes.push(body.value.length);
        body.value.forEach((u) => {
          expect(Object.keys(u)).to.deep.equal(['id', 'displayName']);
          ids.add(String(u.id));
        });
        next = body['@odata.nextLink'];
        if (next) {
          const link = new URL(next);
          expect(link.origin).to.equal(sim.url);
          expect(link.searchParams.get('$select')).to.equal('id,displayName');
          expect(link.searchParams.get('$top')).to.equal('999');
          expect(link.searchParams.get('$skiptoken')).to.be.a('string');
        }
      }
      expect(sizes).to.deep.equal([999, 999, 502]);
      expect(ids.size).to.equal(2500);
    });

    it('keeps $filter in nextLinks and gives @odata.count on the first page only', async () => {
      const first = page(
        await get(`users?$filter=${q('accountEnabled eq false')}&$top=20&$count=true`, EVENTUAL),
      );
      const total = first['@odata.count'] ?? 0;
      expect(total).to.be.greaterThan(20);
      const link = new URL(first['@odata.nextLink'] ?? '');
      expect(link.searchParams.get('$filter')).to.equal('accountEnabled eq false');
      let seen = first.value.length;
      let next = first['@odata.nextLink'];
      while (next) {
        const body = page(
          await call(sim, next, { headers: { authorization: `Bearer ${token}`, ...EVENTUAL } }),
        );
        expect(body).to.not.have.property('@odata.count');
        expect(
          body.value.every((u) => u.accountEnabled === undefined || u.accountEnabled === false),
        ).to.equal(true);
        seen += body.value.length;
        next = body['@odata.nextLink'];
      }
      expect(seen).to.equal(total);
    });

    it('refuses $top above 999 and a tampered skip token', async () => {
      expect((await get('users?$top=1000')).status).to.equal(400);
      const first = page(await get('users?$top=5'));
      const tampered = (first['@odata.nextLink'] ?? '').replace(
        '$top=5',
        `$top=5&$filter=${q("displayName eq 'x'")}`,
      );
      expect(
        (await call(sim, tampered, { headers: { authorization: `Bearer ${token}` } })).status,
      ).to.equal(400);
    });
  });

  describe('$count', () => {
    it('ignores $count=true silently without ConsistencyLevel, as documented', async () => {
      const body = page(await get('users?$count=true&$top=1'));
      expect(body).to.not.have.property('@odata.count');
      expect(page(await get('users?$count=true&$top=1', EVENTUAL))['@odata.count']).to.equal(2500);
    });

    it('serves /users/$count as text/plain only with ConsistencyLevel', async () => {
      const res = await get('users/$count', EVENTUAL);
      expect(res.headers['content-type']).to.match(/^text\/plain/);
      expect(res.text).to.equal('2500');
      const refused = await get('users/$count');
      expect(refused.status).to.equal(400);
      expect(graphError(refused)).to.include({
        code: 'Request_BadRequest',
        message: '$count is not currently supported.',
      });
    });
  });

  describe('$filter', () => {
    const filter = (expr: string, headers: Record<string, string> = EVENTUAL) =>
      get(
        `users?$filter=${q(expr)}&$count=true&$select=${q('id,userPrincipalName,displayName')}`,
        headers,
      );

    it('supports eq, ne, startswith, endswith, in, and/or/not on strings and booleans', async () => {
      const cases: [string, (u: Obj) => boolean][] = [
        [`userPrincipalName eq '${upnOf('kim').toUpperCase()}'`, (u) => u.id === idOf('kim')],
        ["startswith(displayName,'Sara')", (u) => String(u.displayName).startsWith('Sara')],
        [`endswith(userPrincipalName,'#EXT#@${sim.tenantDomain}')`, (u) => u.id === idOf('guest')],
        [
          `userPrincipalName in ('${upnOf('kim')}','${upnOf('adele')}')`,
          (u) => [idOf('kim'), idOf('adele')].includes(String(u.id)),
        ],
        [
          "jobTitle eq 'Finance VP' or jobTitle eq 'President'",
          (u) => [idOf('sara'), idOf('patti')].includes(String(u.id)),
        ],
        [
          "department eq 'IT' and not(accountEnabled eq false)",
          (u) => [idOf('admin'), idOf('kim')].includes(String(u.id)),
        ],
      ];
      for (const [expr, expected] of cases) {
        const res = await filter(expr);
        expect(res.status, `${expr}: ${res.text}`).to.equal(200);
        const body = page(res);
        expect(body.value.length, expr).to.be.greaterThan(0);
        expect(body.value.every(expected), expr).to.equal(true);
      }
    });

    it("matches a UPN with an apostrophe written as '' and never widens on injection attempts", async () => {
      const upn = upnOf('apostrophe');
      const escaped = page(await filter(`userPrincipalName eq '${upn.replace(/'/g, "''")}'`));
      expect(escaped.value.map((u) => u.id)).to.deep.equal([idOf('apostrophe')]);
      // Properly escaped hostile values are just strings: no match, never everything.
      const hostile = "x' or accountEnabled eq true or userPrincipalName eq 'y";
      const safe = page(await filter(`userPrincipalName eq '${hostile.replace(/'/g, "''")}'`));
      expect(safe.value).to.deep.equal([]);
      // Unescaped, the same value is a syntax error or a narrower query, never the whole tenant.
      for (const raw of [
        `userPrincipalName eq '${hostile}'`,
        "displayName eq 'a'' or 1 eq 1",
        "displayName eq 'x') or (true",
      ]) {
        const res = await filter(raw);
        if (res.status === 200) expect(page(res)['@odata.count'] ?? 0).to.be.lessThan(2500);
        else expect(res.status).to.equal(400);
      }
      const unterminated = await filter("displayName eq 'abc");
      expect(graphError(unterminated).message).to.match(/unterminated string literal/);
    });

    it('requires the advanced-query parameters for endswith, ne and not', async () => {
      for (const expr of [
        "endswith(mail,'@x.example')",
        "jobTitle ne 'x'",
        'not(accountEnabled eq true)',
      ]) {
        const res = await get(`users?$filter=${q(expr)}`);
        expect(res.status, expr).to.equal(400);
        expect(graphError(res).code).to.equal('Request_UnsupportedQuery');
      }
    });

    it('rejects unknown properties and mistyped literals', async () => {
      expect(graphError(await filter("nickname eq 'x'")).message).to.match(
        /Could not find a property named 'nickname'/,
      );
      expect(graphError(await filter("accountEnabled eq 'false'")).message).to.match(
        /incompatible types/,
      );
    });
  });

  describe('single users', () => {
    it("finds users by id, by case-insensitive UPN and by the users('...') key syntax", async () => {
      const byId = obj(await get(`users/${idOf('kim')}`));
      expect(obj(await get(`users/${upnOf('kim').toUpperCase()}`)).id).to.equal(byId.id);
      const key = `users('${upnOf('apostrophe').replace(/'/g, "''")}')`;
      expect(obj(await get(key)).id).to.equal(idOf('apostrophe'));
      expect(obj(await get(`users/${q(upnOf('guest'))}`)).id).to.equal(idOf('guest'));
      expect(Object.keys(byId)).to.include.members([
        '@odata.context',
        'id',
        'displayName',
        'businessPhones',
      ]);
    });

    it('returns every property for $select=* and 400 for unknown properties', async () => {
      const all = obj(await get(`users/${idOf('kim')}?$select=*`));
      expect(all).to.include.keys(
        'accountEnabled',
        'department',
        'onPremisesExtensionAttributes',
        'createdDateTime',
        'userType',
      );
      const bad = await get(`users/${idOf('kim')}?$select=shoeSize`);
      expect(bad.status).to.equal(400);
    });

    it('answers 404 Request_ResourceNotFound with request ids in headers and body', async () => {
      const res = await get('users/ghost@nowhere.example');
      expect(res.status).to.equal(404);
      const error = graphError(res);
      expect(error.code).to.equal('Request_ResourceNotFound');
      expect(error.message).to.equal(
        "Resource 'ghost@nowhere.example' does not exist or one of its queried reference-property objects are not present.",
      );
      expect(error.innerError['request-id']).to.equal(res.headers['request-id']);
      expect(res.headers['client-request-id']).to.be.a('string');
    });
  });

  describe('writes', () => {
    const newUser = (upn: string) => ({
      accountEnabled: true,
      displayName: 'New Person',
      mailNickname: upn.split('@')[0] ?? 'x',
      userPrincipalName: upn,
      passwordProfile: { forceChangePasswordNextSignIn: true, password: 'Sup3r-Secret!' },
    });

    it('creates a user (201), refuses a duplicate UPN and missing fields, then deletes it', async () => {
      const upn = `new.person@${sim.tenantDomain}`;
      const created = await graph(sim, token, 'POST', 'users', newUser(upn));
      expect(created.status).to.equal(201);
      const id = String(obj(created).id);
      expect(obj(await get(`users/${upn}`)).id).to.equal(id);
      const dup = await graph(sim, token, 'POST', 'users', newUser(upn.toUpperCase()));
      expect(dup.status).to.equal(400);
      expect(graphError(dup).details).to.deep.equal([
        { code: 'ObjectConflict', target: 'userPrincipalName' },
      ]);
      const { mailNickname: _omit, ...missing } = newUser(`other@${sim.tenantDomain}`);
      expect((await graph(sim, token, 'POST', 'users', missing)).status).to.equal(400);
      expect(
        (await graph(sim, token, 'POST', 'users', newUser('x@not-verified.example'))).status,
      ).to.equal(400);
      expect((await graph(sim, token, 'DELETE', `users/${id}`)).status).to.equal(204);
      expect((await get(`users/${id}`)).status).to.equal(404);
    });

    it('patches with type checks: booleans must be booleans, unknown properties are refused', async () => {
      const id = idOf('grady');
      expect(
        (
          await graph(sim, token, 'PATCH', `users/${id}`, {
            jobTitle: 'Lead Designer',
            accountEnabled: false,
          })
        ).status,
      ).to.equal(204);
      expect(obj(await get(`users/${id}?$select=jobTitle,accountEnabled`))).to.include({
        jobTitle: 'Lead Designer',
        accountEnabled: false,
      });
      const stringBool = await graph(sim, token, 'PATCH', `users/${id}`, {
        accountEnabled: 'true',
      });
      expect(stringBool.status).to.equal(400);
      expect(graphError(stringBool).message).to.equal(
        "Invalid value specified for property 'accountEnabled' of resource 'User'.",
      );
      expect(
        (await graph(sim, token, 'PATCH', `users/${id}`, { favouriteColour: 'blue' })).status,
      ).to.equal(400);
      expect((await graph(sim, token, 'PATCH', `users/${id}`, { id: 'x' })).status).to.equal(400);
    });

    it('refuses a password change with an app-only token (403) but allows a forced reset flag', async () => {
      const id = idOf('adele');
      const denied = await graph(sim, token, 'PATCH', `users/${id}`, {
        passwordProfile: { password: 'An0ther-Secret!' },
      });
      expect(denied.status).to.equal(403);
      expect(graphError(denied).code).to.equal('Authorization_RequestDenied');
      expect(
        (
          await graph(sim, token, 'PATCH', `users/${id}`, {
            passwordProfile: { forceChangePasswordNextSignIn: true },
          })
        ).status,
      ).to.equal(204);
    });

    it('reports changes through /users/delta after a full initial round', async () => {
      let link: string | undefined = '/v1.0/users/delta?$select=displayName';
      let deltaLink: string | undefined;
      let rounds = 0;
      while (link) {
        const body = page(await call(sim, link, { headers: { authorization: `Bearer ${token}` } }));
        rounds++;
        deltaLink = body['@odata.deltaLink'];
        link = body['@odata.nextLink'];
      }
      expect(rounds).to.be.greaterThan(1);
      await graph(sim, token, 'PATCH', `users/${idOf('patti')}`, { displayName: 'Patti F.' });
      const changes = page(
        await call(sim, deltaLink ?? '', { headers: { authorization: `Bearer ${token}` } }),
      );
      expect(changes.value).to.deep.equal([{ id: idOf('patti'), displayName: 'Patti F.' }]);
      expect(changes['@odata.deltaLink']).to.be.a('string');
    });
  });

  describe('relationships', () => {
    it('gets and assigns managers; 404 when there is none', async () => {
      expect(obj(await get(`users/${idOf('adele')}/manager`)).id).to.equal(idOf('sara'));
      const none = await get(`users/${idOf('admin')}/manager`);
      expect(none.status).to.equal(404);
      expect(graphError(none).code).to.equal('Request_ResourceNotFound');
      const put = await graph(sim, token, 'PUT', `users/${idOf('grady')}/manager/$ref`, {
        '@odata.id': `${sim.url}/v1.0/users/${idOf('kim')}`,
      });
      expect(put.status).to.equal(204);
      expect(obj(await get(`users/${idOf('grady')}/manager`)).id).to.equal(idOf('kim'));
      const reports = page(await get(`users/${idOf('kim')}/directReports`)).value.map((u) => u.id);
      expect(reports).to.include(idOf('grady'));
      const sara = page(await get(`users/${idOf('sara')}/directReports`)).value.map((u) => u.id);
      expect(sara).to.not.include(idOf('grady'));
    });

    it('lists memberOf with @odata.type and owned devices with $top, $filter and $count', async () => {
      const groups = page(await get(`users/${idOf('kim')}/memberOf`)).value;
      expect(groups.map((g) => g['@odata.type'])).to.include.members([
        '#microsoft.graph.group',
        '#microsoft.graph.directoryRole',
      ]);
      const devices = page(
        await get(`users/${idOf('kim')}/ownedDevices?$top=2&$count=true`, EVENTUAL),
      );
      expect(devices.value).to.have.length(2);
      expect(devices['@odata.count']).to.equal(3);
      expect(devices['@odata.nextLink']).to.be.a('string');
      const ios = page(
        await get(`users/${idOf('kim')}/ownedDevices?$filter=${q("operatingSystem eq 'iOS'")}`),
      ).value;
      expect(ios.map((d) => d.operatingSystem)).to.deep.equal(['iOS']);
    });
  });
});
