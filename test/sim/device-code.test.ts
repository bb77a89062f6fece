/**
 * The simulator's device authorization grant (RFC 8628, as Entra serves it): a device code and a
 * user code, authorization_pending until the user signs in at the verification page, tokens once,
 * expired_token after 15 minutes.
 */
import { expect } from 'chai';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { aadError, call, form, obj, tokens, tokenUrl } from './helpers.js';

describe('sim: device code grant', () => {
  let sim: Simulator;
  let clientId: string;
  before(async () => {
    sim = await startSimulator();
    clientId = sim.apps.clientSecret.clientId;
  });
  after(() => sim.close());

  const deviceCode = async () => {
    const res = await call(
      sim,
      `/${sim.tenantId}/oauth2/v2.0/devicecode`,
      form({ client_id: clientId, scope: 'https://graph.microsoft.com/.default offline_access' }),
    );
    expect(res.status, res.text).to.equal(200);
    return obj(res) as { device_code: string; user_code: string; verification_uri: string };
  };
  const poll = (code: string, grant = 'device_code') =>
    call(sim, tokenUrl(sim), form({ grant_type: grant, client_id: clientId, device_code: code }));

  it('answers authorization_pending until the user signs in, then tokens once, to a public client', async () => {
    const code = await deviceCode();
    const pending = await poll(code.device_code);
    expect(pending.status).to.equal(400);
    expect(aadError(pending)).to.include({ error: 'authorization_pending' });
    expect(aadError(pending).error_codes).to.deep.equal([70016]);
    const page = await call(sim, `${code.verification_uri}?otc=${code.user_code}`);
    expect(page.status, page.text).to.equal(200);
    const granted = await poll(code.device_code, 'urn:ietf:params:oauth:grant-type:device_code');
    expect(granted.status, granted.text).to.equal(200);
    expect(tokens(granted).refresh_token).to.be.a('string');
    expect(aadError(await poll(code.device_code)).error_codes).to.deep.equal([70000]);
  });

  it('expires the device code after 15 minutes', async () => {
    const code = await deviceCode();
    sim.advanceClock(901);
    const expired = await poll(code.device_code);
    expect(aadError(expired)).to.include({ error: 'expired_token' });
    expect(aadError(expired).error_codes).to.deep.equal([70020]);
  });

  it('rejects a user code it did not issue', async () => {
    const page = await call(sim, '/devicelogin?otc=NOTACODE');
    expect(page.status).to.equal(400);
  });
});
