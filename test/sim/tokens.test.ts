import { expect } from 'chai';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { appToken, call, delegatedTokens, graph, graphError, obj } from './helpers.js';

describe('sim: Graph bearer tokens', () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator({ tokenLifetime: 600 });
  });
  afterEach(() => sim.close());

  it('issues tokens with the configured lifetime', async () => {
    const { expires_in } = await delegatedTokens(sim);
    expect(expires_in).to.equal(600);
  });

  it('answers 401 InvalidAuthenticationToken once tokens are expired (API and /_sim endpoint)', async () => {
    const token = await appToken(sim);
    expect((await graph(sim, token, 'GET', 'users')).status).to.equal(200);
    sim.expireAllTokens();
    const expired = await graph(sim, token, 'GET', 'users');
    expect(expired.status).to.equal(401);
    expect(graphError(expired)).to.include({
      code: 'InvalidAuthenticationToken',
      message: 'Lifetime validation failed, the token is expired.',
    });
    expect(expired.headers['www-authenticate']).to.match(/^Bearer /);
    const fresh = await appToken(sim);
    expect((await graph(sim, fresh, 'GET', 'users')).status).to.equal(200);
    expect((await call(sim, '/_sim/expire-tokens', { method: 'POST' })).status).to.equal(200);
    expect((await graph(sim, fresh, 'GET', 'users')).status).to.equal(401);
  });

  it('answers 401 for missing, malformed and foreign tokens', async () => {
    expect(graphError(await call(sim, '/v1.0/users')).message).to.equal('Access token is empty.');
    expect((await graph(sim, 'opaque', 'GET', 'users')).status).to.equal(401);
    expect((await graph(sim, 'eyJ.eyJ.sig', 'GET', 'users')).status).to.equal(401);
  });

  it('tracks application vs delegated tokens: /me needs a delegated one', async () => {
    const app = await appToken(sim);
    const me = await graph(sim, app, 'GET', 'me');
    expect(me.status).to.equal(400);
    const { access_token } = await delegatedTokens(sim);
    expect(obj(await graph(sim, access_token, 'GET', 'me')).id).to.equal(sim.users.admin?.id);
  });

  it('counts requests by route template and tokens by grant', async () => {
    const token = await appToken(sim);
    await graph(sim, token, 'GET', `users/${sim.users.kim?.id ?? ''}`);
    await graph(sim, token, 'GET', `users/${sim.users.adele?.id ?? ''}`);
    await delegatedTokens(sim);
    const stats = sim.stats();
    expect(stats.requests).to.include({
      'GET /v1.0/users/{id}': 2,
      'POST /{tenant}/oauth2/v2.0/token': 2,
      'GET /{tenant}/oauth2/v2.0/authorize': 1,
    });
    expect(stats.tokensIssued).to.deep.equal({ client_credentials: 1, authorization_code: 1 });
    const viaHttp = obj(await call(sim, '/_sim/stats'));
    expect(viaHttp.requests).to.deep.equal(stats.requests);
  });
});
