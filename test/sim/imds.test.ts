import { expect } from 'chai';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { bearer, call, obj } from './helpers.js';

describe('sim: managed identity (IMDS listener)', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator();
  });
  after(() => sim.close());

  const imds = (query: string, headers: Record<string, string> = { Metadata: 'true' }) =>
    call(sim, `${sim.imdsUrl}/metadata/identity/oauth2/token?api-version=2018-02-01&${query}`, {
      headers,
    });

  it('is plain HTTP on its own port', () => {
    expect(sim.imdsUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.imdsUrl).to.not.equal(sim.url.replace('https', 'http'));
  });

  it('issues a system-assigned token with string numbers and an empty refresh token', async () => {
    const res = await imds('resource=https://graph.microsoft.com/');
    expect(res.status, res.text).to.equal(200);
    const body = obj(res);
    expect(body).to.include({
      refresh_token: '',
      token_type: 'Bearer',
      resource: 'https://graph.microsoft.com/',
    });
    for (const key of ['expires_in', 'expires_on', 'not_before']) {
      expect(body[key]).to.match(/^\d+$/);
    }
    expect(
      (await call(sim, '/v1.0/users?$top=1', bearer(String(body.access_token)))).status,
    ).to.equal(200);
  });

  it('issues a user-assigned token for the registered client id', async () => {
    const res = await imds(
      `resource=https://graph.microsoft.com/&client_id=${sim.apps.managedIdentity.userAssignedClientId}`,
    );
    expect(res.status).to.equal(200);
    expect(obj(res).client_id).to.equal(sim.apps.managedIdentity.userAssignedClientId);
  });

  it('requires the Metadata header', async () => {
    const res = await imds('resource=https://graph.microsoft.com/', {});
    expect(res.status).to.equal(400);
    expect(obj(res).error).to.equal('bad_request_102');
  });

  it('answers 400 with error/error_description for an unknown user-assigned id or resource', async () => {
    const unknown = await imds(
      'resource=https://graph.microsoft.com/&client_id=00000000-0000-0000-0000-000000000001',
    );
    expect(unknown.status).to.equal(400);
    expect(obj(unknown)).to.include({
      error: 'invalid_request',
      error_description: 'Identity not found',
    });
    const resource = await imds('resource=https://vault.azure.net');
    expect(resource.status).to.equal(400);
    expect(obj(resource).error).to.equal('invalid_resource');
  });
});
