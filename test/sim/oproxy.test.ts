import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { decryptToken } from '../../sim/identity/oproxy.js';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { bearer, call, obj, oproxyEncrypt, postJson } from './helpers.js';

describe('sim: Cortex XSOAR app token exchange (oproxy)', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator();
  });
  after(() => sim.close());

  const exchange = (content: string, overrides: Record<string, unknown> = {}) => {
    const { registrationId, key } = sim.apps.xsoar;
    return call(
      sim,
      '/obtain-token',
      postJson({
        app_name: 'ms-graph-user',
        registration_id: registrationId,
        encrypted_token: oproxyEncrypt(content, key),
        scope: null,
        resource: '',
        ...overrides,
      }),
    );
  };

  it('exchanges the encrypted tenant token for a Graph app token and a refresh token', async () => {
    const res = await exchange(sim.apps.xsoar.tenantToken);
    expect(res.status, res.text).to.equal(200);
    expect(obj(res)).to.have.keys('access_token', 'expires_in', 'refresh_token');
    expect(
      (await call(sim, '/v1.0/users?$top=1', bearer(String(obj(res).access_token)))).status,
    ).to.equal(200);
    expect(sim.stats().tokensIssued).to.include({ xsoar_app: 1 });
  });

  it('accepts a refresh token it issued once, and rotates it', async () => {
    const first = obj(await exchange(sim.apps.xsoar.tenantToken));
    const second = await exchange(String(first.refresh_token));
    expect(second.status).to.equal(200);
    expect(obj(second).refresh_token).to.not.equal(first.refresh_token);
    const reused = await exchange(String(first.refresh_token));
    expect(reused.status).to.equal(401);
  });

  it('refuses a wrong key, a stale timestamp, an unknown registration and other content', async () => {
    const { registrationId, tenantToken } = sim.apps.xsoar;
    const otherKey = randomBytes(32).toString('base64');
    const wrongKey = await exchange('', { encrypted_token: oproxyEncrypt(tenantToken, otherKey) });
    expect(wrongKey.status).to.equal(401);
    const stale = await exchange('', {
      encrypted_token: oproxyEncrypt(
        tenantToken,
        sim.apps.xsoar.key,
        Math.floor(Date.now() / 1000) - 3600,
      ),
    });
    expect(stale.status).to.equal(401);
    expect(String(obj(stale).detail)).to.match(/seconds away/);
    const unknown = await exchange(tenantToken, { registration_id: `${registrationId}x` });
    expect(unknown.status).to.equal(401);
    expect((await exchange('not-the-token')).status).to.equal(401);
    for (const res of [wrongKey, stale, unknown]) {
      expect(obj(res)).to.have.keys('title', 'detail', 'message');
    }
  });

  it('decrypts with AES-128, -192 and -256 depending on the key length', () => {
    for (const bytes of [16, 24, 32]) {
      const key = randomBytes(bytes).toString('base64');
      expect(decryptToken(oproxyEncrypt('hello', key, 1700000000), key)).to.equal(
        '1700000000:hello',
      );
    }
    expect(decryptToken('AAAA', randomBytes(32).toString('base64'))).to.equal(undefined);
  });

  it('refuses a malformed body and an unknown app name with 400', async () => {
    expect((await call(sim, '/obtain-token', { method: 'POST', body: 'nope' })).status).to.equal(
      400,
    );
    expect((await exchange(sim.apps.xsoar.tenantToken, { app_name: 'other-app' })).status).to.equal(
      400,
    );
  });
});
