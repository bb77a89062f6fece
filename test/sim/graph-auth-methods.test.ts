import { expect } from 'chai';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { appToken, call, delegatedTokens, graph, graphError, obj, page } from './helpers.js';

const PASSWORD_METHOD = '28c10230-6103-485e-b985-444c60001490';

describe('sim: Graph authentication methods', () => {
  let sim: Simulator;
  let app: string;
  let admin: string;
  const kim = () => sim.users.kim?.id ?? '';
  const methods = (path: string, token = app) =>
    graph(sim, token, 'GET', `users/${kim()}/authentication/${path}`);

  beforeEach(async () => {
    sim = await startSimulator();
    app = await appToken(sim);
    admin = (await delegatedTokens(sim)).access_token;
  });
  afterEach(() => sim.close());

  it('lists every method kind for Kim with @odata.type on each item', async () => {
    const types = page(await methods('methods')).value.map((m) => m['@odata.type']);
    for (const kind of [
      'password',
      'email',
      'fido2',
      'microsoftAuthenticator',
      'phone',
      'softwareOath',
      'windowsHelloForBusiness',
      'temporaryAccessPass',
    ]) {
      expect(types).to.include(`#microsoft.graph.${kind}AuthenticationMethod`);
    }
  });

  it('pages Microsoft Authenticator methods with $top', async () => {
    const first = page(await methods('microsoftAuthenticatorMethods?$top=2'));
    expect(first.value).to.have.length(2);
    const rest = page(
      await call(sim, first['@odata.nextLink'] ?? '', {
        headers: { authorization: `Bearer ${app}` },
      }),
    );
    expect(rest.value).to.have.length(1);
    expect(rest).to.not.have.property('@odata.nextLink');
  });

  it('gets and deletes by id, with 404s for unknown users and methods', async () => {
    const fido = page(await methods('fido2Methods')).value[0]?.id;
    expect(obj(await methods(`fido2Methods/${String(fido)}`)).id).to.equal(fido);
    expect(
      (
        await graph(
          sim,
          app,
          'DELETE',
          `users/${kim()}/authentication/fido2Methods/${String(fido)}`,
        )
      ).status,
    ).to.equal(204);
    const gone = await methods(`fido2Methods/${String(fido)}`);
    expect(gone.status).to.equal(404);
    expect(graphError(gone).message).to.contain('A key with identifier');
    const ghost = await graph(
      sim,
      app,
      'GET',
      'users/ghost@nowhere.example/authentication/methods',
    );
    expect(graphError(ghost).message).to.equal('The specified user could not be found.');
  });

  it('applies the documented phone rules: no mobile while an alternate exists', async () => {
    const mobile = '3179e48a-750b-4051-897c-87b9720928f7';
    const alternate = 'b6332ec1-7057-4abe-9331-3d72feddfe41';
    const del = (id: string) =>
      graph(sim, app, 'DELETE', `users/${kim()}/authentication/phoneMethods/${id}`);
    expect((await del(mobile)).status).to.equal(400);
    expect((await del(alternate)).status).to.equal(204);
    expect((await del(mobile)).status).to.equal(204);
  });

  it("refuses to delete a phone that is the user's default method", async () => {
    const user = sim.users.grady?.id ?? '';
    const prefs = obj(
      await graph(sim, app, 'GET', `/beta/users/${user}/authentication/signInPreferences`),
    );
    expect(prefs.userPreferredMethodForSecondaryAuthentication).to.equal('sms');
    const res = await graph(
      sim,
      app,
      'DELETE',
      `users/${user}/authentication/phoneMethods/3179e48a-750b-4051-897c-87b9720928f7`,
    );
    expect(res.status).to.equal(400);
  });

  it('creates a temporary access pass whose secret is shown once, replacing the previous one', async () => {
    const path = `users/${kim()}/authentication/temporaryAccessPassMethods`;
    const created = await graph(sim, app, 'POST', path, {
      lifetimeInMinutes: 60,
      isUsableOnce: true,
    });
    expect(created.status).to.equal(201);
    const body = obj(created);
    expect(body.temporaryAccessPass).to.be.a('string').with.length(8);
    expect(body).to.include({
      lifetimeInMinutes: 60,
      isUsableOnce: true,
      isUsable: true,
      methodUsabilityReason: 'InEffect',
    });
    const listed = page(await graph(sim, app, 'GET', path)).value;
    expect(listed).to.have.length(1);
    expect(listed[0]).to.include({ id: body.id, temporaryAccessPass: null });
    sim.advanceClock(61 * 60);
    // The hour also expired the access token, so get a fresh one.
    const later = await appToken(sim);
    expect(page(await graph(sim, later, 'GET', path)).value[0]).to.include({
      isUsable: false,
      methodUsabilityReason: 'Expired',
    });
  });

  it('validates temporary access pass lifetimes (10..43200) and start times', async () => {
    const path = `users/${kim()}/authentication/temporaryAccessPassMethods`;
    for (const lifetimeInMinutes of [9, 43201, 1.5]) {
      expect(
        (await graph(sim, app, 'POST', path, { lifetimeInMinutes })).status,
        String(lifetimeInMinutes),
      ).to.equal(400);
    }
    expect((await graph(sim, app, 'POST', path, { startDateTime: 'soon' })).status).to.equal(400);
    const later = new Date(Date.now() + 86_400_000).toISOString();
    const future = obj(
      await graph(sim, app, 'POST', path, { startDateTime: later, lifetimeInMinutes: 10 }),
    );
    expect(future).to.include({ isUsable: false, methodUsabilityReason: 'NotYetValid' });
  });

  describe('password reset (long-running operation)', () => {
    const resetPath = () =>
      `users/${sim.users.adele?.id ?? ''}/authentication/methods/${PASSWORD_METHOD}/resetPassword`;

    it('answers 202 with Location and Retry-After, then notStarted → running → succeeded', async () => {
      const res = await graph(sim, admin, 'POST', resetPath(), { newPassword: 'Cuyo5459!x' });
      expect(res.status).to.equal(202);
      expect(res.headers['retry-after']).to.equal('1');
      const location = res.headers.location ?? '';
      expect(location).to.match(
        new RegExp(
          `^${sim.url}/v1.0/users/${sim.users.adele?.id ?? ''}/authentication/operations/[0-9a-f-]{36}\\?`,
        ),
      );
      const statuses: unknown[] = [];
      for (let i = 0; i < 4; i++) {
        statuses.push(
          obj(await call(sim, location, { headers: { authorization: `Bearer ${admin}` } })).status,
        );
      }
      expect(statuses).to.deep.equal(['notStarted', 'running', 'succeeded', 'succeeded']);
    });

    it('returns a generated password when none is supplied', async () => {
      const res = await graph(sim, admin, 'POST', resetPath());
      expect(res.status).to.equal(202);
      expect(obj(res).newPassword).to.be.a('string');
    });

    it('is refused for app-only tokens (403) and for weak passwords (400)', async () => {
      const denied = await graph(sim, app, 'POST', resetPath(), { newPassword: 'Cuyo5459!x' });
      expect(denied.status).to.equal(403);
      expect(graphError(denied).code).to.equal('Authorization_RequestDenied');
      expect(
        (await graph(sim, admin, 'POST', resetPath(), { newPassword: 'short' })).status,
      ).to.equal(400);
    });
  });

  it('serves signInPreferences on beta only', async () => {
    const beta = obj(
      await graph(sim, app, 'GET', `/beta/users/${kim()}/authentication/signInPreferences`),
    );
    expect(beta).to.include({
      isSystemPreferredAuthenticationMethodEnabled: true,
      userPreferredMethodForSecondaryAuthentication: 'push',
    });
    expect(
      (await graph(sim, app, 'GET', `/v1.0/users/${kim()}/authentication/signInPreferences`))
        .status,
    ).to.equal(400);
  });

  it('finds the MFA service principal by appId with $select=id', async () => {
    const res = page(
      await graph(
        sim,
        app,
        'GET',
        `servicePrincipals?$filter=${encodeURIComponent(`appId eq '${sim.apps.mfa.appId}'`)}&$select=id`,
      ),
    );
    expect(res.value).to.deep.equal([{ id: sim.apps.mfa.servicePrincipalId }]);
  });
});
