import { expect } from 'chai';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { call, obj } from './helpers.js';

describe('sim: params for each flow', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator();
  });
  after(() => sim.close());

  it('points every flow at the sim with azure_cloud Custom', () => {
    for (const flow of [
      'client-credentials',
      'certificate',
      'authorization-code',
      'xsoar-app',
      'managed-identity',
    ] as const) {
      expect(sim.paramsFor(flow), flow).to.include({
        azure_cloud: 'Custom',
        host: sim.url,
        azure_ad_endpoint: sim.url,
      });
    }
  });

  it('fills the self-deployed credentials', () => {
    const cc = sim.paramsFor('client-credentials');
    expect(cc).to.deep.include({
      self_deployed: true,
      creds_auth_id: { identifier: '', password: sim.apps.clientSecret.clientId },
      creds_tenant_id: { identifier: '', password: sim.tenantId },
      creds_enc_key: { identifier: '', password: sim.apps.clientSecret.clientSecret },
    });
    const cert = sim.paramsFor('certificate');
    expect(cert).to.not.have.property('creds_enc_key');
    expect(cert.creds_certificate).to.deep.equal({
      identifier: sim.apps.certificate.thumbprint,
      password: sim.apps.certificate.privateKeyPem,
    });
    expect(sim.paramsFor('authorization-code')).to.include({
      redirect_uri: 'http://localhost:8765/callback',
    });
  });

  it('fills the Cortex XSOAR app and managed identity params', () => {
    const xsoar = sim.paramsFor('xsoar-app');
    expect(xsoar).to.deep.include({
      self_deployed: false,
      creds_auth_id: {
        identifier: '',
        password: `${sim.apps.xsoar.registrationId}@${sim.url}/obtain-token`,
      },
      creds_tenant_id: { identifier: '', password: sim.apps.xsoar.tenantToken },
      creds_enc_key: { identifier: '', password: sim.apps.xsoar.key },
    });
    expect(Buffer.from(sim.apps.xsoar.key, 'base64')).to.have.length(32);
    expect(sim.paramsFor('managed-identity'))
      .to.include({ use_managed_identities: true })
      .and.not.have.property('managed_identities_client_id');
    expect(
      sim.paramsFor('managed-identity', { userAssigned: true }).managed_identities_client_id,
    ).to.deep.equal({
      identifier: '',
      password: sim.apps.managedIdentity.userAssignedClientId,
    });
  });

  it('serves the same params on /_sim/params/{flow}', async () => {
    expect(obj(await call(sim, '/_sim/params/xsoar-app'))).to.deep.equal(
      sim.paramsFor('xsoar-app'),
    );
    expect((await call(sim, '/_sim/params/nope')).status).to.equal(404);
  });
});
